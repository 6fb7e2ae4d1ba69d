// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";

/**
 * @title ITengeBridge
 * @notice What both ends of the digital tenge bridge share: the transfer message, statuses, events, errors and the
 * external functions. The **home** bridge ({ITengeBridgeHome}, on the central bank's ledger) locks tenge in escrow
 * (its own token balance) on the way out and releases it on the way back; a **remote** bridge
 * ({ITengeBridgeRemote}, on a BNB-side chain) burns on the way out and mints on the way in through the token's
 * ERC-7802 `crosschainBurn`/`crosschainMint`, and feeds the token's reserve gate with escrow attestations.
 *
 * Transfer id: `keccak256(abi.encode(uint64 sourceChainId, address sourceBridge, uint64 nonce))` — unique per
 * (source chain, source bridge, nonce); nonces count up from 0 per source bridge. {transferId} computes it.
 *
 * Attestations are EIP-712 typed data signed by a threshold of the validator set of the VERIFYING bridge.
 * Domain: name "TengeBridge", version "1", chainId = the verifying chain (block.chainid), verifyingContract = the
 * verifying bridge. Type strings (exact):
 *
 * - deliver, verified by the destination bridge:
 *   `Transfer(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)`
 * - refund of a transfer that failed at the destination, verified by the SOURCE bridge (domain = source chain and
 *   source bridge; validators sign it only after seeing {TransferFailed} at the destination):
 *   `Refund(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)`
 * - what is locked at home for this remote chain (`escrowed` = home `locked(chainId)`), verified by the remote bridge
 *   (see {ITengeBridgeRemote}):
 *   `EscrowAttestation(uint64 homeChainId,address homeBridge,uint256 escrowed,uint64 sequence,uint64 timestamp)`
 *
 * Signatures are passed as `(address[] signers, bytes[] signatures)`, 65-byte `r‖s‖v` each, in any order. Every
 * listed signer must be a current validator ({UnknownSigner}), listed once ({DuplicateSigner}), and its signature
 * must recover to it over THIS message ({InvalidSignature}: a tampered message); then at least `threshold` of them
 * are needed ({InsufficientSignatures}). Nothing pins a transfer to a validator set: after a rotation, transfers in
 * flight are re-attested by the new set.
 *
 * Amounts are in tiyn (the token's 2-decimal base unit).
 */
interface ITengeBridge is IAccessControlDefaultAdminRules {
    // ---------------------------------------------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The message: every field is signed by the validators (EIP-712 `Transfer`).
    struct Transfer {
        uint64 sourceChainId;
        address sourceBridge;
        uint64 destChainId;
        address destBridge;
        uint64 nonce;
        address sender;
        address recipient;
        uint256 amount;
    }

    /// @notice The FX quote of a {PaymentOrder}: the PvP settlement contract's EIP-712 `Quote`, field for field (an
    /// LP's firm quote; see IPvPSettlement).
    struct PaymentQuote {
        address lp;
        address sellToken;
        address buyToken;
        uint256 rate;
        uint256 maxAmount;
        address taker;
        uint64 validAfter;
        uint64 validBefore;
        uint256 nonce;
    }

    /// @notice The typed payload of a transfer with a payload ({ITengeBridgeHome-sendWithPayload}): a cross-border
    /// payment order for the BNB-side payload handler (the PvP settlement) — the LP's signed quote (`quote`, and its
    /// 65-byte signature as `r`, `s`, `v`), the `merchant` on the buy currency's home ledger and the least amount it
    /// must receive (`minBuyAmount`, buy-token base units). Typed so that no free-form bytes ever reach the chain:
    /// every field is an address, amount, rate, time, nonce or signature part. The payload the validators sign and
    /// the handler gets is its canonical ABI encoding
    /// `abi.encode(PaymentQuote quote, bytes signature, address merchant, uint256 minBuyAmount)`, `signature` =
    /// `r‖s‖v` (see IPvPSettlement-decodePayload).
    struct PaymentOrder {
        PaymentQuote quote;
        uint8 v;
        bytes32 r;
        bytes32 s;
        address merchant;
        uint256 minBuyAmount;
    }

    /// @notice One item of {deliverBatch}: a transfer and the validators' signatures over its `Transfer` digest.
    struct Delivery {
        Transfer transfer;
        address[] signers;
        bytes[] signatures;
    }

    /// @notice A transfer at its destination: never seen, delivered (credited), queued by the inbound rate limit,
    /// failed (the token refused the recipient; refundable at the source), or deferred (the token said "not yet":
    /// the BNB-side reserve did not cover it; delivered again later, and Failed once {deferralTimeout} has passed
    /// since it was first deferred). Delivered and Failed are final.
    enum InboundStatus {
        None,
        Delivered,
        Queued,
        Failed,
        Deferred
    }

    /// @notice A transfer at its source, by nonce: not yet assigned, sent (event emitted, on its way), queued by the
    /// outbound rate limit (money taken, not yet sent), cancelled by its sender (refunded), refunded after failing
    /// at the destination, rejected by the admin while queued (paid back). Cancelled, Refunded and Rejected are final.
    enum OutboundStatus {
        None,
        Sent,
        Queued,
        Cancelled,
        Refunded,
        Rejected
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------------------

    /// @notice A transfer with a payload left this bridge ({ITengeBridgeHome-sendWithPayload}) with its typed payment
    /// `order`: validators sign it as an EIP-712 `PayloadTransfer` (the `Transfer` fields and the order's canonical
    /// encoding, see {PaymentOrder}), which only {ITengeBridgeRemote-deliverWithPayload} accepts. Emitted once per
    /// such transfer (never queued).
    event PayloadTransferSent(bytes32 indexed id, address indexed sender, Transfer transfer, PaymentOrder order);

    /// @notice A transfer left this bridge: everything a validator signs. Emitted once per transfer (by {send}, or
    /// by {completeOutbound} for a transfer that was queued).
    event TransferSent(bytes32 indexed id, address indexed sender, Transfer transfer);

    /// @notice {send} went over the outbound rate limit: the money is taken (locked or burned), the transfer waits
    /// for {completeOutbound} (anyone, once capacity returns) or {cancelOutbound} (its sender).
    event OutboundQueued(bytes32 indexed id, address indexed sender, Transfer transfer);

    /// @notice The sender cancelled its queued outbound transfer and got `amount` back.
    event OutboundCancelled(bytes32 indexed id, address indexed sender, uint256 amount);

    /// @notice The sender of a transfer that failed at the destination got `amount` back (threshold-signed Refund).
    event TransferRefunded(bytes32 indexed id, address indexed sender, uint256 amount);

    /// @notice A transfer was credited to its recipient at the destination.
    event TransferDelivered(bytes32 indexed id, address indexed recipient, uint256 amount);

    /// @notice An attested transfer went over the inbound rate limit: queued, anyone completes it with
    /// {completeInbound} once capacity returns.
    event InboundQueued(bytes32 indexed id, address indexed recipient, uint256 amount);

    /// @notice The token refused the recipient (not KYC'd, frozen, over its tier cap, paused...): the transfer is
    /// marked Failed for good; `reason` is the token's revert data (a custom error). The source refunds the sender.
    event TransferFailed(bytes32 indexed id, address indexed recipient, uint256 amount, bytes reason);

    /// @notice {deliverBatch} skipped a transfer this bridge had already processed (another relayer was first):
    /// `status` is its status here. Nothing changed for it; the rest of the batch went on.
    event DeliverySkipped(bytes32 indexed id, InboundStatus status);

    /// @notice `validator` joined the validator set.
    event ValidatorAdded(address indexed validator);

    /// @notice `validator` left the validator set: its signatures stop counting immediately.
    event ValidatorRemoved(address indexed validator);

    /// @notice The number of validator signatures required changed.
    event ThresholdSet(uint256 oldThreshold, uint256 newThreshold);

    /// @notice The bridge on `chainId` this bridge talks to (zero address: the chain is no longer served).
    event RemoteBridgeSet(uint64 indexed chainId, address bridge);

    /// @notice Rate limits towards / from `chainId` changed (capacity in tiyn, refill in tiyn per second).
    event RateLimitsSet(
        uint64 indexed chainId,
        uint256 inboundCapacity,
        uint256 inboundRatePerSecond,
        uint256 outboundCapacity,
        uint256 outboundRatePerSecond
    );

    /// @notice Same signature as OpenZeppelin Pausable's event.
    event Paused(address account);

    /// @notice Same signature as OpenZeppelin Pausable's event.
    event Unpaused(address account);

    /// @notice The largest single transfer from / to `chainId` that crosses without the delay changed (tiyn; 0: the
    /// capacity).
    event MaxTransferSet(uint64 indexed chainId, uint256 inboundMax, uint256 outboundMax);

    /// @notice Transfers queued from now on wait up to `newDelay` seconds (an oversized one: exactly).
    event QueueDelaySet(uint256 oldDelay, uint256 newDelay);

    /// @notice The pause role held (`held` true) or let go queued transfer `id`.
    event TransferHoldSet(bytes32 indexed id, bool held);

    /// @notice The admin rejected queued transfer `id` (inbound to this bridge, or outbound from it: paid back).
    event QueuedTransferRejected(bytes32 indexed id, bool inbound, uint256 amount);

    /// @notice A validator-set change was scheduled: the same {ITengeBridge-updateValidators} call applies it
    /// from `executableAt` (unix seconds) unless it is cancelled first.
    event ValidatorUpdateScheduled(address[] removed, address[] added, uint256 threshold, uint256 executableAt);

    /// @notice The scheduled validator-set change was dropped by `by`.
    event ValidatorUpdateCancelled(address indexed by);

    /// @notice The delay of validator-set changes becomes `delay` seconds from `effectiveAt` (unix seconds).
    event ValidatorUpdateDelaySet(uint256 delay, uint256 effectiveAt);

    /// @notice The token said "not yet" to transfer `id` of `amount` to `recipient` (e.g. the BNB-side reserve does
    /// not cover it yet): it is Deferred, not reverted. Deliver it again (after a fresh escrow attestation); from
    /// `failsAt` (unix seconds) on, a delivery the token still refuses marks it Failed, so the source refunds it.
    /// `reason` is the token's error.
    event DeliveryDeferred(
        bytes32 indexed id, address indexed recipient, uint256 amount, uint64 failsAt, bytes reason
    );

    /// @notice The time a deferred delivery may wait before it fails changed to `timeout` seconds.
    event DeferralTimeoutSet(uint64 timeout);

    // ---------------------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The message is not addressed to this bridge on this chain.
    error WrongDestination(uint64 chainId, address bridge);

    /// @notice The message (for a refund) did not leave from this bridge on this chain.
    error WrongSource(uint64 chainId, address bridge);

    /// @notice `bridge` on `chainId` is not the peer this bridge accepts messages from.
    error UnknownSourceBridge(uint64 chainId, address bridge);

    /// @notice No peer bridge is configured for `chainId` (or, on a remote bridge, `chainId` is not home).
    error UnsupportedChain(uint64 chainId);

    /// @notice Replay: the transfer was already delivered, queued or failed here.
    error AlreadyProcessed(bytes32 id, InboundStatus status);

    /// @notice `signer` is not a (current) validator.
    error UnknownSigner(address signer);

    /// @notice `signer` is listed twice.
    error DuplicateSigner(address signer);

    /// @notice The signature listed for `signer` does not recover to it over this message (tampered message or
    /// bad signature).
    error InvalidSignature(address signer);

    /// @notice Fewer valid signatures than the threshold.
    error InsufficientSignatures(uint256 valid, uint256 threshold);

    /// @notice `signers` and `signatures` differ in length.
    error SignatureCountMismatch(uint256 signers, uint256 signatures);

    /// @notice The threshold must be between 1 and the number of validators.
    error InvalidThreshold(uint256 threshold, uint256 validatorCount);

    /// @notice The validator set holds at most `max` validators.
    error TooManyValidators(uint256 max);

    /// @notice `validator` is the zero address or already a validator.
    error InvalidValidator(address validator);

    /// @notice `validator` is not in the set (cannot be removed).
    error NotAValidator(address validator);

    /// @notice A transfer of 0 tiyn.
    error ZeroAmount();

    /// @notice The recipient is the zero address or the destination bridge itself.
    error InvalidRecipient(address recipient);

    /// @notice The transfer is not queued here (never was, already completed or cancelled), or the message given
    /// is not the one queued under this id.
    error NotQueued(bytes32 id);

    /// @notice Not enough rate-limit capacity yet towards / from `chainId` to complete a queued transfer before its
    /// release time.
    error RateLimitExceeded(uint64 chainId, uint256 amount, uint256 available);

    /// @notice A rate-limit capacity or refill rate above what the bucket stores.
    error RateLimitTooLarge(uint256 value, uint256 max);

    /// @notice Only the transfer's sender may cancel it.
    error NotSender(address caller, address sender);

    /// @notice The transfer cannot be refunded: it was never sent, is queued, or was already cancelled or refunded.
    error RefundNotAllowed(bytes32 id, OutboundStatus status);

    /// @notice The token call ran out of gas (empty revert data): the delivery reverts so it can be retried with
    /// more gas; it is not marked Failed.
    error DeliveryOutOfGas(bytes32 id);

    /// @notice {deliverBatch} was given no transfer.
    error EmptyBatch();

    /// @notice {deliverBatch} was given more than {MAX_BATCH} transfers.
    error BatchTooLarge(uint256 size, uint256 maxSize);

    /// @notice A payment order's `merchant` is zero, or its signature's `v` is not 27 or 28.
    error InvalidPaymentOrder();

    /// @notice `recipient` is this bridge's payload handler: only a transfer with a payload is credited to it
    /// (a plain one is marked Failed and refunded at its source, so nothing is ever left in the handler).
    error PayloadRequired(address recipient);

    /// @notice A transfer with a payload names `recipient`, which is not this bridge's payload handler: marked
    /// Failed and refunded at its source.
    error NotPayloadHandler(address recipient);

    /// @notice Same signature as OpenZeppelin Pausable's error.
    error EnforcedPause();

    /// @notice Same signature as OpenZeppelin Pausable's error.
    error ExpectedPause();

    /// @notice Queued transfer `id` was larger than the lane's capacity or maximum single transfer: nobody may
    /// complete it before `releaseAt` (unix seconds), while it can be held or rejected.
    error TransferDelayed(bytes32 id, uint256 releaseAt);

    /// @notice Queued transfer `id` is held by the pause role: it completes only once let go.
    error QueuedTransferHeld(bytes32 id);

    /// @notice The transfer was queued for `queuedFor` on `chainId`, which is no longer the lane's peer (`current`):
    /// it is never sent there; its sender may cancel it.
    error PeerChanged(uint64 chainId, address queuedFor, address current);

    /// @notice A queue delay of 0 or above `maxDelay` seconds.
    error InvalidQueueDelay(uint256 delay, uint256 maxDelay);

    /// @notice The reason of the {TransferFailed} of an inbound transfer the admin rejected while queued.
    error TransferRejected(bytes32 id);

    /// @notice Another validator-set change is scheduled (executable from `executableAt`): apply or cancel it
    /// first.
    error ValidatorUpdatePending(uint256 executableAt);

    /// @notice No validator-set change is scheduled.
    error NoValidatorUpdate();

    /// @notice The scheduled validator-set change may be applied only from `executableAt` (it is `now`).
    error ValidatorUpdateNotReady(uint256 executableAt, uint256 now);

    /// @notice A validator-update delay longer than `max` seconds.
    error ValidatorUpdateDelayTooLong(uint256 delay, uint256 max);

    /// @notice A deferral timeout must be at least `min` seconds (a deferred transfer gets time for a fresh
    /// attestation before it fails).
    error InvalidDeferralTimeout(uint64 timeout, uint64 min);

    // ---------------------------------------------------------------------------------------------------------
    // Roles and constants
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Manages the validator set and the threshold ({updateValidators}).
    function VALIDATOR_MANAGER_ROLE() external view returns (bytes32);

    /// @notice Sets the rate limits ({setRateLimits}).
    function RATE_LIMITER_ROLE() external view returns (bytes32);

    /// @notice Emergency role: pauses and unpauses this bridge.
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice keccak256 of the `Transfer` type string above.
    function TRANSFER_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256 of the `Refund` type string above.
    function REFUND_TYPEHASH() external view returns (bytes32);

    /// @notice Largest validator set.
    function MAX_VALIDATORS() external view returns (uint256);

    /// @notice Largest number of transfers one {deliverBatch} accepts.
    function MAX_BATCH() external view returns (uint256);

    /// @notice Longest queue delay (seconds).
    function MAX_QUEUE_DELAY() external view returns (uint256);

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The DigitalTenge token this bridge moves.
    function token() external view returns (address);

    /// @notice The nonce the next transfer from this bridge gets.
    function nextNonce() external view returns (uint64);

    /// @notice Whether the bridge is paused.
    function paused() external view returns (bool);

    /// @notice The transfer id of (`sourceChainId`, `sourceBridge`, `nonce`).
    function transferId(uint64 sourceChainId, address sourceBridge, uint64 nonce) external pure returns (bytes32);

    /// @notice The EIP-712 digest validators sign to deliver `transfer` here (this bridge as destination).
    function transferDigest(Transfer calldata transfer) external view returns (bytes32);

    /// @notice The EIP-712 digest validators sign to refund `transfer` here (this bridge as source).
    function refundDigest(Transfer calldata transfer) external view returns (bytes32);

    /// @notice Status of a transfer that came (or is coming) to this bridge.
    function inboundStatus(bytes32 id) external view returns (InboundStatus);

    /// @notice Status of this bridge's transfer number `nonce`.
    function outboundStatus(uint64 nonce) external view returns (OutboundStatus);

    /// @notice The current validators (unordered).
    function validators() external view returns (address[] memory);

    /// @notice Whether `account` is a current validator.
    function isValidator(address account) external view returns (bool);

    /// @notice Signatures required.
    function threshold() external view returns (uint256);

    /// @notice The peer bridge on `chainId` (zero: not served).
    function remoteBridge(uint64 chainId) external view returns (address);

    /// @notice The peer `chainId` was re-pointed away from, whose deliveries are still accepted (zero: none).
    function formerRemoteBridge(uint64 chainId) external view returns (address);

    /// @notice The inbound (from `chainId`) or outbound (to `chainId`) bucket: capacity, what is available now, and
    /// refill per second, in tiyn.
    function rateLimit(uint64 chainId, bool inbound)
        external
        view
        returns (uint256 capacity, uint256 available, uint256 ratePerSecond);

    /// @notice The largest single transfer from (`inbound`) or to `chainId` that crosses without the delay, in tiyn
    /// (0: no maximum besides the capacity).
    function maxTransfer(uint64 chainId, bool inbound) external view returns (uint256);

    /// @notice Seconds a queued transfer waits at most (an oversized one: exactly) before anyone may complete it.
    function queueDelay() external view returns (uint256);

    /// @notice Transfer `id` queued here (outbound from here or inbound to here): when anyone may complete it at the
    /// latest (unix seconds), whether it is held, whether it is oversized (waits until then). Zeros if not queued.
    function queueEntry(bytes32 id) external view returns (uint256 releaseAt, bool held, bool oversized);

    // ---------------------------------------------------------------------------------------------------------
    // Transfers
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Sends `amount` from the caller to `recipient` on `destChainId`. The token's rules apply to the
    /// caller here (KYC, freeze, pause; the home bridge spends the caller's allowance). Within the outbound rate
    /// limit: emits {TransferSent}; over it: the money is taken and the transfer queued ({OutboundQueued}).
    /// Not while paused. Returns the transfer id.
    function send(uint64 destChainId, address recipient, uint256 amount) external returns (bytes32 id);

    /// @notice Delivers a transfer addressed to this bridge, with signatures of a threshold of validators over its
    /// EIP-712 `Transfer` digest. Permissionless. Credits the recipient ({TransferDelivered}), or queues it over
    /// the inbound rate limit ({InboundQueued}), or — when the token refuses the recipient — marks it Failed
    /// ({TransferFailed}) instead of reverting. Returns the resulting status. Not while paused.
    function deliver(Transfer calldata transfer, address[] calldata signers, bytes[] calldata signatures)
        external
        returns (InboundStatus);

    /// @notice Delivers many transfers in one call (1..{MAX_BATCH}), each exactly as {deliver} would — credited,
    /// queued or marked Failed — except that a transfer already processed here is skipped with {DeliverySkipped}
    /// instead of reverting, so relayers racing each other never make a whole batch fail. Any other refusal of
    /// any item (wrong destination, bad signatures, a "not yet" of the token) reverts the whole batch with that
    /// item's error. Permissionless. Returns each item's resulting status. Not while paused.
    function deliverBatch(Delivery[] calldata deliveries) external returns (InboundStatus[] memory statuses);

    /// @notice Completes a queued inbound transfer once the inbound bucket has room for it, or after its release
    /// time; an oversized one (over the capacity or the lane's maximum when queued) only after its release time
    /// ({TransferDelayed} before). Never while held ({QueuedTransferHeld}). Permissionless; `transfer` must be the
    /// message queued. Delivers or marks Failed like {deliver}. Not while paused.
    function completeInbound(Transfer calldata transfer) external returns (InboundStatus);

    /// @notice Sends a queued outbound transfer ({TransferSent}) once the outbound bucket has room for it, or after
    /// its release time; an oversized one (over the capacity or the lane's maximum when queued) only after its
    /// release time ({TransferDelayed} before). Never while held ({QueuedTransferHeld}), nor to a peer that is no
    /// longer the lane's ({PeerChanged}: its sender may still cancel it). Permissionless; `transfer` must be the
    /// message queued (from {OutboundQueued}). Not while paused.
    function completeOutbound(Transfer calldata transfer) external;

    /// @notice The sender of a queued outbound transfer cancels it and gets its money back ({OutboundCancelled}).
    /// Not while paused.
    function cancelOutbound(Transfer calldata transfer) external;

    /// @notice Refunds the sender of a transfer from this bridge that failed at its destination, on signatures of
    /// a threshold of validators over its EIP-712 `Refund` digest, and gives back to the outbound bucket what the
    /// transfer took from it (up to the capacity). Exactly once per transfer. Permissionless.
    /// Emits {TransferRefunded}. Not while paused.
    function refund(Transfer calldata transfer, address[] calldata signers, bytes[] calldata signatures) external;

    /// @notice Holds (`held` true) or lets go queued transfer `id`, outbound from here or inbound to here: while
    /// held nobody completes it (its sender may still cancel an outbound one). The release time does not change.
    /// PAUSER_ROLE. Emits {TransferHoldSet}.
    function holdQueued(bytes32 id, bool held) external;

    /// @notice Rejects a queued transfer: outbound from here, its sender is paid back (status Rejected); inbound to
    /// here, it becomes Failed ({TransferFailed} with reason {TransferRejected}), so the validators sign its refund
    /// at the source. DEFAULT_ADMIN_ROLE, paused or not. Emits {QueuedTransferRejected}.
    function rejectQueued(Transfer calldata transfer) external;

    // ---------------------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Removes `removed`, then adds `added`, then sets the threshold (1..validator count). The first set
    /// (none yet), or any change while the delay is 0, takes effect at once. Otherwise the first call schedules
    /// the change ({ValidatorUpdateScheduled}) and the same call again, once {validatorUpdateDelay} has passed,
    /// applies it — unless it was cancelled ({cancelValidatorUpdate}). One change at a time
    /// ({ValidatorUpdatePending}). VALIDATOR_MANAGER_ROLE. Emits {ValidatorRemoved}, {ValidatorAdded},
    /// {ThresholdSet} when applied.
    function updateValidators(address[] calldata removed, address[] calldata added, uint256 newThreshold) external;

    /// @notice Drops the scheduled change. VALIDATOR_MANAGER_ROLE or PAUSER_ROLE. Emits {ValidatorUpdateCancelled}.
    function cancelValidatorUpdate() external;

    /// @notice Removes one validator at once (it only lowers risk) if the threshold still fits the smaller set.
    /// VALIDATOR_MANAGER_ROLE. Emits {ValidatorRemoved}.
    function removeValidator(address validator) external;

    /// @notice Sets the delay of validator-set changes (seconds); a shorter delay applies only after the delay in
    /// force. DEFAULT_ADMIN_ROLE. Emits {ValidatorUpdateDelaySet}.
    function setValidatorUpdateDelay(uint256 newDelay) external;

    /// @notice The delay of validator-set changes in force now, in seconds.
    function validatorUpdateDelay() external view returns (uint256);

    /// @notice The scheduled validator-set change: hash of `abi.encode(removed, added, threshold)`, when it may be
    /// executed, the block whose {ValidatorUpdateScheduled} carries it (all zero: none scheduled).
    function pendingValidatorUpdate()
        external
        view
        returns (bytes32 changeHash, uint256 executableAt, uint256 scheduledBlock);

    /// @notice Sets the peer bridge on `chainId` (zero address: stop serving the chain). DEFAULT_ADMIN_ROLE.
    /// Emits {RemoteBridgeSet}.
    function setRemoteBridge(uint64 chainId, address bridge) external;

    /// @notice How long (seconds) a deferred delivery may wait, from its first deferral, before a delivery the token
    /// still refuses marks it Failed (refundable at the source).
    function deferralTimeout() external view returns (uint64);

    /// @notice Sets {deferralTimeout}; at least 1 hour ({InvalidDeferralTimeout}). DEFAULT_ADMIN_ROLE.
    /// Emits {DeferralTimeoutSet}.
    function setDeferralTimeout(uint64 timeout) external;

    /// @notice Sets the inbound and outbound buckets of `chainId` (capacity in tiyn, refill in tiyn per second;
    /// a capacity of 0 queues everything). A bucket configured for the first time starts full; otherwise what is
    /// available is kept, capped at the new capacity. RATE_LIMITER_ROLE. Emits {RateLimitsSet}.
    function setRateLimits(
        uint64 chainId,
        uint256 inboundCapacity,
        uint256 inboundRatePerSecond,
        uint256 outboundCapacity,
        uint256 outboundRatePerSecond
    ) external;

    /// @notice Sets the largest single transfer from / to `chainId` that crosses without the delay, in tiyn (0: no
    /// maximum besides the capacity). A larger one is queued as oversized. RATE_LIMITER_ROLE. Emits
    /// {MaxTransferSet}.
    function setMaxTransfer(uint64 chainId, uint256 inboundMax, uint256 outboundMax) external;

    /// @notice Sets the delay of transfers queued from now on (1 second to {MAX_QUEUE_DELAY}); transfers already
    /// queued keep their release time. DEFAULT_ADMIN_ROLE. Emits {QueueDelaySet}.
    function setQueueDelay(uint256 delay) external;

    /// @notice Pauses sending, delivering, completing, cancelling and refunding on this bridge. PAUSER_ROLE.
    function pause() external;

    /// @notice Lifts the pause. PAUSER_ROLE.
    function unpause() external;
}

/**
 * @title ITengeBridgeHome
 * @notice The home-ledger bridge: {ITengeBridge-send} pulls the caller's tenge into escrow (its own balance, via
 * `transferFrom`: approve the bridge first), deliveries and refunds release from escrow. Per remote chain it counts
 * {locked}: what went out to that chain (sent or queued) minus what was cancelled or refunded here — everything that
 * may ever be minted there; releases do not lower it (only a governed release of stranded escrow does,
 * {releaseStranded}). Validators sign that figure as the remote chain's
 * `EscrowAttestation.escrowed`.
 */
interface ITengeBridgeHome is ITengeBridge {
    /// @notice A release of home escrow stranded by money that left a BNB-side supply without the bridge (a wipe,
    /// redeem or burn there), signed by a threshold of validators over its EIP-712 `StrandedRelease` digest (this
    /// bridge verifying). `strandedTotal`: everything burned on `remoteChainId` outside the bridge since it started,
    /// in tiyn, as the validators observed it (a cumulative figure: releases never exceed it in sum); `sequence`:
    /// this chain's next release number (exactly once).
    struct StrandedRelease {
        uint64 remoteChainId;
        uint256 strandedTotal;
        address to;
        uint256 amount;
        uint64 sequence;
    }

    /// @notice `amount` of escrow stranded for `remoteChainId` was released to `to` (release number `sequence`,
    /// against the attested cumulative `strandedTotal`).
    event StrandedEscrowReleased(
        uint64 indexed remoteChainId, address indexed to, uint256 amount, uint256 strandedTotal, uint64 sequence
    );

    /// @notice A stranded release whose number is not the chain's next one (a replay, or one skipped ahead).
    error StaleStrandedRelease(uint64 sequence, uint64 expected);

    /// @notice A stranded release larger than the attested stranded total minus what was released before.
    error ReleaseExceedsStranded(uint256 amount, uint256 releasable);

    /// @notice A cancel or refund would give back more than is locked for `chainId`.
    error InsufficientEscrow(uint64 chainId, uint256 locked, uint256 amount);

    /// @notice An amount the 96-bit lock count (the token's supply bound) cannot hold.
    error AmountTooLarge(uint256 amount, uint256 max);

    /// @notice Locked for `chainId` in tiyn: sent or queued there, minus cancelled or refunded here, minus stranded
    /// escrow released ({releaseStranded}).
    function locked(uint64 chainId) external view returns (uint256);

    /// @notice Stranded escrow released so far for `chainId` (tiyn) and the number of the last release.
    function strandedReleased(uint64 chainId) external view returns (uint256 released, uint64 sequence);

    /// @notice The EIP-712 digest validators sign to release `release` here.
    function strandedReleaseDigest(StrandedRelease calldata release) external view returns (bytes32);

    /// @notice Releases home escrow that backs nothing any more — money burned on `release.remoteChainId` outside
    /// the bridge (a wipe, redeem or burn there) — to `release.to` (a bank or treasury paying its holder), on the
    /// signatures of a threshold of validators over its `StrandedRelease` digest. The amount is bounded by the
    /// attested cumulative `strandedTotal` minus everything released before ({ReleaseExceedsStranded}) and by the
    /// lock count, which it lowers, so the next escrow attestation lowers the BNB-side reserve by it: the BNB-side
    /// supply stays within the home escrow. Exactly once per `sequence` ({StaleStrandedRelease}).
    /// DEFAULT_ADMIN_ROLE; not while paused. Emits {StrandedEscrowReleased}.
    function releaseStranded(StrandedRelease calldata release, address[] calldata signers, bytes[] calldata signatures)
        external;

    /// @notice Sends `amount` from the caller to `recipient` on `destChainId` — the destination bridge's payload
    /// handler — with the typed payment `order` for it ({PaymentOrder}: never free-form bytes), as
    /// {ITengeBridge-send} does, except that it is never queued: over the outbound rate limit it reverts
    /// ({RateLimitExceeded}). A zero merchant or a `v` other than 27/28 is refused ({InvalidPaymentOrder}). Emits
    /// {PayloadTransferSent}. On delivery the destination mints to its handler and calls it with the order's
    /// encoding in the same transaction; if the handler (or the token) refuses, the transfer fails there and is
    /// refunded here once ({ITengeBridge-refund}). Not while paused.
    function sendWithPayload(uint64 destChainId, address recipient, uint256 amount, PaymentOrder calldata order)
        external
        returns (bytes32 id);
}

/**
 * @title ITengeBridgeRemote
 * @notice A BNB-side bridge: {ITengeBridge-send} burns the caller's tenge (`crosschainBurn`), deliveries and refunds
 * mint (`crosschainMint`, TOKEN_BRIDGE_ROLE). It talks only to its home bridge.
 *
 * Reserve. Anyone may post an `EscrowAttestation` signed by a threshold of validators ({attestEscrow}): `escrowed`
 * is the home bridge's `locked(thisChain)` (everything ever locked at home for this chain, net of cancels and
 * refunds there). The bridge — the token's only reserve attestor — keeps the token's reserve equal to that figure
 * minus everything that left this chain since it started (the token lowers its reserve on every crosschainBurn;
 * on an attestation the bridge adds the increase of `escrowed`; minting burned money back to its sender on a
 * cancel or refund adds it back first). The gate "supply <= reserve" then says: nothing is ever minted here that
 * was not locked at home — so no mint, not even by a holder of TOKEN_BRIDGE_ROLE, can lift the supply here above
 * the escrow at home. A delivery the attested reserve does not cover yet, or made on a stale attestation, reverts
 * with the token's `ReserveExceeded` / `ReserveAttestationStale` (post a fresh attestation, deliver again); it is
 * not marked Failed.
 */
interface ITengeBridgeRemote is ITengeBridge {
    /// @notice A home-escrow figure signed by the validators, fed to the token's reserve gate.
    struct EscrowAttestation {
        uint64 homeChainId;
        address homeBridge;
        uint256 escrowed;
        uint64 sequence;
        uint64 timestamp;
    }

    /// @notice The home escrow for this chain was attested and fed to the token's reserve gate.
    event EscrowAttested(uint256 escrowed, uint64 sequence, uint64 timestamp);

    /// @notice The attestation is not about this bridge's home chain and home bridge.
    error WrongHome(uint64 chainId, address bridge);

    /// @notice The attestation's sequence is not above the last one accepted.
    error StaleEscrowAttestation(uint64 sequence, uint64 lastSequence);

    /// @notice This bridge was retired in favour of `successor`: no sends or escrow attestations here.
    error BridgeIsRetired(address successor);

    /// @notice A successor that is zero, this bridge, or a second one.
    error InvalidSuccessor(address successor);

    /// @notice `predecessor` is not a bridge of this token and home retired in favour of this one, or this
    /// bridge has already been attested.
    error InvalidPredecessor(address predecessor);

    /// @notice The home bridge cannot be re-pointed once an escrow attestation was accepted (it is `current`).
    error HomeBridgeFixed(address current);

    /// @notice The token's reserve is already attested by another bridge: adopt its figure first ({adopt}).
    error EscrowFigureNotAdopted();

    /// @notice This bridge was retired: `successor` serves the chain from now on (transfers in flight here go on).
    event BridgeRetired(address indexed successor);

    /// @notice This bridge took over `predecessor`'s escrow figure (`escrowed` tiyn, `sequence`).
    event EscrowFigureAdopted(address indexed predecessor, uint256 escrowed, uint64 sequence);

    /// @notice A transfer sent from the predecessor ({adopt}) that failed at home was refunded here: its sender (or
    /// the wallet the token recovered it to) got `amount` back ({refundPredecessor}).
    event PredecessorTransferRefunded(bytes32 indexed id, address indexed sender, uint256 amount);

    /// @notice The bridge that replaced this one (zero: in service).
    function successor() external view returns (address);

    /// @notice Retires this bridge in favour of `successor_`: no more sends or escrow attestations here; the
    /// transfers in flight go on (one that fails at home is refunded by the successor: {refundPredecessor}). Once.
    /// DEFAULT_ADMIN_ROLE. Emits {BridgeRetired}.
    function retire(address successor_) external;

    /// @notice Takes over the escrow figure of `predecessor` (same token and home, retired in favour of this one)
    /// before this bridge's first attestation; it becomes {predecessor}. DEFAULT_ADMIN_ROLE. Emits
    /// {EscrowFigureAdopted}.
    function adopt(address predecessor) external;

    /// @notice The retired bridge this one adopted ({adopt}; zero: none): its refunds are paid here.
    function predecessor() external view returns (address);

    /// @notice Whether transfer `id`, sent from the predecessor, was refunded here ({refundPredecessor}).
    function predecessorRefunded(bytes32 id) external view returns (bool);

    /// @notice Refunds the sender of a transfer sent from the predecessor (the retired bridge this one adopted)
    /// that failed at home: a retired bridge no longer holds the token's bridge roles, so it cannot mint the
    /// refund itself. The same threshold-signed `Refund` as for {ITengeBridge-refund} at the predecessor (signed
    /// over the predecessor's EIP-712 domain), counted against this bridge's validator set and threshold; the
    /// transfer must be Sent at the predecessor (never queued, cancelled or refunded there) and is refunded here
    /// exactly once ({RefundNotAllowed}). The reserve takes the amount back, then the sender — or the wallet the
    /// token recovered it to — is minted it. Permissionless. Not while paused. Emits {PredecessorTransferRefunded}.
    function refundPredecessor(Transfer calldata transfer, address[] calldata signers, bytes[] calldata signatures)
        external;

    /// @notice keccak256 of the `EscrowAttestation` type string.
    function ESCROW_ATTESTATION_TYPEHASH() external view returns (bytes32);

    /// @notice The payload handler was set (zero: transfers with a payload fail here and are refunded).
    event PayloadHandlerSet(address indexed handler);

    /// @notice The one contract transfers with a payload are minted to and handed to (zero: none).
    function payloadHandler() external view returns (address);

    /// @notice Sets the payload handler (an IBridgePayloadHandler; zero: none). A plain transfer to it is refused
    /// ({PayloadRequired}: Failed, refunded at home). DEFAULT_ADMIN_ROLE. Emits {PayloadHandlerSet}.
    function setPayloadHandler(address handler) external;

    /// @notice Delivers a transfer sent with a payload ({ITengeBridgeHome-sendWithPayload}), with signatures of a
    /// threshold of validators over its EIP-712 `PayloadTransfer` digest. Permissionless. Mints the amount to the
    /// payload handler and calls its `onBridgeDelivery` in the same transaction ({TransferDelivered}); if the
    /// recipient is not the handler, or the token or the handler refuses, nothing is minted and the transfer is
    /// marked Failed ({TransferFailed}; refunded at home); a reserve "not yet" defers it as {ITengeBridge-deliver}
    /// does (deliver it again with this function). Over the inbound rate limit it is queued; completed from the
    /// queue it is a plain transfer to the handler, refused ({PayloadRequired}): Failed, refunded at home. Not
    /// while paused.
    function deliverWithPayload(
        Transfer calldata transfer,
        bytes calldata payload,
        address[] calldata signers,
        bytes[] calldata signatures
    ) external returns (InboundStatus);

    /// @notice Mints `amount` to the payload handler and calls its `onBridgeDelivery`: only this bridge calls it
    /// (from {deliverWithPayload}, so that a refusal undoes the mint); anyone else gets {NotSender}.
    function creditPayload(bytes32 id, uint256 sourceChainId, address sender, uint256 amount, bytes calldata payload)
        external;

    /// @notice The home ledger's chain id.
    function homeChainId() external view returns (uint64);

    /// @notice The last escrow attestation accepted: home's locked amount for this chain in tiyn, sequence, time
    /// (unix seconds).
    function lastEscrowAttestation() external view returns (uint256 escrowed, uint64 sequence, uint64 timestamp);

    /// @notice Verifies `attestation` (threshold signatures, home chain and bridge, increasing sequence) and raises
    /// (or lowers) the token's reserve by the change of `escrowed` since the last one, at the attestation's time
    /// (the token refuses a time in the future or older than its current one). Permissionless. Emits
    /// {EscrowAttested}. Not while paused.
    function attestEscrow(
        EscrowAttestation calldata attestation,
        address[] calldata signers,
        bytes[] calldata signatures
    ) external;
}
