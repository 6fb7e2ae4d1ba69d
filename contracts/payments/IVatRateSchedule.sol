// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IVatRateSchedule
 * @notice VAT categories and their rates, kept by the tax authority. Categories are data: a `uint8` id
 * (1..255; 0 is reserved for "the merchant's default category" in payments) whose rate, in basis points, is
 * set and changed by scheduled entries. The contract knows no rate and no date of any country.
 *
 * Per category the schedule holds the rate in force and at most one pending change with the timestamp from
 * which it applies. A payment uses the rate in force at its block's timestamp: the pending rate from
 * `block.timestamp >= effectiveFrom` on, the previous one before. Law changes rates rarely; a second change
 * can be scheduled once the first has taken effect (or after cancelling it).
 */
interface IVatRateSchedule {
    /// @notice `categoryId` has rate `rateBps` from `effectiveFrom` (unix seconds) on. An entry scheduled for a
    /// time already past takes effect at once and is reported with `effectiveFrom == block.timestamp`.
    event RateScheduled(uint8 indexed categoryId, uint16 rateBps, uint64 effectiveFrom);

    /// @notice The pending change of `categoryId` to `rateBps` from `effectiveFrom` was cancelled before it applied.
    event RateChangeCancelled(uint8 indexed categoryId, uint16 rateBps, uint64 effectiveFrom);

    /// @notice A human-readable label for `categoryId` (e.g. "standard", "reduced: medicines", "zero-rated: export",
    /// "exempt"), for reports. Labels live in events only.
    event CategoryLabelled(uint8 indexed categoryId, string label);

    /// @notice Category id 0 is reserved (it means "the merchant's default category" in payments).
    error InvalidCategory(uint8 categoryId);

    /// @notice No rate was ever scheduled for `categoryId` (or its only entry was cancelled).
    error UnknownCategory(uint8 categoryId);

    /// @notice `categoryId` has only a future rate: none is in force at `timestamp`.
    error NoRateInForce(uint8 categoryId, uint256 timestamp);

    /// @notice A rate above `maxRateBps` (100 %) was given.
    error RateTooHigh(uint16 rateBps, uint16 maxRateBps);

    /// @notice `categoryId` already has a pending change (`pendingRateBps` from `pendingFrom`); cancel it first.
    error RateChangePending(uint8 categoryId, uint16 pendingRateBps, uint64 pendingFrom);

    /// @notice `categoryId` has no pending change to cancel.
    error NoPendingRateChange(uint8 categoryId);

    /// @notice keccak256("TAX_AUTHORITY_ROLE"): schedules rates, sets the treasury, keeps the merchant registry and
    /// grants REGISTRAR_ROLE.
    function TAX_AUTHORITY_ROLE() external view returns (bytes32);

    /// @notice Largest accepted rate: 10 000 bp (100 %).
    function MAX_RATE_BPS() external view returns (uint16);

    /**
     * @notice Schedules rate `rateBps` for `categoryId` from `effectiveFrom` (unix seconds). TAX_AUTHORITY_ROLE.
     * A time at or before the current block applies at once (and replaces the rate in force, keeping any pending
     * change); a future time becomes the category's pending change, and reverts with {RateChangePending} if one
     * is already pending. The first entry of a new category creates it.
     */
    function scheduleRate(uint8 categoryId, uint16 rateBps, uint64 effectiveFrom) external;

    /// @notice Cancels the pending (not yet effective) rate change of `categoryId`. TAX_AUTHORITY_ROLE.
    function cancelRateChange(uint8 categoryId) external;

    /// @notice Emits a label for `categoryId` for reports; stores nothing. TAX_AUTHORITY_ROLE.
    function labelCategory(uint8 categoryId, string calldata label) external;

    /// @notice The rate of `categoryId` in force now (reverts {UnknownCategory} / {NoRateInForce} if none).
    function rateInForce(uint8 categoryId) external view returns (uint16 rateBps);

    /**
     * @notice The schedule of `categoryId` as it applies now: the rate in force (if any) and the pending change
     * (if any). A pending change whose time has come is reported as the rate in force.
     */
    function rateSchedule(uint8 categoryId)
        external
        view
        returns (bool hasCurrent, uint16 currentBps, bool hasPending, uint16 pendingBps, uint64 pendingFrom);
}
