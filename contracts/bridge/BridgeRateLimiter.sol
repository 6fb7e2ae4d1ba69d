// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BridgeControl} from "./BridgeControl.sol";

/**
 * @title BridgeRateLimiter
 * @notice Refilling buckets per remote chain, one inbound and one outbound (as Chainlink CCIP's token pools): a
 * bucket holds up to `capacity` tiyn, refills at `ratePerSecond`, and a transfer takes its amount out, so what
 * crosses a lane without waiting in any window of `w` seconds is at most `capacity + ratePerSecond * w`. A lane
 * also has a largest single transfer ({maxTransfer}; 0: the capacity).
 *
 * What does not fit is not refused: the bridge queues it, and the queue entry records its release time, now plus
 * the bridge's {queueDelay} (24 hours unless the admin sets another). A queued transfer that fits the lane's limits
 * completes as soon as the bucket has room for it (taking its amount out), or after its release time. One larger
 * than the capacity or the lane's maximum when it was queued ("oversized") completes only after its release time,
 * without taking from the bucket — as Wormhole's Governor delays a transfer above its big-transaction size or past
 * the window's limit by 24 hours, so that a message created by a bug or a compromised threshold can be held (the
 * pause role) or rejected (the admin) before it settles. (Wormhole NTT's queue, by contrast, lets a queued transfer
 * go after its rate-limit duration whatever its size; CCIP refuses it outright.) Neither the capacity nor the delay
 * changes a release time once recorded: changing them never shortens anyone's wait. A transfer that fails at the
 * destination, or is refunded at the source, gives back what it took from a bucket, up to the capacity.
 *
 * One slot per bucket: capacity, available amount and largest single transfer in 56 bits each (up to 7.2e16 tiyn,
 * far above any supply), the refill rate in 48 bits and the time of the last update in 40 bits.
 */
abstract contract BridgeRateLimiter is BridgeControl {
    /// @notice Sets the rate limits.
    bytes32 public constant RATE_LIMITER_ROLE = keccak256("RATE_LIMITER_ROLE");

    /// @notice Longest delay {setQueueDelay} accepts (30 days).
    uint256 public constant MAX_QUEUE_DELAY = 30 days;

    struct Bucket {
        uint56 capacity;
        uint56 available;
        uint56 maxTransfer;
        uint48 ratePerSecond;
        uint40 updatedAt;
    }

    mapping(uint64 chainId => Bucket) internal _inboundBuckets;
    mapping(uint64 chainId => Bucket) internal _outboundBuckets;
    uint40 private _queueDelay = 1 days;

    /// @notice The inbound (from `chainId`) or outbound (to `chainId`) bucket: capacity, what is available now and
    /// the refill per second, in tiyn.
    function rateLimit(uint64 chainId, bool inbound)
        external
        view
        returns (uint256 capacity, uint256 available, uint256 ratePerSecond)
    {
        Bucket memory bucket = inbound ? _inboundBuckets[chainId] : _outboundBuckets[chainId];
        return (bucket.capacity, _availableNow(bucket), bucket.ratePerSecond);
    }

    /// @notice The largest single transfer from (`inbound`) or to `chainId` that crosses without the delay, in tiyn
    /// (0: no maximum besides the capacity).
    function maxTransfer(uint64 chainId, bool inbound) external view returns (uint256) {
        return inbound ? _inboundBuckets[chainId].maxTransfer : _outboundBuckets[chainId].maxTransfer;
    }

    /// @notice Seconds a queued transfer waits at most (an oversized one: exactly) before anyone may complete it.
    function queueDelay() external view returns (uint256) {
        return _queueDelay;
    }

    /// @dev Takes `amount` out of `bucket` if it is available now and within the lane's maximum; returns whether
    /// it was.
    function _tryConsume(Bucket storage bucket, uint256 amount) internal returns (bool) {
        Bucket memory b = bucket;
        uint256 available = _availableNow(b);
        if (amount > available || (b.maxTransfer != 0 && amount > b.maxTransfer)) return false;
        bucket.available = uint56(available - amount);
        bucket.updatedAt = uint40(block.timestamp);
        return true;
    }

    /// @dev Whether `amount` is larger than `bucket`'s capacity or its largest single transfer (queued: it waits
    /// the whole delay).
    function _isOversized(Bucket storage bucket, uint256 amount) internal pure returns (bool) {
        Bucket memory b = bucket;
        return amount > b.capacity || (b.maxTransfer != 0 && amount > b.maxTransfer);
    }

    /// @dev The release time of a transfer queued now.
    function _releaseTime() internal view returns (uint40) {
        return uint40(block.timestamp + _queueDelay);
    }

    /// @dev Lets queued transfer `id` go, or reverts: held ({QueuedTransferHeld}); past its release time it goes
    /// without the bucket (returns false); before it, an oversized one waits ({TransferDelayed}) and another takes
    /// its amount from the bucket (returns true) or waits ({RateLimitExceeded}).
    function _release(
        bytes32 id,
        Bucket storage bucket,
        uint64 chainId,
        uint256 amount,
        uint40 releaseAt,
        bool held,
        bool oversized
    ) internal returns (bool metered) {
        if (held) revert QueuedTransferHeld(id);
        if (block.timestamp >= releaseAt) return false;
        if (oversized) revert TransferDelayed(id, releaseAt);
        if (_tryConsume(bucket, amount)) return true;
        revert RateLimitExceeded(chainId, amount, _availableNow(bucket));
    }

    /// @dev Gives `amount` back to `bucket` (a transfer that took it failed or was refunded), up to its capacity.
    function _giveBack(Bucket storage bucket, uint256 amount) internal {
        Bucket memory b = bucket;
        bucket.available = uint56(_min(_availableNow(b) + amount, b.capacity));
        bucket.updatedAt = uint40(block.timestamp);
    }

    /// @dev Available now: the stored amount plus the refill since the last update, up to the capacity.
    function _availableNow(Bucket memory b) internal view returns (uint256) {
        // rate < 2^48 and elapsed < 2^40 (or a few bits more): no overflow in 256 bits.
        uint256 refilled = uint256(b.available) + uint256(b.ratePerSecond) * (block.timestamp - b.updatedAt);
        return _min(refilled, b.capacity);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
