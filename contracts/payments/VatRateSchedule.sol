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
 * Storage: a category's schedule is one packed 98-bit value, so looking up the rate of a payment costs one SLOAD -
 * and for categories 1 and 2 (the shipped standard and reduced rates, the hot path) not even that: their schedules
 * live in one *hot word* together with the payments' pause flag, which every payment reads anyway, so such a
 * payment reads one cold slot for both (about 2 000 gas less than two). Other categories (0 and 3..255) keep theirs
 * in `_schedules`, one slot each.
 *
 * Packed schedule (98 bits; `nextBps` applies from `nextFrom` on when `hasNext`):
 *
 *   bits   0..15   currentBps  uint16  (the rate in force, when hasCurrent)
 *   bits  16..31   nextBps     uint16  (the pending rate, when hasNext)
 *   bits  32..95   nextFrom    uint64  (when the pending rate takes effect, unix seconds)
 *   bit       96   hasCurrent
 *   bit       97   hasNext
 *
 * Hot word (`_hotWord`):
 *
 *   bits   0..97   schedule of category 1
 *   bits  98..195  schedule of category 2
 *   bits 196..254  zero
 *   bit      255   payments paused (owned by {VatPayments} through {_pausedFlag} / {_setPausedFlag})
 */
abstract contract VatRateSchedule is AccessControlDefaultAdminRules, IVatRateSchedule {
    /// @inheritdoc IVatRateSchedule
    bytes32 public constant TAX_AUTHORITY_ROLE = keccak256("TAX_AUTHORITY_ROLE");

    /// @inheritdoc IVatRateSchedule
    uint16 public constant MAX_RATE_BPS = 10_000;

    /// @dev A schedule unpacked, for the (rare) administrative paths. `nextBps` applies from `nextFrom` on when
    /// `hasNext`.
    struct Schedule {
        uint16 currentBps;
        uint16 nextBps;
        uint64 nextFrom;
        bool hasCurrent;
        bool hasNext;
    }

    uint256 private constant NEXT_BPS_SHIFT = 16;
    uint256 private constant NEXT_FROM_SHIFT = 32;
    uint256 private constant HAS_CURRENT = 1 << 96;
    uint256 private constant HAS_NEXT = 1 << 97;
    uint256 private constant PACKED_SCHEDULE_BITS = 98;
    uint256 private constant PACKED_SCHEDULE_MASK = (1 << 98) - 1;
    /// @dev Categories 1..HOT_CATEGORIES keep their schedule in the hot word.
    uint256 private constant HOT_CATEGORIES = 2;
    uint256 private constant PAUSED_BIT = 1 << 255;

    /// @dev Packed schedules of categories 0 and 3..255 (layout in the contract's notes).
    mapping(uint8 categoryId => uint256 packedSchedule) private _schedules;

    /// @dev Packed schedules of categories 1 and 2, and the payments' pause flag (layout in the contract's notes).
    uint256 private _hotWord;

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
    /// and 2, warm when the pause flag was just checked), no write, read straight from the packed value.
    function _rateInForce(uint8 categoryId) internal view returns (uint16) {
        uint256 s = _packedSchedule(categoryId);
        if (s & HAS_NEXT != 0 && block.timestamp >= uint64(s >> NEXT_FROM_SHIFT)) {
            return uint16(s >> NEXT_BPS_SHIFT);
        }
        if (s & HAS_CURRENT != 0) return uint16(s);
        if (s & HAS_NEXT != 0) revert NoRateInForce(categoryId, block.timestamp);
        revert UnknownCategory(categoryId);
    }

    /// @dev Whether `categoryId` has any entry (in force or pending).
    function _categoryExists(uint8 categoryId) internal view returns (bool) {
        return _packedSchedule(categoryId) & (HAS_CURRENT | HAS_NEXT) != 0;
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

    /// @dev The packed schedule of `categoryId`: from the hot word for categories 1 and 2, else the mapping.
    function _packedSchedule(uint8 categoryId) private view returns (uint256) {
        if (categoryId == 0 || categoryId > HOT_CATEGORIES) return _schedules[categoryId];
        return (_hotWord >> ((uint256(categoryId) - 1) * PACKED_SCHEDULE_BITS)) & PACKED_SCHEDULE_MASK;
    }

    /// @dev The schedule of `categoryId`, unpacked.
    function _loadSchedule(uint8 categoryId) private view returns (Schedule memory s) {
        uint256 packed = _packedSchedule(categoryId);
        s.currentBps = uint16(packed);
        s.nextBps = uint16(packed >> NEXT_BPS_SHIFT);
        s.nextFrom = uint64(packed >> NEXT_FROM_SHIFT);
        s.hasCurrent = packed & HAS_CURRENT != 0;
        s.hasNext = packed & HAS_NEXT != 0;
    }

    /// @dev Packs `s` and stores it as the schedule of `categoryId` (in the hot word for categories 1 and 2).
    function _storeSchedule(uint8 categoryId, Schedule memory s) private {
        uint256 packed = uint256(s.currentBps) | (uint256(s.nextBps) << NEXT_BPS_SHIFT)
            | (uint256(s.nextFrom) << NEXT_FROM_SHIFT) | (s.hasCurrent ? HAS_CURRENT : 0) | (s.hasNext ? HAS_NEXT : 0);
        if (categoryId == 0 || categoryId > HOT_CATEGORIES) {
            _schedules[categoryId] = packed;
            return;
        }
        uint256 shift = (uint256(categoryId) - 1) * PACKED_SCHEDULE_BITS;
        _hotWord = (_hotWord & ~(PACKED_SCHEDULE_MASK << shift)) | (packed << shift);
    }
}
