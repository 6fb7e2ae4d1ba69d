// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {IPvPSettlement} from "../../contracts/pvp/IPvPSettlement.sol";
import {PvPSettlement} from "../../contracts/pvp/PvPSettlement.sol";
import {Cast} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title PvPHandler
 * @notice Drives PvPSettlement between two DigitalTenge-type tokens (the "tenge" and the "som") with random quotes:
 * good, expired, over the maximum, reused, cancelled, forged, to recipients a token refuses (frozen, over a tier
 * cap), from LPs and payers without the money. At every call it asserts: the contract accepted exactly when the
 * quote was open, in its window and within its maximum; on acceptance both legs moved exactly (the payer's tenge
 * to the LP, ceil(amount * rate) of the LP's som to the recipient); on refusal NOTHING moved in either token; a
 * quote (LP, nonce) settled at most once.
 */
contract PvPHandler {
    PvPSettlement internal immutable pvp;
    IDigitalTenge internal immutable tenge;
    IDigitalTenge internal immutable som;

    uint256 internal constant MAX_AMOUNT = 20_000_00;
    uint256 internal constant NONCES = 300;

    mapping(address lp => mapping(uint256 nonce => uint256 times)) public settledTimes;
    uint256 public ghostSettlements;
    uint256 public ghostRefusals;
    uint256 public ghostCalls;

    IPvPSettlement.Quote internal _last;
    bytes internal _lastSignature;
    bool internal _hasLast;

    constructor(PvPSettlement pvp_, IDigitalTenge tenge_, IDigitalTenge som_) {
        pvp = pvp_;
        tenge = tenge_;
        som = som_;
    }

    function lp(uint256 i) public pure returns (address) {
        return Cast.user(i % 2);
    }

    function payer(uint256 i) public pure returns (address) {
        uint256 k = i % 3;
        return k == 2 ? Cast.bank(2) : Cast.user(2 + k);
    }

    function recipient(uint256 i) public pure returns (address) {
        uint256 k = i % 3;
        return k == 2 ? Cast.bank(0) : Cast.user(4 + k);
    }

    struct Seen {
        uint256 payerTenge;
        uint256 lpTenge;
        uint256 lpSom;
        uint256 recipientSom;
        uint256 pvpTenge;
        uint256 pvpSom;
        IPvPSettlement.NonceState state;
    }

    function pay(
        uint256 lpSeed,
        uint256 payerSeed,
        uint256 recipientSeed,
        uint256 amount,
        uint256 rateSeed,
        uint256 nonceSeed,
        bool expired,
        bool forged
    ) external {
        ++ghostCalls;
        uint256 lpIndex = lpSeed % 2;
        IPvPSettlement.Quote memory q = IPvPSettlement.Quote({
            lp: lp(lpIndex),
            sellToken: address(tenge),
            buyToken: address(som),
            rate: 1e15 + rateSeed % 5e18,
            maxAmount: MAX_AMOUNT,
            taker: address(0),
            validAfter: uint64(block.timestamp),
            validBefore: uint64(expired ? block.timestamp : block.timestamp + 60),
            nonce: nonceSeed % NONCES
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(Cast.userKey(forged ? 5 : lpIndex), pvp.quoteDigest(q));
        _settle(q, abi.encodePacked(r, s, v), payer(payerSeed), recipient(recipientSeed), 1 + amount % 30_000_00, forged);
    }

    /// @dev Submits the last quote that settled again: it must be refused, moving nothing.
    function replay(uint256 payerSeed, uint256 recipientSeed, uint256 amount) external {
        ++ghostCalls;
        if (!_hasLast) return;
        _settle(_last, _lastSignature, payer(payerSeed), recipient(recipientSeed), 1 + amount % MAX_AMOUNT, false);
    }

    function cancel(uint256 lpSeed, uint256 nonceSeed) external {
        ++ghostCalls;
        address who = lp(lpSeed);
        uint256 nonce = nonceSeed % NONCES;
        IPvPSettlement.NonceState before = pvp.nonceState(who, nonce);
        vm.prank(who);
        try pvp.cancel(nonce) {
            vm.assertTrue(before == IPvPSettlement.NonceState.Open, "cancelled a nonce that was not open");
            vm.assertTrue(pvp.nonceState(who, nonce) == IPvPSettlement.NonceState.Cancelled, "not cancelled");
        } catch {
            vm.assertTrue(before != IPvPSettlement.NonceState.Open, "an open nonce could not be cancelled");
        }
    }

    function freeze(bool inSom, uint256 who, bool frozen) external {
        ++ghostCalls;
        IDigitalTenge token = inSom ? som : tenge;
        address account = who % 2 == 0 ? payer(who / 2) : recipient(who / 2);
        if (who % 5 == 0) account = lp(who);
        if (token.isFrozen(account) == frozen) return;
        vm.prank(Cast.compliance());
        if (frozen) token.freeze(account);
        else token.unfreeze(account);
    }

    function warp(uint256 seconds_) external {
        ++ghostCalls;
        vm.warp(block.timestamp + 1 + seconds_ % 2 hours);
    }

    function _settle(
        IPvPSettlement.Quote memory q,
        bytes memory signature,
        address from,
        address to,
        uint256 amount,
        bool forged
    ) private {
        Seen memory seen = _see(q.lp, from, to, q.nonce);
        uint256 buy = (amount * q.rate + 1e18 - 1) / 1e18;
        vm.prank(from);
        try pvp.pay(q, signature, amount, to, 0) returns (uint256 got) {
            ++ghostSettlements;
            vm.assertTrue(seen.state == IPvPSettlement.NonceState.Open, "a used or cancelled quote settled");
            vm.assertTrue(!forged, "a quote not signed by its LP settled");
            vm.assertTrue(block.timestamp < q.validBefore && amount <= q.maxAmount, "outside the window or maximum");
            vm.assertEq(got, buy, "recipient got other than ceil(amount * rate)");
            vm.assertEq(tenge.balanceOf(from), seen.payerTenge - amount, "payer's tenge leg");
            vm.assertEq(tenge.balanceOf(q.lp), seen.lpTenge + amount, "LP's tenge leg");
            vm.assertEq(som.balanceOf(q.lp), seen.lpSom - buy, "LP's som leg");
            vm.assertEq(som.balanceOf(to), seen.recipientSom + buy, "recipient's som leg");
            vm.assertTrue(pvp.nonceState(q.lp, q.nonce) == IPvPSettlement.NonceState.Used, "nonce not marked used");
            vm.assertEq(++settledTimes[q.lp][q.nonce], 1, "a quote settled twice");
            _last = q;
            _lastSignature = signature;
            _hasLast = true;
        } catch {
            ++ghostRefusals;
            Seen memory later = _see(q.lp, from, to, q.nonce);
            vm.assertEq(later.payerTenge, seen.payerTenge, "refused, yet the payer's tenge moved");
            vm.assertEq(later.lpTenge, seen.lpTenge, "refused, yet the LP's tenge moved");
            vm.assertEq(later.lpSom, seen.lpSom, "refused, yet the LP's som moved");
            vm.assertEq(later.recipientSom, seen.recipientSom, "refused, yet the recipient's som moved");
            vm.assertTrue(later.state == seen.state, "refused, yet the nonce changed");
        }
        vm.assertEq(tenge.balanceOf(address(pvp)), 0, "tenge left in the settlement contract");
        vm.assertEq(som.balanceOf(address(pvp)), 0, "som left in the settlement contract");
    }

    function _see(address lpAddress, address from, address to, uint256 nonce) private view returns (Seen memory) {
        return Seen({
            payerTenge: tenge.balanceOf(from),
            lpTenge: tenge.balanceOf(lpAddress),
            lpSom: som.balanceOf(lpAddress),
            recipientSom: som.balanceOf(to),
            pvpTenge: tenge.balanceOf(address(pvp)),
            pvpSom: som.balanceOf(address(pvp)),
            state: pvp.nonceState(lpAddress, nonce)
        });
    }
}
