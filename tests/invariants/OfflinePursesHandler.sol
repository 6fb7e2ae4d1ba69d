// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {IOfflinePurses} from "../../contracts/offline/IOfflinePurses.sol";
import {OfflinePurses} from "../../contracts/offline/OfflinePurses.sol";
import {VatMath} from "../../contracts/payments/VatMath.sol";
import {Cast} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/// @notice The offline suite's own cast: two issuing banks with keys (they sign certificates), three merchants.
library PurseCast {
    uint256 internal constant BANKS = 2;
    uint256 internal constant MERCHANTS = 3;

    function bankKey(uint256 i) internal pure returns (uint256) {
        return 0xD000 + i;
    }

    function bank(uint256 i) internal pure returns (address) {
        return vm.addr(bankKey(i));
    }

    /// @dev Merchant ids 1..3 in VatPayments: 1 VAT-registered at 12%, 2 not VAT-registered, 3 VAT at 5%.
    function payout(uint256 merchantId) internal pure returns (address) {
        return vm.addr(0xE000 + merchantId);
    }

    /// @dev The device key of purse number `i` (a cloned device holds the same key).
    function deviceKey(uint256 i) internal pure returns (uint256) {
        return 0xC000 + i;
    }
}

/**
 * @title OfflinePursesHandler
 * @notice Drives OfflinePurses the way the field does: holders open purses certified by two banks (reach 2 and
 * 3), devices pay merchants offline, a cloned device signs overlapping payments to other merchants, terminals
 * accept payments by the terminal rules (sequence above and interval above what the terminal saw from the purse,
 * cumulative <= purse amount, before expiry), merchants settle in batches (with replays of settled payments,
 * forged and late ones mixed in), banks revoke, holders ask to close, anyone closes, time jumps past expiry.
 *
 * At every settlement it predicts each payment's outcome from its model and asserts the contract agreed, that the
 * merchant's payout got exactly the batch's net, the VAT escrow its VAT, the purse's paid total and the bank's
 * deposit moved exactly; and the promise: a payment an honest terminal accepted, signed no later than the purse's
 * revocation, from a purse whose payments reached at most `reach` merchants, settles whenever it is submitted
 * before the purse closes (from the purse, or from the bank's deposit once a clone overdrew it).
 */
contract OfflinePursesHandler {
    OfflinePurses internal immutable purses;
    IDigitalTenge internal immutable token;
    address internal immutable vatEscrow;

    uint256 internal constant MAX_PURSES = 12;
    uint256 internal constant MAX_PAYMENTS = 160;

    /// @dev One purse of the model, and its (at most two) device states: 0 the device, 1 its clone.
    struct PurseModel {
        bytes32 id;
        uint256 key;
        address holder;
        uint256 bankIndex;
        uint256 amount;
        uint64 expiry;
        uint256 reach;
        uint256 paid;
        uint256 returned;
        bool closed;
        bool cloned;
        uint64[2] seq;
        uint256[2] cum;
        uint256 merchantMask; // merchants whose terminals accepted a payment of this purse
    }

    /// @dev A payment a terminal accepted (or a late/forged one a merchant tries anyway).
    struct Held {
        uint256 purse;
        uint64 merchantId;
        IOfflinePurses.Payment payment;
        bool accepted; // an honest terminal accepted it offline
        bool forged;
        bool settled;
    }

    PurseModel[] internal _purses;
    Held[] internal _held;
    /// @dev Per (purse, merchant) terminal state: the last sequence and interval end accepted.
    mapping(uint256 purse => mapping(uint64 merchantId => uint64)) internal _termSeq;
    mapping(uint256 purse => mapping(uint64 merchantId => uint256)) internal _termCum;
    mapping(uint256 purse => mapping(uint64 seq => mapping(uint64 merchantId => uint256))) public settledTimes;

    // Ghost totals (tiyn), each measured from balances as it happens.
    uint256 public ghostLocked;
    uint256 public ghostReturned;
    uint256 public ghostSettledGross;
    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostFromDeposit;
    uint256 public ghostHonestRefused;
    mapping(bytes32 name => uint256) public successes;

    constructor(OfflinePurses purses_, IDigitalTenge token_, uint256 deposited) {
        purses = purses_;
        token = token_;
        vatEscrow = address(purses_.vatPayments());
        ghostDeposited = deposited;
    }

    function purseCount() external view returns (uint256) {
        return _purses.length;
    }

    function purseAt(uint256 i) external view returns (PurseModel memory) {
        return _purses[i];
    }

    // -----------------------------------------------------------------------------------------------------
    // Actions
    // -----------------------------------------------------------------------------------------------------

    function open(uint256 holderSeed, uint256 bankSeed, uint256 amountSeed, uint256 lifetimeSeed) external {
        if (_purses.length >= MAX_PURSES) return;
        uint256 bankIndex = bankSeed % PurseCast.BANKS;
        address holder = Cast.user(holderSeed % Cast.USERS);
        (IOfflinePurses.PurseCertificate memory c, bytes memory signature, bool allowed) =
            _certificate(bankIndex, holder, amountSeed, lifetimeSeed);
        uint256 before = token.balanceOf(holder);
        vm.prank(holder);
        try purses.openPurse(c, signature) {
            vm.assertTrue(allowed, "a purse opened outside the bank's limits, deposit or the holder's money");
            vm.assertEq(token.balanceOf(holder), before - c.amount, "opening did not lock exactly the amount");
            ghostLocked += c.amount;
            uint256 index = _purses.length;
            PurseModel storage p = _purses.push();
            p.id = c.purseId;
            p.key = PurseCast.deviceKey(index);
            p.holder = holder;
            p.bankIndex = bankIndex;
            p.amount = c.amount;
            p.expiry = c.expiry;
            (,,,,, uint8 reach) = purses.bank(c.bank);
            p.reach = reach;
            ++successes["open"];
        } catch {
            vm.assertTrue(!allowed, "a purse within every limit could not be opened");
        }
    }

    /// @dev A certificate of the next purse signed by bank `bankIndex` (amount and expiry sometimes beyond its
    /// limits), and whether the contract must accept it for `holder`.
    function _certificate(uint256 bankIndex, address holder, uint256 amountSeed, uint256 lifetimeSeed)
        private
        view
        returns (IOfflinePurses.PurseCertificate memory c, bytes memory signature, bool allowed)
    {
        c.bank = PurseCast.bank(bankIndex);
        (,, uint256 maxAmount, uint64 maxLifetime,,) = purses.bank(c.bank);
        uint256 index = _purses.length;
        c.purseId = keccak256(abi.encode("purse", index));
        c.device = vm.addr(PurseCast.deviceKey(index));
        c.amount = 1 + amountSeed % (maxAmount + maxAmount / 8); // sometimes above the limit
        c.expiry = uint64(block.timestamp + 1 + lifetimeSeed % (maxLifetime + 1 hours));
        signature = _signCertificate(bankIndex, c);
        allowed = _openAllowed(c, holder);
    }

    function _signCertificate(uint256 bankIndex, IOfflinePurses.PurseCertificate memory c)
        private
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(PurseCast.bankKey(bankIndex), purses.certificateDigest(c));
        return abi.encodePacked(r, s, v);
    }

    /// @dev Whether `c` is within its bank's limits and free deposit and `holder` has the money and room.
    function _openAllowed(IOfflinePurses.PurseCertificate memory c, address holder) private view returns (bool) {
        (uint256 deposit, uint256 reserved, uint256 maxAmount, uint64 maxLifetime, uint16 maxOpen, uint8 reach) =
            purses.bank(c.bank);
        return c.amount <= maxAmount && c.expiry <= block.timestamp + maxLifetime
            && purses.openPursesOf(holder) < maxOpen && deposit - reserved >= c.amount * (reach - 1)
            && token.spendableBalanceOf(holder) >= c.amount;
    }

    /// @dev The device (clone = false) or its clone pays merchant `merchantSeed`; the merchant's terminal accepts
    /// the payment offline if the terminal rules allow it.
    function pay(uint256 purseSeed, uint256 merchantSeed, uint256 amountSeed, bool clone) external {
        if (_purses.length == 0 || _held.length >= MAX_PAYMENTS) return;
        uint256 index = purseSeed % _purses.length;
        PurseModel storage p = _purses[index];
        if (clone && !p.cloned) {
            // The clone starts as a copy of the device's state.
            p.cloned = true;
            p.seq[1] = p.seq[0];
            p.cum[1] = p.cum[0];
        }
        uint256 d = clone ? 1 : 0;
        if (p.cum[d] >= p.amount) {
            if (!clone || p.cum[0] == 0) return;
            // The clone replays the device's money from the start: overlapping intervals.
            p.seq[1] = 0;
            p.cum[1] = 0;
        }
        uint64 merchantId = uint64(1 + merchantSeed % PurseCast.MERCHANTS);
        uint256 amount = 1 + amountSeed % (p.amount - p.cum[d]);
        uint64 seq = p.seq[d] + 1;
        uint256 cumulative = p.cum[d] + amount;
        IOfflinePurses.Payment memory pay_ = _sign(p, seq, amount, cumulative, merchantId, p.key);
        p.seq[d] = seq;
        p.cum[d] = cumulative;
        bool late = block.timestamp > p.expiry;
        // The terminal rules (offline: it knows nothing of revocations it has not synced). A terminal refusing a
        // payment does not hold it: merchants are honest (a merchant colluding with a clone is outside the stated
        // threat model; the bank's loss is still bounded by reach). A late payment is held to be tried anyway.
        bool accepted = !late && seq > _termSeq[index][merchantId] && cumulative - amount >= _termCum[index][merchantId];
        if (accepted) {
            _termSeq[index][merchantId] = seq;
            _termCum[index][merchantId] = cumulative;
            p.merchantMask |= 1 << merchantId;
            ++successes["accepted"];
        }
        if (accepted || late) _held.push(Held(index, merchantId, pay_, accepted, false, false));
    }

    /// @dev A payment signed by a key that is not the purse's device (a forger): never paid.
    function forge(uint256 purseSeed, uint256 merchantSeed, uint256 amountSeed) external {
        if (_purses.length == 0 || _held.length >= MAX_PAYMENTS) return;
        uint256 index = purseSeed % _purses.length;
        PurseModel storage p = _purses[index];
        uint64 merchantId = uint64(1 + merchantSeed % PurseCast.MERCHANTS);
        uint256 amount = 1 + amountSeed % p.amount;
        _held.push(Held(index, merchantId, _sign(p, 1, amount, amount, merchantId, 0xF00D), false, true, false));
    }

    /// @dev Merchant `merchantSeed` settles up to `countSeed` of the payments it holds (settled ones included:
    /// replays), submitted by anyone.
    function settle(uint256 merchantSeed, uint256 startSeed, uint256 countSeed, uint256 submitterSeed) external {
        if (_held.length == 0) return;
        uint64 merchantId = uint64(1 + merchantSeed % PurseCast.MERCHANTS);
        uint256[] memory picks = _pick(merchantId, startSeed, 1 + countSeed % 8);
        if (picks.length == 0) return;
        _settle(merchantId, picks, submitterSeed % 2 == 0 ? PurseCast.payout(merchantId) : Cast.user(submitterSeed % 6));
        _checkRecorded(merchantId, picks);
    }

    function _settle(uint64 merchantId, uint256[] memory picks, address submitter) private {
        IOfflinePurses.Payment[] memory batch = new IOfflinePurses.Payment[](picks.length);
        for (uint256 i; i < picks.length; ++i) {
            batch[i] = _held[picks[i]].payment;
        }
        address payout = PurseCast.payout(merchantId);
        uint16 rateBps = 0;
        if (merchantId != 2) (,, rateBps,) = purses.vatPayments().quote(merchantId, 1, 0);
        uint256[] memory depositsBefore = _deposits();
        uint256 payoutBefore = token.balanceOf(payout);
        uint256 escrowBefore = token.balanceOf(vatEscrow);
        (uint256 gross, uint256 vat) = _predict(picks, merchantId, rateBps);
        vm.prank(submitter);
        purses.settleBatch(merchantId, batch);
        ghostSettledGross += gross;
        vm.assertEq(token.balanceOf(payout), payoutBefore + gross - vat, "the merchant's payout got other than net");
        vm.assertEq(token.balanceOf(vatEscrow), escrowBefore + vat, "the VAT escrow got other than the VAT");
        _checkPurses(depositsBefore);
        if (gross != 0) ++successes["settled"];
    }

    function _checkRecorded(uint64 merchantId, uint256[] memory picks) private view {
        for (uint256 i; i < picks.length; ++i) {
            Held storage h = _held[picks[i]];
            if (!h.settled) continue;
            vm.assertTrue(purses.isSettled(h.payment.purseId, h.payment.sequence, merchantId), "settled, not recorded");
        }
    }

    function revoke(uint256 purseSeed, bool byHolder) external {
        if (_purses.length == 0) return;
        PurseModel storage p = _purses[purseSeed % _purses.length];
        IOfflinePurses.PurseView memory before = purses.purse(p.id);
        vm.prank(byHolder ? p.holder : PurseCast.bank(p.bankIndex));
        (bool ok,) = address(purses).call(
            byHolder ? abi.encodeCall(purses.requestClose, (p.id)) : abi.encodeCall(purses.revokePurse, (p.id))
        );
        if (ok) {
            vm.assertTrue(!p.closed, "a closed purse was revoked");
            IOfflinePurses.PurseView memory later = purses.purse(p.id);
            uint64 revokedAt = before.revokedAt == 0 ? uint64(block.timestamp) : before.revokedAt;
            vm.assertEq(later.revokedAt, revokedAt, "revocation time moved");
            vm.assertLe(later.closableAt, before.closableAt, "revoking delayed the close");
            ++successes["revoke"];
        } else {
            vm.assertTrue(p.closed, "an open purse's party could not revoke it");
        }
    }

    function close(uint256 purseSeed, uint256 callerSeed) external {
        if (_purses.length == 0) return;
        PurseModel storage p = _purses[purseSeed % _purses.length];
        IOfflinePurses.PurseView memory view_ = purses.purse(p.id);
        uint256 holderBefore = token.balanceOf(p.holder);
        uint256[] memory depositsBefore = _deposits();
        vm.prank(Cast.user(callerSeed % Cast.USERS));
        try purses.closePurse(p.id) {
            vm.assertTrue(!p.closed && block.timestamp >= view_.closableAt, "closed early or twice");
            uint256 returned = p.amount - (p.paid < p.amount ? p.paid : p.amount);
            vm.assertEq(token.balanceOf(p.holder), holderBefore + returned, "the holder got other than the rest");
            p.closed = true;
            p.returned = returned;
            ghostReturned += returned;
            _checkPurses(depositsBefore);
            ++successes["close"];
        } catch {
            vm.assertTrue(p.closed || block.timestamp < view_.closableAt, "a closable purse could not be closed");
        }
    }

    function bankDeposit(uint256 bankSeed, uint256 amountSeed, bool withdraw) external {
        address issuer = PurseCast.bank(bankSeed % PurseCast.BANKS);
        (uint256 deposit, uint256 reserved,,,,) = purses.bank(issuer);
        uint256 amount = 1 + amountSeed % 20_000_00;
        vm.prank(issuer);
        if (withdraw) {
            try purses.withdrawGuarantee(amount) {
                vm.assertLe(amount, deposit - reserved, "a bank withdrew reserved deposit");
                ghostWithdrawn += amount;
            } catch {
                vm.assertTrue(amount > deposit - reserved, "a bank could not withdraw its free deposit");
            }
        } else {
            purses.depositGuarantee(amount);
            ghostDeposited += amount;
        }
    }

    function warp(uint256 seconds_, bool far) external {
        vm.warp(block.timestamp + 1 + seconds_ % (far ? 4 days : 3 hours));
    }

    // -----------------------------------------------------------------------------------------------------
    // Model
    // -----------------------------------------------------------------------------------------------------

    /// @dev Predicts each picked payment in order (the model's paid totals move as the contract's must) and
    /// asserts the promise for honest ones; returns the batch's gross and VAT.
    function _predict(uint256[] memory picks, uint64 merchantId, uint16 rateBps)
        private
        returns (uint256 gross, uint256 vat)
    {
        for (uint256 i; i < picks.length; ++i) {
            Held storage h = _held[picks[i]];
            (bool pays, bool promised) = _outcome(h, merchantId);
            if (promised && !pays) ++ghostHonestRefused;
            vm.assertTrue(!promised || pays, "an honest merchant's valid payment would not be paid");
            if (!pays) continue;
            uint256 amount = h.payment.amount;
            h.settled = true;
            _purses[h.purse].paid += amount;
            gross += amount;
            vat += VatMath.vatFromGross(amount, rateBps);
            ++settledTimes[h.purse][h.payment.sequence][merchantId];
        }
    }

    /// @dev Whether the rules pay `h` now (to `merchantId`), and whether the promise covers it: accepted by an
    /// honest terminal, signed no later than the revocation, its purse not closed and reaching at most `reach`
    /// merchants, not already paid.
    function _outcome(Held storage h, uint64 merchantId) private view returns (bool pays, bool promised) {
        PurseModel storage p = _purses[h.purse];
        uint64 revokedAt = purses.purse(p.id).revokedAt;
        bool afterRevocation = revokedAt != 0 && h.payment.time > revokedAt;
        bool already = settledTimes[h.purse][h.payment.sequence][merchantId] != 0;
        bool valid = !p.closed && !h.forged && h.payment.time <= p.expiry && !afterRevocation && !already;
        pays = valid && p.paid + h.payment.amount <= p.amount * p.reach;
        promised = h.accepted && !p.closed && !afterRevocation && !already && _popcount(p.merchantMask) <= p.reach;
    }

    /// @dev Every purse's paid total and status, and every bank's deposit, read as in the model.
    function _checkPurses(uint256[] memory depositsBefore) private {
        uint256[] memory spent = new uint256[](PurseCast.BANKS);
        for (uint256 i; i < _purses.length; ++i) {
            PurseModel storage p = _purses[i];
            IOfflinePurses.PurseView memory pv = purses.purse(p.id);
            vm.assertEq(pv.paid, p.paid, "a purse's paid total is not the model's");
            if (p.paid > p.amount) {
                vm.assertTrue(
                    pv.status == IOfflinePurses.PurseStatus.Cheated
                        || pv.status == IOfflinePurses.PurseStatus.Closed,
                    "an overdrawn purse is not marked cheated"
                );
                vm.assertTrue(purses.proofOf(p.id).kind != IOfflinePurses.ProofKind.None, "no proof recorded");
                spent[p.bankIndex] += p.paid - p.amount;
            }
        }
        uint256 fromDeposit;
        for (uint256 b; b < PurseCast.BANKS; ++b) {
            fromDeposit += spent[b];
        }
        uint256[] memory depositsAfter = _deposits();
        // What the banks' deposits lost in this step is exactly the new overdraft.
        uint256 lostBefore = ghostFromDeposit;
        uint256 lost;
        for (uint256 b; b < PurseCast.BANKS; ++b) {
            lost += depositsBefore[b] - depositsAfter[b];
        }
        vm.assertEq(lostBefore + lost, fromDeposit, "the deposits paid other than the purses' overdrafts");
        ghostFromDeposit = fromDeposit;
    }

    function _deposits() private view returns (uint256[] memory d) {
        d = new uint256[](PurseCast.BANKS);
        for (uint256 b; b < PurseCast.BANKS; ++b) {
            (d[b],,,,,) = purses.bank(PurseCast.bank(b));
        }
    }

    /// @dev Up to `count` payments held by `merchantId`, from a random start (settled ones included: replays).
    function _pick(uint64 merchantId, uint256 startSeed, uint256 count) private view returns (uint256[] memory) {
        uint256[] memory found = new uint256[](count);
        uint256 n;
        uint256 start = startSeed % _held.length;
        for (uint256 k; k < _held.length && n < count; ++k) {
            uint256 i = (start + k) % _held.length;
            if (_held[i].merchantId == merchantId) found[n++] = i;
        }
        uint256[] memory picks = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            picks[i] = found[i];
        }
        return picks;
    }

    function _sign(PurseModel storage p, uint64 seq, uint256 amount, uint256 cumulative, uint64 merchantId, uint256 key)
        private
        view
        returns (IOfflinePurses.Payment memory pay_)
    {
        pay_ = IOfflinePurses.Payment({
            purseId: p.id,
            sequence: seq,
            amount: amount,
            cumulative: cumulative,
            invoice: keccak256(abi.encode(_held.length)),
            time: uint64(block.timestamp),
            r: bytes32(0),
            vs: bytes32(0)
        });
        bytes32 structHash = keccak256(
            abi.encode(
                purses.PAYMENT_TYPEHASH(),
                p.id,
                seq,
                amount,
                cumulative,
                PurseCast.payout(merchantId),
                pay_.invoice,
                pay_.time
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", purses.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        pay_.r = r;
        pay_.vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
    }

    function _popcount(uint256 mask) private pure returns (uint256 n) {
        for (; mask != 0; mask &= mask - 1) {
            ++n;
        }
    }
}
