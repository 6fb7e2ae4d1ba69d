// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMerchantRegistry} from "./IMerchantRegistry.sol";
import {VatRateSchedule} from "./VatRateSchedule.sol";

/**
 * @title MerchantRegistry
 * @notice The registry of merchants that accept VAT payments. See {IMerchantRegistry}.
 *
 * Storage: one slot per merchant ({Merchant}: 160 + 8 + 8 + 8 + 8 bits), read once per payment; and one slot of
 * category bits per merchant, read only by a payment naming a category other than the merchant's default.
 */
abstract contract MerchantRegistry is VatRateSchedule, IMerchantRegistry {
    /// @inheritdoc IMerchantRegistry
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @dev One storage slot.
    struct Merchant {
        address payout;
        uint8 defaultCategory;
        bool vatRegistered;
        bool active;
        bool registered;
    }

    mapping(uint64 merchantId => Merchant) internal _merchants;

    /// @dev Bit c set: merchant may also be paid under category c (besides its default). Read by a payment only
    /// when the payer names a category other than the default, so the default path costs no extra slot.
    mapping(uint64 merchantId => uint256 categoryBits) internal _otherCategories;

    /// @dev Passes for REGISTRAR_ROLE or TAX_AUTHORITY_ROLE; otherwise reverts with OpenZeppelin's
    /// `AccessControlUnauthorizedAccount(caller, REGISTRAR_ROLE)`, naming the least role that would do.
    modifier onlyRegistrar() {
        address caller = _msgSender();
        if (!hasRole(REGISTRAR_ROLE, caller) && !hasRole(TAX_AUTHORITY_ROLE, caller)) {
            revert AccessControlUnauthorizedAccount(caller, REGISTRAR_ROLE);
        }
        _;
    }

    constructor() {
        _setRoleAdmin(REGISTRAR_ROLE, TAX_AUTHORITY_ROLE);
    }

    /// @inheritdoc IMerchantRegistry
    function registerMerchant(uint64 merchantId, address payout, bool vatRegistered, uint8 defaultCategory)
        external
        onlyRegistrar
    {
        if (_merchants[merchantId].registered) revert MerchantAlreadyRegistered(merchantId);
        _checkMerchant(payout, vatRegistered, defaultCategory);
        _merchants[merchantId] = Merchant({
            payout: payout,
            defaultCategory: defaultCategory,
            vatRegistered: vatRegistered,
            active: true,
            registered: true
        });
        emit MerchantRegistered(merchantId, payout, vatRegistered, defaultCategory);
    }

    /// @inheritdoc IMerchantRegistry
    function updateMerchant(uint64 merchantId, address payout, bool vatRegistered, uint8 defaultCategory)
        external
        onlyRegistrar
    {
        Merchant storage m = _registered(merchantId);
        _checkMerchant(payout, vatRegistered, defaultCategory);
        m.payout = payout;
        m.vatRegistered = vatRegistered;
        m.defaultCategory = defaultCategory;
        emit MerchantUpdated(merchantId, payout, vatRegistered, defaultCategory);
    }

    /// @inheritdoc IMerchantRegistry
    function setMerchantActive(uint64 merchantId, bool active) external onlyRegistrar {
        _registered(merchantId).active = active;
        emit MerchantActiveSet(merchantId, active);
    }

    /// @inheritdoc IMerchantRegistry
    function setMerchantCategories(uint64 merchantId, uint8[] calldata categories) external onlyRegistrar {
        _registered(merchantId);
        uint256 bits = 0;
        for (uint256 i; i < categories.length; ++i) {
            uint8 c = categories[i];
            if (c == 0) revert InvalidCategory(c);
            if (!_categoryExists(c)) revert UnknownCategory(c);
            bits |= uint256(1) << c;
        }
        _otherCategories[merchantId] = bits;
        emit MerchantCategoriesSet(merchantId, _categoriesIn(bits, 0));
    }

    /// @inheritdoc IMerchantRegistry
    function merchantCategories(uint64 merchantId) external view returns (uint8[] memory categories) {
        uint8 defaultCategory = _merchants[merchantId].defaultCategory;
        uint256 bits = _otherCategories[merchantId];
        if (defaultCategory != 0) bits &= ~(uint256(1) << defaultCategory);
        return _categoriesIn(bits, defaultCategory);
    }

    /// @inheritdoc IMerchantRegistry
    function merchant(uint64 merchantId)
        external
        view
        returns (address payout, bool vatRegistered, uint8 defaultCategory, bool active, bool registered)
    {
        Merchant memory m = _merchants[merchantId];
        return (m.payout, m.vatRegistered, m.defaultCategory, m.active, m.registered);
    }

    /// @dev The record of registered merchant `merchantId`, or revert {UnknownMerchant}.
    function _registered(uint64 merchantId) internal view returns (Merchant storage m) {
        m = _merchants[merchantId];
        if (!m.registered) revert UnknownMerchant(merchantId);
    }

    /**
     * @dev The category a payment naming `categoryId` to merchant `m` (id `merchantId`) is made under: the default
     * for 0 or the default itself, else `categoryId` if the registrar allowed it; reverts {CategoryNotAllowed}.
     */
    function _allowedCategory(uint64 merchantId, Merchant memory m, uint8 categoryId) internal view returns (uint8) {
        if (categoryId == 0 || categoryId == m.defaultCategory) return m.defaultCategory;
        if (_otherCategories[merchantId] & (uint256(1) << categoryId) == 0) {
            revert CategoryNotAllowed(merchantId, categoryId);
        }
        return categoryId;
    }

    /// @dev `first` (unless 0) followed by the categories whose bits are set in `bits`, ascending.
    function _categoriesIn(uint256 bits, uint8 first) private pure returns (uint8[] memory list) {
        uint256 n = first == 0 ? 0 : 1;
        for (uint256 b = bits; b != 0; b &= b - 1) {
            ++n;
        }
        list = new uint8[](n);
        uint256 i = 0;
        if (first != 0) list[i++] = first;
        for (uint256 c = 1; c < 256 && i < n; ++c) {
            if (bits & (uint256(1) << c) != 0) list[i++] = uint8(c);
        }
    }

    function _checkMerchant(address payout, bool vatRegistered, uint8 defaultCategory) private view {
        if (payout == address(0) || payout == address(this)) revert InvalidPayout(payout);
        if (vatRegistered) {
            if (defaultCategory == 0) revert InvalidCategory(defaultCategory);
            if (!_categoryExists(defaultCategory)) revert UnknownCategory(defaultCategory);
        }
    }
}
