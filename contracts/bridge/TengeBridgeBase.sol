// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
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
 * queues the transfer; a queued one is sent later by anyone ({completeOutbound}: once the bucket has room, or after
 * its delay — see BridgeRateLimiter) or cancelled by its sender. At the destination, `deliver` verifies the
 * threshold signatures and either credits the recipient, or queues the transfer (over the inbound limit; anyone
 * completes it later, likewise), or — when the token refuses the recipient — marks it Failed for good; the source
 * then refunds the sender on a threshold-signed `Refund`, once. While queued, a transfer can be held by the pause
 * role ({holdQueued}) and rejected by the admin ({rejectQueued}: an outbound one is paid back to its sender, an
 * inbound one becomes Failed, so the validators sign its refund at the source).
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

    /// @dev A transfer from this bridge that did not simply go out: queued, completed from the queue (`unmetered`:
    /// after its delay, without taking from the bucket), cancelled, refunded or rejected.
    struct OutboundRecord {
        OutboundStatus status;
        bool unmetered;
    }

    /// @dev A queued transfer, outbound from here or inbound to here, by id: the hash of its message, its release
    /// time, whether the pause role holds it and whether it was oversized when queued. Deleted when it leaves the
    /// queue, so a transfer is queued here exactly when its entry holds the hash of its message.
    struct QueueEntry {
        bytes32 queuedHash;
        uint40 releaseAt;
        bool held;
        bool oversized;
    }

    /// @notice Largest number of transfers one {deliverBatch} accepts (a batch of 3-of-5 deliveries costs about
    /// 100,000 gas a transfer: 100 fit well inside a 30M-gas block).
    uint256 public constant MAX_BATCH = 100;

    /// @notice The token this bridge moves.
    address public immutable token;

    // Peers are set by setRemoteBridge, which runs in TengeBridgeAdmin over this storage (DELEGATECALL).
    // slither-disable-next-line uninitialized-state
    mapping(uint64 chainId => Lane) internal _lanes;
    /// @dev The peer a lane was re-pointed away from: its transfers still in flight are still accepted here.
    mapping(uint64 chainId => address) private _formerBridges;
    mapping(bytes32 id => InboundStatus) private _inbound;
    mapping(bytes32 id => QueueEntry) private _queue;
    mapping(uint64 nonce => OutboundRecord) private _outbound;

    /// @dev Deferred deliveries: when each fails for good (its first deferral + {deferralTimeout}).
    mapping(bytes32 id => uint64 failsAt) private _deferredFailsAt;

    /// @notice See {ITengeBridge-deferralTimeout}. Default 24 hours.
    uint64 public deferralTimeout = 1 days;

    /// @notice The shortest {deferralTimeout} the admin may set.
    uint64 public constant MIN_DEFERRAL_TIMEOUT = 1 hours;

    /// @dev The administrative module this bridge delegates its rarely used paths to (see {TengeBridgeAdmin}),
    /// created by the constructor.
    address private immutable _adminModule;

    /// @param adminModule_ the bridge's own administrative module (a TengeBridgeAdmin, created by the bridge's
    /// constructor)
    constructor(address token_, address admin, uint48 adminDelay, address adminModule_) BridgeControl(admin, adminDelay) {
        token = token_;
        _adminModule = adminModule_;
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

    /// @notice Transfer `id` queued here (outbound from here or inbound to here): when anyone may complete it at the
    /// latest (unix seconds), whether it is held, whether it is oversized (waits until then). Zeros if not queued.
    function queueEntry(bytes32 id) external view returns (uint256 releaseAt, bool held, bool oversized) {
        QueueEntry memory entry = _queue[id];
        return (entry.releaseAt, entry.held, entry.oversized);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Sends `amount` from the caller to `recipient` on `destChainId`. The token's rules apply to the caller
    /// (KYC, freeze, pause; the home bridge spends the caller's allowance). Within the outbound rate limit: emits
    /// {TransferSent}; over it: the money is taken and the transfer queued ({OutboundQueued}). Not while paused.
    /// Returns the transfer id.
    function send(uint64 destChainId, address recipient, uint256 amount) external returns (bytes32 id) {
        // Written out rather than through _open (as sendWithPayload does): a plain send keeps its gas (~500 less).
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
            _outbound[transfer.nonce].status = OutboundStatus.Queued;
            _enqueue(id, keccak256(abi.encode(transfer)), _outboundBuckets[destChainId], amount);
            emit OutboundQueued(id, sender, transfer);
        }
        _take(amount, destChainId); // last: the token call (the token reverts, or the money is in)
    }

    /// @dev Checks a new transfer of `amount` from the caller to `recipient` on `destChainId` (not while paused) and
    /// takes the next nonce: its id and message (as {send} does, written out there).
    function _open(uint64 destChainId, address recipient, uint256 amount)
        internal
        returns (bytes32 id, Transfer memory transfer)
    {
        Control memory control = _activeControl();
        if (amount == 0) revert ZeroAmount();
        address peer = _lanes[destChainId].bridge;
        if (peer == address(0)) revert UnsupportedChain(destChainId);
        // Money credited to the destination bridge itself would be stuck there.
        if (recipient == address(0) || recipient == peer) revert InvalidRecipient(recipient);
        uint64 nonce = control.nextNonce;
        _control.nextNonce = nonce + 1;
        // The sender is the account _take pulls or burns from.
        transfer = Transfer(uint64(block.chainid), address(this), destChainId, peer, nonce, msg.sender, recipient, amount);
        id = transferId(transfer.sourceChainId, address(this), nonce);
    }

    /// @notice Sends a queued outbound transfer ({TransferSent}) once the outbound bucket has room for it, or after
    /// its release time; an oversized one (over the capacity or the lane's maximum when queued) only after its
    /// release time ({TransferDelayed} before). Never while held ({QueuedTransferHeld}), nor to a peer that is no
    /// longer the lane's ({PeerChanged}: its sender may still cancel it). Permissionless; `transfer` must be the
    /// message queued (from {OutboundQueued}). Not while paused.
    function completeOutbound(Transfer calldata transfer) external {
        _activeControl();
        (bytes32 id,) = _requireQueued(transfer, true);
        address peer = _lanes[transfer.destChainId].bridge;
        if (transfer.destBridge != peer) revert PeerChanged(transfer.destChainId, transfer.destBridge, peer);
        bool metered = _dequeue(id, _outboundBuckets[transfer.destChainId], transfer.destChainId, transfer.amount);
        _outbound[transfer.nonce] = OutboundRecord(OutboundStatus.Sent, !metered);
        emit TransferSent(id, transfer.sender, transfer);
    }

    /// @notice The sender of a queued outbound transfer cancels it and gets its money back ({OutboundCancelled}).
    /// Not while paused.
    function cancelOutbound(Transfer calldata transfer) external nonReentrant {
        _activeControl();
        (bytes32 id,) = _requireQueued(transfer, true);
        if (_msgSender() != transfer.sender) revert NotSender(_msgSender(), transfer.sender);
        emit OutboundCancelled(id, transfer.sender, transfer.amount);
        _payBackQueued(id, transfer, OutboundStatus.Cancelled);
    }

    /// @notice Refunds the sender of a transfer from this bridge that failed at its destination, on signatures of
    /// a threshold of validators over its EIP-712 `Refund` digest, and gives back to the outbound bucket what the
    /// transfer took from it (up to the capacity). Exactly once per transfer. Permissionless.
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
        // A transfer that went after its delay took nothing from the bucket: nothing to give back.
        if (!_outbound[transfer.nonce].unmetered) _giveBack(_outboundBuckets[transfer.destChainId], transfer.amount);
        _outbound[transfer.nonce] = OutboundRecord(OutboundStatus.Refunded, false);
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
        if (
            (transfer.sourceBridge != _lanes[source].bridge && transfer.sourceBridge != _formerBridges[source])
                || transfer.sourceBridge == address(0)
        ) revert UnknownSourceBridge(source, transfer.sourceBridge);
        bytes32 id = transferId(source, transfer.sourceBridge, transfer.nonce);
        InboundStatus status = _inbound[id];
        if (status != InboundStatus.None && status != InboundStatus.Deferred) revert AlreadyProcessed(id, status);
        _verifySignatures(keccak256(abi.encode(TRANSFER_TYPEHASH, transfer)), signers, signatures, control.threshold);

        if (!_tryConsume(_inboundBuckets[source], transfer.amount)) return _queueInbound(id, transfer);
        return _credit(id, transfer, true, msg.data[0:0]);
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

    /// @notice Completes a queued inbound transfer once the inbound bucket has room for it, or after its release
    /// time; an oversized one (over the capacity or the lane's maximum when queued) only after its release time
    /// ({TransferDelayed} before). Never while held ({QueuedTransferHeld}). Permissionless; `transfer` must be the
    /// message queued. Delivers or marks Failed like {deliver}. Not while paused.
    function completeInbound(Transfer calldata transfer) external nonReentrant returns (InboundStatus) {
        _activeControl();
        (bytes32 id,) = _requireQueued(transfer, false);
        bool metered = _dequeue(id, _inboundBuckets[transfer.sourceChainId], transfer.sourceChainId, transfer.amount);
        return _credit(id, transfer, metered, msg.data[0:0]);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The queues under review
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Rejects a queued transfer: outbound from here, its sender is paid back (status Rejected); inbound to
    /// here, it becomes Failed ({TransferFailed} with reason {TransferRejected}), so the validators sign its refund
    /// at the source. DEFAULT_ADMIN_ROLE, paused or not. Emits {QueuedTransferRejected}.
    function rejectQueued(Transfer calldata transfer) external nonReentrant onlyRole(DEFAULT_ADMIN_ROLE) {
        bool outbound = transfer.sourceChainId == block.chainid && transfer.sourceBridge == address(this);
        (bytes32 id,) = _requireQueued(transfer, outbound);
        emit QueuedTransferRejected(id, !outbound, transfer.amount);
        if (outbound) {
            _payBackQueued(id, transfer, OutboundStatus.Rejected);
        } else {
            _inbound[id] = InboundStatus.Failed;
            delete _queue[id];
            emit TransferFailed(
                id, transfer.recipient, transfer.amount, abi.encodeWithSelector(TransferRejected.selector, id)
            );
        }
    }

    /// @dev The id of `transfer` and its status here, after checking it is addressed to this bridge from a peer.
    function _inboundOf(Transfer calldata transfer) internal view returns (bytes32 id, InboundStatus status) {
        if (transfer.destChainId != block.chainid || transfer.destBridge != address(this)) {
            revert WrongDestination(transfer.destChainId, transfer.destBridge);
        }
        uint64 source = transfer.sourceChainId;
        if (
            (transfer.sourceBridge != _lanes[source].bridge && transfer.sourceBridge != _formerBridges[source])
                || transfer.sourceBridge == address(0)
        ) revert UnknownSourceBridge(source, transfer.sourceBridge);
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
        if (!_tryConsume(_inboundBuckets[transfer.sourceChainId], transfer.amount)) return _queueInbound(id, transfer);
        return _credit(id, transfer, true, msg.data[0:0]);
    }

    /// @dev Queues `transfer` under the inbound limit, with its release time.
    function _queueInbound(bytes32 id, Transfer calldata transfer) internal returns (InboundStatus) {
        _inbound[id] = InboundStatus.Queued;
        _enqueue(id, keccak256(abi.encode(transfer)), _inboundBuckets[transfer.sourceChainId], transfer.amount);
        emit InboundQueued(id, transfer.recipient, transfer.amount);
        return InboundStatus.Queued;
    }

    /// @dev Credits the recipient; a refusal by the token marks the transfer Failed and gives the rate-limit
    /// capacity back if it took some (`metered`). A "not yet" refusal ({_isRetryable}: the BNB-side reserve does not
    /// cover it yet) defers it instead ({DeliveryDeferred}, capacity given back, delivered again later) until
    /// {deferralTimeout} after its first deferral, then marks it Failed like any refusal — nothing waits forever, and
    /// a batch never reverts on it. An empty revert (out of gas — e.g. a relayer starving the call) reverts with
    /// {DeliveryOutOfGas}. A transfer with a `payload` (non-empty) is credited by {_tryCreditPayload}.
    function _credit(bytes32 id, Transfer calldata transfer, bool metered, bytes calldata payload)
        internal
        returns (InboundStatus)
    {
        _inbound[id] = InboundStatus.Delivered;
        (bool credited, bytes memory reason) = payload.length == 0
            ? _tryCredit(transfer.sourceChainId, transfer.recipient, transfer.amount)
            : _tryCreditPayload(id, transfer, payload);
        if (credited) {
            emit TransferDelivered(id, transfer.recipient, transfer.amount);
            return InboundStatus.Delivered;
        }
        if (reason.length == 0) revert DeliveryOutOfGas(id);
        if (_isRetryable(reason) && _deferred(id, transfer, reason, metered)) return InboundStatus.Deferred;
        _inbound[id] = InboundStatus.Failed;
        if (metered) _giveBack(_inboundBuckets[transfer.sourceChainId], transfer.amount);
        emit TransferFailed(id, transfer.recipient, transfer.amount, reason);
        return InboundStatus.Failed;
    }

    /// @dev Defers transfer `id` (its first deferral starts the clock; the capacity it took, if `metered`, goes back),
    /// unless its time is up: then returns false and the caller marks it Failed.
    function _deferred(bytes32 id, Transfer calldata transfer, bytes memory reason, bool metered)
        private
        returns (bool)
    {
        uint64 failsAt = _deferredFailsAt[id];
        if (failsAt == 0) {
            failsAt = uint64(block.timestamp) + deferralTimeout;
            _deferredFailsAt[id] = failsAt;
        } else if (block.timestamp >= failsAt) {
            return false;
        }
        _inbound[id] = InboundStatus.Deferred;
        if (metered) _giveBack(_inboundBuckets[transfer.sourceChainId], transfer.amount);
        emit DeliveryDeferred(id, transfer.recipient, transfer.amount, failsAt, reason);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------------------

    // ---------------------------------------------------------------------------------------------------------
    // Administration: runs in {TengeBridgeAdmin} over this bridge's storage (DELEGATECALL, same role checks)
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Removes `removed`, then adds `added`, then sets the threshold (1..validator count). The first set
    /// (none yet), or any change while the delay is 0, takes effect at once. Otherwise the first call schedules
    /// the change ({ValidatorUpdateScheduled}) and the same call again, once {validatorUpdateDelay} has passed,
    /// applies it — unless it was cancelled ({cancelValidatorUpdate}). One change at a time
    /// ({ValidatorUpdatePending}). VALIDATOR_MANAGER_ROLE. Emits {ValidatorRemoved}, {ValidatorAdded},
    /// {ThresholdSet} when applied.
    function updateValidators(address[] calldata, address[] calldata, uint256) external {
        _delegateToAdmin();
    }

    /// @notice Drops the scheduled change. VALIDATOR_MANAGER_ROLE or PAUSER_ROLE (the emergency role).
    /// Emits {ValidatorUpdateCancelled}.
    function cancelValidatorUpdate() external {
        _delegateToAdmin();
    }

    /// @notice Removes one validator at once — it only lowers risk — if the threshold still fits the smaller set.
    /// VALIDATOR_MANAGER_ROLE. Emits {ValidatorRemoved}.
    function removeValidator(address) external {
        _delegateToAdmin();
    }

    /// @notice Sets the delay of validator-set changes (seconds, at most {MAX_VALIDATOR_UPDATE_DELAY}). A longer
    /// delay applies at once; a shorter one only once the delay in force has passed (at once while there is no
    /// set yet), so it never shortens the notice. DEFAULT_ADMIN_ROLE. Emits {ValidatorUpdateDelaySet}.
    function setValidatorUpdateDelay(uint256) external {
        _delegateToAdmin();
    }

    /// @notice Sets the inbound and outbound buckets of `chainId` (capacity in tiyn, refill in tiyn per second; a
    /// capacity of 0 queues everything). A bucket configured for the first time starts full; otherwise what is
    /// available now is kept, capped at the new capacity. Queued transfers keep their release time.
    /// RATE_LIMITER_ROLE. Emits {RateLimitsSet}.
    function setRateLimits(uint64, uint256, uint256, uint256, uint256) external {
        _delegateToAdmin();
    }

    /// @notice Sets the largest single transfer from / to `chainId` that crosses without the delay, in tiyn (0: no
    /// maximum besides the capacity). A larger one is queued as oversized. RATE_LIMITER_ROLE. Emits
    /// {MaxTransferSet}.
    function setMaxTransfer(uint64, uint256, uint256) external {
        _delegateToAdmin();
    }

    /// @notice Sets the delay of transfers queued from now on (1 second to {MAX_QUEUE_DELAY}); transfers already
    /// queued keep their release time. DEFAULT_ADMIN_ROLE. Emits {QueueDelaySet}.
    function setQueueDelay(uint256) external {
        _delegateToAdmin();
    }

    /// @notice Holds (`held` true) or lets go queued transfer `id`, outbound from here or inbound to here: while
    /// held nobody completes it (its sender may still cancel an outbound one). The release time does not change.
    /// PAUSER_ROLE. Emits {TransferHoldSet}.
    function holdQueued(bytes32, bool) external {
        _delegateToAdmin();
    }

    /// @notice Sets {deferralTimeout} (seconds, at least {MIN_DEFERRAL_TIMEOUT}); transfers deferred already keep
    /// their time. DEFAULT_ADMIN_ROLE. Emits {DeferralTimeoutSet}.
    function setDeferralTimeout(uint64) external {
        _delegateToAdmin();
    }

    /// @notice Sets the peer bridge on `chainId` (zero address: stop serving the chain). Re-pointed from one peer
    /// to another (the old one retired for a successor), deliveries from the old one — its transfers still in
    /// flight — are still accepted; stopping the chain (zero) forgets it. DEFAULT_ADMIN_ROLE. Emits
    /// {RemoteBridgeSet}.
    function setRemoteBridge(uint64, address) external virtual {
        _delegateToAdmin();
    }

    /// @dev The administrative paths run in the admin module over this bridge's storage; its revert data (the
    /// role check's or the function's own error) is passed on as is.
    function _delegateToAdmin() internal {
        // The module returns nothing; the call's success or revert is all there is.
        // slither-disable-next-line unused-return
        Address.functionDelegateCall(_adminModule, msg.data);
    }

    /// @notice The peer `chainId` was re-pointed away from, whose deliveries are still accepted (zero: none).
    function formerRemoteBridge(uint64 chainId) external view returns (address) {
        return _formerBridges[chainId];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    function _requireFromHere(Transfer calldata transfer) private view {
        if (transfer.sourceChainId != block.chainid || transfer.sourceBridge != address(this)) {
            revert WrongSource(transfer.sourceChainId, transfer.sourceBridge);
        }
    }

    /// @dev `transfer`'s id, after checking it is the message queued here, outbound from here (`outbound`) or
    /// inbound to here; reverts with {NotQueued} otherwise.
    function _requireQueued(Transfer calldata transfer, bool outbound) private view returns (bytes32 id, bool) {
        if (outbound) _requireFromHere(transfer);
        id = transferId(transfer.sourceChainId, transfer.sourceBridge, transfer.nonce);
        bool queued = outbound
            ? _outbound[transfer.nonce].status == OutboundStatus.Queued
            : _inbound[id] == InboundStatus.Queued;
        if (!queued || _queue[id].queuedHash != keccak256(abi.encode(transfer))) revert NotQueued(id);
        return (id, outbound);
    }

    /// @dev Queues transfer `id` (message hash `hash`) under `bucket`'s limit: released after the queue delay.
    function _enqueue(bytes32 id, bytes32 hash, Bucket storage bucket, uint256 amount) private {
        _queue[id] = QueueEntry(hash, _releaseTime(), false, _isOversized(bucket, amount));
    }

    /// @dev Takes queued transfer `id` out of the queue if it may go now ({_release}); returns whether it took its
    /// amount from `bucket`.
    function _dequeue(bytes32 id, Bucket storage bucket, uint64 chainId, uint256 amount) private returns (bool) {
        QueueEntry memory entry = _queue[id];
        delete _queue[id];
        return _release(id, bucket, chainId, amount, entry.releaseAt, entry.held, entry.oversized);
    }

    /// @dev Closes queued outbound transfer `id` (cancelled or rejected) and pays its sender back.
    function _payBackQueued(bytes32 id, Transfer calldata transfer, OutboundStatus status) private {
        delete _queue[id];
        _outbound[transfer.nonce].status = status;
        _payBack(transfer.destChainId, transfer.sender, transfer.amount);
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

    /// @dev Credits transfer `id` sent with `payload` (the BNB-side bridge: mint to its payload handler and call it);
    /// returns false and the revert data on a refusal, with nothing credited. A bridge that takes no payloads (home)
    /// never gets here: only TengeBridgeRemote's deliverWithPayload passes a payload.
    function _tryCreditPayload(bytes32 id, Transfer calldata transfer, bytes calldata payload)
        internal
        virtual
        returns (bool credited, bytes memory reason)
    {}

    /// @dev Gives `amount` back to `sender` of a transfer to `destChainId` (cancel, refund). Reverts when the token
    /// refuses (the caller may retry later).
    function _payBack(uint64 destChainId, address sender, uint256 amount) internal virtual;

    /// @dev Whether the token's refusal `reason` only means "not yet" (the delivery reverts and can be retried).
    function _isRetryable(bytes memory reason) internal view virtual returns (bool);
}
