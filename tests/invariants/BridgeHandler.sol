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
 */
contract BridgeHandler {
    enum Stage {
        InFlight, // sent, not yet delivered (or refused by the reserve gate for now)
        OutQueued, // queued at the source
        Cancelled,
        InQueued, // queued at the destination
        Delivered,
        Failed, // refused by the destination token: refundable at the source
        Refunded,
        Deferred // the BNB-side reserve did not cover it yet: delivered again later, Failed after the timeout
    }

    struct Record {
        ITengeBridge.Transfer t;
        bool toRemote;
        Stage stage;
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant TRANSFER_TYPEHASH = keccak256(
        "Transfer(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)"
    );
    bytes32 private constant REFUND_TYPEHASH = keccak256(
        "Refund(uint64 sourceChainId,address sourceBridge,uint64 destChainId,address destBridge,uint64 nonce,address sender,address recipient,uint256 amount)"
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

    // ---------------------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------------------

    function send(uint256 userSeed, uint256 recipientSeed, uint256 amountSeed, bool toRemote) external checksSupply {
        ITengeBridge.Transfer memory t;
        t.sender = Cast.user(userSeed % Cast.USERS);
        t.recipient = recipientSeed % 8 == 7 ? OUTSIDER : Cast.user(recipientSeed % Cast.USERS);
        t.sourceChainId = chainId;
        t.destChainId = chainId;
        t.sourceBridge = toRemote ? address(home) : address(remote);
        t.destBridge = toRemote ? address(remote) : address(home);
        IDigitalTenge token = toRemote ? homeToken : remoteToken;
        uint256 spendable = token.spendableBalanceOf(t.sender);
        // Mostly up to 5,000 tenge, one time in ten up to 50,000 (over the smaller rate limits).
        uint256 most = uint256(keccak256(abi.encode(amountSeed))) % 10 == 0 ? 50_000_00 : 5_000_00;
        t.amount = spendable == 0 ? 0 : 1 + amountSeed % (spendable < most ? spendable : most);
        t.nonce = ITengeBridge(t.sourceBridge).nextNonce();
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

    function _recordSent(ITengeBridge.Transfer memory t, bool toRemote) private {
        ITengeBridge.OutboundStatus status = ITengeBridge(t.sourceBridge).outboundStatus(t.nonce);
        if (status == ITengeBridge.OutboundStatus.Queued) {
            _records.push(Record(t, toRemote, Stage.OutQueued));
            _hit("send queued");
        } else {
            vm.assertTrue(status == ITengeBridge.OutboundStatus.Sent, "outbound status after send");
            _records.push(Record(t, toRemote, Stage.InFlight));
            _hit("send");
        }
    }

    function completeOutbound(uint256 seed) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.OutQueued);
        if (!found) return;
        Record storage r = _records[i];
        ITengeBridge source = _source(r);
        (uint256 capacity, uint256 available,) = source.rateLimit(chainId, false);
        (bool ok, bytes memory ret) = _call(STRANGER, address(source), abi.encodeCall(ITengeBridge.completeOutbound, (r.t)));
        if (source.paused()) return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
        if (!_fits(r.t.amount, capacity, available)) {
            return _expect(
                ok,
                ret,
                abi.encodeWithSelector(ITengeBridge.RateLimitExceeded.selector, chainId, r.t.amount, available)
            );
        }
        vm.assertTrue(ok, "completing a queued outbound transfer with capacity was refused");
        vm.assertTrue(source.outboundStatus(r.t.nonce) == ITengeBridge.OutboundStatus.Sent, "completed: not Sent");
        r.stage = Stage.InFlight;
        _hit("completeOutbound");
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
            vm.assertTrue(
                token.paused() || token.isFrozen(r.t.sender) || _reserveError(ret)
                    || before + r.t.amount > token.tierCap(token.tierOf(r.t.sender)),
                "cancel refused for no reason"
            );
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
        _deliverAndCheck(r, dest, abi.encodeCall(ITengeBridge.deliver, (sent, signers, sigs)), true);
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
        _deliverAndCheck(r, dest, data, true);
    }

    function completeInbound(uint256 seed) external checksSupply {
        (bool found, uint256 i) = _find(seed, Stage.InQueued);
        if (!found) return;
        Record storage r = _records[i];
        if (r.toRemote) _attest();
        ITengeBridge dest = _dest(r);
        (uint256 capacity, uint256 available,) = dest.rateLimit(chainId, true);
        bytes memory data = abi.encodeCall(ITengeBridge.completeInbound, (r.t));
        if (dest.paused() || !_fits(r.t.amount, capacity, available)) {
            (bool ok, bytes memory ret) = _call(STRANGER, address(dest), data);
            if (dest.paused()) return _expect(ok, ret, abi.encodeWithSelector(ITengeBridge.EnforcedPause.selector));
            return _expect(
                ok,
                ret,
                abi.encodeWithSelector(ITengeBridge.RateLimitExceeded.selector, chainId, r.t.amount, available)
            );
        }
        _deliverAndCheck(r, dest, data, false);
    }

    /// @dev Runs a delivery (or a queue completion) and checks its outcome against the token's rules.
    function _deliverAndCheck(Record storage r, ITengeBridge dest, bytes memory data, bool mayQueue) private {
        IDigitalTenge token = r.toRemote ? remoteToken : homeToken;
        address to = r.t.recipient;
        uint256 before = token.balanceOf(to);
        bool acceptable = !token.paused() && token.tierOf(to) != 0 && !token.isFrozen(to)
            && before + r.t.amount <= token.tierCap(token.tierOf(to));
        (bool ok, bytes memory ret) = _call(STRANGER, address(dest), data);
        // The reserve defers, it never reverts a delivery (nor a batch) any more.
        vm.assertTrue(ok, "a delivery reverted");
        ITengeBridge.InboundStatus status;
        if (bytes4(data) == ITengeBridge.deliverBatch.selector) {
            ITengeBridge.InboundStatus[] memory statuses = abi.decode(ret, (ITengeBridge.InboundStatus[]));
            vm.assertEq(statuses.length, 2, "deliverBatch returned a status per item");
            vm.assertTrue(statuses[0] == statuses[1], "the repeated item was not skipped with the first one's status");
            status = statuses[0];
            _hit("deliver batch (repeat skipped)");
        } else {
            status = abi.decode(ret, (ITengeBridge.InboundStatus));
        }
        vm.assertTrue(status == dest.inboundStatus(_id(r.t)), "returned status != stored status");
        if (status == ITengeBridge.InboundStatus.Deferred) {
            vm.assertTrue(r.toRemote, "a delivery at home was deferred");
            vm.assertEq(token.balanceOf(to), before, "a deferred delivery moved money");
            r.stage = Stage.Deferred;
            _hit("deliver deferred");
            return;
        }
        if (status == ITengeBridge.InboundStatus.Queued) {
            vm.assertTrue(mayQueue, "completing a queued transfer queued it again");
            r.stage = Stage.InQueued;
            _hit("deliver queued");
            return;
        }
        if (status == ITengeBridge.InboundStatus.Delivered) {
            vm.assertTrue(acceptable, "delivered to a recipient the token must refuse");
            vm.assertEq(token.balanceOf(to), before + r.t.amount, "delivery did not credit the amount");
            r.stage = Stage.Delivered;
            _hit("deliver");
        } else {
            vm.assertTrue(status == ITengeBridge.InboundStatus.Failed, "unexpected status");
            // Refused by the token's rules, or deferred by the reserve past the deferral timeout.
            // (r.stage is still the stage before this call)
            vm.assertTrue(!acceptable || r.stage == Stage.Deferred, "a delivery the token accepts was marked failed");
            vm.assertEq(token.balanceOf(to), before, "a failed delivery moved money");
            r.stage = Stage.Failed;
            _hit("deliver failed");
        }
        _replay(r, dest);
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
            vm.assertTrue(
                token.paused() || token.isFrozen(r.t.sender) || _reserveError(ret)
                    || before + r.t.amount > token.tierCap(token.tierOf(r.t.sender)),
                "refund refused for no reason"
            );
            return;
        }
        vm.assertEq(token.balanceOf(r.t.sender), before + r.t.amount, "refund did not pay the sender");
        r.stage = Stage.Refunded;
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
        (bool ok,) = _call(
            admin,
            address(bridge),
            abi.encodeCall(
                ITengeBridge.setRateLimits,
                (chainId, capacities[seed % 6], rates[(seed >> 8) % 3], capacities[(seed >> 16) % 6], rates[(seed >> 24) % 3])
            )
        );
        vm.assertTrue(ok, "setRateLimits by the limiter refused");
        _hit("limits");
    }

    /// @notice Replaces one validator of both bridges with a new key and sets a random threshold: transfers in
    /// flight are re-attested by the new set (the handler always signs with the current one).
    function rotateValidators(uint256 seed) external {
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
        _hit("rotate");
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
        uint256 which = seed % 4;
        if (which == 0) {
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

    /// @dev Whether a queued transfer may complete: it fits what is available, or it is larger than the whole
    /// (non-zero) capacity and the bucket is full.
    function _fits(uint256 amount, uint256 capacity, uint256 available) private pure returns (bool) {
        return amount <= available || (amount > capacity && capacity != 0 && available == capacity);
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
