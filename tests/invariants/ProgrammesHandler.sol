// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {IPurposeBoundProgrammes} from "../../contracts/programmes/IPurposeBoundProgrammes.sol";
import {IRewardPools} from "../../contracts/programmes/IRewardPools.sol";
import {PurposeBoundProgrammes} from "../../contracts/programmes/PurposeBoundProgrammes.sol";
import {RewardPools} from "../../contracts/programmes/RewardPools.sol";
import {Cast} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/// @dev Who is who in the programme suites (beside the token's {Cast}).
library ProgrammeCast {
    /// The sponsor (SPONSOR_ROLE of both contracts): a KYC'd business with money.
    function sponsor() internal pure returns (address) {
        return Cast.bank(2);
    }

    uint256 internal constant ATTESTER_KEY = 0xB0B;
    uint256 internal constant WRONG_KEY = 0xBAD;
    uint64 internal constant CANTEEN = 1; // VAT category 2: the programmes' purpose
    uint64 internal constant SHOP = 2; // VAT category 1: outside every purpose
    uint8 internal constant PURPOSE_CATEGORY = 2;
}

/**
 * @title ProgrammesHandler
 * @notice Drives PurposeBoundProgrammes and RewardPools with bounded random actions. Each action predicts from
 * the rules (a small model: live window, purpose, balance, daily use, KYC and freeze, caps, claims paid) whether
 * the contract must accept it, makes the call, and asserts the contract did exactly that. It never reverts on
 * purpose (`fail_on_revert`): calls are wrapped in try/catch.
 */
contract ProgrammesHandler {
    uint256 internal constant MAX_PROGRAMMES = 4;
    uint256 internal constant DAILY_LIMIT = 1_200_00;
    uint256 internal constant PERIOD_CAP = 2_000_00;
    uint256 internal constant MAX_PER_CLAIM = 500_00;

    IDigitalTenge public immutable token;
    PurposeBoundProgrammes public immutable programmes;
    RewardPools public immutable rewards;

    uint256 public programmeCount;
    uint256 public ghostCalls;
    uint256 public ghostSpends;
    uint256 public ghostSignedSpends;
    uint256 public ghostClaims;
    /// Spends tried at exactly a programme's expiry second, and at the second before it.
    uint256 public ghostExpiryEdges;
    /// The whole daily limit spent at 00:00:00 UTC of a day after spending the day before.
    uint256 public ghostMidnightFullLimits;
    uint256 private _invoice;

    mapping(uint256 pid => mapping(address user => mapping(uint256 day => uint256))) private _usedOnDay;
    mapping(uint64 period => mapping(address user => uint256)) public timesPaid;
    mapping(uint64 period => uint256) public paidInPeriod;
    uint64[] private _periods;
    mapping(uint64 period => bool) private _periodSeen;

    constructor(IDigitalTenge token_, PurposeBoundProgrammes programmes_, RewardPools rewards_) {
        token = token_;
        programmes = programmes_;
        rewards = rewards_;
    }

    // --- programmes ------------------------------------------------------------------------------------------

    function createProgramme(uint256 days_, bool transferable, bool limited) external {
        ++ghostCalls;
        if (programmeCount >= MAX_PROGRAMMES) return;
        IPurposeBoundProgrammes.ProgrammeTerms memory terms = IPurposeBoundProgrammes.ProgrammeTerms({
            purposeMask: 1 << ProgrammeCast.PURPOSE_CATEGORY,
            validFrom: 0,
            expiry: uint64(block.timestamp + 1 days + (days_ % 20) * 1 days),
            dailyLimit: limited ? uint128(DAILY_LIMIT) : 0,
            transferable: transferable,
            budgetCode: keccak256("invariant budget")
        });
        vm.prank(ProgrammeCast.sponsor());
        uint256 id = programmes.createProgramme(terms);
        vm.assertEq(id, ++programmeCount, "programme ids run from 1");
    }

    function fund(uint256 pidSeed, uint256 amount) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        _tryFund(pid, 1 + amount % 50_000_00);
    }

    function _tryFund(uint256 pid, uint256 amount) private {
        bool expected = _beforeExpiry(pid) && !programmes.paused()
            && token.balanceOf(ProgrammeCast.sponsor()) >= amount;
        uint256 before = programmes.locked(pid);
        vm.prank(ProgrammeCast.sponsor());
        try programmes.fund(pid, amount) {
            vm.assertTrue(expected, "fund accepted against the rules");
            vm.assertEq(programmes.locked(pid), before + amount, "fund did not lock 1:1");
        } catch {
            vm.assertTrue(!expected, "a legal fund was refused");
        }
    }

    function allocate(uint256 pidSeed, uint256 userSeed, uint256 amount) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        _tryAllocate(pid, Cast.user(userSeed % Cast.USERS), 1 + amount % 20_000_00);
    }

    function _tryAllocate(uint256 pid, address to, uint256 amount) private {
        (,, uint256 unallocated,,) = programmes.programme(pid);
        bool expected = _beforeExpiry(pid) && !programmes.paused() && amount <= unallocated;
        address[] memory who = new address[](1);
        uint256[] memory values = new uint256[](1);
        (who[0], values[0]) = (to, amount);
        uint256 before = programmes.balanceOf(to, pid);
        vm.prank(ProgrammeCast.sponsor());
        try programmes.allocate(pid, who, values) {
            vm.assertTrue(expected, "allocation accepted against the rules");
            vm.assertEq(programmes.balanceOf(to, pid), before + amount, "allocation not credited");
        } catch {
            vm.assertTrue(!expected, "a legal allocation was refused");
        }
    }

    /// @dev At the canteen or the shop, naming the merchant's own category or the purpose's (a shop naming the
    /// canteen's category must still be refused).
    function spend(uint256 pidSeed, uint256 userSeed, bool atShop, bool namePurposeCategory, uint256 amount) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        uint64 merchant = atShop ? ProgrammeCast.SHOP : ProgrammeCast.CANTEEN;
        uint8 category = namePurposeCategory ? ProgrammeCast.PURPOSE_CATEGORY : 0;
        _trySpend(pid, Cast.user(userSeed % Cast.USERS), merchant, 1 + amount % 1_500_00, category);
    }

    /// @dev Returns whether the contract accepted the spend (asserted equal to the model's verdict).
    function _trySpend(uint256 pid, address user, uint64 merchant, uint256 amount, uint8 category)
        private
        returns (bool accepted)
    {
        bool expected = _spendAllowed(pid, user, merchant, amount);
        bytes32 invoice = bytes32(++_invoice);
        vm.prank(user);
        try programmes.spend(pid, merchant, amount, category, invoice) {
            vm.assertTrue(expected, "spend accepted against the rules (purpose, window, limit, KYC, balance)");
            _spent(pid, user, amount);
            accepted = true;
        } catch {
            vm.assertTrue(!expected, "a legal spend was refused");
        }
        _checkSpendable(pid, user);
    }

    /// @dev Warps to the last second of a programme's window (expiry - 1): allocation and spending are allowed
    /// there, reclaim is not; then (unless `lastSecondOnly`) to exactly the expiry second: spending is refused
    /// (with vouchers in hand), `spendableToday` is 0 and reclaim opens. The verdicts come from the model
    /// (`block.timestamp < expiry`), so an off-by-one in any of the contract's checks is caught.
    function spendAtExpiryEdge(uint256 pidSeed, uint256 userSeed, uint256 amount, bool lastSecondOnly) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,, bool closed) = programmes.programme(pid);
        if (closed || block.timestamp > terms.expiry - 1) return;
        vm.warp(terms.expiry - 1);
        ++ghostExpiryEdges;
        address user = Cast.user(userSeed % Cast.USERS);
        amount = 1 + amount % 600_00;
        _tryAllocate(pid, user, 2 * amount); // vouchers in hand for both seconds
        _trySpend(pid, user, ProgrammeCast.CANTEEN, amount, 0);
        _tryReclaim(pid); // refused: not expired yet
        if (lastSecondOnly) return;
        vm.warp(terms.expiry);
        bool accepted = _trySpend(pid, user, ProgrammeCast.CANTEEN, 1, 0);
        vm.assertTrue(!accepted, "spent at the expiry second");
        vm.assertEq(programmes.spendableToday(pid, user), 0, "spendable at the expiry second");
        _tryReclaim(pid);
    }

    /// @dev Day D, then D+1: spends on day D, optionally asks the whole daily limit in the last second of D (refused
    /// once anything was spent on D), warps to exactly 00:00:00 UTC of D+1 and spends the whole daily limit there
    /// (a new day: allowed), then one tiyn more (refused). The sponsor first funds and allocates what this needs.
    function spendAcrossMidnight(uint256 pidSeed, uint256 userSeed, uint256 amount, bool lastSecondFirst) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,, bool closed) = programmes.programme(pid);
        uint256 midnight = (block.timestamp / 1 days + 1) * 1 days;
        if (closed || terms.dailyLimit == 0 || midnight >= terms.expiry || block.timestamp < terms.validFrom) return;
        address user = Cast.user(userSeed % Cast.USERS);
        amount = 1 + amount % DAILY_LIMIT;
        uint256 needed = amount + DAILY_LIMIT + 1;
        (,, uint256 unallocated,,) = programmes.programme(pid);
        if (unallocated < needed) _tryFund(pid, needed - unallocated);
        _tryAllocate(pid, user, needed);
        _trySpend(pid, user, ProgrammeCast.CANTEEN, amount, 0);
        if (lastSecondFirst) {
            vm.warp(midnight - 1);
            _trySpend(pid, user, ProgrammeCast.CANTEEN, DAILY_LIMIT, 0);
        }
        vm.warp(midnight);
        if (_trySpend(pid, user, ProgrammeCast.CANTEEN, DAILY_LIMIT, 0)) {
            ++ghostMidnightFullLimits;
            vm.assertEq(programmes.spendableToday(pid, user), 0, "the daily limit spent, yet more spendable today");
        }
        _trySpend(pid, user, ProgrammeCast.CANTEEN, 1, 0);
    }

    /// @dev A spend signed by the beneficiary and submitted by someone else, then submitted again (must fail).
    function spendSigned(uint256 pidSeed, uint256 userSeed, uint256 amount, bool wrongSigner) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        uint256 u = userSeed % Cast.USERS;
        address user = Cast.user(u);
        amount = 1 + amount % 1_500_00;
        IPurposeBoundProgrammes.SpendAuthorization memory auth = IPurposeBoundProgrammes.SpendAuthorization({
            programmeId: pid,
            beneficiary: user,
            merchantId: ProgrammeCast.CANTEEN,
            amount: amount,
            categoryId: 0,
            invoiceRef: bytes32(++_invoice),
            validAfter: 0,
            validBefore: uint64(block.timestamp + 1 hours)
        });
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(wrongSigner ? Cast.userKey((u + 1) % Cast.USERS) : Cast.userKey(u), programmes.spendAuthorizationDigest(auth));
        bytes memory signature = abi.encodePacked(r, s, v);
        bool expected = !wrongSigner && _spendAllowed(pid, user, ProgrammeCast.CANTEEN, amount);
        vm.prank(Cast.bank(1));
        try programmes.spendWithAuthorization(auth, signature) {
            vm.assertTrue(expected, "signed spend accepted against the rules");
            _spent(pid, user, amount);
            ++ghostSignedSpends;
            vm.prank(Cast.bank(1));
            try programmes.spendWithAuthorization(auth, signature) {
                vm.assertTrue(false, "a spend authorization was used twice");
            } catch {}
        } catch {
            vm.assertTrue(!expected, "a legal signed spend was refused");
        }
    }

    function transferVoucher(uint256 pidSeed, uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        (address from, address to) = (Cast.user(fromSeed % Cast.USERS), Cast.user(toSeed % Cast.USERS));
        amount = amount % 2_000_00;
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,, bool closed) = programmes.programme(pid);
        bool live = !closed && block.timestamp < terms.expiry && block.timestamp >= terms.validFrom;
        bool expected = terms.transferable && live && !programmes.paused() && _eligible(from) && _eligible(to)
            && amount <= programmes.balanceOf(from, pid);
        vm.prank(from);
        try programmes.safeTransferFrom(from, to, pid, amount, "") {
            vm.assertTrue(expected, "voucher transfer accepted against the rules (bound, expired or frozen)");
        } catch {
            vm.assertTrue(!expected, "a legal voucher transfer was refused");
        }
    }

    function reclaim(uint256 pidSeed) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        _tryReclaim(pid);
    }

    function _tryReclaim(uint256 pid) private {
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,, bool closed) = programmes.programme(pid);
        bool expected = !closed && block.timestamp >= terms.expiry && !programmes.paused();
        uint256 locked = programmes.locked(pid);
        uint256 before = token.balanceOf(ProgrammeCast.sponsor());
        vm.prank(ProgrammeCast.sponsor());
        try programmes.reclaim(pid) {
            vm.assertTrue(expected, "reclaim accepted against the rules");
            vm.assertEq(token.balanceOf(ProgrammeCast.sponsor()), before + locked, "reclaim did not return all");
            vm.assertEq(programmes.locked(pid), 0, "a reclaimed programme still locks tenge");
        } catch {
            vm.assertTrue(!expected, "a legal reclaim was refused");
        }
    }

    function seize(uint256 pidSeed, uint256 userSeed, uint256 amount) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        address user = Cast.user(userSeed % Cast.USERS);
        amount = 1 + amount % 5_000_00;
        (,,,, bool closed) = programmes.programme(pid);
        bool expected = !closed && amount <= programmes.balanceOf(user, pid);
        vm.prank(Cast.compliance());
        try programmes.seizeVouchers(pid, user, amount, "court") {
            vm.assertTrue(expected, "seizure accepted against the rules");
        } catch {
            vm.assertTrue(!expected, "a legal seizure was refused");
        }
    }

    /// @dev A stranger tries the sponsor's and compliance's functions: always refused.
    function strangerCallsPrivileged(uint256 pidSeed, uint256 userSeed) external {
        ++ghostCalls;
        (bool exists, uint256 pid) = _pick(pidSeed);
        if (!exists) return;
        address stranger = Cast.user(userSeed % Cast.USERS);
        vm.prank(stranger);
        try programmes.reclaim(pid) {
            vm.assertTrue(false, "a stranger reclaimed a programme");
        } catch {}
        vm.prank(stranger);
        try programmes.seizeVouchers(pid, stranger, 1, "x") {
            vm.assertTrue(false, "a stranger seized vouchers");
        } catch {}
    }

    function freeze(uint256 userSeed, bool frozen) external {
        ++ghostCalls;
        address user = Cast.user(userSeed % Cast.USERS);
        if (token.isFrozen(user) == frozen) return;
        vm.prank(Cast.compliance());
        if (frozen) token.freeze(user);
        else token.unfreeze(user);
    }

    function setPaused(bool paused) external {
        ++ghostCalls;
        if (programmes.paused() == paused) return;
        vm.prank(ProgrammeCast.sponsor());
        if (paused) programmes.pause();
        else programmes.unpause();
    }

    function warp(uint256 seconds_) external {
        ++ghostCalls;
        vm.warp(block.timestamp + 1 hours + seconds_ % 3 days);
    }

    // --- rewards -----------------------------------------------------------------------------------------------

    /// @dev `expired`: the claim's deadline is this very second (refused: payable only before it).
    function claim(uint256 userSeed, uint64 periodSeed, uint256 amount, bool wrongSigner, bool expired) external {
        ++ghostCalls;
        address user = Cast.user(userSeed % Cast.USERS);
        uint64 period = 1 + periodSeed % 5;
        amount = 1 + amount % 600_00;
        uint64 validBefore = uint64(expired ? block.timestamp : block.timestamp + 1);
        IRewardPools.RewardClaim memory c = IRewardPools.RewardClaim({
            poolId: 1, beneficiary: user, amount: amount, period: period, validBefore: validBefore
        });
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(wrongSigner ? ProgrammeCast.WRONG_KEY : ProgrammeCast.ATTESTER_KEY, rewards.claimDigest(c));
        (,,,, uint256 balance, bool poolPaused, bool closed,) = rewards.pool(1);
        bool expected = !wrongSigner && !expired && !closed && !poolPaused && !rewards.paused() && timesPaid[period][user] == 0
            && amount <= MAX_PER_CLAIM && paidInPeriod[period] + amount <= PERIOD_CAP && amount <= balance
            && _eligible(user) && !token.paused();
        vm.prank(Cast.bank(1));
        try rewards.claim(c, abi.encodePacked(r, s, v)) {
            vm.assertTrue(expected, "claim accepted against the rules (attester, once, caps, pool)");
            ++timesPaid[period][user];
            paidInPeriod[period] += amount;
            ++ghostClaims;
            if (!_periodSeen[period]) {
                _periodSeen[period] = true;
                _periods.push(period);
            }
        } catch {
            vm.assertTrue(!expected, "a legal claim was refused");
        }
    }

    function topUpPool(uint256 amount) external {
        ++ghostCalls;
        amount = 1 + amount % 3_000_00;
        (,,,,,, bool closed,) = rewards.pool(1);
        if (closed) return;
        vm.prank(ProgrammeCast.sponsor());
        rewards.fund(1, amount);
    }

    // --- views for the invariants ------------------------------------------------------------------------------

    function periods() external view returns (uint64[] memory) {
        return _periods;
    }

    // --- model ---------------------------------------------------------------------------------------------------

    function _pick(uint256 seed) private view returns (bool, uint256) {
        if (programmeCount == 0) return (false, 0);
        return (true, 1 + seed % programmeCount);
    }

    function _beforeExpiry(uint256 pid) private view returns (bool) {
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,, bool closed) = programmes.programme(pid);
        return !closed && block.timestamp < terms.expiry;
    }

    function _eligible(address account) private view returns (bool) {
        return token.tierOf(account) != 0 && !token.isFrozen(account);
    }

    function _spendAllowed(uint256 pid, address user, uint64 merchant, uint256 amount) private view returns (bool) {
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,, bool closed) = programmes.programme(pid);
        if (closed || block.timestamp >= terms.expiry || block.timestamp < terms.validFrom) return false;
        if (merchant != ProgrammeCast.CANTEEN || programmes.paused() || token.paused() || !_eligible(user)) return false;
        if (amount > programmes.balanceOf(user, pid)) return false;
        if (terms.dailyLimit != 0 && _usedOnDay[pid][user][block.timestamp / 1 days] + amount > terms.dailyLimit) {
            return false;
        }
        return true;
    }

    /// @dev The contract's `spendableToday` against the model: 0 outside the window, else the balance capped by
    /// what the model says is left of today's limit.
    function _checkSpendable(uint256 pid, address user) private view {
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,, bool closed) = programmes.programme(pid);
        uint256 expected;
        if (!closed && block.timestamp >= terms.validFrom && block.timestamp < terms.expiry) {
            expected = programmes.balanceOf(user, pid);
            if (terms.dailyLimit != 0) {
                uint256 used = _usedOnDay[pid][user][block.timestamp / 1 days];
                uint256 left = used >= terms.dailyLimit ? 0 : terms.dailyLimit - used;
                if (left < expected) expected = left;
            }
        }
        vm.assertEq(programmes.spendableToday(pid, user), expected, "spendableToday differs from the model");
    }

    function _spent(uint256 pid, address user, uint256 amount) private {
        (, IPurposeBoundProgrammes.ProgrammeTerms memory terms,,,) = programmes.programme(pid);
        vm.assertTrue(block.timestamp < terms.expiry, "spent after expiry");
        _usedOnDay[pid][user][block.timestamp / 1 days] += amount;
        ++ghostSpends;
    }
}
