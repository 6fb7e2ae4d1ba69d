// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMerchantRegistry} from "./IMerchantRegistry.sol";
import {VatRateSchedule} from "./VatRateSchedule.sol";

/**
 * @title MerchantRegistry
 * @notice The registry of merchants that accept VAT payments. See {IMerchantRegistry}.
 *
 * Storage: one slot per merchant ({Merchant}: 160 + 8 + 8 + 8 + 8 bits), read once per payment.
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

    function _checkMerchant(address payout, bool vatRegistered, uint8 defaultCategory) private view {
        if (payout == address(0) || payout == address(this)) revert InvalidPayout(payout);
        if (vatRegistered) {
            if (defaultCategory == 0) revert InvalidCategory(defaultCategory);
            if (!_categoryExists(defaultCategory)) revert UnknownCategory(defaultCategory);
        }
    }
}
