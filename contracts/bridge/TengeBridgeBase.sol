// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BridgeControl} from "./BridgeControl.sol";
import {BridgeRateLimiter} from "./BridgeRateLimiter.sol";
import {BridgeValidatorSet} from "./BridgeValidatorSet.sol";

/**
 * @title TengeBridgeBase
 * @notice What the home and remote bridges share: peers, send, delivery, the inbound and outbound queues,
 * failure handling and refunds. A bridge fills in four hooks: how money leaves a sender ({_take}: lock in escrow
 * or burn), how a recipient is credited on delivery ({_tryCredit}: release or mint, reporting a refusal instead of
 * reverting), how money goes back to a sender ({_payBack}: cancel, refund) and which token errors are only
 * "not yet" ({_isRetryable}).
 *
 * Lifecycle. At the source, `send` takes the money and either emits {TransferSent} (within the outbound limit) or
 * queues the transfer; a queued one is sent later by anyone ({completeOutbound}) or cancelled by its sender. At
 * the destination, `deliver` verifies the threshold signatures and either credits the recipient, or queues the
 * transfer (over the inbound limit; anyone completes it later), or — when the token refuses the recipient — marks
 * it Failed for good; the source then refunds the sender on a threshold-signed `Refund`, once.
 *
 * Per-transfer storage only where needed: a plain send stores nothing (its status is "sent" because its nonce is
 * below {nextNonce}); the destination stores one status per transfer (replay protection); queues store the hash
 * of the queued message, which the completing call passes back.
 */
abstract contract TengeBridgeBase is BridgeValidatorSet, BridgeRateLimiter, ReentrancyGuardTransient {
    /// @notice keccak256 of the `Transfer` type string (verified at the destination).
    bytes32 public constant TRANSFER_TYPEHASH = keccak256(
        "Transfer(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)"
    );
    /// @notice keccak256 of the `Refund` type string (same fields as `Transfer`, verified at the source).
    bytes32 public constant REFUND_TYPEHASH = keccak256(
        "Refund(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)"
    );

    /// @dev The peer bridge on a remote chain and, on the home bridge, the amount locked for that chain (see
    /// TengeBridgeHome): one slot (160 + 96 bits), read by every send and delivery anyway.
    struct Lane {
        address bridge;
        uint96 locked;
    }

    /// @dev A transfer from this bridge that did not simply go out: queued (with the hash of its message),
    /// completed from the queue, cancelled or refunded.
    struct OutboundRecord {
        bytes32 queuedHash;
        OutboundStatus status;
    }

    /// @notice Largest number of transfers one {deliverBatch} accepts (a batch of 3-of-5 deliveries costs about
    /// 100,000 gas a transfer: 100 fit well inside a 30M-gas block).
    uint256 public constant MAX_BATCH = 100;

    /// @notice The token this bridge moves.
    address public immutable token;

    mapping(uint64 chainId => Lane) internal _lanes;
    mapping(bytes32 id => InboundStatus) private _inbound;
    mapping(bytes32 id => bytes32) private _inboundQueue;
    mapping(uint64 nonce => OutboundRecord) private _outbound;

    /// @dev Deferred deliveries: when each fails for good (its first deferral + {deferralTimeout}).
    mapping(bytes32 id => uint64 failsAt) private _deferredFailsAt;

    /// @notice See {ITengeBridge-deferralTimeout}. Default 24 hours.
    uint64 public deferralTimeout = 1 days;

    /// @notice The shortest {deferralTimeout} the admin may set.
    uint64 public constant MIN_DEFERRAL_TIMEOUT = 1 hours;

    constructor(address token_, address admin, uint48 adminDelay) BridgeControl(admin, adminDelay) {
        token = token_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The transfer id of (`sourceChainId`, `sourceBridge`, `nonce`).
    function transferId(uint64 sourceChainId, address sourceBridge, uint64 nonce) public pure returns (bytes32) {
        return keccak256(abi.encode(sourceChainId, sourceBridge, nonce));
    }

    /// @notice The EIP-712 digest validators sign to deliver `transfer` here (this bridge as destination).
    function transferDigest(Transfer calldata transfer) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TRANSFER_TYPEHASH, transfer)));
    }

    /// @notice The EIP-712 digest validators sign to refund `transfer` here (this bridge as source).
    function refundDigest(Transfer calldata transfer) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(REFUND_TYPEHASH, transfer)));
    }

    /// @notice Status of a transfer that came (or is coming) to this bridge.
    function inboundStatus(bytes32 id) external view returns (InboundStatus) {
        return _inbound[id];
    }

    /// @notice Status of this bridge's transfer number `nonce`.
    function outboundStatus(uint64 nonce) public view returns (OutboundStatus) {
        OutboundStatus status = _outbound[nonce].status;
        if (status != OutboundStatus.None) return status;
        return nonce < _control.nextNonce ? OutboundStatus.Sent : OutboundStatus.None;
    }

    /// @notice The peer bridge on `chainId` (zero: not served).
    function remoteBridge(uint64 chainId) external view returns (address) {
        return _lanes[chainId].bridge;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Sends `amount` from the caller to `recipient` on `destChainId`. The token's rules apply to the caller
    /// (KYC, freeze, pause; the home bridge spends the caller's allowance). Within the outbound rate limit: emits
    /// {TransferSent}; over it: the money is taken and the transfer queued ({OutboundQueued}). Not while paused.
    /// Returns the transfer id.
    function send(uint64 destChainId, address recipient, uint256 amount) external returns (bytes32 id) {
        Control memory control = _activeControl();
        if (amount == 0) revert ZeroAmount();
        address peer = _lanes[destChainId].bridge;
        if (peer == address(0)) revert UnsupportedChain(destChainId);
        // Money credited to the destination bridge itself would be stuck there.
        if (recipient == address(0) || recipient == peer) revert InvalidRecipient(recipient);
        uint64 nonce = control.nextNonce;
        _control.nextNonce = nonce + 1;

        address sender = msg.sender; // the account _take pulls or burns from
        Transfer memory transfer =
            Transfer(uint64(block.chainid), address(this), destChainId, peer, nonce, sender, recipient, amount);
        id = transferId(transfer.sourceChainId, address(this), nonce);
        if (_tryConsume(_outboundBuckets[destChainId], amount)) {
            emit TransferSent(id, sender, transfer);
        } else {
            _outbound[nonce] = OutboundRecord(keccak256(abi.encode(transfer)), OutboundStatus.Queued);
            emit OutboundQueued(id, sender, transfer);
        }
        _take(amount, destChainId); // last: the token call (the token reverts, or the money is in)
    }

    /// @notice Sends a queued outbound transfer once the outbound rate limit has capacity ({TransferSent}; a transfer
    /// larger than the whole capacity: once the bucket is full, which it then empties).
    /// Permissionless; `transfer` must be the message queued (from {OutboundQueued}). Not while paused.
    function completeOutbound(Transfer calldata transfer) external {
        _activeControl();
        bytes32 id = _requireQueuedOutbound(transfer);
        _consume(_outboundBuckets[transfer.destChainId], transfer.destChainId, transfer.amount);
        _outbound[transfer.nonce] = OutboundRecord(bytes32(0), OutboundStatus.Sent);
        emit TransferSent(id, transfer.sender, transfer);
    }

    /// @notice The sender of a queued outbound transfer cancels it and gets its money back ({OutboundCancelled}).
    /// Not while paused.
    function cancelOutbound(Transfer calldata transfer) external nonReentrant {
        _activeControl();
        bytes32 id = _requireQueuedOutbound(transfer);
        if (_msgSender() != transfer.sender) revert NotSender(_msgSender(), transfer.sender);
        _outbound[transfer.nonce] = OutboundRecord(bytes32(0), OutboundStatus.Cancelled);
        emit OutboundCancelled(id, transfer.sender, transfer.amount);
        _payBack(transfer.destChainId, transfer.sender, transfer.amount);
    }

    /// @notice Refunds the sender of a transfer from this bridge that failed at its destination, on signatures of
    /// a threshold of validators over its EIP-712 `Refund` digest. Exactly once per transfer. Permissionless.
    /// Emits {TransferRefunded}. Not while paused.
    function refund(Transfer calldata transfer, address[] calldata signers, bytes[] calldata signatures)
        external
        nonReentrant
    {
        Control memory control = _activeControl();
        _requireFromHere(transfer);
        bytes32 id = transferId(transfer.sourceChainId, transfer.sourceBridge, transfer.nonce);
        OutboundStatus status = outboundStatus(transfer.nonce);
        if (status != OutboundStatus.Sent) revert RefundNotAllowed(id, status);
        _verifySignatures(keccak256(abi.encode(REFUND_TYPEHASH, transfer)), signers, signatures, control.threshold);
        _outbound[transfer.nonce] = OutboundRecord(bytes32(0), OutboundStatus.Refunded);
        emit TransferRefunded(id, transfer.sender, transfer.amount);
        _payBack(transfer.destChainId, transfer.sender, transfer.amount);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Delivers a transfer addressed to this bridge, with signatures of a threshold of validators over its
    /// EIP-712 `Transfer` digest. Permissionless. Credits the recipient ({TransferDelivered}), or queues it over the
    /// inbound rate limit ({InboundQueued}), or — when the token refuses the recipient — marks it Failed
    /// ({TransferFailed}) instead of reverting, or — when the token says "not yet" (reserve) — defers it
    /// ({DeliveryDeferred}; a Deferred transfer may be delivered again, and fails after {deferralTimeout}).
    /// Returns the resulting status. Not while paused.
    function deliver(Transfer calldata transfer, address[] calldata signers, bytes[] calldata signatures)
        external
        nonReentrant
        returns (InboundStatus)
    {
        // Written out rather than through _inboundOf/_deliver (as deliverBatch does): the single delivery keeps
        // its gas (those internal calls with calldata arguments cost it ~300 gas more).
        Control memory control = _activeControl();
        if (transfer.destChainId != block.chainid || transfer.destBridge != address(this)) {
            revert WrongDestination(transfer.destChainId, transfer.destBridge);
        }
        uint64 source = transfer.sourceChainId;
        if (transfer.sourceBridge != _lanes[source].bridge || transfer.sourceBridge == address(0)) {
            revert UnknownSourceBridge(source, transfer.sourceBridge);
        }
        bytes32 id = transferId(source, transfer.sourceBridge, transfer.nonce);
        InboundStatus status = _inbound[id];
        if (status != InboundStatus.None && status != InboundStatus.Deferred) revert AlreadyProcessed(id, status);
        _verifySignatures(keccak256(abi.encode(TRANSFER_TYPEHASH, transfer)), signers, signatures, control.threshold);

        if (!_tryConsume(_inboundBuckets[source], transfer.amount)) {
            _inbound[id] = InboundStatus.Queued;
            _inboundQueue[id] = keccak256(abi.encode(transfer));
            emit InboundQueued(id, transfer.recipient, transfer.amount);
            return InboundStatus.Queued;
        }
        return _credit(id, transfer);
    }

    /// @notice Delivers many transfers in one call (1..{MAX_BATCH}), each exactly as {deliver} would — credited,
    /// queued, deferred or marked Failed — except that a transfer already processed here is skipped with
    /// {DeliverySkipped} instead of reverting, so relayers racing each other never make a whole batch fail; a
    /// "not yet" of the token defers that item alone ({DeliveryDeferred}). Any other refusal of any item (wrong
    /// destination, bad signatures) reverts the whole batch with that item's error. Permissionless. Returns each
    /// item's resulting status. Not while paused.
    function deliverBatch(Delivery[] calldata deliveries)
        external
        nonReentrant
        returns (InboundStatus[] memory statuses)
    {
        Control memory control = _activeControl();
        uint256 count = deliveries.length;
        if (count == 0) revert EmptyBatch();
        if (count > MAX_BATCH) revert BatchTooLarge(count, MAX_BATCH);
        statuses = new InboundStatus[](count);
        for (uint256 i; i < count; ++i) {
            Delivery calldata item = deliveries[i];
            (bytes32 id, InboundStatus status) = _inboundOf(item.transfer);
            if (status != InboundStatus.None && status != InboundStatus.Deferred) {
                emit DeliverySkipped(id, status);
                statuses[i] = status;
                continue;
            }
            statuses[i] = _deliver(id, item.transfer, item.signers, item.signatures, control.threshold);
        }
    }

    /// @notice Completes a queued inbound transfer once the inbound rate limit has capacity (a transfer larger than
    /// the whole capacity: once the bucket is full, which it then empties). Permissionless;
    /// `transfer` must be the message queued. Delivers or marks Failed like {deliver}. Not while paused.
    function completeInbound(Transfer calldata transfer) external nonReentrant returns (InboundStatus) {
        _activeControl();
        bytes32 id = transferId(transfer.sourceChainId, transfer.sourceBridge, transfer.nonce);
        if (_inbound[id] != InboundStatus.Queued || _inboundQueue[id] != keccak256(abi.encode(transfer))) {
            revert NotQueued(id);
        }
        _consume(_inboundBuckets[transfer.sourceChainId], transfer.sourceChainId, transfer.amount);
        delete _inboundQueue[id];
        return _credit(id, transfer);
    }

    /// @dev The id of `transfer` and its status here, after checking it is addressed to this bridge from a peer.
    function _inboundOf(Transfer calldata transfer) private view returns (bytes32 id, InboundStatus status) {
        if (transfer.destChainId != block.chainid || transfer.destBridge != address(this)) {
            revert WrongDestination(transfer.destChainId, transfer.destBridge);
        }
        uint64 source = transfer.sourceChainId;
        if (transfer.sourceBridge != _lanes[source].bridge || transfer.sourceBridge == address(0)) {
            revert UnknownSourceBridge(source, transfer.sourceBridge);
        }
        id = transferId(source, transfer.sourceBridge, transfer.nonce);
        status = _inbound[id];
    }

    /// @dev Verifies the signatures of a transfer not processed yet, then queues it over the inbound rate limit or
    /// credits it.
    function _deliver(
        bytes32 id,
        Transfer calldata transfer,
        address[] calldata signers,
        bytes[] calldata signatures,
        uint256 threshold
    ) private returns (InboundStatus) {
        _verifySignatures(keccak256(abi.encode(TRANSFER_TYPEHASH, transfer)), signers, signatures, threshold);
        if (!_tryConsume(_inboundBuckets[transfer.sourceChainId], transfer.amount)) {
            _inbound[id] = InboundStatus.Queued;
            _inboundQueue[id] = keccak256(abi.encode(transfer));
            emit InboundQueued(id, transfer.recipient, transfer.amount);
            return InboundStatus.Queued;
        }
        return _credit(id, transfer);
    }

    /// @dev Credits the recipient; a refusal by the token marks the transfer Failed and gives the rate-limit
    /// capacity back. A "not yet" refusal ({_isRetryable}: the BNB-side reserve does not cover it yet) defers it
    /// instead ({DeliveryDeferred}, capacity given back, delivered again later) until {deferralTimeout} after its
    /// first deferral, then marks it Failed like any refusal — nothing waits forever, and a batch never reverts on
    /// it. An empty revert (out of gas — e.g. a relayer starving the call) reverts with {DeliveryOutOfGas}.
    function _credit(bytes32 id, Transfer calldata transfer) private returns (InboundStatus) {
        _inbound[id] = InboundStatus.Delivered;
        (bool credited, bytes memory reason) = _tryCredit(transfer.sourceChainId, transfer.recipient, transfer.amount);
        if (credited) {
            emit TransferDelivered(id, transfer.recipient, transfer.amount);
            return InboundStatus.Delivered;
        }
        if (reason.length == 0) revert DeliveryOutOfGas(id);
        if (_isRetryable(reason) && _deferred(id, transfer, reason)) return InboundStatus.Deferred;
        _inbound[id] = InboundStatus.Failed;
        _giveBack(_inboundBuckets[transfer.sourceChainId], transfer.amount);
        emit TransferFailed(id, transfer.recipient, transfer.amount, reason);
        return InboundStatus.Failed;
    }

    /// @dev Defers transfer `id` (its first deferral starts the clock), unless its time is up: then returns false
    /// and the caller marks it Failed.
    function _deferred(bytes32 id, Transfer calldata transfer, bytes memory reason) private returns (bool) {
        uint64 failsAt = _deferredFailsAt[id];
        if (failsAt == 0) {
            failsAt = uint64(block.timestamp) + deferralTimeout;
            _deferredFailsAt[id] = failsAt;
        } else if (block.timestamp >= failsAt) {
            return false;
        }
        _inbound[id] = InboundStatus.Deferred;
        _giveBack(_inboundBuckets[transfer.sourceChainId], transfer.amount);
        emit DeliveryDeferred(id, transfer.recipient, transfer.amount, failsAt, reason);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Sets {deferralTimeout} (seconds, at least {MIN_DEFERRAL_TIMEOUT}); transfers deferred already keep
    /// their time. DEFAULT_ADMIN_ROLE. Emits {DeferralTimeoutSet}.
    function setDeferralTimeout(uint64 timeout) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (timeout < MIN_DEFERRAL_TIMEOUT) revert InvalidDeferralTimeout(timeout, MIN_DEFERRAL_TIMEOUT);
        deferralTimeout = timeout;
        emit DeferralTimeoutSet(timeout);
    }

    /// @notice Sets the peer bridge on `chainId` (zero address: stop serving the chain). DEFAULT_ADMIN_ROLE.
    /// Emits {RemoteBridgeSet}.
    function setRemoteBridge(uint64 chainId, address bridge) external virtual onlyRole(DEFAULT_ADMIN_ROLE) {
        _lanes[chainId].bridge = bridge;
        emit RemoteBridgeSet(chainId, bridge);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    function _requireFromHere(Transfer calldata transfer) private view {
        if (transfer.sourceChainId != block.chainid || transfer.sourceBridge != address(this)) {
            revert WrongSource(transfer.sourceChainId, transfer.sourceBridge);
        }
    }

    /// @dev Reverts with {NotQueued} unless `transfer` is the message queued under its nonce here; returns its id.
    function _requireQueuedOutbound(Transfer calldata transfer) private view returns (bytes32 id) {
        _requireFromHere(transfer);
        id = transferId(transfer.sourceChainId, transfer.sourceBridge, transfer.nonce);
        OutboundRecord storage record = _outbound[transfer.nonce];
        if (record.status != OutboundStatus.Queued || record.queuedHash != keccak256(abi.encode(transfer))) {
            revert NotQueued(id);
        }
    }

    /// @dev Takes `amount` from the caller (`msg.sender`, the transfer's sender) for a transfer to `destChainId`
    /// (lock in escrow, or burn). Reverts when the token refuses.
    function _take(uint256 amount, uint64 destChainId) internal virtual;

    /// @dev Credits `amount` to `recipient` for a transfer from `sourceChainId` (release, or mint). Returns false
    /// and the token's revert data when the token refuses, with this bridge's own bookkeeping left unchanged.
    function _tryCredit(uint64 sourceChainId, address recipient, uint256 amount)
        internal
        virtual
        returns (bool credited, bytes memory reason);

    /// @dev Gives `amount` back to `sender` of a transfer to `destChainId` (cancel, refund). Reverts when the token
    /// refuses (the caller may retry later).
    function _payBack(uint64 destChainId, address sender, uint256 amount) internal virtual;

    /// @dev Whether the token's refusal `reason` only means "not yet" (the delivery reverts and can be retried).
    function _isRetryable(bytes memory reason) internal view virtual returns (bool);
}
