// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC3009} from "./IERC3009.sol";

/**
 * @title IDigitalTenge
 * @notice The digital tenge (or any other currency configured at initialization): a permissioned, upgradeable
 * ERC-20 with 2 decimals. Only accounts approved by compliance (KYC tier != 0) hold, send or receive; each tier
 * has a holding cap enforced on every credit; accounts can be frozen wholly or by an amount; banks mint within
 * allowances set by the issuer (optionally capped by an attested reserve); holders redeem at a bank.
 * Signed transfers: EIP-2612 `permit` and EIP-3009 (see {IERC3009}).
 *
 * Amounts are integers in the smallest unit (tiyn; 1 tenge = 100 tiyn).
 *
 * Errors and events raised by OpenZeppelin are reused with their exact signatures: `IERC20Errors`
 * (ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver, ...), `IAccessControl`
 * (AccessControlUnauthorizedAccount, RoleGranted, ...), Pausable's `EnforcedPause`/`ExpectedPause`/`Paused`/
 * `Unpaused`, ERC20Permit's `ERC2612ExpiredSignature`/`ERC2612InvalidSigner`, ERC-1967's `Upgraded`.
 */
interface IDigitalTenge is IERC20Metadata, IERC20Permit, IERC20Errors, IERC3009, IAccessControlDefaultAdminRules {
    // ------------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------------

    /// @notice Compliance set `account`'s KYC tier (0 = not approved / approval revoked).
    event TierSet(address indexed account, uint8 oldTier, uint8 newTier);

    /// @notice Compliance set the holding cap of `tier` (`type(uint256).max` = uncapped).
    event TierCapSet(uint8 indexed tier, uint256 oldCap, uint256 newCap);

    /// @notice The whole of `account` was frozen: it can neither send nor receive.
    event Frozen(address indexed account);

    /// @notice `account` is no longer wholly frozen (any frozen amount stays frozen).
    event Unfrozen(address indexed account);

    /// @notice `amount` more of `account`'s balance was frozen; `totalFrozen` is the new frozen amount.
    event AmountFrozen(address indexed account, uint256 amount, uint256 totalFrozen);

    /// @notice `amount` of `account`'s frozen amount was released; `totalFrozen` is the new frozen amount.
    event AmountUnfrozen(address indexed account, uint256 amount, uint256 totalFrozen);

    /// @notice Court-ordered transfer executed by `operator` (also emits `Transfer(from, to, amount)`).
    event ForcedTransfer(
        address indexed operator, address indexed from, address indexed to, uint256 amount, bytes32 legalReference
    );

    /// @notice Court-ordered burn from a frozen account (also emits `Transfer(from, address(0), amount)`).
    event Wiped(address indexed operator, address indexed from, uint256 amount, bytes32 legalReference);

    /// @notice Wallet recovery: balance, frozen amount, tier and flags of `lostAccount` moved to `newAccount`
    /// (also emits `Transfer(lostAccount, newAccount, balance)` when the balance is not zero).
    event Recovered(
        address indexed operator,
        address indexed lostAccount,
        address indexed newAccount,
        uint256 balance,
        uint256 frozenAmount,
        bytes32 legalReference
    );

    /// @notice The issuer changed `minter`'s mint allowance.
    event MinterAllowanceSet(address indexed minter, uint256 oldAllowance, uint256 newAllowance);

    /// @notice `minter` (a bank) minted `amount` to `to` (also emits `Transfer(address(0), to, amount)`).
    event Minted(address indexed minter, address indexed to, uint256 amount);

    /// @notice `minter` burned `amount` of its own holdings (also emits `Transfer(minter, address(0), amount)`).
    event Burned(address indexed minter, uint256 amount);

    /// @notice `holder` redeemed `amount` at `bank` (burned; also emits `Transfer(holder, address(0), amount)`);
    /// the bank credits the holder's non-cash account quoting `redemptionReference`.
    event Redeemed(address indexed holder, address indexed bank, uint256 amount, bytes32 indexed redemptionReference);

    /// @notice `attestor` posted the attested reserve `amount` as of `attestedAt` (unix seconds).
    event ReserveAttested(address indexed attestor, uint256 amount, uint64 attestedAt);

    /// @notice Reserve-gated minting switched on/off, with the maximum age of an attestation in seconds.
    event ReserveGatingSet(bool enabled, uint64 maxAttestationAge);

    /// @notice A foreign token sent here by mistake was returned.
    event ERC20Rescued(address indexed token, address indexed to, uint256 amount);

    /// @notice Same signature as OpenZeppelin Pausable's event.
    event Paused(address account);

    /// @notice Same signature as OpenZeppelin Pausable's event.
    event Unpaused(address account);

    // ------------------------------------------------------------------------------------------------------
    // Errors (OpenZeppelin's IERC20Errors / IAccessControl errors are inherited)
    // ------------------------------------------------------------------------------------------------------

    /// @notice `account` has no KYC approval (tier 0) and can neither hold, send nor receive, nor spend an
    /// allowance as a spender.
    error AccountNotApproved(address account);

    /// @notice `account` is wholly frozen (it can neither send, receive, nor spend an allowance as a spender).
    error AccountFrozen(address account);

    /// @notice Crediting `account` would lift its balance to `balanceAfter`, above its tier's `cap`.
    error TierCapExceeded(address account, uint256 balanceAfter, uint256 cap);

    /// @notice `account` can spend only `spendable` (balance minus frozen amount) but `needed` was asked.
    /// (When nothing is frozen OpenZeppelin's `ERC20InsufficientBalance` is raised instead.)
    error InsufficientSpendableBalance(address account, uint256 spendable, uint256 needed);

    /// @notice `minter`'s mint allowance `allowance` is below `needed`.
    error MinterAllowanceExceeded(address minter, uint256 allowance, uint256 needed);

    /// @notice Reserve gating: the mint would lift total supply to `supplyAfter`, above the attested `reserve`.
    error ReserveExceeded(uint256 supplyAfter, uint256 reserve);

    /// @notice Reserve gating: the attestation made at `attestedAt` is older than `maxAge` seconds.
    error ReserveAttestationStale(uint64 attestedAt, uint64 maxAge);

    /// @notice A reserve attestation must not be dated in the future nor older than the current one.
    error InvalidAttestationTime(uint64 attestedAt, uint64 previousAttestedAt, uint256 blockTimestamp);

    /// @notice The `bank` named in a redemption does not hold MINTER_ROLE.
    error BankNotMinter(address bank);

    /// @notice Batch arrays differ in length.
    error ArrayLengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice Unfreezing `amount` but only `frozen` is frozen on `account`.
    error UnfreezeExceedsFrozen(address account, uint256 frozen, uint256 amount);

    /// @notice A wipe needs a wholly frozen account, or a frozen amount of at least `needed`.
    error InsufficientFrozenAmount(address account, uint256 frozen, uint256 needed);

    /// @notice A value does not fit the packed storage (`max` is the largest accepted), e.g. supply, frozen amount.
    error AmountTooLarge(uint256 amount, uint256 max);

    /// @notice A tier cap must be `type(uint256).max` (uncapped) or at most `max`.
    error TierCapTooLarge(uint8 tier, uint256 cap, uint256 max);

    /// @notice Recovery target `account` must be approved and hold nothing (balance and frozen amount 0),
    /// and differ from the lost account.
    error InvalidRecoveryTarget(address account);

    /// @notice The token itself cannot be "rescued".
    error CannotRescueSelf();

    /// @notice `account` cannot be used here (the zero address for a tier; the sender as its own receiver in a
    /// forced transfer).
    error InvalidAccount(address account);

    /// @notice Tier 0 means "not approved" and has no cap.
    error InvalidTier(uint8 tier);

    /// @notice Same signature as OpenZeppelin Pausable's error: the operation is not allowed while paused.
    error EnforcedPause();

    /// @notice Same signature as OpenZeppelin Pausable's error: the contract is not paused.
    error ExpectedPause();

    /// @notice Same signature as OpenZeppelin ERC20Permit's error.
    error ERC2612ExpiredSignature(uint256 deadline);

    /// @notice Same signature as OpenZeppelin ERC20Permit's error.
    error ERC2612InvalidSigner(address signer, address owner);

    /// @notice On a reserve-gated token the attested reserve has one kind of minter: either banks (MINTER_ROLE, a
    /// separately attested reserve, no bridge) or one bridge (TOKEN_BRIDGE_ROLE, its escrow, no bank). The role
    /// grant or gating change would make `minters` banks and `bridges` bridges share it.
    error ReserveMintersConflict(uint256 minters, uint256 bridges);

    // ------------------------------------------------------------------------------------------------------
    // Roles (public constants on the contract)
    // ------------------------------------------------------------------------------------------------------

    /// @notice Sets banks' mint allowances (the central bank).
    function ISSUER_ROLE() external view returns (bytes32);

    /// @notice Banks: mint within their allowance, burn their own holdings, receive redemptions.
    function MINTER_ROLE() external view returns (bytes32);

    /// @notice KYC tiers and caps, freezes, forced transfers, wipes, recoveries.
    function COMPLIANCE_ROLE() external view returns (bytes32);

    /// @notice Pauses and unpauses.
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice Posts reserve attestations (proof of reserve).
    function RESERVE_ATTESTOR_ROLE() external view returns (bytes32);

    /// @notice Authorizes UUPS upgrades.
    function UPGRADER_ROLE() external view returns (bytes32);

    // ------------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------------

    /// @notice ISO-4217-style currency code, e.g. "KZT".
    function currency() external view returns (string memory);

    /// @notice Whether transfers, mints and burns are paused.
    function paused() external view returns (bool);

    /// @notice Remaining mint allowance of `minter`.
    function minterAllowance(address minter) external view returns (uint256);

    /// @notice KYC tier of `account` (0 = not approved).
    function tierOf(address account) external view returns (uint8);

    /// @notice Holding cap of `tier` (`type(uint256).max` = uncapped).
    function tierCap(uint8 tier) external view returns (uint256);

    /// @notice Whether `account` is wholly frozen.
    function isFrozen(address account) external view returns (bool);

    /// @notice Frozen amount of `account` (may exceed its balance: a freeze can be placed ahead of credits).
    function frozenAmountOf(address account) external view returns (uint256);

    /// @notice Balance minus frozen amount (0 if negative or wholly frozen).
    function spendableBalanceOf(address account) external view returns (uint256);

    /// @notice The account now holding what `account` held before a wallet recovery (following successive
    /// recoveries); the zero address if it was never recovered (or has been a recovery target since).
    function recoveredTo(address account) external view returns (address);

    /// @notice The latest reserve attestation.
    function reserveAttestation() external view returns (uint256 amount, uint64 attestedAt);

    /// @notice Whether minting is reserve-gated, and the maximum age of an attestation in seconds.
    function reserveGating() external view returns (bool enabled, uint64 maxAttestationAge);

    // ------------------------------------------------------------------------------------------------------
    // Issuance
    // ------------------------------------------------------------------------------------------------------

    /// @notice Sets `minter`'s mint allowance (raise, lower, or revoke with 0). ISSUER_ROLE.
    function setMinterAllowance(address minter, uint256 amount) external;

    /// @notice Mints `amount` to approved `to`, lowering the caller's allowance. MINTER_ROLE.
    function mint(address to, uint256 amount) external;

    /// @notice Mints `amounts[i]` to `to[i]` for each i, lowering the caller's allowance by the sum. MINTER_ROLE.
    function batchMint(address[] calldata to, uint256[] calldata amounts) external;

    /// @notice Burns `amount` of the caller's own spendable holdings. MINTER_ROLE.
    function burn(uint256 amount) external;

    /// @notice Burns `amount` of the caller's holdings; `bank` (a MINTER_ROLE holder) credits the caller's
    /// non-cash account, quoting `redemptionReference`.
    function redeem(address bank, uint256 amount, bytes32 redemptionReference) external;

    // ------------------------------------------------------------------------------------------------------
    // Payments
    // ------------------------------------------------------------------------------------------------------

    /// @notice Transfers `amounts[i]` from the caller to `to[i]` for each i (payouts).
    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external;

    /// @notice Moves `value` from the caller to `to` and `fee` to `feeRecipient` (two Transfer events).
    function transferWithFee(address to, uint256 value, address feeRecipient, uint256 fee) external returns (bool);

    /// @notice Spends the caller's allowance from `from` once for `value + fee`, moves `value` to `to` and
    /// `fee` to `feeRecipient` (two Transfer events). All rules apply to all three accounts; the caller must be
    /// approved and not wholly frozen.
    function transferFromWithFee(address from, address to, uint256 value, address feeRecipient, uint256 fee)
        external
        returns (bool);

    // ------------------------------------------------------------------------------------------------------
    // Compliance (COMPLIANCE_ROLE; all work while paused)
    // ------------------------------------------------------------------------------------------------------

    /// @notice Sets `account`'s KYC tier (0 revokes approval).
    function setTier(address account, uint8 tier) external;

    /// @notice Sets the holding cap of `tier` (`type(uint256).max` = uncapped). Checked on credits only.
    function setTierCap(uint8 tier, uint256 cap) external;

    /// @notice Freezes the whole of `account`.
    function freeze(address account) external;

    /// @notice Lifts a whole-account freeze (a frozen amount stays).
    function unfreeze(address account) external;

    /// @notice Freezes `amount` more of `account`'s balance.
    function freezeAmount(address account, uint256 amount) external;

    /// @notice Releases `amount` of `account`'s frozen amount.
    function unfreezeAmount(address account, uint256 amount) external;

    /// @notice Court-ordered transfer; ignores the sender's freeze (the amount comes from the spendable part
    /// first, then from the frozen part, which shrinks by that much). `to` must be approved and within its cap.
    function forceTransfer(address from, address to, uint256 amount, bytes32 legalReference) external;

    /// @notice Court-ordered burn from a frozen account (wholly frozen, or frozen amount >= `amount`).
    function wipe(address from, uint256 amount, bytes32 legalReference) external;

    /// @notice Moves the whole balance, frozen amount, tier and flags of `lostAccount` to approved, empty
    /// `newAccount`; `lostAccount` is left unapproved and empty, and `recoveredTo(lostAccount)` is `newAccount`.
    function recover(address lostAccount, address newAccount, bytes32 legalReference) external;

    // ------------------------------------------------------------------------------------------------------
    // Pause, reserve, rescue
    // ------------------------------------------------------------------------------------------------------

    /// @notice Pauses transfers, mints and burns. PAUSER_ROLE.
    function pause() external;

    /// @notice Unpauses. PAUSER_ROLE.
    function unpause() external;

    /// @notice Posts the attested reserve. RESERVE_ATTESTOR_ROLE.
    function attestReserve(uint256 amount, uint64 attestedAt) external;

    /// @notice Switches reserve gating and sets the maximum attestation age. DEFAULT_ADMIN_ROLE.
    function setReserveGating(bool enabled, uint64 maxAttestationAge) external;

    /// @notice Sends `amount` of foreign `token` held by this contract to `to`. DEFAULT_ADMIN_ROLE.
    function rescueERC20(address token, address to, uint256 amount) external;
}
