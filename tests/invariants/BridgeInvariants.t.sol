// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {ITengeBridge, ITengeBridgeHome, ITengeBridgeRemote} from "../../contracts/bridge/ITengeBridge.sol";
import {TengeBridgeHome} from "../../contracts/bridge/TengeBridgeHome.sol";
import {TengeBridgeRemote} from "../../contracts/bridge/TengeBridgeRemote.sol";
import {BridgeHandler} from "./BridgeHandler.sol";
import {InvariantTest} from "./utils/InvariantTest.sol";
import {Cast, TengeFixture} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title BridgeInvariants
 * @notice The bridge's invariants, checked by forge between random {BridgeHandler} actions (which assert, at every
 * call, exact errors for refusals and exact balance movements): home escrow = BNB-side supply + in flight; the
 * BNB-side supply within the reserve, and the reserve exactly "locked at home as attested − what left the BNB side";
 * every transfer's statuses at source and destination match its one stage — so none is delivered twice, and none
 * is both delivered and refunded (or cancelled).
 *
 * Home: a DigitalTenge without reserve gating, users funded as in the token suite, the home bridge's account on
 * the uncapped business tier. Remote: a reserve-gated DigitalTenge (maximum attestation age one day) whose only
 * reserve attestor is the remote bridge; a rogue account also holds TOKEN_BRIDGE_ROLE there. Five validators, 3 of 5.
 */
contract BridgeInvariants is InvariantTest, TengeFixture {
    IDigitalTenge internal homeToken;
    IDigitalTenge internal remoteToken;
    TengeBridgeHome internal home;
    TengeBridgeRemote internal remote;
    BridgeHandler internal handler;
    uint64 internal chainId;

    function setUp() public {
        chainId = uint64(block.chainid);
        (homeToken,) = _deployTenge(false, 1 days);
        _seedMoney(homeToken);
        (remoteToken,) = _deployTenge(true, 1 days);
        _revokeAttestor(remoteToken);

        address admin = Cast.admin();
        home = new TengeBridgeHome(address(homeToken), admin, 3 days);
        remote = new TengeBridgeRemote(address(remoteToken), chainId, admin, 3 days);
        address rogue = address(0x0606E);

        _grant(remoteToken, remoteToken.RESERVE_ATTESTOR_ROLE(), address(remote));
        bytes32 tokenBridgeRole = keccak256("TOKEN_BRIDGE_ROLE");
        // As deployed (src/tenge/deploy/suite.py): no bank mints on the BNB side; the bridge is its only minter.
        _revokeBanks(remoteToken);
        _grant(remoteToken, tokenBridgeRole, address(remote));
        _approve(homeToken, address(home), TIER_BUSINESS);

        uint256[] memory keys = new uint256[](5);
        address[] memory validators = new address[](5);
        for (uint256 i; i < 5; ++i) {
            keys[i] = 0xB000 + i;
            validators[i] = vm.addr(keys[i]);
        }
        _wire(home, address(remote), validators);
        _wire(remote, address(home), validators);
        for (uint256 i; i < Cast.USERS; ++i) {
            vm.prank(Cast.user(i));
            homeToken.approve(address(home), type(uint256).max);
        }

        handler = new BridgeHandler(homeToken, remoteToken, home, remote, admin, rogue, keys);

        bytes4[] memory selectors = new bytes4[](16);
        selectors[0] = BridgeHandler.send.selector;
        selectors[1] = BridgeHandler.send.selector; // sends twice as often as the rest
        selectors[2] = BridgeHandler.deliver.selector;
        selectors[3] = BridgeHandler.deliver.selector;
        selectors[4] = BridgeHandler.completeOutbound.selector;
        selectors[5] = BridgeHandler.cancelOutbound.selector;
        selectors[6] = BridgeHandler.completeInbound.selector;
        selectors[7] = BridgeHandler.replay.selector;
        selectors[8] = BridgeHandler.refund.selector;
        selectors[9] = BridgeHandler.attest.selector;
        selectors[10] = BridgeHandler.rogueMint.selector;
        selectors[11] = BridgeHandler.setRateLimits.selector;
        selectors[12] = BridgeHandler.rotateValidators.selector;
        selectors[13] = BridgeHandler.freeze.selector;
        selectors[14] = BridgeHandler.togglePause.selector;
        selectors[15] = BridgeHandler.warp.selector;
        _targetHandler(address(handler), selectors);
        // strangerCallsPrivileged and deliverBatch are targeted as well (kept apart to keep the list readable), and
        // the queue review: the oversized-transfer actor, holds, rejections, maxima and the queue delay.
        bytes4[] memory more = new bytes4[](11);
        more[0] = BridgeHandler.strangerCallsPrivileged.selector;
        more[1] = BridgeHandler.deliverBatch.selector;
        more[2] = BridgeHandler.sendOversized.selector;
        more[3] = BridgeHandler.holdQueued.selector;
        more[4] = BridgeHandler.rejectQueued.selector;
        more[5] = BridgeHandler.setMaxTransfer.selector;
        more[6] = BridgeHandler.setQueueDelay.selector;
        more[7] = BridgeHandler.strandAndRelease.selector; // wipes on the BNB side, stranded escrow released at home
        // validator-set governance behind its delay: scheduled, applied only after it, cancelled
        more[8] = BridgeHandler.scheduleValidatorUpdate.selector;
        more[9] = BridgeHandler.applyValidatorUpdate.selector;
        more[10] = BridgeHandler.cancelValidatorUpdate.selector;
        _targetHandler(address(handler), more);
    }

    function _revokeAttestor(IDigitalTenge token) private {
        bytes32 role = token.RESERVE_ATTESTOR_ROLE();
        vm.prank(Cast.admin());
        token.revokeRole(role, Cast.attestor());
    }

    function _revokeBanks(IDigitalTenge token) private {
        bytes32 role = token.MINTER_ROLE();
        vm.startPrank(Cast.admin());
        token.revokeRole(role, Cast.bank(0));
        token.revokeRole(role, Cast.bank(1));
        vm.stopPrank();
    }

    function _wire(ITengeBridge bridge, address peer, address[] memory validators) private {
        address admin = Cast.admin();
        vm.startPrank(admin);
        bridge.grantRole(bridge.VALIDATOR_MANAGER_ROLE(), admin);
        bridge.grantRole(bridge.RATE_LIMITER_ROLE(), admin);
        bridge.grantRole(bridge.PAUSER_ROLE(), Cast.pauser());
        bridge.setRemoteBridge(chainId, peer);
        bridge.setValidatorUpdateDelay(0); // rotations apply at once; the governance actor puts a delay in force
        bridge.updateValidators(new address[](0), validators, 3);
        bridge.setRateLimits(chainId, 200_000_00, 10_000_00, 200_000_00, 10_000_00);
        vm.stopPrank();
    }

    /// @notice Home escrow = BNB-side supply + everything in flight (sent or queued and not yet delivered, or failed
    /// and not yet refunded, both ways) + what wipes on the BNB side stranded and was not released yet; and the home
    /// bridge's lock count = everything sent or queued to the BNB side minus what was cancelled, refunded or released
    /// as stranded.
    function invariant_conservation() public view {
        uint256 inFlight;
        uint256 locked;
        for (uint256 i; i < handler.recordCount(); ++i) {
            BridgeHandler.Record memory r = handler.record(i);
            BridgeHandler.Stage s = r.stage;
            if (
                s == BridgeHandler.Stage.InFlight || s == BridgeHandler.Stage.OutQueued
                    || s == BridgeHandler.Stage.InQueued || s == BridgeHandler.Stage.Failed
                    || s == BridgeHandler.Stage.Deferred
            ) inFlight += r.t.amount;
            if (r.toRemote && _stays(s)) locked += r.t.amount;
        }
        uint256 stranded = handler.ghostWiped() - handler.ghostReleased(); // wiped there, not released here yet
        vm.assertEq(
            homeToken.balanceOf(address(home)), remoteToken.totalSupply() + inFlight + stranded,
            "escrow != BNB supply + in flight + stranded"
        );
        vm.assertEq(home.locked(chainId), locked - handler.ghostReleased(), "home lock count");
        (uint256 released, uint64 releases) = home.strandedReleased(chainId);
        vm.assertEq(released, handler.ghostReleased(), "stranded escrow released");
        vm.assertEq(releases, handler.releases(), "stranded releases");
    }

    /// @notice BNB-side supply <= reserve <= home escrow, and reserve = attested lock count − what left the BNB side
    /// (burned, not minted back).
    function invariant_reserveBound() public view {
        uint256 outflow;
        for (uint256 i; i < handler.recordCount(); ++i) {
            BridgeHandler.Record memory r = handler.record(i);
            if (!r.toRemote && _stays(r.stage)) outflow += r.t.amount;
        }
        (uint256 reserve,) = remoteToken.reserveAttestation();
        (uint256 attestedLocked,,) = remote.lastEscrowAttestation();
        vm.assertEq(reserve, attestedLocked - outflow, "reserve != attested locked - outflow");
        vm.assertLe(remoteToken.totalSupply(), reserve, "BNB supply above the reserve");
        vm.assertLe(remoteToken.totalSupply(), homeToken.balanceOf(address(home)), "BNB supply above the home escrow");
    }

    /// @notice Every transfer's status at its source and its destination is the pair its stage allows: delivered
    /// at most once, never both delivered and refunded or cancelled, refunded only after failing. And the bridges'
    /// governance state is the handler's model: both validator sets, thresholds and pending changes — a scheduled
    /// change applies only once its delay has passed, a cancelled one never (checked here rather than in an
    /// invariant of its own, which would add a whole campaign to the gate's run time).
    function invariant_statusesMatchStages() public view {
        handler.assertSetAsModelled();
        for (uint256 i; i < handler.recordCount(); ++i) {
            BridgeHandler.Record memory r = handler.record(i);
            ITengeBridge source = r.toRemote ? ITengeBridge(home) : ITengeBridge(remote);
            ITengeBridge dest = r.toRemote ? ITengeBridge(remote) : ITengeBridge(home);
            ITengeBridge.OutboundStatus out = source.outboundStatus(r.t.nonce);
            ITengeBridge.InboundStatus inb =
                dest.inboundStatus(keccak256(abi.encode(r.t.sourceChainId, r.t.sourceBridge, r.t.nonce)));
            (ITengeBridge.OutboundStatus wantOut, ITengeBridge.InboundStatus wantIn) = _expected(r.stage);
            vm.assertTrue(out == wantOut, "source status differs from the transfer's stage");
            vm.assertTrue(inb == wantIn, "destination status differs from the transfer's stage");
        }
    }

    /// @notice What a lane let through without the delay, net of what failures and refunds gave back, in any
    /// window of its pass log (the handler's own model, one epoch per configuration) is at most
    /// capacity + rate x window length. (A transfer that waited its whole delay is not metered: it was open to a
    /// hold or a rejection for that long.)
    function invariant_laneFlowBounded() public view {
        for (uint256 lane; lane < handler.LANES(); ++lane) {
            BridgeHandler.ModelBucket memory b = handler.bucket(lane);
            BridgeHandler.Pass[] memory log_ = handler.passes(lane);
            for (uint256 i; i < log_.length; ++i) {
                int256 sum;
                for (uint256 j = i; j < log_.length; ++j) {
                    sum += log_[j].amount;
                    int256 bound = int256(b.capacity + b.rate * (log_[j].time - log_[i].time));
                    vm.assertTrue(sum <= bound, "a lane let more through in a window than capacity + rate x window");
                }
            }
        }
    }

    /// @dev Whether a transfer in stage `s` keeps its amount locked / out (not cancelled, refunded or rejected).
    function _stays(BridgeHandler.Stage s) private pure returns (bool) {
        return s != BridgeHandler.Stage.Cancelled && s != BridgeHandler.Stage.Refunded
            && s != BridgeHandler.Stage.Rejected;
    }

    function _expected(BridgeHandler.Stage s)
        private
        pure
        returns (ITengeBridge.OutboundStatus, ITengeBridge.InboundStatus)
    {
        if (s == BridgeHandler.Stage.InFlight) return (ITengeBridge.OutboundStatus.Sent, ITengeBridge.InboundStatus.None);
        if (s == BridgeHandler.Stage.OutQueued) {
            return (ITengeBridge.OutboundStatus.Queued, ITengeBridge.InboundStatus.None);
        }
        if (s == BridgeHandler.Stage.Cancelled) {
            return (ITengeBridge.OutboundStatus.Cancelled, ITengeBridge.InboundStatus.None);
        }
        if (s == BridgeHandler.Stage.InQueued) return (ITengeBridge.OutboundStatus.Sent, ITengeBridge.InboundStatus.Queued);
        if (s == BridgeHandler.Stage.Delivered) {
            return (ITengeBridge.OutboundStatus.Sent, ITengeBridge.InboundStatus.Delivered);
        }
        if (s == BridgeHandler.Stage.Failed) return (ITengeBridge.OutboundStatus.Sent, ITengeBridge.InboundStatus.Failed);
        if (s == BridgeHandler.Stage.Rejected) {
            return (ITengeBridge.OutboundStatus.Rejected, ITengeBridge.InboundStatus.None);
        }
        if (s == BridgeHandler.Stage.Deferred) {
            return (ITengeBridge.OutboundStatus.Sent, ITengeBridge.InboundStatus.Deferred);
        }
        return (ITengeBridge.OutboundStatus.Refunded, ITengeBridge.InboundStatus.Failed);
    }
}
