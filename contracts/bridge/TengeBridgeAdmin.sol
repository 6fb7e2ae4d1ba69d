// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ITengeBridge} from "./ITengeBridge.sol";
import {BridgeControl} from "./BridgeControl.sol";
import {BridgeRateLimiter} from "./BridgeRateLimiter.sol";
import {BridgeValidatorSet} from "./BridgeValidatorSet.sol";
import {TengeBridgeBase} from "./TengeBridgeBase.sol";

/**
 * @title TengeBridgeAdmin
 * @notice The rarely used administrative paths of both bridges ({TengeBridgeHome}, {TengeBridgeRemote}), kept out
 * of their own code so each stays well under EIP-170's 24,576-byte limit: validator-set governance
 * (updateValidators, cancelValidatorUpdate, removeValidator, setValidatorUpdateDelay), the rate limits
 * (setRateLimits, setMaxTransfer, setQueueDelay), holding a queued transfer (holdQueued), the deferral timeout
 * (setDeferralTimeout) and the home bridge's setRemoteBridge. Nothing on the path of a send or a delivery is here.
 *
 * Every bridge creates its own copy of this contract in its constructor and keeps its address as an immutable; the
 * bridge's functions of the same names forward their calldata here by DELEGATECALL. So the code below runs in the
 * bridge's context: `msg.sender`, the roles, the events and the state are the bridge's, and every role check is the
 * one the bridge made before. The emitted events and the errors are ITengeBridge's own (same signatures).
 *
 * Storage layout. The bridges are not upgradeable and use plain (inheritance-ordered) storage: slot by slot,
 * AccessControl's `_roles`, AccessControlDefaultAdminRules' four fields, BridgeControl's control word, EIP712's
 * two fallback strings, BridgeValidatorSet's four fields, BridgeRateLimiter's three, TengeBridgeBase's seven, then
 * (remote only) TengeBridgeRemote's own. This contract inherits AccessControlDefaultAdminRules (the same first
 * slots) and then declares the bridges' fields in that order with the bridges' own struct types, up to
 * TengeBridgeBase's last one (`deferralTimeout`); it declares nothing after them, so it never touches the remote's
 * own fields. tests/bridge/test_bridge_size.py checks, on solc's storage layouts, that every field here has the
 * same name, slot, offset and type in both bridges. Packed fields keep their bits: the control word is
 * nextNonce (64) | threshold (8) | paused (8) | retired (8) | payloadHandler (160); a bucket is capacity, available, maxTransfer (56
 * each) | ratePerSecond (48) | updatedAt (40); the governance word is five 48-bit fields. Initial values
 * (`_queueDelay`, `deferralTimeout`, the 48-hour governance delay) are the bridge's, set by its constructor; this
 * contract's own storage is never used.
 *
 * Called directly (not through its bridge) it refuses: its only role holder is itself (DEFAULT_ADMIN_ROLE,
 * granted by its constructor), and it never calls itself.
 *
 * @custom:security-contact security@digital-tenge.invalid
 */
contract TengeBridgeAdmin is AccessControlDefaultAdminRules {
    bytes32 private constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 private constant VALIDATOR_MANAGER_ROLE = keccak256("VALIDATOR_MANAGER_ROLE");
    bytes32 private constant RATE_LIMITER_ROLE = keccak256("RATE_LIMITER_ROLE");
    uint256 private constant MAX_VALIDATORS = 64;
    uint256 private constant MAX_VALIDATOR_UPDATE_DELAY = 30 days;
    uint256 private constant MAX_QUEUE_DELAY = 30 days;
    uint64 private constant MIN_DEFERRAL_TIMEOUT = 1 hours;

    // ---- The bridges' storage, in their order (BridgeControl, EIP712, BridgeValidatorSet, BridgeRateLimiter,
    // TengeBridgeBase); see the header. Not one field may be added, removed or reordered here alone.
    BridgeControl.Control internal _control;
    string private _nameFallback;
    string private _versionFallback;
    mapping(address validator => uint256) private _validatorPosition;
    address[] private _validatorList;
    BridgeValidatorSet.Governance private _governance;
    bytes32 private _pendingHash;
    mapping(uint64 chainId => BridgeRateLimiter.Bucket) private _inboundBuckets;
    mapping(uint64 chainId => BridgeRateLimiter.Bucket) private _outboundBuckets;
    uint40 private _queueDelay;
    mapping(uint64 chainId => TengeBridgeBase.Lane) internal _lanes;
    mapping(uint64 chainId => address) private _formerBridges;
    mapping(bytes32 id => ITengeBridge.InboundStatus) private _inbound;
    mapping(bytes32 id => TengeBridgeBase.QueueEntry) private _queue;
    mapping(uint64 nonce => TengeBridgeBase.OutboundRecord) private _outbound;
    mapping(bytes32 id => uint64 failsAt) private _deferredFailsAt;
    uint64 private deferralTimeout;

    /// @dev The module's own DEFAULT_ADMIN_ROLE goes to itself: through a bridge the bridge's roles apply; called
    /// directly, nobody holds a role.
    constructor() AccessControlDefaultAdminRules(0, address(this)) {}

    // ---------------------------------------------------------------------------------------------------------
    // Validator-set governance (see BridgeValidatorSet's header and the bridge's NatSpec of each function)
    // ---------------------------------------------------------------------------------------------------------

    /// @notice See {ITengeBridge-updateValidators}.
    function updateValidators(address[] calldata removed, address[] calldata added, uint256 newThreshold)
        external
        onlyRole(VALIDATOR_MANAGER_ROLE)
    {
        uint256 delay = _validatorUpdateDelay();
        BridgeValidatorSet.Governance storage g = _governance;
        uint256 at = g.executableAt;
        if (_validatorList.length != 0 && delay != 0) {
            bytes32 change = keccak256(abi.encode(removed, added, newThreshold));
            if (at == 0) {
                // Checked when applied (the SDK checks it against the current set before sending).
                at = block.timestamp + delay;
                (g.executableAt, g.scheduledBlock) = (uint48(at), uint48(block.number));
                _pendingHash = change;
                emit ITengeBridge.ValidatorUpdateScheduled(removed, added, newThreshold, at);
                return;
            }
            if (change != _pendingHash) revert ITengeBridge.ValidatorUpdatePending(at);
            if (block.timestamp < at) revert ITengeBridge.ValidatorUpdateNotReady(at, block.timestamp);
        }
        if (at != 0) _clearPending(); // applied now (or overtaken while no delay is in force)
        _applyValidators(removed, added, newThreshold);
    }

    /// @notice See {ITengeBridge-cancelValidatorUpdate}.
    function cancelValidatorUpdate() external {
        address caller = _msgSender();
        if (!hasRole(PAUSER_ROLE, caller)) _checkRole(VALIDATOR_MANAGER_ROLE, caller);
        if (_governance.executableAt == 0) revert ITengeBridge.NoValidatorUpdate();
        _clearPending();
        emit ITengeBridge.ValidatorUpdateCancelled(caller);
    }

    /// @notice See {ITengeBridge-removeValidator}.
    function removeValidator(address validator) external onlyRole(VALIDATOR_MANAGER_ROLE) {
        uint256 count = _validatorList.length; // the set after the removal must still hold the threshold
        if (_control.threshold >= count) {
            revert ITengeBridge.InvalidThreshold(_control.threshold, count == 0 ? 0 : count - 1);
        }
        _removeValidator(validator);
    }

    /// @notice See {ITengeBridge-setValidatorUpdateDelay}.
    function setValidatorUpdateDelay(uint256 newDelay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newDelay > MAX_VALIDATOR_UPDATE_DELAY) {
            revert ITengeBridge.ValidatorUpdateDelayTooLong(newDelay, MAX_VALIDATOR_UPDATE_DELAY);
        }
        uint256 current = _validatorUpdateDelay();
        uint256 at = block.timestamp;
        if (newDelay < current && _validatorList.length != 0) at += current;
        BridgeValidatorSet.Governance storage g = _governance; // until `at` the larger of the two is in force
        (g.delay, g.newDelay, g.newDelayAt) =
            (uint48(current > newDelay ? current : newDelay), uint48(newDelay), uint48(at));
        emit ITengeBridge.ValidatorUpdateDelaySet(newDelay, at);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Rate limits, queue, deferrals, peers
    // ---------------------------------------------------------------------------------------------------------

    /// @notice See {ITengeBridge-setRateLimits}.
    function setRateLimits(
        uint64 chainId,
        uint256 inboundCapacity,
        uint256 inboundRatePerSecond,
        uint256 outboundCapacity,
        uint256 outboundRatePerSecond
    ) external onlyRole(RATE_LIMITER_ROLE) {
        _configure(_inboundBuckets[chainId], inboundCapacity, inboundRatePerSecond);
        _configure(_outboundBuckets[chainId], outboundCapacity, outboundRatePerSecond);
        emit ITengeBridge.RateLimitsSet(
            chainId, inboundCapacity, inboundRatePerSecond, outboundCapacity, outboundRatePerSecond
        );
    }

    /// @notice See {ITengeBridge-setMaxTransfer}.
    function setMaxTransfer(uint64 chainId, uint256 inboundMax, uint256 outboundMax)
        external
        onlyRole(RATE_LIMITER_ROLE)
    {
        _inboundBuckets[chainId].maxTransfer = _fit56(inboundMax);
        _outboundBuckets[chainId].maxTransfer = _fit56(outboundMax);
        emit ITengeBridge.MaxTransferSet(chainId, inboundMax, outboundMax);
    }

    /// @notice See {ITengeBridge-setQueueDelay}.
    function setQueueDelay(uint256 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (delay == 0 || delay > MAX_QUEUE_DELAY) revert ITengeBridge.InvalidQueueDelay(delay, MAX_QUEUE_DELAY);
        emit ITengeBridge.QueueDelaySet(_queueDelay, delay);
        _queueDelay = uint40(delay);
    }

    /// @notice See {ITengeBridge-holdQueued}.
    function holdQueued(bytes32 id, bool held) external onlyRole(PAUSER_ROLE) {
        TengeBridgeBase.QueueEntry storage entry = _queue[id];
        if (entry.queuedHash == bytes32(0)) revert ITengeBridge.NotQueued(id);
        entry.held = held;
        emit ITengeBridge.TransferHoldSet(id, held);
    }

    /// @notice See {ITengeBridge-setDeferralTimeout}.
    function setDeferralTimeout(uint64 timeout) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (timeout < MIN_DEFERRAL_TIMEOUT) revert ITengeBridge.InvalidDeferralTimeout(timeout, MIN_DEFERRAL_TIMEOUT);
        deferralTimeout = timeout;
        emit ITengeBridge.DeferralTimeoutSet(timeout);
    }

    /// @notice See {TengeBridgeBase-setRemoteBridge} (the home bridge's; the remote bridge's is in
    /// TengeBridgeRemoteAdmin).
    function setRemoteBridge(uint64 chainId, address bridge) external virtual onlyRole(DEFAULT_ADMIN_ROLE) {
        address old = _lanes[chainId].bridge;
        if (old != bridge) _formerBridges[chainId] = bridge == address(0) ? address(0) : old;
        _lanes[chainId].bridge = bridge;
        emit ITengeBridge.RemoteBridgeSet(chainId, bridge);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev As {BridgeValidatorSet-validatorUpdateDelay}.
    function _validatorUpdateDelay() private view returns (uint256) {
        BridgeValidatorSet.Governance memory g = _governance;
        return g.newDelayAt != 0 && block.timestamp >= g.newDelayAt ? g.newDelay : g.delay;
    }

    function _clearPending() private {
        delete _pendingHash;
        (_governance.executableAt, _governance.scheduledBlock) = (0, 0);
    }

    function _applyValidators(address[] calldata removed, address[] calldata added, uint256 newThreshold) private {
        for (uint256 i; i < removed.length; ++i) {
            _removeValidator(removed[i]);
        }
        for (uint256 i; i < added.length; ++i) {
            _addValidator(added[i]);
        }
        uint256 count = _validatorList.length;
        if (newThreshold == 0 || newThreshold > count) revert ITengeBridge.InvalidThreshold(newThreshold, count);
        uint256 old = _control.threshold;
        _control.threshold = uint8(newThreshold); // <= count <= MAX_VALIDATORS < 256
        emit ITengeBridge.ThresholdSet(old, newThreshold);
    }

    function _addValidator(address validator) private {
        if (validator == address(0) || _validatorPosition[validator] != 0) {
            revert ITengeBridge.InvalidValidator(validator);
        }
        if (_validatorList.length == MAX_VALIDATORS) revert ITengeBridge.TooManyValidators(MAX_VALIDATORS);
        _validatorList.push(validator);
        _validatorPosition[validator] = _validatorList.length;
        emit ITengeBridge.ValidatorAdded(validator);
    }

    function _removeValidator(address validator) private {
        uint256 position = _validatorPosition[validator];
        if (position == 0) revert ITengeBridge.NotAValidator(validator);
        uint256 last = _validatorList.length;
        if (position != last) {
            address moved = _validatorList[last - 1];
            _validatorList[position - 1] = moved;
            _validatorPosition[moved] = position;
        }
        _validatorList.pop();
        delete _validatorPosition[validator];
        emit ITengeBridge.ValidatorRemoved(validator);
    }

    /// @dev As the bridge did: a bucket configured for the first time starts full; otherwise what is available
    /// now is kept, capped at the new capacity.
    function _configure(BridgeRateLimiter.Bucket storage bucket, uint256 capacity, uint256 ratePerSecond) private {
        if (ratePerSecond > type(uint48).max) revert ITengeBridge.RateLimitTooLarge(ratePerSecond, type(uint48).max);
        BridgeRateLimiter.Bucket memory old = bucket;
        uint56 newCapacity = _fit56(capacity);
        uint256 available = old.updatedAt == 0 ? capacity : _min(_availableNow(old), capacity);
        bucket.capacity = newCapacity;
        bucket.available = uint56(available);
        bucket.ratePerSecond = uint48(ratePerSecond);
        bucket.updatedAt = uint40(block.timestamp);
    }

    function _fit56(uint256 value) private pure returns (uint56) {
        if (value > type(uint56).max) revert ITengeBridge.RateLimitTooLarge(value, type(uint56).max);
        return uint56(value);
    }

    /// @dev As {BridgeRateLimiter-_availableNow}.
    function _availableNow(BridgeRateLimiter.Bucket memory b) private view returns (uint256) {
        uint256 refilled = uint256(b.available) + uint256(b.ratePerSecond) * (block.timestamp - b.updatedAt);
        return _min(refilled, b.capacity);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
