// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC7802} from "@openzeppelin/contracts/interfaces/draft-IERC7802.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IBridgePayloadHandler} from "./IBridgePayloadHandler.sol";
import {ITengeBridge, ITengeBridgeRemote} from "./ITengeBridge.sol";
import {TengeBridgeBase} from "./TengeBridgeBase.sol";
import {TengeBridgeRemoteAdmin} from "./TengeBridgeRemoteAdmin.sol";

/**
 * @title TengeBridgeRemote
 * @notice The bridge on a BNB-side chain (BSC, opBNB): tenge going out is burned (`crosschainBurn`), tenge coming
 * in is minted (`crosschainMint`); the bridge holds the token's TOKEN_BRIDGE_ROLE. It talks only to its home
 * bridge.
 *
 * Reserve: the token here is reserve-gated and this bridge is its only reserve attestor. The reserve is kept equal
 * to L − O, where L is the home bridge's `locked(thisChain)` as last attested by a threshold of validators
 * ({attestEscrow}) and O is what left this chain since it started (burned on sends, minus burned money minted back
 * on cancels and refunds): the token lowers the reserve on each crosschainBurn; an attestation adds the increase
 * of L; a cancel or refund adds its amount back before minting it. As the supply here is (everything minted by
 * deliveries) − O, the gate "supply ≤ reserve" says "nothing minted here that was not locked at home": no mint —
 * not even by a holder of TOKEN_BRIDGE_ROLE, a compromised relayer or a bug in this contract — can lift the supply
 * above the escrow at home. The token lets this bridge alone mint against that reserve (no bank minter, no second
 * TOKEN_BRIDGE_ROLE holder on a gated token: `ReserveMintersConflict`), so the room between supply and reserve
 * (transfers in flight, queued or failed at home) is minted only by deliveries verified here. A delivery the
 * attested reserve does not cover yet, or made on a stale attestation, is Deferred ({DeliveryDeferred}), not
 * reverted: post a fresh attestation and deliver again; if it is still not covered {deferralTimeout} after its
 * first deferral, it is marked Failed and the home bridge refunds it.
 *
 * Payloads (the pattern of CCTP v2 hooks and CCIP programmable token transfers). A transfer sent at home with a
 * payload ({ITengeBridgeHome-sendWithPayload}) is signed by the validators as a `PayloadTransfer` (the transfer's
 * fields and the payload) and delivered by {deliverWithPayload} alone: the bridge mints the amount to its one
 * admin-set {payloadHandler} and calls the handler's `onBridgeDelivery` in the same transaction, inside a call to
 * itself ({creditPayload}) that a refusal undoes. The payload never chooses what is called. If the recipient is not
 * the handler, or the token or the handler refuses, nothing is minted and the transfer is Failed like a delivery
 * to a refused recipient: the home bridge refunds the sender once. A plain transfer to the handler is refused
 * ({PayloadRequired}), so nothing ever reaches the handler without its call.
 */
contract TengeBridgeRemote is TengeBridgeBase, ITengeBridgeRemote {
    /// @notice keccak256 of the `EscrowAttestation` type string.
    bytes32 public constant ESCROW_ATTESTATION_TYPEHASH = keccak256(
        "EscrowAttestation(uint64 homeChainId,address homeBridge,uint256 escrowed,uint64 sequence,uint64 timestamp)"
    );

    /// @notice keccak256 of the `PayloadTransfer` type string: the `Transfer` fields, then the payload (EIP-712
    /// encodes `bytes` as its keccak256).
    /// (Not a public getter: the bridge's code has no room for one; the SDK computes it from the type string.)
    bytes32 private constant PAYLOAD_TRANSFER_TYPEHASH = keccak256(
        "PayloadTransfer(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount,bytes payload)"
    );

    /// @notice The home ledger's chain id.
    uint64 public immutable homeChainId;

    struct LastAttestation {
        uint256 escrowed;
        uint64 sequence;
        uint64 timestamp;
    }

    LastAttestation private _lastAttestation;

    /// @notice The bridge that replaced this one ({retire}; zero: in service).
    // Written by {TengeBridgeRemoteAdmin-retire} through delegatecall, which slither does not follow.
    // slither-disable-next-line uninitialized-state
    address public successor;

    /// @inheritdoc ITengeBridgeRemote
    // Written by {TengeBridgeRemoteAdmin-adopt} through delegatecall, which slither does not follow.
    // slither-disable-next-line uninitialized-state
    address public predecessor;

    /// @inheritdoc ITengeBridgeRemote
    mapping(bytes32 id => bool) public predecessorRefunded;

    /// @dev OpenZeppelin EIP712's domain type hash: the predecessor's domain separator is rebuilt with it.
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    /// @param token_ the DigitalTenge proxy on this chain (reserve-gated; this bridge gets TOKEN_BRIDGE_ROLE and
    /// RESERVE_ATTESTOR_ROLE)
    /// @param homeChainId_ the home ledger's chain id
    /// @param admin the DEFAULT_ADMIN_ROLE holder (AccessControlDefaultAdminRules)
    /// @param adminDelay the admin hand-over delay in seconds
    constructor(address token_, uint64 homeChainId_, address admin, uint48 adminDelay)
        TengeBridgeBase(token_, admin, adminDelay, address(new TengeBridgeRemoteAdmin(homeChainId_)))
    {
        homeChainId = homeChainId_;
    }

    /// @notice The last escrow attestation accepted: amount in tiyn, sequence, time (unix seconds).
    function lastEscrowAttestation() external view returns (uint256 escrowed, uint64 sequence, uint64 timestamp) {
        LastAttestation memory last = _lastAttestation;
        return (last.escrowed, last.sequence, last.timestamp);
    }

    /// @notice Verifies `attestation` (threshold signatures, home chain and bridge, increasing sequence) and posts
    /// it to the token's reserve gate (which refuses a time in the future or older than its current one).
    /// Permissionless. Emits {EscrowAttested}. Not while paused.
    function attestEscrow(
        EscrowAttestation calldata attestation,
        address[] calldata signers,
        bytes[] calldata signatures
    ) external nonReentrant {
        Control memory control = _activeControl();
        if (control.retired) revert BridgeIsRetired(successor);
        if (attestation.homeChainId != homeChainId || attestation.homeBridge != _lanes[homeChainId].bridge) {
            revert WrongHome(attestation.homeChainId, attestation.homeBridge);
        }
        uint64 lastSequence = _lastAttestation.sequence;
        if (attestation.sequence <= lastSequence) revert StaleEscrowAttestation(attestation.sequence, lastSequence);
        _verifySignatures(
            keccak256(abi.encode(ESCROW_ATTESTATION_TYPEHASH, attestation)), signers, signatures, control.threshold
        );
        uint256 previous = _lastAttestation.escrowed;
        _lastAttestation = LastAttestation(attestation.escrowed, attestation.sequence, attestation.timestamp);
        emit EscrowAttested(attestation.escrowed, attestation.sequence, attestation.timestamp);
        // reserve = L - O: move it by the change of L (fail closed at 0, which only an outside attestor can cause).
        // The new reserve takes the attestation's own time.
        (uint256 reserve, uint64 attestedAt) = IDigitalTenge(token).reserveAttestation();
        // A first figure here on a reserve another attestor (a bridge this one replaces) already feeds would count
        // the whole lock again: a successor {adopt}s its predecessor's figure first.
        if (lastSequence == 0 && attestedAt != 0) revert EscrowFigureNotAdopted();
        uint256 raised = reserve + attestation.escrowed;
        IDigitalTenge(token).attestReserve(raised > previous ? raised - previous : 0, attestation.timestamp);
    }

    /// @notice The one contract transfers with a payload are minted to and handed to (zero: none).
    function payloadHandler() external view returns (address) {
        return _control.payloadHandler;
    }

    /// @notice Sets the payload handler (an IBridgePayloadHandler; zero: none). A plain transfer to it is refused
    /// ({PayloadRequired}: Failed, refunded at home). DEFAULT_ADMIN_ROLE. Emits {PayloadHandlerSet}.
    function setPayloadHandler(address) external {
        _delegateToAdmin();
    }

    /// @notice Delivers a transfer sent with a payload, with signatures of a threshold of validators over its
    /// EIP-712 `PayloadTransfer` digest. Permissionless. Mints the amount to the payload handler and calls its
    /// `onBridgeDelivery` in the same transaction ({TransferDelivered}); if the recipient is not the handler, or the
    /// token or the handler refuses, nothing is minted and the transfer is marked Failed ({TransferFailed}; refunded
    /// at home); a reserve "not yet" defers it as {deliver} does (deliver it again with this function). Over the
    /// inbound rate limit it is queued; completed from the queue it is a plain transfer to the handler, refused
    /// ({PayloadRequired}): Failed, refunded at home. Returns the resulting status. Not while paused.
    function deliverWithPayload(
        Transfer calldata transfer,
        bytes calldata payload,
        address[] calldata signers,
        bytes[] calldata signatures
    ) external nonReentrant returns (InboundStatus) {
        Control memory control = _activeControl();
        (bytes32 id, InboundStatus status) = _inboundOf(transfer);
        if (status != InboundStatus.None && status != InboundStatus.Deferred) revert AlreadyProcessed(id, status);
        // (An empty payload is never signed: sendWithPayload refuses it; here it would be a plain transfer to the
        // handler, refused.)
        _verifySignatures(
            keccak256(abi.encode(PAYLOAD_TRANSFER_TYPEHASH, transfer, keccak256(payload))),
            signers,
            signatures,
            control.threshold
        );
        // Over the inbound limit it is queued like any transfer; completed from the queue it is plain, which the
        // handler is never credited with ({PayloadRequired}): it fails and is refunded at home.
        if (!_tryConsume(_inboundBuckets[transfer.sourceChainId], transfer.amount)) return _queueInbound(id, transfer);
        return _credit(id, transfer, true, payload);
    }

    /// @notice Mints `amount` to the payload handler and calls its `onBridgeDelivery`: only this bridge calls it
    /// (from {deliverWithPayload}, so that a refusal undoes the mint); anyone else gets {NotSender}.
    function creditPayload(bytes32 id, uint256 sourceChainId, address sender, uint256 amount, bytes calldata payload)
        external
    {
        if (msg.sender != address(this)) revert NotSender(msg.sender, address(this));
        address handler = _control.payloadHandler;
        IERC7802(token).crosschainMint(handler, amount);
        IBridgePayloadHandler(handler).onBridgeDelivery(id, sourceChainId, sender, amount, payload);
    }

    // The remote's own administrative paths run in TengeBridgeRemoteAdmin over this storage (DELEGATECALL, same
    // role checks), as TengeBridgeBase's do in TengeBridgeAdmin.

    /// @notice Sets the home bridge (the only peer a remote bridge has; another chain is {UnsupportedChain}). Fixed
    /// once an escrow attestation was accepted ({HomeBridgeFixed}): the reserve follows that bridge's lock count,
    /// which another bridge's would corrupt. DEFAULT_ADMIN_ROLE. Emits {RemoteBridgeSet}.
    function setRemoteBridge(uint64, address) external override(ITengeBridge, TengeBridgeBase) {
        _delegateToAdmin();
    }

    /// @notice Retires this bridge in favour of `successor_` (which then {adopt}s its escrow figure): no more
    /// sends or escrow attestations here; completions of queued transfers go on. Once it gave the token's roles to
    /// the successor it mints no more: a transfer from here that fails at home is refunded by the successor
    /// ({refundPredecessor}). Once. DEFAULT_ADMIN_ROLE. Emits {BridgeRetired}.
    function retire(address) external {
        _delegateToAdmin();
    }

    /// @notice Takes over the escrow figure of `predecessor_`, a bridge of the same token and home retired in
    /// favour of this one, before this one's first attestation: the reserve then moves by the change of the
    /// home lock count from there, instead of counting the whole lock again. It becomes {predecessor}, whose
    /// transfers that fail at home are refunded here ({refundPredecessor}). DEFAULT_ADMIN_ROLE. Emits
    /// {EscrowFigureAdopted}.
    function adopt(address) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeBridgeRemote
    function refundPredecessor(Transfer calldata transfer, address[] calldata signers, bytes[] calldata signatures)
        external
        nonReentrant
    {
        Control memory control = _activeControl();
        address from = predecessor;
        if (from == address(0) || transfer.sourceChainId != block.chainid || transfer.sourceBridge != from) {
            revert WrongSource(transfer.sourceChainId, transfer.sourceBridge);
        }
        bytes32 id = transferId(transfer.sourceChainId, from, transfer.nonce);
        // Sent from there (not queued, cancelled or refunded there) and not refunded here yet.
        OutboundStatus status =
            predecessorRefunded[id] ? OutboundStatus.Refunded : ITengeBridge(from).outboundStatus(transfer.nonce);
        if (status != OutboundStatus.Sent) revert RefundNotAllowed(id, status);
        // The Refund the validators signed for the predecessor (its EIP-712 domain), counted by this bridge's set.
        bytes32 domain =
            keccak256(abi.encode(_DOMAIN_TYPEHASH, keccak256("TengeBridge"), keccak256("1"), block.chainid, from));
        bytes32 digest = MessageHashUtils.toTypedDataHash(domain, keccak256(abi.encode(REFUND_TYPEHASH, transfer)));
        _verifyDigest(digest, signers, signatures, control.threshold);
        predecessorRefunded[id] = true;
        emit PredecessorTransferRefunded(id, transfer.sender, transfer.amount);
        _payBack(transfer.destChainId, transfer.sender, transfer.amount);
    }

    /// @dev Burns the caller's tokens (reverts if the token refuses the caller); none once retired.
    function _take(uint256 amount, uint64) internal override {
        if (_control.retired) revert BridgeIsRetired(successor);
        IERC7802(token).crosschainBurn(msg.sender, amount);
    }

    /// @dev Mints to the recipient; returns the token's error when it refuses. The payload handler is credited only
    /// with its payload ({PayloadRequired}).
    function _tryCredit(uint64, address recipient, uint256 amount) internal override returns (bool, bytes memory) {
        if (recipient == _control.payloadHandler) {
            return (false, abi.encodeWithSelector(PayloadRequired.selector, recipient));
        }
        try IERC7802(token).crosschainMint(recipient, amount) {
            return (true, "");
        } catch (bytes memory reason) {
            return (false, reason);
        }
    }

    /// @dev Mints to the payload handler and calls it, in a call to this bridge that a refusal undoes whole.
    function _tryCreditPayload(bytes32 id, Transfer calldata transfer, bytes calldata payload)
        internal
        override
        returns (bool, bytes memory)
    {
        // No handler (zero): no recipient is it.
        if (transfer.recipient != _control.payloadHandler) {
            return (false, abi.encodeWithSelector(NotPayloadHandler.selector, transfer.recipient));
        }
        try this.creditPayload(id, transfer.sourceChainId, transfer.sender, transfer.amount, payload) {
            return (true, "");
        } catch (bytes memory reason) {
            return (false, reason);
        }
    }

    /// @dev Mints burned money back to its sender (cancelled, or refunded after failing at home: never released
    /// there), first giving its amount back to the reserve (O falls by it). Reverts if the token refuses (retry).
    function _payBack(uint64, address sender, uint256 amount) internal override {
        IDigitalTenge tenge = IDigitalTenge(token);
        // The maximum age is the token's business.
        // slither-disable-next-line unused-return
        (bool gated,) = tenge.reserveGating();
        if (gated) {
            (uint256 reserve, uint64 attestedAt) = tenge.reserveAttestation();
            tenge.attestReserve(reserve + amount, attestedAt);
        }
        // A sender whose wallet the token recovered is paid at the wallet it was recovered to (as VAT refunds are).
        address recovered = tenge.recoveredTo(sender);
        IERC7802(token).crosschainMint(recovered == address(0) ? sender : recovered, amount);
    }

    /// @dev The reserve gate's refusals mean "not yet": a fresh escrow attestation will cover the mint.
    function _isRetryable(bytes memory reason) internal pure override returns (bool) {
        bytes4 selector = bytes4(reason);
        return selector == IDigitalTenge.ReserveExceeded.selector
            || selector == IDigitalTenge.ReserveAttestationStale.selector;
    }
}
