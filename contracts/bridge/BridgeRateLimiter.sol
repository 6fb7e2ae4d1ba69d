// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BridgeControl} from "./BridgeControl.sol";

/**
 * @title BridgeRateLimiter
 * @notice Refilling buckets per remote chain, one inbound and one outbound (as Chainlink CCIP's token pools and
 * Wormhole NTT): a bucket holds up to `capacity` tiyn, refills at `ratePerSecond`, and a transfer takes its amount
 * out. What does not fit is not refused: the bridge queues it (inbound: anyone completes it later; outbound: anyone
 * completes it later or its sender cancels it). A queued transfer larger than the whole capacity completes once the
 * bucket is full, emptying it. A transfer that fails at the destination gives its amount back.
 *
 * One slot per bucket: capacity and available amount in 80 bits each (up to 1.2e24 tiyn, far above any supply),
 * the refill rate in 56 bits and the time of the last update in 40 bits.
 */
abstract contract BridgeRateLimiter is BridgeControl {
    /// @notice Sets the rate limits.
    bytes32 public constant RATE_LIMITER_ROLE = keccak256("RATE_LIMITER_ROLE");

    struct Bucket {
        uint80 capacity;
        uint80 available;
        uint56 ratePerSecond;
        uint40 updatedAt;
    }

    mapping(uint64 chainId => Bucket) internal _inboundBuckets;
    mapping(uint64 chainId => Bucket) internal _outboundBuckets;

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

    /// @notice Sets the inbound and outbound buckets of `chainId` (capacity in tiyn, refill in tiyn per second; a
    /// capacity of 0 queues everything). A bucket configured for the first time starts full; otherwise what is
    /// available now is kept, capped at the new capacity. RATE_LIMITER_ROLE. Emits {RateLimitsSet}.
    function setRateLimits(
        uint64 chainId,
        uint256 inboundCapacity,
        uint256 inboundRatePerSecond,
        uint256 outboundCapacity,
        uint256 outboundRatePerSecond
    ) external onlyRole(RATE_LIMITER_ROLE) {
        _configure(_inboundBuckets[chainId], inboundCapacity, inboundRatePerSecond);
        _configure(_outboundBuckets[chainId], outboundCapacity, outboundRatePerSecond);
        emit RateLimitsSet(chainId, inboundCapacity, inboundRatePerSecond, outboundCapacity, outboundRatePerSecond);
    }

    function _configure(Bucket storage bucket, uint256 capacity, uint256 ratePerSecond) private {
        if (capacity > type(uint80).max) revert RateLimitTooLarge(capacity, type(uint80).max);
        if (ratePerSecond > type(uint56).max) revert RateLimitTooLarge(ratePerSecond, type(uint56).max);
        Bucket memory old = bucket;
        uint256 available = old.updatedAt == 0 ? capacity : _min(_availableNow(old), capacity);
        bucket.capacity = uint80(capacity);
        bucket.available = uint80(available);
        bucket.ratePerSecond = uint56(ratePerSecond);
        bucket.updatedAt = uint40(block.timestamp);
    }

    /// @dev Takes `amount` out of `bucket` if it is available now; returns whether it was.
    function _tryConsume(Bucket storage bucket, uint256 amount) internal returns (bool) {
        Bucket memory b = bucket;
        uint256 available = _availableNow(b);
        if (amount > available) return false;
        bucket.available = uint80(available - amount);
        bucket.updatedAt = uint40(block.timestamp);
        return true;
    }

    /// @dev Takes `amount` out of `bucket` or reverts with {RateLimitExceeded} (completing a queued transfer).
    /// A transfer larger than the bucket's whole (non-zero) capacity can never fit: it goes once the bucket is full
    /// and empties it — it has waited a full refill, as Wormhole NTT lets a queued transfer go after its window.
    /// A capacity of 0 keeps the lane closed.
    function _consume(Bucket storage bucket, uint64 chainId, uint256 amount) internal {
        if (_tryConsume(bucket, amount)) return;
        Bucket memory b = bucket;
        uint256 available = _availableNow(b);
        if (amount > b.capacity && b.capacity != 0 && available == b.capacity) {
            bucket.available = 0;
            bucket.updatedAt = uint40(block.timestamp);
            return;
        }
        revert RateLimitExceeded(chainId, amount, available);
    }

    /// @dev Gives `amount` back to `bucket` (a transfer that took it failed), up to its capacity.
    function _giveBack(Bucket storage bucket, uint256 amount) internal {
        Bucket memory b = bucket;
        bucket.available = uint80(_min(_availableNow(b) + amount, b.capacity));
        bucket.updatedAt = uint40(block.timestamp);
    }

    /// @dev Available now: the stored amount plus the refill since the last update, up to the capacity.
    function _availableNow(Bucket memory b) internal view returns (uint256) {
        // rate < 2^56 and elapsed < 2^40 (or a few bits more): no overflow in 256 bits.
        uint256 refilled = uint256(b.available) + uint256(b.ratePerSecond) * (block.timestamp - b.updatedAt);
        return _min(refilled, b.capacity);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
