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
 * Storage: one slot per category ({Schedule}), so looking up the rate of a payment costs one SLOAD.
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

    /// @inheritdoc IVatRateSchedule
    function scheduleRate(uint8 categoryId, uint16 rateBps, uint64 effectiveFrom)
        external
        onlyRole(TAX_AUTHORITY_ROLE)
    {
        if (categoryId == 0) revert InvalidCategory(categoryId);
        if (rateBps > MAX_RATE_BPS) revert RateTooHigh(rateBps, MAX_RATE_BPS);
        Schedule memory s = _matured(_schedules[categoryId]);
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
        _schedules[categoryId] = s;
        emit RateScheduled(categoryId, rateBps, effectiveFrom);
    }

    /// @inheritdoc IVatRateSchedule
    function cancelRateChange(uint8 categoryId) external onlyRole(TAX_AUTHORITY_ROLE) {
        Schedule memory s = _matured(_schedules[categoryId]);
        if (!s.hasNext) revert NoPendingRateChange(categoryId);
        emit RateChangeCancelled(categoryId, s.nextBps, s.nextFrom);
        s.nextBps = 0;
        s.nextFrom = 0;
        s.hasNext = false;
        _schedules[categoryId] = s;
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
        Schedule memory s = _matured(_schedules[categoryId]);
        return (s.hasCurrent, s.currentBps, s.hasNext, s.nextBps, s.nextFrom);
    }

    /// @dev The rate of `categoryId` in force at `block.timestamp`: one SLOAD, no write.
    function _rateInForce(uint8 categoryId) internal view returns (uint16) {
        Schedule memory s = _schedules[categoryId];
        if (s.hasNext && block.timestamp >= s.nextFrom) return s.nextBps;
        if (s.hasCurrent) return s.currentBps;
        if (s.hasNext) revert NoRateInForce(categoryId, block.timestamp);
        revert UnknownCategory(categoryId);
    }

    /// @dev Whether `categoryId` has any entry (in force or pending).
    function _categoryExists(uint8 categoryId) internal view returns (bool) {
        Schedule memory s = _schedules[categoryId];
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
}
