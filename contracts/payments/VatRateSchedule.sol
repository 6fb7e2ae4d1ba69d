// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IVatRateSchedule} from "./IVatRateSchedule.sol";

/**
 * @title VatRateSchedule
 * @notice The tax authority's VAT rate schedule: per category, the rate in force and at most one pending change.
 * See {IVatRateSchedule}.
 *
 * Storage: one slot per category ({Schedule}), so looking up the rate of a payment costs one SLOAD - and for
 * categories 1 and 2 (the shipped standard and reduced rates, the hot path) not even that: their schedules live in
 * one *hot word* together with the payments' pause flag, which every payment reads anyway, so such a payment reads
 * one cold slot for both (2 100 gas less than two). Hot word layout (`_hotWord`):
 *
 *   bits   0..97   schedule of category 1 (packed as below)
 *   bits  98..195  schedule of category 2
 *   bits 196..254  zero
 *   bit      255   payments paused (owned by {VatPayments} through {_pausedFlag} / {_setPausedFlag})
 *
 * A packed schedule (98 bits): bits 0..15 currentBps, 16..31 nextBps, 32..95 nextFrom, 96 hasCurrent, 97 hasNext.
 * Other categories keep their {Schedule} in the mapping (its slot of categories 1 and 2 stays empty).
 */
abstract contract VatRateSchedule is AccessControlDefaultAdminRules, IVatRateSchedule {
    /// @inheritdoc IVatRateSchedule
    bytes32 public constant TAX_AUTHORITY_ROLE = keccak256("TAX_AUTHORITY_ROLE");

    /// @inheritdoc IVatRateSchedule
    uint16 public constant MAX_RATE_BPS = 10_000;

    /// @dev One storage slot (16 + 16 + 64 + 8 + 8 bits). `nextBps` applies from `nextFrom` on when `hasNext`.
    struct Schedule {
        uint16 currentBps;
        uint16 nextBps;
        uint64 nextFrom;
        bool hasCurrent;
        bool hasNext;
    }

    mapping(uint8 categoryId => Schedule) private _schedules;

    /// @dev Schedules of categories 1..HOT_CATEGORIES and the pause flag; layout in the contract's notes.
    uint256 private _hotWord;

    uint256 private constant HOT_CATEGORIES = 2;
    uint256 private constant PACKED_SCHEDULE_BITS = 98;
    uint256 private constant PACKED_SCHEDULE_MASK = (1 << 98) - 1;
    uint256 private constant PAUSED_BIT = 1 << 255;

    /// @inheritdoc IVatRateSchedule
    function scheduleRate(uint8 categoryId, uint16 rateBps, uint64 effectiveFrom)
        external
        onlyRole(TAX_AUTHORITY_ROLE)
    {
        if (categoryId == 0) revert InvalidCategory(categoryId);
        if (rateBps > MAX_RATE_BPS) revert RateTooHigh(rateBps, MAX_RATE_BPS);
        Schedule memory s = _matured(_loadSchedule(categoryId));
        if (effectiveFrom <= block.timestamp) {
            effectiveFrom = uint64(block.timestamp);
            s.currentBps = rateBps;
            s.hasCurrent = true;
        } else {
            if (s.hasNext) revert RateChangePending(categoryId, s.nextBps, s.nextFrom);
            s.nextBps = rateBps;
            s.nextFrom = effectiveFrom;
            s.hasNext = true;
        }
        _storeSchedule(categoryId, s);
        emit RateScheduled(categoryId, rateBps, effectiveFrom);
    }

    /// @inheritdoc IVatRateSchedule
    function cancelRateChange(uint8 categoryId) external onlyRole(TAX_AUTHORITY_ROLE) {
        Schedule memory s = _matured(_loadSchedule(categoryId));
        if (!s.hasNext) revert NoPendingRateChange(categoryId);
        emit RateChangeCancelled(categoryId, s.nextBps, s.nextFrom);
        s.nextBps = 0;
        s.nextFrom = 0;
        s.hasNext = false;
        _storeSchedule(categoryId, s);
    }

    /// @inheritdoc IVatRateSchedule
    function labelCategory(uint8 categoryId, string calldata label) external onlyRole(TAX_AUTHORITY_ROLE) {
        if (categoryId == 0) revert InvalidCategory(categoryId);
        emit CategoryLabelled(categoryId, label);
    }

    /// @inheritdoc IVatRateSchedule
    function rateInForce(uint8 categoryId) external view returns (uint16 rateBps) {
        return _rateInForce(categoryId);
    }

    /// @inheritdoc IVatRateSchedule
    function rateSchedule(uint8 categoryId)
        external
        view
        returns (bool hasCurrent, uint16 currentBps, bool hasPending, uint16 pendingBps, uint64 pendingFrom)
    {
        Schedule memory s = _matured(_loadSchedule(categoryId));
        return (s.hasCurrent, s.currentBps, s.hasNext, s.nextBps, s.nextFrom);
    }

    /// @dev The rate of `categoryId` in force at `block.timestamp`: one SLOAD (of the hot word for categories 1
    /// and 2, warm when the pause flag was just checked), no write.
    function _rateInForce(uint8 categoryId) internal view returns (uint16) {
        Schedule memory s = _loadSchedule(categoryId);
        if (s.hasNext && block.timestamp >= s.nextFrom) return s.nextBps;
        if (s.hasCurrent) return s.currentBps;
        if (s.hasNext) revert NoRateInForce(categoryId, block.timestamp);
        revert UnknownCategory(categoryId);
    }

    /// @dev Whether `categoryId` has any entry (in force or pending).
    function _categoryExists(uint8 categoryId) internal view returns (bool) {
        Schedule memory s = _loadSchedule(categoryId);
        return s.hasCurrent || s.hasNext;
    }

    /// @dev `s` with a pending change whose time has come folded into the rate in force.
    function _matured(Schedule memory s) private view returns (Schedule memory) {
        if (s.hasNext && block.timestamp >= s.nextFrom) {
            s.currentBps = s.nextBps;
            s.hasCurrent = true;
            s.nextBps = 0;
            s.nextFrom = 0;
            s.hasNext = false;
        }
        return s;
    }

    /// @dev Whether payments are paused (bit 255 of the hot word; see {VatPayments-paused}).
    function _pausedFlag() internal view returns (bool) {
        return _hotWord & PAUSED_BIT != 0;
    }

    /// @dev Sets or clears the pause flag, leaving the packed schedules as they are.
    function _setPausedFlag(bool paused_) internal {
        uint256 word = _hotWord;
        _hotWord = paused_ ? word | PAUSED_BIT : word & ~PAUSED_BIT;
    }

    /// @dev The stored schedule of `categoryId`: unpacked from the hot word for categories 1 and 2.
    function _loadSchedule(uint8 categoryId) private view returns (Schedule memory s) {
        if (categoryId == 0 || categoryId > HOT_CATEGORIES) return _schedules[categoryId];
        uint256 packed = (_hotWord >> ((uint256(categoryId) - 1) * PACKED_SCHEDULE_BITS)) & PACKED_SCHEDULE_MASK;
        s.currentBps = uint16(packed);
        s.nextBps = uint16(packed >> 16);
        s.nextFrom = uint64(packed >> 32);
        s.hasCurrent = (packed >> 96) & 1 != 0;
        s.hasNext = (packed >> 97) & 1 != 0;
    }

    /// @dev Stores `s` as the schedule of `categoryId` (in the hot word for categories 1 and 2).
    function _storeSchedule(uint8 categoryId, Schedule memory s) private {
        if (categoryId == 0 || categoryId > HOT_CATEGORIES) {
            _schedules[categoryId] = s;
            return;
        }
        uint256 packed = uint256(s.currentBps) | (uint256(s.nextBps) << 16) | (uint256(s.nextFrom) << 32)
            | (s.hasCurrent ? uint256(1) << 96 : 0) | (s.hasNext ? uint256(1) << 97 : 0);
        uint256 shift = (uint256(categoryId) - 1) * PACKED_SCHEDULE_BITS;
        _hotWord = (_hotWord & ~(PACKED_SCHEDULE_MASK << shift)) | (packed << shift);
    }
}
