// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {AccessControlDefaultAdminRulesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {TengeCompliance} from "./TengeCompliance.sol";
import {TengeIssuance} from "./TengeIssuance.sol";
import {TengePausable} from "./TengePausable.sol";
import {TengeReserveGate} from "./TengeReserveGate.sol";
import {TengePermit} from "./TengePermit.sol";
import {TengeEIP3009} from "./TengeEIP3009.sol";
import {TengeCrosschain} from "./TengeCrosschain.sol";
import {DigitalTengeAdmin} from "./DigitalTengeAdmin.sol";

/**
 * @title DigitalTenge
 * @notice The digital tenge — or, by configuration alone, another currency (digital som, a gold-backed token):
 * a permissioned, upgradeable ERC-20 with 2 decimals. See {IDigitalTenge} for the rules, and the modules:
 *
 * - {TengeERC20}: ERC-20 core over a packed account word (balance, frozen amount, permit nonce, tier, flags)
 *   and a packed policy word (pause, tier caps, reserve gating) — the permission checks ride on the reads any
 *   ERC-20 makes;
 * - {TengeCompliance}: KYC tiers and caps, freezes, forced transfers, wipes, recovery;
 * - {TengeIssuance}: bank mint allowances, mint, batch mint, burn, redemption;
 * - {TengePausable}, {TengeReserveGate}, {TengePermit} (EIP-2612), {TengeEIP3009}.
 *
 * The rarely used administrative paths (tier and cap settings, freezes, wipes, recovery, mint allowances, rescue,
 * the admin hand-over) run in {DigitalTengeAdmin}, which this implementation creates in its constructor and calls
 * by DELEGATECALL: same storage, same roles, same events, and room under EIP-170 for what comes next
 * (tests/token/test_token_size.py keeps at least 1,024 bytes free).
 *
 * This contract adds payouts (`batchTransfer`), fee-splitting payments (`transferWithFee`,
 * `transferFromWithFee`, used by VAT payments), foreign-token rescue, initialization and UUPS upgrades
 * (UPGRADER_ROLE). Deploy behind OpenZeppelin's ERC1967Proxy with `initialize` calldata. The admin role follows
 * OpenZeppelin's AccessControlDefaultAdminRules: one admin, handed over in two steps after a delay.
 *
 * @custom:security-contact security@digital-tenge.invalid
 */
contract DigitalTenge is
    TengeCompliance,
    TengeIssuance,
    TengePausable,
    TengeReserveGate,
    TengePermit,
    TengeEIP3009,
    TengeCrosschain,
    UUPSUpgradeable
{
    /// @dev The administrative module this implementation delegates to, created by the constructor (so at the
    /// CREATE address of this implementation with nonce 1). Not a public getter: one more selector in the
    /// dispatcher would cost the hot paths gas.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _adminModule;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
        _adminModule = address(new DigitalTengeAdmin());
    }

    /// @notice Initializes the proxy: token name (also the EIP-712 domain name), symbol, currency code, the admin
    /// and its handover delay in seconds, and whether minting starts reserve-gated with which maximum
    /// attestation age. Other roles are granted by the admin afterwards; tier caps start at 0 (fail closed).
    function initialize(
        string memory name_,
        string memory symbol_,
        string memory currency_,
        address admin,
        uint48 adminTransferDelay,
        bool reserveGated,
        uint64 maxAttestationAge
    ) external initializer {
        __AccessControlDefaultAdminRules_init(adminTransferDelay, admin);
        __UUPSUpgradeable_init();
        __TengeERC20_init(name_, symbol_, currency_);
        _setReserveGating(reserveGated, maxAttestationAge);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Payouts and payments
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Transfers `amounts[i]` from the caller to `to[i]` for every i (e.g. a city budget paying lunch
    /// allowances). Same rules as {transfer} for every leg; the sender is checked and debited once for the total.
    /// Emits one {Transfer} per recipient.
    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        if (to.length != amounts.length) revert ArrayLengthMismatch(to.length, amounts.length);
        uint256 policy = _activePolicy();
        address from = _msgSender();
        uint256 total = 0;
        for (uint256 i; i < amounts.length; ++i) {
            uint256 amount = amounts[i];
            if (amount > MAX_AMOUNT) revert AmountTooLarge(amount, MAX_AMOUNT);
            unchecked {
                total += amount; // at most 2^96 per item: cannot overflow for any calldata-sized array
            }
        }
        _debit(from, total);
        for (uint256 i; i < to.length; ++i) {
            _credit(from, to[i], amounts[i], policy);
        }
    }

    /// @notice Moves `value` from the caller to `to` and `fee` to `feeRecipient` in one call (two {Transfer}
    /// events). Every rule applies to all three accounts.
    function transferWithFee(address to, uint256 value, address feeRecipient, uint256 fee) external returns (bool) {
        uint256 policy = _activePolicy();
        _checkSplitAmounts(value, fee);
        _split(_msgSender(), to, value, feeRecipient, fee, policy);
        return true;
    }

    /// @notice Spends the caller's allowance over `from` once for `value + fee`, then moves `value` to `to` and
    /// `fee` to `feeRecipient` (two {Transfer} events). Every rule applies to all three accounts, and the caller (the
    /// spender) must be approved and not wholly frozen, as in {transferFrom}. Used by VAT payments: `fee` is the
    /// VAT, `feeRecipient` the tax escrow.
    function transferFromWithFee(address from, address to, uint256 value, address feeRecipient, uint256 fee)
        external
        returns (bool)
    {
        uint256 policy = _activePolicy();
        _checkSplitAmounts(value, fee);
        address spender = _msgSender();
        _requireSpender(spender);
        _spendAllowance(from, spender, value + fee);
        _split(from, to, value, feeRecipient, fee, policy);
        return true;
    }

    /// @dev One debit of `value + fee` from `from`, then the two credits (each reads its receiver afresh, so any
    /// of the three accounts may coincide). Amounts must have passed {_checkSplitAmounts}.
    function _split(address from, address to, uint256 value, address feeRecipient, uint256 fee, uint256 policy)
        private
    {
        _debit(from, value + fee);
        _credit(from, to, value, policy);
        _credit(from, feeRecipient, fee, policy);
    }

    /// @dev Bounds both legs so `value + fee` cannot wrap (and _credit's precondition holds).
    function _checkSplitAmounts(uint256 value, uint256 fee) private pure {
        if (value > MAX_AMOUNT) revert AmountTooLarge(value, MAX_AMOUNT);
        if (fee > MAX_AMOUNT) revert AmountTooLarge(fee, MAX_AMOUNT);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Sends `amount` of a foreign ERC-20 `token` held by this contract (sent by mistake) to `to`.
    /// DEFAULT_ADMIN_ROLE. Not for this token itself ({CannotRescueSelf}). Emits {ERC20Rescued}.
    function rescueERC20(address token, address to, uint256 amount) external {
        (token, to, amount);
        _delegateToAdmin();
    }

    /// @notice Starts the two-step hand-over of DEFAULT_ADMIN_ROLE to `newAdmin` (OpenZeppelin
    /// AccessControlDefaultAdminRules). DEFAULT_ADMIN_ROLE.
    function beginDefaultAdminTransfer(address newAdmin)
        public
        override(AccessControlDefaultAdminRulesUpgradeable, IAccessControlDefaultAdminRules)
    {
        (newAdmin);
        _delegateToAdmin();
    }

    /// @notice Cancels a pending admin hand-over. DEFAULT_ADMIN_ROLE.
    function cancelDefaultAdminTransfer()
        public
        override(AccessControlDefaultAdminRulesUpgradeable, IAccessControlDefaultAdminRules)
    {
        _delegateToAdmin();
    }

    /// @notice Completes the admin hand-over; the pending admin only, after the schedule.
    function acceptDefaultAdminTransfer()
        public
        override(AccessControlDefaultAdminRulesUpgradeable, IAccessControlDefaultAdminRules)
    {
        _delegateToAdmin();
    }

    /// @notice Schedules a change of the admin hand-over delay. DEFAULT_ADMIN_ROLE.
    function changeDefaultAdminDelay(uint48 newDelay)
        public
        override(AccessControlDefaultAdminRulesUpgradeable, IAccessControlDefaultAdminRules)
    {
        (newDelay);
        _delegateToAdmin();
    }

    /// @notice Cancels a scheduled delay change. DEFAULT_ADMIN_ROLE.
    function rollbackDefaultAdminDelay()
        public
        override(AccessControlDefaultAdminRulesUpgradeable, IAccessControlDefaultAdminRules)
    {
        _delegateToAdmin();
    }

    /// @dev The administrative paths run in the admin module over this proxy's storage.
    function _delegateToAdmin() internal override {
        // slither-disable-next-line unused-return
        Address.functionDelegateCall(_adminModule, msg.data);
    }

    /// @dev Only UPGRADER_ROLE upgrades (UUPS).
    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}

    /// @notice ERC-165: AccessControl's interfaces and IERC7802 (see {TengeCrosschain}).
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlDefaultAdminRulesUpgradeable, TengeCrosschain)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }

    /// @dev Role revocation passes through the admin rules, the issuance module (which zeroes a minter's
    /// allowance when it loses MINTER_ROLE) and the reserve gate (which counts minters and bridges).
    function _revokeRole(bytes32 role, address account)
        internal
        override(AccessControlDefaultAdminRulesUpgradeable, TengeIssuance, TengeReserveGate)
        returns (bool)
    {
        return super._revokeRole(role, account);
    }

    /// @dev Role grants pass through the admin rules and through the reserve gate (which counts minters and
    /// bridges, see {TengeReserveGate}).
    function _grantRole(bytes32 role, address account)
        internal
        override(AccessControlDefaultAdminRulesUpgradeable, TengeReserveGate)
        returns (bool)
    {
        return super._grantRole(role, account);
    }
}
