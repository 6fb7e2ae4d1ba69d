// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {AccessControlDefaultAdminRulesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {TengeERC20} from "./TengeERC20.sol";
import {TengeIssuance} from "./TengeIssuance.sol";

/**
 * @title DigitalTengeAdmin
 * @notice The rarely used administrative paths of {DigitalTenge}, kept out of the token's own code so the token
 * stays well under EIP-170's 24,576-byte limit: KYC tiers and caps, freezes, court-ordered wipes, wallet recovery
 * (COMPLIANCE_ROLE), bank mint allowances (ISSUER_ROLE), foreign-token rescue and the admin hand-over of
 * OpenZeppelin's AccessControlDefaultAdminRules (DEFAULT_ADMIN_ROLE).
 *
 * The token's implementation creates this contract in its constructor and keeps its address as an immutable; the
 * token's functions of the same names forward their calldata here by DELEGATECALL. So the code below runs in the
 * token proxy's context: `msg.sender`, the roles (AccessControl's ERC-7201 namespace) and the token's own ERC-7201
 * namespaces (`digitaltenge.storage.Token`, `digitaltenge.storage.Issuance`) are the proxy's, the events are the
 * token's, and every role check is the same one the token made before. No storage layout changes: this contract
 * declares no state of its own. Called directly (not through the token) it has no roles at all, so it refuses.
 *
 * @custom:security-contact security@digital-tenge.invalid
 */
contract DigitalTengeAdmin is AccessControlDefaultAdminRulesUpgradeable {
    // Same namespaces and field layouts as TengeERC20 / TengeIssuance (checked by tests/token/test_token_size.py).
    bytes32 private constant TOKEN_STORAGE_LOCATION =
        0xd18b81e0e9af98d7a83d5cfedd2e7553f6122dd44955c9c6d2d673bc4135d100;
    bytes32 private constant ISSUANCE_STORAGE_LOCATION =
        0x51c7f2eb34be3445e8131d4ec1d70570e7c6d388bb25a00b2873d907c74f4c00;

    uint256 private constant AMOUNT_MASK = type(uint96).max;
    uint256 private constant MAX_AMOUNT = type(uint96).max;
    uint256 private constant FROZEN_SHIFT = 96;
    uint256 private constant NONCE_FIELD = uint256(type(uint48).max) << 192;
    uint256 private constant TIER_SHIFT = 240;
    uint256 private constant TIER_FIELD = uint256(0xff) << TIER_SHIFT;
    uint256 private constant FLAG_FROZEN = 1 << 248;
    uint256 private constant CAP_BITS = 60;
    uint256 private constant CAP_MASK = (1 << 60) - 1;
    uint256 private constant MAX_PACKED_CAP = CAP_MASK - 1;
    uint256 private constant PACKED_TIERS = 4;

    bytes32 private constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    bytes32 private constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 private constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function _token() private pure returns (TengeERC20.TokenStorage storage $) {
        assembly {
            $.slot := TOKEN_STORAGE_LOCATION
        }
    }

    function _issuance() private pure returns (TengeIssuance.IssuanceStorage storage $) {
        assembly {
            $.slot := ISSUANCE_STORAGE_LOCATION
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // KYC tiers and caps, freezes, wipes, recovery (COMPLIANCE_ROLE); see the token's NatSpec for each
    // ---------------------------------------------------------------------------------------------------------

    /// @notice See {TengeCompliance-setTier}.
    function setTier(address account, uint8 tier) external onlyRole(COMPLIANCE_ROLE) {
        if (account == address(0)) revert IDigitalTenge.InvalidAccount(address(0));
        TengeERC20.TokenStorage storage $ = _token();
        uint256 word = $.accounts[account].word;
        $.accounts[account].word = (word & ~TIER_FIELD) | (uint256(tier) << TIER_SHIFT);
        emit IDigitalTenge.TierSet(account, uint8(word >> TIER_SHIFT), tier);
    }

    /// @notice See {TengeCompliance-setTierCap}.
    function setTierCap(uint8 tier, uint256 cap) external onlyRole(COMPLIANCE_ROLE) {
        if (tier == 0) revert IDigitalTenge.InvalidTier(0);
        TengeERC20.TokenStorage storage $ = _token();
        uint256 policy = $.policy;
        uint256 oldCap;
        if (tier <= PACKED_TIERS) {
            uint256 shift = (uint256(tier) - 1) * CAP_BITS;
            uint256 old = (policy >> shift) & CAP_MASK;
            oldCap = old == CAP_MASK ? type(uint256).max : old;
            if (cap != type(uint256).max && cap > MAX_PACKED_CAP) {
                revert IDigitalTenge.TierCapTooLarge(tier, cap, MAX_PACKED_CAP);
            }
            uint256 packed = cap == type(uint256).max ? CAP_MASK : cap;
            $.policy = (policy & ~(CAP_MASK << shift)) | (packed << shift);
        } else {
            oldCap = $.extraTierCaps[tier];
            $.extraTierCaps[tier] = cap;
        }
        emit IDigitalTenge.TierCapSet(tier, oldCap, cap);
    }

    /// @notice See {TengeCompliance-freeze}.
    function freeze(address account) external onlyRole(COMPLIANCE_ROLE) {
        _token().accounts[account].word |= FLAG_FROZEN;
        emit IDigitalTenge.Frozen(account);
    }

    /// @notice See {TengeCompliance-unfreeze}.
    function unfreeze(address account) external onlyRole(COMPLIANCE_ROLE) {
        _token().accounts[account].word &= ~FLAG_FROZEN;
        emit IDigitalTenge.Unfrozen(account);
    }

    /// @notice See {TengeCompliance-freezeAmount}.
    function freezeAmount(address account, uint256 amount) external onlyRole(COMPLIANCE_ROLE) {
        TengeERC20.TokenStorage storage $ = _token();
        uint256 word = $.accounts[account].word;
        uint256 frozen = _frozenIn(word);
        if (amount > MAX_AMOUNT - frozen) revert IDigitalTenge.AmountTooLarge(amount, MAX_AMOUNT - frozen);
        frozen += amount;
        $.accounts[account].word = _withFrozen(word, frozen);
        emit IDigitalTenge.AmountFrozen(account, amount, frozen);
    }

    /// @notice See {TengeCompliance-unfreezeAmount}.
    function unfreezeAmount(address account, uint256 amount) external onlyRole(COMPLIANCE_ROLE) {
        TengeERC20.TokenStorage storage $ = _token();
        uint256 word = $.accounts[account].word;
        uint256 frozen = _frozenIn(word);
        if (amount > frozen) revert IDigitalTenge.UnfreezeExceedsFrozen(account, frozen, amount);
        frozen -= amount;
        $.accounts[account].word = _withFrozen(word, frozen);
        emit IDigitalTenge.AmountUnfrozen(account, amount, frozen);
    }

    /// @notice See {TengeCompliance-wipe}.
    function wipe(address from, uint256 amount, bytes32 legalReference) external onlyRole(COMPLIANCE_ROLE) {
        TengeERC20.TokenStorage storage $ = _token();
        uint256 word = $.accounts[from].word;
        uint256 frozen = _frozenIn(word);
        if (word & FLAG_FROZEN == 0 && frozen < amount) {
            revert IDigitalTenge.InsufficientFrozenAmount(from, frozen, amount);
        }
        uint256 balance = word & AMOUNT_MASK;
        if (amount > balance) revert IERC20Errors.ERC20InsufficientBalance(from, balance, amount);
        frozen -= amount < frozen ? amount : frozen;
        unchecked {
            // amount <= balance <= totalSupply.
            $.accounts[from].word = _withFrozen(word - amount, frozen);
            $.totalSupply -= amount;
        }
        emit IERC20.Transfer(from, address(0), amount);
        emit IDigitalTenge.Wiped(_msgSender(), from, amount, legalReference);
    }

    /// @notice See {TengeCompliance-recover}.
    function recover(address lostAccount, address newAccount, bytes32 legalReference)
        external
        onlyRole(COMPLIANCE_ROLE)
    {
        TengeERC20.TokenStorage storage $ = _token();
        TengeERC20.Account storage lost = $.accounts[lostAccount];
        TengeERC20.Account storage target = $.accounts[newAccount];
        uint256 lostWord = lost.word;
        uint256 newWord = target.word;
        // Approved, and nothing but a tier and a nonce in its word.
        if (newAccount == lostAccount || newWord >> TIER_SHIFT == 0 || newWord & ~(NONCE_FIELD | TIER_FIELD) != 0) {
            revert IDigitalTenge.InvalidRecoveryTarget(newAccount);
        }
        target.word = (lostWord & ~NONCE_FIELD) | (newWord & NONCE_FIELD);
        lost.word = lostWord & NONCE_FIELD;
        $.recoveredTo[lostAccount] = newAccount;
        delete $.recoveredTo[newAccount]; // a target once recovered from is live again

        uint256 balance = lostWord & AMOUNT_MASK;
        if (balance != 0) emit IERC20.Transfer(lostAccount, newAccount, balance);
        emit IDigitalTenge.Recovered(_msgSender(), lostAccount, newAccount, balance, _frozenIn(lostWord), legalReference);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Mint allowances (ISSUER_ROLE), rescue (DEFAULT_ADMIN_ROLE)
    // ---------------------------------------------------------------------------------------------------------

    /// @notice See {TengeIssuance-setMinterAllowance}.
    function setMinterAllowance(address minter, uint256 amount) external onlyRole(ISSUER_ROLE) {
        if (amount != 0 && !hasRole(MINTER_ROLE, minter)) revert IDigitalTenge.BankNotMinter(minter);
        mapping(address => uint256) storage allowances = _issuance().minterAllowances;
        uint256 old = allowances[minter];
        allowances[minter] = amount;
        emit IDigitalTenge.MinterAllowanceSet(minter, old, amount);
    }

    /// @notice See {DigitalTenge-rescueERC20}. `address(this)` is the token proxy here (delegatecall).
    function rescueERC20(address token, address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(this)) revert IDigitalTenge.CannotRescueSelf();
        emit IDigitalTenge.ERC20Rescued(token, to, amount);
        SafeERC20.safeTransfer(IERC20(token), to, amount);
    }

    function _frozenIn(uint256 word) private pure returns (uint256) {
        return (word >> FROZEN_SHIFT) & AMOUNT_MASK;
    }

    function _withFrozen(uint256 word, uint256 frozen) private pure returns (uint256) {
        return (word & ~(AMOUNT_MASK << FROZEN_SHIFT)) | (frozen << FROZEN_SHIFT);
    }
}
