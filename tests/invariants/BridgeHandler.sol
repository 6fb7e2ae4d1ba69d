// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {ITengeBridge, ITengeBridgeHome, ITengeBridgeRemote} from "../../contracts/bridge/ITengeBridge.sol";
import {Cast} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title BridgeHandler
 * @notice Drives a home bridge (escrow over an ungated token) and a remote bridge (mint/burn over a reserve-gated
 * token) through every action with bounded random inputs: sends both ways, deliveries with good and bad signature
 * sets, replays, queue completion and cancellation, refunds of failed transfers, escrow attestations, rate-limit
 * changes, validator rotations, freezes, pauses, time, a rogue holder of TOKEN_BRIDGE_ROLE minting beyond the
 * reserve, and strangers calling privileged functions.
 *
 * Both bridges share forge's one chain id (they are told apart by address, which the transfer id and every
 * EIP-712 domain bind). The handler keeps every transfer with the stage its model says it is in; after each action
 * it asserts the contracts did exactly what the model expects (exact errors for refusals, exact balance movements)
 * and keeps what {BridgeInvariants} checks: conservation, the reserve bound, statuses.
 *
 * Rate limits: the handler keeps its OWN model of each of the four buckets (capacity, available, refill rate, last
 * update, largest single transfer) and of each queued transfer (release time, held, oversized) — it never asks the
 * contract's `rateLimit()` whether something should fit — and asserts every send, delivery and completion was let
 * through, queued or refused exactly as the model says. Every amount a lane lets through without the delay (net of
 * what failures and refunds give back) is logged with its time, for {BridgeInvariants-invariant_laneFlowBounded}.
 * An oversized-transfer actor ({sendOversized}) sends more than a lane's capacity or largest single transfer; the
 * pause role holds queued transfers, the admin rejects them.
 */
contract BridgeHandler {
    enum Stage {
        InFlight, // sent, not yet delivered (or refused by the reserve gate for now)
        OutQueued, // queued at the source
        Cancelled,
        InQueued, // queued at the destination
        Delivered,
        Failed, // refused by the destination token (or rejected by the admin while queued there): refundable
        Refunded,
        Rejected, // rejected by the admin while queued at the source: paid back
        Deferred // the BNB-side reserve did not cover it yet: delivered again later, Failed after the timeout
    }

    struct Record {
        ITengeBridge.Transfer t;
        bool toRemote;
        Stage stage;
        // The model's queue entry (while OutQueued / InQueued), and whether the transfer went out after its delay
        // without taking from the outbound bucket (then a refund gives nothing back to it).
        uint256 releaseAt;
        bool held;
        bool oversized;
        bool unmetered;
    }

    /// @notice The handler's own model of a bucket.
    struct ModelBucket {
        uint256 capacity;
        uint256 available;
        uint256 rate;
        uint256 updatedAt;
        uint256 maxTransfer;
    }

    /// @notice What a lane let through without the delay at `time`: `amount` taken (or, negative, given back).
    struct Pass {
        uint256 time;
        int256 amount;
    }

    /// @notice Lanes: 0 home outbound, 1 home inbound, 2 remote outbound, 3 remote inbound.
    uint256 public constant LANES = 4;
    /// @notice Longest pass log kept per lane; a longer one starts a new epoch (the bound holds from any start).
    uint256 private constant MAX_PASSES = 48;

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant TRANSFER_TYPEHASH = keccak256(
        "Transfer(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)"
    );
    bytes32 private constant REFUND_TYPEHASH = keccak256(
        "Refund(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)"
    );
    bytes32 private constant STRANDED_TYPEHASH = keccak256(
        "StrandedRelease(uint64 remoteChainId,uint256 strandedTotal,address to,uint256 amount,uint64 sequence)"
    );
    bytes32 private constant ESCROW_TYPEHASH = keccak256(
        "EscrowAttestation(uint64 homeChainId,address homeBridge,uint256 escrowed,uint64 sequence,uint64 timestamp)"
    );

    IDigitalTenge public immutable homeToken;
    IDigitalTenge public immutable remoteToken;
    ITengeBridgeHome public immutable home;
    ITengeBridgeRemote public immutable remote;
    uint64 public immutable chainId;
    address public immutable admin;
    address public immutable rogue;
    /// @notice Approved on neither token: a delivery to it fails, its sender is refunded.
    address public constant OUTSIDER = address(0xBADBAD);
    address private constant STRANGER = address(0x5757);

    Record[] internal _records;
    uint256[] internal _validatorKeys;
    uint256 private _nextValidatorKey = 0xB100;
    uint64 private _sequence;
    mapping(bytes32 action => uint256) public successes;
    uint256 public ghostCalls;
    /// @notice Burned on the BNB side outside the bridge (court-ordered wipes), and stranded escrow released at home.
    uint256 public ghostWiped;
    uint256 public ghostReleased;
    uint64 private _releases;

    /// @notice The validator-update delay the governance actor puts in force on both bridges (seconds).
    uint256 public constant GOV_DELAY = 6 hours;
    /// @notice The model's threshold (both bridges), and the change the governance actor scheduled: when it may be
    /// applied (0: none), which key it replaces, the new key and threshold. While the delay is in force (from a
    /// schedule until `_govZeroAt`, the end of the wait a shorter delay must sit out) rotations do not run.
    uint256 public modelThreshold = 3;
    uint256 public govAt;
    uint256 private _govIndex;
    uint256 private _govNewKey;
    uint256 private _govThreshold;
    bool private _govDelayOn;
    uint256 private _govZeroAt;

    ModelBucket[LANES] internal _buckets;
    mapping(uint256 lane => Pass[]) internal _passes;
    uint256 public queueDelay = 1 days;

    constructor(
        IDigitalTenge homeToken_,
        IDigitalTenge remoteToken_,
        ITengeBridgeHome home_,
        ITengeBridgeRemote remote_,
        address admin_,
        address rogue_,
        uint256[] memory validatorKeys
    ) {
        (homeToken, remoteToken, home, remote, admin, rogue) = (homeToken_, remoteToken_, home_, remote_, admin_, rogue_);
        chainId = uint64(block.chainid);
        _validatorKeys = validatorKeys;
        // BridgeInvariants configures every bucket so, just before deploying the handler (same block).
        for (uint256 lane; lane < LANES; ++lane) {
            _buckets[lane] = ModelBucket(200_000_00, 200_000_00, 10_000_00, block.timestamp, 0);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ---------------------------------------------------------------------------------------------------------

    function recordCount() external view returns (uint256) {
        return _records.length;
    }

    function record(uint256 i) external view returns (Record memory) {
        return _records[i];
    }

    function bucket(uint256 lane) external view returns (ModelBucket memory) {
        return _buckets[lane];
    }

    function passes(uint256 lane) external view returns (Pass[] memory) {
        return _passes[lane];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------------------

    function send(uint256 userSeed, uint256 recipientSeed, uint256 amountSeed, bool toRemote) external checksSupply {
        (ITengeBridge.Transfer memory t, IDigitalTenge token) = _draft(userSeed, recipientSeed, toRemote);
        uint256 spendable = token.spendableBalanceOf(t.sender);
        // Mostly up to 5,000 tenge, one time in ten up to 50,000 (over the smaller rate limits).
        uint256 most = uint256(keccak256(abi.encode(amountSeed))) % 10 == 0 ? 50_000_00 : 5_000_00;
        t.amount = spendable == 0 ? 0 : 1 + amountSeed % (spendable < most ? spendable : most);
        t.nonce = ITengeBridge(t.sourceBridge).nextNonce();
        _send(t, toRemote, token);
    }

    /// @dev A transfer from a user to a user (one time in eight the outsider) between the two bridges, its amount and
    /// nonce still to set, and the token it leaves.
    function _draft(uint256 userSeed, uint256 recipientSeed, bool toRemote)
        private
        view
        returns (ITengeBridge.Transfer memory t, IDigitalTenge token)
    {
        t.sender = Cast.user(userSeed % Cast.USERS);
        t.recipient = recipientSeed % 8 == 7 ? OUTSIDER : Cast.user(recipientSeed % Cast.USERS);
        t.sourceChainId = chainId;
        t.destChainId = chainId;
        t.sourceBridge = toRemote ? address(home) : address(remote);
        t.destBridge = toRemote ? address(remote) : address(home);
        token = toRemote ? homeToken : remoteToken;
    }

    /// @notice The oversized-transfer actor: sends more than the lane's capacity or largest single transfer (in the
    /// model), which must be queued and wait the whole delay.
    function sendOversized(uint256 userSeed, uint256 recipientSeed, uint256 extraSeed, bool toRemote) external {
        (ITengeBridge.Transfer memory t, IDigitalTenge token) = _draft(userSeed, recipientSeed, toRemote);
        ModelBucket memory b = _buckets[_lane(toRemote, false)];
        uint256 limit = b.maxTransfer != 0 && b.maxTransfer < b.capacity ? b.maxTransfer : b.capacity;
        t.amount = limit + 1 + extraSeed % 100_000_00;
        if (token.spendableBalanceOf(t.sender) < t.amount) return;
        t.nonce = ITengeBridge(t.sourceBridge).nextNonce();
        _send(t, toRemote, token);
        _hit("send oversized");
    }

    function _send(ITengeBridge.Transfer memory t, bool toRemote, IDigitalTenge token) private {
        uint256 balanceBefore = token.balanceOf(t.sender);
        uint256 supplyBefore = token.totalSupply();

        (bool ok, bytes memory ret) = _call(
            t.sender, t.sourceBridge, abi.encodeCall(ITengeBridge.send, (chainId, t.recipient, t.amount))
        );
        if (ITengeBridge(t.sourceBridge).paused()) {
            return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        }
        if (t.amount == 0) return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.ZeroAmount.selector));
        if (token.paused() || token.isFrozen(t.sender)) {
            vm.assertTrue(!ok, "send by a frozen sender / on a paused token went through");
            return;
        }
        vm.assertTrue(ok, "a legal send was refused");
        vm.assertEq(abi.decode(ret, (bytes32)), _id(t), "transfer id");
        vm.assertEq(token.balanceOf(t.sender), balanceBefore - t.amount, "send did not take the amount");
        if (!toRemote) vm.assertEq(token.totalSupply(), supplyBefore - t.amount, "remote send did not burn");
        _recordSent(t, toRemote);
    }

    /// @dev Sent or queued exactly as the model of the outbound bucket says.
    function _recordSent(ITengeBridge.Transfer memory t, bool toRemote) private {
        ITengeBridge.OutboundStatus status = ITengeBridge(t.sourceBridge).outboundStatus(t.nonce);
        uint256 lane = _lane(toRemote, false);
        if (_modelTake(lane, t.amount)) {
            vm.assertTrue(status == ITengeBridge.OutboundStatus.Sent, "the bridge queued a send the model lets through");
            _records.push(Record(t, toRemote, Stage.InFlight, 0, false, false, false));
            _hit("send");
        } else {
            vm.assertTrue(status == ITengeBridge.OutboundStatus.Queued, "the bridge sent what the model queues");
            bool oversized = _modelOversized(lane, t.amount);
            (uint256 releaseAt, bool held, bool big) = ITengeBridge(t.sourceBridge).queueEntry(_id(t));
            vm.assertEq(releaseAt, block.timestamp + queueDelay, "release time of a queued send");
            vm.assertTrue(!held && big == oversized, "queued send: held / oversized differ from the model");
            _records.push(Record(t, toRemote, Stage.OutQueued, releaseAt, false, oversized, false));
            _hit(oversized ? bytes32("send queued oversized") : bytes32("send queued"));
        }
    }

    function completeOutbound(uint256 seed) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.OutQueued);
        if (!found) return;
        Record storage r = _records[i];
        ITengeBridge source = _source(r);
        (bool ok, bytes memory ret) = _call(STRANGER, address(source), abi.encodeCall(ITengeBridge.completeOutbound, (r.t)));
        if (source.paused()) return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        (bytes memory refusal, bool metered) = _modelRelease(r, _lane(r.toRemote, false));
        if (refusal.length != 0) return _expect(ok, ret, refusal);
        vm.assertTrue(ok, "completing a queued outbound transfer the model releases was refused");
        vm.assertTrue(source.outboundStatus(r.t.nonce) == ITengeBridge.OutboundStatus.Sent, "completed: not Sent");
        r.stage = Stage.InFlight;
        r.unmetered = !metered;
        _hit(metered ? bytes32("completeOutbound") : bytes32("completeOutbound delayed"));
    }

    function cancelOutbound(uint256 seed, bool byStranger) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.OutQueued);
        if (!found) return;
        Record storage r = _records[i];
        ITengeBridge source = _source(r);
        IDigitalTenge token = r.toRemote ? homeToken : remoteToken;
        address caller = byStranger ? STRANGER : r.t.sender;
        uint256 before = token.balanceOf(r.t.sender);
        (bool ok, bytes memory ret) = _call(caller, address(source), abi.encodeCall(ITengeBridge.cancelOutbound, (r.t)));
        if (source.paused()) return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        if (byStranger) {
            return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.NotSender.selector, STRANGER, r.t.sender));
        }
        if (!ok) {
            // Giving the money back is refused only by the token (sender frozen, token paused, over its cap, stale
            // reserve).
            vm.assertTrue(_payBackRefusable(token, r, ret, before), "cancel refused for no reason");
            return;
        }
        vm.assertEq(token.balanceOf(r.t.sender), before + r.t.amount, "cancel did not give the money back");
        r.stage = Stage.Cancelled;
        _hit("cancelOutbound");
        // Exactly once.
        (ok, ret) = _call(r.t.sender, address(source), abi.encodeCall(ITengeBridge.cancelOutbound, (r.t)));
        _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.NotQueued.selector, _id(r.t)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Delivers an in-flight transfer; `mode` picks a good signature set or one broken in a specific way.
    function deliver(uint256 seed, uint256 mode, bool attestFirst) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.InFlight);
        if (!found) (found, i) = _find(seed, Stage.Deferred);
        if (!found) return;
        Record storage r = _records[i];
        if (r.toRemote && attestFirst) _attest();
        ITengeBridge dest = _dest(r);
        uint256 threshold = dest.threshold();
        (address[] memory signers, bytes[] memory sigs) = _sign(address(dest), _structHash(TRANSFER_TYPEHASH, r.t), threshold);
        ITengeBridge.Transfer memory sent = r.t;
        bytes memory expected;
        mode %= 8;
        if (mode == 0 && threshold > 1) {
            assembly {
                mstore(signers, sub(mload(signers), 1))
                mstore(sigs, sub(mload(sigs), 1))
            }
            expected = abi.encodeWithSelector(ITengeBridge.InsufficientSignatures.selector, threshold - 1, threshold);
        } else if (mode == 1) {
            sent.amount += 1; // tampered: the first signer's signature no longer recovers to it
            expected = abi.encodeWithSelector(ITengeBridge.InvalidSignature.selector, signers[0]);
        } else if (mode == 2 && threshold > 1) {
            signers[1] = signers[0];
            sigs[1] = sigs[0];
            expected = abi.encodeWithSelector(ITengeBridge.DuplicateSigner.selector, signers[0]);
        } else if (mode == 3) {
            uint256 outsiderKey = 0xC0FFEE;
            signers[0] = vm.addr(outsiderKey);
            sigs[0] = _sig(outsiderKey, _digest(address(dest), _structHash(TRANSFER_TYPEHASH, r.t)));
            expected = abi.encodeWithSelector(ITengeBridge.UnknownSigner.selector, signers[0]);
        }
        if (dest.paused()) expected = abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector);
        if (expected.length != 0) {
            (bool bad, bytes memory badRet) = _call(
                STRANGER, address(dest), abi.encodeCall(ITengeBridge.deliver, (sent, signers, sigs))
            );
            return _expect(bad, badRet, expected);
        }
        _deliverFresh(r, dest, abi.encodeCall(ITengeBridge.deliver, (sent, signers, sigs)));
    }

    /// @notice Delivers an in-flight transfer through deliverBatch, listed twice: the second item must be skipped
    /// (the first processed it), with the first one's status — never credited twice, never reverting the batch.
    function deliverBatch(uint256 seed, bool attestFirst) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.InFlight);
        if (!found) (found, i) = _find(seed, Stage.Deferred);
        if (!found) return;
        Record storage r = _records[i];
        if (r.toRemote && attestFirst) _attest();
        ITengeBridge dest = _dest(r);
        (address[] memory signers, bytes[] memory sigs) =
            _sign(address(dest), _structHash(TRANSFER_TYPEHASH, r.t), dest.threshold());
        ITengeBridge.Delivery[] memory items = new ITengeBridge.Delivery[](2);
        items[0] = ITengeBridge.Delivery(r.t, signers, sigs);
        items[1] = items[0];
        bytes memory data = abi.encodeCall(ITengeBridge.deliverBatch, (items));
        if (dest.paused()) {
            (bool ok, bytes memory ret) = _call(STRANGER, address(dest), data);
            return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        }
        _deliverFresh(r, dest, data);
    }

    /// @dev A first delivery; the model's inbound bucket is put back if it reverted (for the reserve).
    function _deliverFresh(Record storage r, ITengeBridge dest, bytes memory data) private {
        uint256 lane = _lane(!r.toRemote, true);
        (ModelBucket memory saved, uint256 savedPasses) = (_buckets[lane], _passes[lane].length);
        if (!_deliverAndCheck(r, dest, data, 2)) _restore(lane, saved, savedPasses);
    }

    function completeInbound(uint256 seed) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.InQueued);
        if (!found) return;
        Record storage r = _records[i];
        if (r.toRemote) _attest();
        ITengeBridge dest = _dest(r);
        bytes memory data = abi.encodeCall(ITengeBridge.completeInbound, (r.t));
        uint256 lane = _lane(!r.toRemote, true);
        if (dest.paused()) {
            (bool ok, bytes memory ret) = _call(STRANGER, address(dest), data);
            return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        }
        (ModelBucket memory saved, uint256 savedPasses) = (_buckets[lane], _passes[lane].length);
        (bytes memory refusal, bool metered) = _modelRelease(r, lane);
        if (refusal.length != 0) {
            (bool ok, bytes memory ret) = _call(STRANGER, address(dest), data);
            return _expect(ok, ret, refusal);
        }
        if (!_deliverAndCheck(r, dest, data, metered ? 1 : 0)) _restore(lane, saved, savedPasses);
    }

    /// @dev Puts a model bucket and its pass log back as they were before a call that reverted.
    function _restore(uint256 lane, ModelBucket memory saved, uint256 savedPasses) private {
        _buckets[lane] = saved;
        Pass[] storage log_ = _passes[lane];
        if (log_.length > savedPasses) {
            while (log_.length > savedPasses) log_.pop();
        } else if (savedPasses >= MAX_PASSES && log_.length == 1) {
            log_.pop(); // the log had started a new epoch with the take that reverted
        }
    }

    /// @dev Runs a delivery (`mode` 2: the model's inbound bucket decides credit or queue) or a queue completion
    /// (`mode` 1: from the bucket, which the model already debited; 0: after the delay) and checks its outcome
    /// against the token's rules and the model. Returns false when the call reverted (for the reserve): the caller
    /// puts the model back (a delivery's take here, a completion's in {_modelRelease}).
    function _deliverAndCheck(Record storage r, ITengeBridge dest, bytes memory data, uint256 mode)
        private
        returns (bool)
    {
        uint256 lane = _lane(!r.toRemote, true);
        bool fits = mode == 2 ? _modelTake(lane, r.t.amount) : true; // a completion goes (modelled by the caller)
        uint256 before = _destToken(r).balanceOf(r.t.recipient);
        (bool ok, bytes memory ret) = _call(STRANGER, address(dest), data);
        // The reserve defers, it never reverts a delivery (nor a batch) any more.
        vm.assertTrue(ok, "a delivery reverted");
        ITengeBridge.InboundStatus status = _statusOf(data, ret);
        vm.assertTrue(status == dest.inboundStatus(_id(r.t)), "returned status != stored status");
        if (status == ITengeBridge.InboundStatus.Deferred) {
            vm.assertTrue(r.toRemote, "a delivery at home was deferred");
            vm.assertTrue(fits, "the bridge deferred a delivery the model queues");
            vm.assertEq(_destToken(r).balanceOf(r.t.recipient), before, "a deferred delivery moved money");
            if (mode != 0) _modelGiveBack(lane, r.t.amount); // a deferral gives back what it took
            r.stage = Stage.Deferred;
            _hit("deliver deferred");
            return true;
        }
        if (status == ITengeBridge.InboundStatus.Queued) {
            vm.assertTrue(mode == 2 && !fits, "queued: a completion, or a delivery the model lets through");
            _recordQueuedInbound(r, dest, lane);
            return true;
        }
        vm.assertTrue(fits, "the bridge let through a delivery the model queues");
        _checkCredit(r, status, before, mode != 0);
        _replay(r, dest);
        return true;
    }

    /// @dev Delivered or Failed, as the token's rules say (its pause, KYC, freeze and cap do not change in a
    /// delivery); a failure gives back what it took from the bucket (`metered`).
    function _checkCredit(Record storage r, ITengeBridge.InboundStatus status, uint256 before, bool metered) private {
        IDigitalTenge token = _destToken(r);
        bool acceptable = _acceptable(token, r.t.recipient, before + r.t.amount);
        if (status == ITengeBridge.InboundStatus.Delivered) {
            vm.assertTrue(acceptable, "delivered to a recipient the token must refuse");
            vm.assertEq(token.balanceOf(r.t.recipient), before + r.t.amount, "delivery did not credit the amount");
            r.stage = Stage.Delivered;
            _hit("deliver");
            return;
        }
        vm.assertTrue(status == ITengeBridge.InboundStatus.Failed, "unexpected status");
        // Refused by the token's rules, or deferred by the reserve past the deferral timeout.
        // (r.stage is still the stage before this call)
        vm.assertTrue(!acceptable || r.stage == Stage.Deferred, "a delivery the token accepts was marked failed");
        vm.assertEq(token.balanceOf(r.t.recipient), before, "a failed delivery moved money");
        if (metered) _modelGiveBack(_lane(!r.toRemote, true), r.t.amount);
        r.stage = Stage.Failed;
        _hit("deliver failed");
    }

    function _destToken(Record storage r) private view returns (IDigitalTenge) {
        return r.toRemote ? remoteToken : homeToken;
    }

    /// @dev Whether `token` accepts crediting `to` up to a balance of `after_`.
    function _acceptable(IDigitalTenge token, address to, uint256 after_) private view returns (bool) {
        return !token.paused() && token.tierOf(to) != 0 && !token.isFrozen(to) && after_ <= token.tierCap(token.tierOf(to));
    }

    /// @dev The inbound status a deliver / deliverBatch / completeInbound call returned.
    function _statusOf(bytes memory data, bytes memory ret) private returns (ITengeBridge.InboundStatus) {
        if (bytes4(data) != ITengeBridge.deliverBatch.selector) return abi.decode(ret, (ITengeBridge.InboundStatus));
        ITengeBridge.InboundStatus[] memory statuses = abi.decode(ret, (ITengeBridge.InboundStatus[]));
        vm.assertEq(statuses.length, 2, "deliverBatch returned a status per item");
        vm.assertTrue(statuses[0] == statuses[1], "the repeated item was not skipped with the first one's status");
        _hit("deliver batch (repeat skipped)");
        return statuses[0];
    }

    /// @dev A delivery the model queues: its queue entry, as the model says.
    function _recordQueuedInbound(Record storage r, ITengeBridge dest, uint256 lane) private {
        r.stage = Stage.InQueued;
        r.oversized = _modelOversized(lane, r.t.amount);
        r.releaseAt = block.timestamp + queueDelay;
        (uint256 releaseAt, bool held, bool big) = dest.queueEntry(_id(r.t));
        vm.assertEq(releaseAt, r.releaseAt, "release time of a queued delivery");
        vm.assertTrue(!held && big == r.oversized, "queued delivery: held / oversized differ from the model");
        _hit(r.oversized ? bytes32("deliver queued oversized") : bytes32("deliver queued"));
    }

    /// @dev The same signed message again: replay, refused with the stored status.
    function _replay(Record storage r, ITengeBridge dest) private {
        (address[] memory signers, bytes[] memory sigs) =
            _sign(address(dest), _structHash(TRANSFER_TYPEHASH, r.t), dest.threshold());
        (bool ok, bytes memory ret) =
            _call(STRANGER, address(dest), abi.encodeCall(ITengeBridge.deliver, (r.t, signers, sigs)));
        if (dest.paused()) return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        _expect(
            ok,
            ret,
            abi.encodeWithSelector(ITengeBridge.AlreadyProcessed.selector, _id(r.t), dest.inboundStatus(_id(r.t)))
        );
    }

    function replay(uint256 seed) external {
        (bool found, uint256 i) = _find(seed, Stage.Delivered);
        if (!found) (found, i) = _find(seed, Stage.Failed);
        if (!found) (found, i) = _find(seed, Stage.InQueued);
        if (!found) return;
        _replay(_records[i], _dest(_records[i]));
    }

    /// @notice Refunds a failed transfer at its source (validators sign Refund only after seeing it fail), then
    /// tries again: exactly once.
    function refund(uint256 seed) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.Failed);
        if (!found) return;
        Record storage r = _records[i];
        ITengeBridge source = _source(r);
        IDigitalTenge token = r.toRemote ? homeToken : remoteToken;
        (address[] memory signers, bytes[] memory sigs) =
            _sign(address(source), _structHash(REFUND_TYPEHASH, r.t), source.threshold());
        bytes memory data = abi.encodeCall(ITengeBridge.refund, (r.t, signers, sigs));
        uint256 before = token.balanceOf(r.t.sender);
        (bool ok, bytes memory ret) = _call(STRANGER, address(source), data);
        if (source.paused()) return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        if (!ok) {
            vm.assertTrue(_payBackRefusable(token, r, ret, before), "refund refused for no reason");
            return;
        }
        vm.assertEq(token.balanceOf(r.t.sender), before + r.t.amount, "refund did not pay the sender");
        r.stage = Stage.Refunded;
        if (!r.unmetered) _modelGiveBack(_lane(r.toRemote, false), r.t.amount);
        _hit("refund");
        (ok, ret) = _call(STRANGER, address(source), data);
        _expect(
            ok,
            ret,
            abi.encodeWithSelector(ITengeBridge.RefundNotAllowed.selector, _id(r.t), ITengeBridge.OutboundStatus.Refunded)
        );
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reserve
    // ---------------------------------------------------------------------------------------------------------

    function attest() external checksSupply {
        _attest();
    }

    function _attest() private {
        if (remote.paused()) return;
        ITengeBridgeRemote.EscrowAttestation memory a = ITengeBridgeRemote.EscrowAttestation(
            chainId, address(home), home.locked(chainId), ++_sequence, uint64(block.timestamp)
        );
        bytes32 structHash = keccak256(abi.encode(ESCROW_TYPEHASH, a));
        (address[] memory signers, bytes[] memory sigs) = _sign(address(remote), structHash, remote.threshold());
        (bool ok, bytes memory ret) = _call(
            STRANGER, address(remote), abi.encodeCall(ITengeBridgeRemote.attestEscrow, (a, signers, sigs))
        );
        if (!ok) {
            // The token refuses a time older than its last attestation (several in one block are fine).
            vm.assertTrue(bytes4(ret) == IDigitalTenge.InvalidAttestationTime.selector, "attestation refused");
            --_sequence;
            return;
        }
        _hit("attest");
        (ok, ret) = _call(
            STRANGER, address(remote), abi.encodeCall(ITengeBridgeRemote.attestEscrow, (a, signers, sigs))
        );
        _expect(ok, ret, abi.encodeWithSelector(ITengeBridgeRemote.StaleEscrowAttestation.selector, _sequence, _sequence));
    }

    /// @notice The rogue minter (issue 18): mints whatever the gate allows — the room between the BNB-side supply and
    /// the attested reserve (transfers in flight, queued, deferred or failed at home), or more — as a would-be second
    /// TOKEN_BRIDGE_ROLE holder and as a bank whose MINTER_ROLE the deploy never granted; and the admin tries to make
    /// it one. Every attempt is refused: the bridge alone mints against its escrow, so supply <= escrow holds.
    function rogueMint(uint256 seed) external checksSupply {
        (uint256 reserve,) = remoteToken.reserveAttestation();
        uint256 supply = remoteToken.totalSupply();
        uint256 headroom = reserve > supply ? reserve - supply : 0;
        uint256 amount = seed % 2 == 0 && headroom != 0 ? headroom : headroom + 1 + seed % 1_000_000_00;
        (bool ok,) = _call(rogue, address(remoteToken), abi.encodeWithSignature("crosschainMint(address,uint256)", Cast.user(0), amount));
        vm.assertTrue(!ok, "a second bridge role minted the reserve's room");
        (ok,) = _call(Cast.bank(0), address(remoteToken), abi.encodeWithSignature("mint(address,uint256)", Cast.user(0), amount));
        vm.assertTrue(!ok, "a bank minted the reserve's room");
        bytes32 role = seed % 3 == 0 ? remoteToken.MINTER_ROLE() : keccak256("TOKEN_BRIDGE_ROLE");
        (ok,) = _call(admin, address(remoteToken), abi.encodeWithSignature("grantRole(bytes32,address)", role, rogue));
        vm.assertTrue(!ok, "the gated token took a second kind of minter or a second bridge");
        _hit("rogue refused");
    }

    /// @notice A wipe on the BNB side strands home escrow (issue 18): compliance wipes part of a holder's money there
    /// (no bridge); or the admin releases part of what is stranded with the validators' StrandedRelease signatures —
    /// one tiyn more than stranded, and the same release again, are refused. supply <= escrow after every call.
    function strandAndRelease(uint256 userSeed, uint256 amountSeed, bool release) external checksSupply {
        if (!release) {
            address user = Cast.user(userSeed % Cast.USERS);
            uint256 balance = remoteToken.balanceOf(user);
            uint256 frozen = remoteToken.frozenAmountOf(user);
            if (balance <= frozen || remoteToken.isFrozen(user)) return;
            uint256 amount = 1 + amountSeed % (balance - frozen < 1_000_00 ? balance - frozen : 1_000_00);
            vm.prank(Cast.compliance());
            remoteToken.freezeAmount(user, amount);
            vm.prank(Cast.compliance());
            remoteToken.wipe(user, amount, "COURT-ORDER");
            ghostWiped += amount;
            _hit("wipe");
            return;
        }
        uint256 stranded = ghostWiped - ghostReleased;
        address to = Cast.bank(0);
        ITengeBridgeHome.StrandedRelease memory over =
            ITengeBridgeHome.StrandedRelease(chainId, ghostWiped, to, stranded + 1, _releases + 1);
        bool paused = home.paused();
        (bool ok, bytes memory ret) = _release(over);
        _expect(ok, ret, paused ? abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector)
            : abi.encodeWithSelector(ITengeBridgeHome.ReleaseExceedsStranded.selector, stranded + 1, stranded));
        if (stranded == 0 || paused) return;
        ITengeBridgeHome.StrandedRelease memory r =
            ITengeBridgeHome.StrandedRelease(chainId, ghostWiped, to, 1 + amountSeed % stranded, _releases + 1);
        uint256 before = homeToken.balanceOf(to);
        (ok, ret) = _release(r);
        vm.assertTrue(ok, "a stranded release within the attested figure refused");
        vm.assertEq(homeToken.balanceOf(to), before + r.amount, "the release did not pay");
        (ghostReleased, _releases) = (ghostReleased + r.amount, r.sequence);
        (ok, ret) = _release(r);
        _expect(ok, ret, abi.encodeWithSelector(ITengeBridgeHome.StaleStrandedRelease.selector, r.sequence, r.sequence + 1));
        _hit("release stranded");
    }

    /// @notice Releases so far (the home bridge's ledger must say the same).
    function releases() external view returns (uint64) {
        return _releases;
    }

    function _release(ITengeBridgeHome.StrandedRelease memory r) private returns (bool, bytes memory) {
        bytes32 structHash = keccak256(abi.encode(STRANDED_TYPEHASH, r));
        (address[] memory signers, bytes[] memory sigs) = _sign(address(home), structHash, home.threshold());
        return _call(admin, address(home), abi.encodeCall(ITengeBridgeHome.releaseStranded, (r, signers, sigs)));
    }

    /// @dev After every call of the actions that move or could mint BNB-side money: supply <= home escrow.
    modifier checksSupply() {
        _;
        vm.assertLe(remoteToken.totalSupply(), homeToken.balanceOf(address(home)), "BNB supply above the home escrow");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Administration and environment
    // ---------------------------------------------------------------------------------------------------------

    function setRateLimits(uint256 seed, bool onRemote) external {
        uint256[6] memory capacities = [uint256(0), 10_000_00, 200_000_00, 100_000_000_00, 100_000_000_00, 100_000_000_00];
        seed = uint256(keccak256(abi.encode(seed))); // fuzzers favour small seeds: spread the bits
        if ((seed >> 32) % 3 != 0) return; // one time in three: limits change rarely
        uint256[3] memory rates = [uint256(0), 10_00, 10_000_00];
        ITengeBridge bridge = onRemote ? ITengeBridge(remote) : ITengeBridge(home);
        (uint256 inCap, uint256 inRate) = (capacities[seed % 6], rates[(seed >> 8) % 3]);
        (uint256 outCap, uint256 outRate) = (capacities[(seed >> 16) % 6], rates[(seed >> 24) % 3]);
        (bool ok,) = _call(
            admin, address(bridge), abi.encodeCall(ITengeBridge.setRateLimits, (chainId, inCap, inRate, outCap, outRate))
        );
        vm.assertTrue(ok, "setRateLimits by the limiter refused");
        _modelConfigure(_lane(!onRemote, true), inCap, inRate);
        _modelConfigure(_lane(!onRemote, false), outCap, outRate);
        _hit("limits");
    }

    /// @notice The limiter sets a lane's largest single transfer (0: the capacity), now and then.
    function setMaxTransfer(uint256 seed, bool onRemote) external {
        seed = uint256(keccak256(abi.encode(seed)));
        if ((seed >> 32) % 3 != 0) return;
        uint256[4] memory maxima = [uint256(0), 1_000_00, 20_000_00, 0];
        (uint256 inMax, uint256 outMax) = (maxima[seed % 4], maxima[(seed >> 8) % 4]);
        ITengeBridge bridge = onRemote ? ITengeBridge(remote) : ITengeBridge(home);
        (bool ok,) = _call(admin, address(bridge), abi.encodeCall(ITengeBridge.setMaxTransfer, (chainId, inMax, outMax)));
        vm.assertTrue(ok, "setMaxTransfer by the limiter refused");
        _buckets[_lane(!onRemote, true)].maxTransfer = inMax;
        _buckets[_lane(!onRemote, false)].maxTransfer = outMax;
        _hit("max transfer");
    }

    /// @notice The admin changes the queue delay of transfers queued from now on (never the waits recorded).
    function setQueueDelay(uint256 seed) external {
        uint256[4] memory delays = [uint256(1 days), 1 hours, 2 days, 1 days];
        uint256 delay = delays[seed % 4];
        (bool ok,) = _call(admin, address(home), abi.encodeCall(ITengeBridge.setQueueDelay, (delay)));
        vm.assertTrue(ok, "setQueueDelay by the admin refused (home)");
        (ok,) = _call(admin, address(remote), abi.encodeCall(ITengeBridge.setQueueDelay, (delay)));
        vm.assertTrue(ok, "setQueueDelay by the admin refused (remote)");
        queueDelay = delay;
        _hit("queue delay");
    }

    /// @notice The pause role holds a queued transfer, or lets a held one go.
    function holdQueued(uint256 seed) external {
        (bool found, uint256 i) = _find(seed, seed % 2 == 0 ? Stage.OutQueued : Stage.InQueued);
        if (!found) (found, i) = _find(seed, seed % 2 == 0 ? Stage.InQueued : Stage.OutQueued);
        if (!found) return;
        Record storage r = _records[i];
        address bridge = r.stage == Stage.OutQueued ? address(_source(r)) : address(_dest(r));
        (bool ok,) = _call(Cast.pauser(), bridge, abi.encodeCall(ITengeBridge.holdQueued, (_id(r.t), !r.held)));
        vm.assertTrue(ok, "the pause role could not hold / let go a queued transfer");
        r.held = !r.held;
        _hit(r.held ? bytes32("hold") : bytes32("let go"));
    }

    /// @notice The admin rejects a queued transfer: outbound, paid back to its sender; inbound, Failed (refundable).
    function rejectQueued(uint256 seed) external {
        if (uint256(keccak256(abi.encode(seed))) % 3 != 0) return; // rarer than completions
        (bool found, uint256 i) = _find(seed, seed % 2 == 0 ? Stage.OutQueued : Stage.InQueued);
        if (!found) (found, i) = _find(seed, seed % 2 == 0 ? Stage.InQueued : Stage.OutQueued);
        if (!found) return;
        Record storage r = _records[i];
        bool outbound = r.stage == Stage.OutQueued;
        IDigitalTenge token = r.toRemote ? homeToken : remoteToken;
        uint256 before = token.balanceOf(r.t.sender);
        address bridge = outbound ? address(_source(r)) : address(_dest(r));
        (bool ok, bytes memory ret) = _call(admin, bridge, abi.encodeCall(ITengeBridge.rejectQueued, (r.t)));
        if (!outbound) {
            vm.assertTrue(ok, "rejecting a queued inbound transfer was refused");
            vm.assertTrue(_dest(r).inboundStatus(_id(r.t)) == ITengeBridge.InboundStatus.Failed, "rejected: not Failed");
            r.stage = Stage.Failed;
            _hit("reject inbound");
            return;
        }
        if (!ok) {
            vm.assertTrue(_payBackRefusable(token, r, ret, before), "reject refused for no reason");
            return;
        }
        vm.assertEq(token.balanceOf(r.t.sender), before + r.t.amount, "reject did not pay the sender back");
        r.stage = Stage.Rejected;
        _hit("reject outbound");
    }

    /// @notice Replaces one validator of both bridges with a new key and sets a random threshold: transfers in
    /// flight are re-attested by the new set (the handler always signs with the current one).
    function rotateValidators(uint256 seed) external {
        if (govAt != 0 || _govDelayInForce()) return; // the governance actor's delay is in force: it would schedule
        uint256 index = seed % _validatorKeys.length;
        address removed = vm.addr(_validatorKeys[index]);
        uint256 newKey = _nextValidatorKey++;
        _validatorKeys[index] = newKey;
        address[] memory rem = new address[](1);
        address[] memory add = new address[](1);
        (rem[0], add[0]) = (removed, vm.addr(newKey));
        uint256 threshold = 1 + (seed >> 8) % _validatorKeys.length;
        for (uint256 b; b < 2; ++b) {
            address bridge = b == 0 ? address(home) : address(remote);
            (bool ok,) =
                _call(admin, bridge, abi.encodeCall(ITengeBridge.updateValidators, (rem, add, threshold)));
            vm.assertTrue(ok, "rotation refused");
            vm.assertTrue(!ITengeBridge(bridge).isValidator(removed), "removed validator still counts");
        }
        modelThreshold = threshold;
        _hit("rotate");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Validator-set governance: the delay (scheduled, applied only after it, cancelled)
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The governance actor schedules a rotation on both bridges behind {GOV_DELAY} (put in force first: a
    /// longer delay applies at once). The set must not change; a second change while one is pending is refused
    /// ({ITengeBridge-ValidatorUpdatePending}).
    function scheduleValidatorUpdate(uint256 seed) external {
        if (govAt != 0) {
            address[] memory other = new address[](1);
            other[0] = vm.addr(_nextValidatorKey); // any other change
            for (uint256 b; b < 2; ++b) {
                (bool refused, bytes memory ret) =
                    _call(admin, _bridgeAt(b), abi.encodeCall(ITengeBridge.updateValidators, (new address[](0), other, 1)));
                _expect(refused, ret, abi.encodeWithSelector(ITengeBridge.ValidatorUpdatePending.selector, govAt));
            }
            assertSetAsModelled();
            return;
        }
        (_govIndex, _govNewKey) = (seed % _validatorKeys.length, _nextValidatorKey++);
        _govThreshold = 1 + (seed >> 8) % _validatorKeys.length;
        govAt = block.timestamp + GOV_DELAY;
        (address[] memory rem, address[] memory add) = _govChange();
        for (uint256 b; b < 2; ++b) {
            address bridge = _bridgeAt(b);
            (bool ok,) = _call(admin, bridge, abi.encodeCall(ITengeBridge.setValidatorUpdateDelay, (GOV_DELAY)));
            vm.assertTrue(ok, "a longer delay refused");
            (ok,) = _call(admin, bridge, abi.encodeCall(ITengeBridge.updateValidators, (rem, add, _govThreshold)));
            vm.assertTrue(ok, "scheduling refused");
            (bytes32 changeHash, uint256 at,) = ITengeBridge(bridge).pendingValidatorUpdate();
            vm.assertEq(at, govAt, "scheduled for another time");
            vm.assertEq(changeHash, keccak256(abi.encode(rem, add, _govThreshold)), "another change scheduled");
        }
        (_govDelayOn, _govZeroAt) = (true, 0);
        assertSetAsModelled();
        _hit("schedule validator update");
    }

    /// @notice The same change again: refused before its time ({ITengeBridge-ValidatorUpdateNotReady}, the set
    /// unchanged), applied after it; then the actor asks for no delay again (which waits out the one in force).
    function applyValidatorUpdate() external {
        if (govAt == 0) return;
        (address[] memory rem, address[] memory add) = _govChange();
        bool ready = block.timestamp >= govAt;
        for (uint256 b; b < 2; ++b) {
            (bool ok, bytes memory ret) =
                _call(admin, _bridgeAt(b), abi.encodeCall(ITengeBridge.updateValidators, (rem, add, _govThreshold)));
            if (ready) {
                vm.assertTrue(ok, "a change refused after its delay");
            } else {
                _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.ValidatorUpdateNotReady.selector, govAt, block.timestamp));
            }
        }
        if (ready) {
            (_validatorKeys[_govIndex], modelThreshold, govAt) = (_govNewKey, _govThreshold, 0);
            _relaxDelay();
            _hit("apply validator update");
        }
        assertSetAsModelled();
    }

    /// @notice The pauser (or the manager) cancels the pending change on both bridges; with none pending the call
    /// is refused ({ITengeBridge-NoValidatorUpdate}). The set never changes.
    function cancelValidatorUpdate(bool byPauser) external {
        address caller = byPauser ? Cast.pauser() : admin;
        for (uint256 b; b < 2; ++b) {
            (bool ok, bytes memory ret) = _call(caller, _bridgeAt(b), abi.encodeCall(ITengeBridge.cancelValidatorUpdate, ()));
            if (govAt == 0) _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.NoValidatorUpdate.selector));
            else vm.assertTrue(ok, "cancel refused");
        }
        if (govAt != 0) {
            govAt = 0;
            _relaxDelay();
            _hit("cancel validator update");
        }
        assertSetAsModelled();
    }

    /// @notice Both bridges' validator sets and thresholds are the model's: a change applies only after its delay.
    function assertSetAsModelled() public view {
        uint256 n = _validatorKeys.length;
        for (uint256 b; b < 2; ++b) {
            ITengeBridge bridge = ITengeBridge(_bridgeAt(b));
            vm.assertEq(bridge.validators().length, n, "validator count changed");
            for (uint256 i; i < n; ++i) {
                vm.assertTrue(bridge.isValidator(vm.addr(_validatorKeys[i])), "the set changed outside the model");
            }
            vm.assertEq(bridge.threshold(), modelThreshold, "the threshold changed outside the model");
            (, uint256 at,) = bridge.pendingValidatorUpdate();
            vm.assertEq(at, govAt, "pending change differs from the model");
        }
    }

    function _govChange() private view returns (address[] memory rem, address[] memory add) {
        (rem, add) = (new address[](1), new address[](1));
        (rem[0], add[0]) = (vm.addr(_validatorKeys[_govIndex]), vm.addr(_govNewKey));
    }

    /// @dev Asks both bridges for no delay again: a shorter delay applies only once the one in force has passed.
    function _relaxDelay() private {
        for (uint256 b; b < 2; ++b) {
            (bool ok,) = _call(admin, _bridgeAt(b), abi.encodeCall(ITengeBridge.setValidatorUpdateDelay, (0)));
            vm.assertTrue(ok, "a shorter delay refused");
        }
        _govZeroAt = block.timestamp + GOV_DELAY;
    }

    function _govDelayInForce() private view returns (bool) {
        return _govDelayOn && (_govZeroAt == 0 || block.timestamp < _govZeroAt);
    }

    function _bridgeAt(uint256 b) private view returns (address) {
        return b == 0 ? address(home) : address(remote);
    }

    /// @notice Compliance freezes a user on one side (one time in four) or lifts a freeze.
    function freeze(uint256 userSeed, bool onRemote) external {
        IDigitalTenge token = onRemote ? remoteToken : homeToken;
        address user = Cast.user(userSeed % Cast.USERS);
        bool frozen = token.isFrozen(user);
        if (!frozen && uint256(keccak256(abi.encode(userSeed))) % 4 != 0) return;
        vm.prank(Cast.compliance());
        if (frozen) token.unfreeze(user);
        else token.freeze(user);
        ++ghostCalls;
    }

    /// @notice The emergency role pauses a bridge (one time in four) or lifts the pause.
    function togglePause(uint256 seed, bool onRemote) external {
        ITengeBridge bridge = onRemote ? ITengeBridge(remote) : ITengeBridge(home);
        if (!bridge.paused() && uint256(keccak256(abi.encode(seed))) % 4 != 0) return;
        bytes memory data = bridge.paused() ? abi.encodeCall(ITengeBridge.unpause, ()) : abi.encodeCall(ITengeBridge.pause, ());
        (bool ok,) = _call(Cast.pauser(), address(bridge), data);
        vm.assertTrue(ok, "the pauser could not pause / unpause");
    }

    function warp(uint256 seconds_) external checksSupply {
        vm.warp(block.timestamp + 1 + seconds_ % 1 days);
    }

    function strangerCallsPrivileged(uint256 seed, bool onRemote) external {
        ITengeBridge bridge = onRemote ? ITengeBridge(remote) : ITengeBridge(home);
        bytes memory data;
        bytes32 role;
        uint256 which = seed % 8;
        ITengeBridge.Transfer memory any;
        if (which == 4) {
            (data, role) = (abi.encodeCall(ITengeBridge.holdQueued, (bytes32(0), true)), bridge.PAUSER_ROLE());
        } else if (which == 5) {
            (data, role) = (abi.encodeCall(ITengeBridge.rejectQueued, (any)), bytes32(0));
        } else if (which == 6) {
            (data, role) = (abi.encodeCall(ITengeBridge.setMaxTransfer, (chainId, 1, 1)), bridge.RATE_LIMITER_ROLE());
        } else if (which == 7) {
            (data, role) = (abi.encodeCall(ITengeBridge.setQueueDelay, (1 hours)), bytes32(0));
        } else if (which == 0) {
            (data, role) = (abi.encodeCall(ITengeBridge.pause, ()), bridge.PAUSER_ROLE());
        } else if (which == 1) {
            (data, role) = (
                abi.encodeCall(ITengeBridge.updateValidators, (new address[](0), new address[](0), 1)),
                bridge.VALIDATOR_MANAGER_ROLE()
            );
        } else if (which == 2) {
            (data, role) = (abi.encodeCall(ITengeBridge.setRateLimits, (chainId, 1, 1, 1, 1)), bridge.RATE_LIMITER_ROLE());
        } else {
            (data, role) = (abi.encodeCall(ITengeBridge.setRemoteBridge, (chainId, STRANGER)), bytes32(0));
        }
        (bool ok, bytes memory ret) = _call(STRANGER, address(bridge), data);
        _expect(ok, ret, abi.encodeWithSignature("AccessControlUnauthorizedAccount(address,bytes32)", STRANGER, role));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    function _call(address caller, address target, bytes memory data) private returns (bool ok, bytes memory ret) {
        ++ghostCalls;
        vm.prank(caller);
        (ok, ret) = target.call(data);
    }

    function _expect(bool ok, bytes memory ret, bytes memory expected) private pure {
        vm.assertTrue(!ok, "an illegal bridge call went through");
        vm.assertEq(keccak256(ret), keccak256(expected), "wrong error");
    }

    // ---------------------------------------------------------------------------------------------------------
    // The model of the buckets and queues
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Lane index: (home or remote end) x (outbound or inbound). `atHome`: the home bridge's bucket.
    function _lane(bool atHome, bool inbound) private pure returns (uint256) {
        return (atHome ? 0 : 2) + (inbound ? 1 : 0);
    }

    function _modelAvailable(uint256 lane) private view returns (uint256) {
        ModelBucket storage b = _buckets[lane];
        uint256 refilled = b.available + b.rate * (block.timestamp - b.updatedAt);
        return refilled < b.capacity ? refilled : b.capacity;
    }

    /// @dev Takes `amount` from the model bucket if it fits (available now, within the largest single transfer).
    function _modelTake(uint256 lane, uint256 amount) private returns (bool) {
        uint256 available = _modelAvailable(lane);
        ModelBucket storage b = _buckets[lane];
        if (amount > available || (b.maxTransfer != 0 && amount > b.maxTransfer)) return false;
        b.available = available - amount;
        b.updatedAt = block.timestamp;
        _log(lane, int256(amount));
        return true;
    }

    function _modelGiveBack(uint256 lane, uint256 amount) private {
        uint256 available = _modelAvailable(lane) + amount;
        ModelBucket storage b = _buckets[lane];
        b.available = available < b.capacity ? available : b.capacity;
        b.updatedAt = block.timestamp;
        _log(lane, -int256(amount));
    }

    function _modelOversized(uint256 lane, uint256 amount) private view returns (bool) {
        ModelBucket storage b = _buckets[lane];
        return amount > b.capacity || (b.maxTransfer != 0 && amount > b.maxTransfer);
    }

    /// @dev A new configuration: kept available capped at the new capacity; a new epoch of the pass log.
    function _modelConfigure(uint256 lane, uint256 capacity, uint256 rate) private {
        uint256 available = _modelAvailable(lane);
        ModelBucket storage b = _buckets[lane];
        b.available = available < capacity ? available : capacity;
        (b.capacity, b.rate, b.updatedAt) = (capacity, rate, block.timestamp);
        delete _passes[lane];
    }

    /// @dev What completing queued record `r` must do by the model: the error it must revert with (empty: it
    /// goes), and whether it goes through the bucket (taken from the model already) or after its delay.
    function _modelRelease(Record storage r, uint256 lane) private returns (bytes memory refusal, bool metered) {
        bytes32 id = _id(r.t);
        if (r.held) return (abi.encodeWithSelector(ITengeBridge.QueuedTransferHeld.selector, id), false);
        if (block.timestamp >= r.releaseAt) return ("", false);
        if (r.oversized) return (abi.encodeWithSelector(ITengeBridge.TransferDelayed.selector, id, r.releaseAt), false);
        if (_modelTake(lane, r.t.amount)) return ("", true);
        return (
            abi.encodeWithSelector(ITengeBridge.RateLimitExceeded.selector, chainId, r.t.amount, _modelAvailable(lane)),
            false
        );
    }

    function _log(uint256 lane, int256 amount) private {
        if (_passes[lane].length >= MAX_PASSES) delete _passes[lane];
        _passes[lane].push(Pass(block.timestamp, amount));
    }


    /// @dev Whether the token may refuse paying `r`'s amount back to its sender (cancel, refund, reject): paused,
    /// sender frozen, over the sender's cap, or the reserve (stale or short) - the only reasons it may.
    function _payBackRefusable(IDigitalTenge token, Record storage r, bytes memory ret, uint256 before)
        private
        view
        returns (bool)
    {
        return token.paused() || token.isFrozen(r.t.sender) || _reserveError(ret)
            || before + r.t.amount > token.tierCap(token.tierOf(r.t.sender));
    }

    function _reserveError(bytes memory ret) private pure returns (bool) {
        bytes4 selector = bytes4(ret);
        return selector == IDigitalTenge.ReserveExceeded.selector
            || selector == IDigitalTenge.ReserveAttestationStale.selector;
    }

    function _hit(bytes32 action) private {
        ++successes[action];
    }

    function _find(uint256 seed, Stage stage) private view returns (bool, uint256) {
        uint256 n = _records.length;
        for (uint256 k; k < n; ++k) {
            uint256 i = (seed % n + k) % n;
            if (_records[i].stage == stage) return (true, i);
        }
        return (false, 0);
    }

    function _source(Record storage r) private view returns (ITengeBridge) {
        return r.toRemote ? ITengeBridge(home) : ITengeBridge(remote);
    }

    function _dest(Record storage r) private view returns (ITengeBridge) {
        return r.toRemote ? ITengeBridge(remote) : ITengeBridge(home);
    }

    function _id(ITengeBridge.Transfer memory t) private pure returns (bytes32) {
        return keccak256(abi.encode(t.sourceChainId, t.sourceBridge, t.nonce));
    }

    function _structHash(bytes32 typehash, ITengeBridge.Transfer memory t) private pure returns (bytes32) {
        return keccak256(abi.encode(typehash, t));
    }

    /// @dev The EIP-712 digest in `bridge`'s domain, computed here (not by the contract's own view).
    function _digest(address bridge, bytes32 structHash) private view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("TengeBridge"), keccak256("1"), block.chainid, bridge)
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _sig(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Signatures of the first `count` current validators.
    function _sign(address bridge, bytes32 structHash, uint256 count)
        private
        view
        returns (address[] memory signers, bytes[] memory sigs)
    {
        bytes32 digest = _digest(bridge, structHash);
        signers = new address[](count);
        sigs = new bytes[](count);
        for (uint256 i; i < count; ++i) {
            signers[i] = vm.addr(_validatorKeys[i]);
            sigs[i] = _sig(_validatorKeys[i], digest);
        }
    }
}
