// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {IVatPayments} from "../../contracts/payments/IVatPayments.sol";
import {VatPayments} from "../../contracts/payments/VatPayments.sol";
import {PurposeBoundProgrammes} from "../../contracts/programmes/PurposeBoundProgrammes.sol";
import {RewardPools} from "../../contracts/programmes/RewardPools.sol";
import {ProgrammeCast, ProgrammesHandler} from "./ProgrammesHandler.sol";
import {InvariantTest} from "./utils/InvariantTest.sol";
import {Cast, TengeFixture} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title ProgrammesInvariants
 * @notice Purpose-bound programmes and reward pools on top of the token and VAT payments. The handler asserts at
 * every call that each action was accepted exactly when the rules allow it (no spend outside the purpose, after
 * expiry, over the daily limit, by a frozen holder; no bound voucher passed on; each signed spend and each claim
 * used once); the functions below check the state left behind.
 *
 * Setup: VAT categories 1 (standard) and 2 (school meals), merchant 1 = canteen (category 2, payout bank 0),
 * merchant 2 = shop (category 1, payout bank 1); the sponsor (bank 2) holds SPONSOR_ROLE of both contracts and
 * PAUSER_ROLE of the programmes; reward pool 1 (attester key 0xB0B, 500.00 per claim, 2,000.00 per period).
 */
contract ProgrammesInvariants is InvariantTest, TengeFixture {
    IDigitalTenge internal token;
    PurposeBoundProgrammes internal programmes;
    RewardPools internal rewards;
    ProgrammesHandler internal handler;

    function setUp() public {
        (token,) = _deployTenge(false, 0);
        _seedMoney(token);
        address admin = Cast.admin();
        VatPayments vat = new VatPayments(token, 3 days, admin);
        _approve(token, address(vat), TIER_BUSINESS);
        vm.startPrank(admin);
        vat.grantRole(vat.TAX_AUTHORITY_ROLE(), admin);
        vat.scheduleRate(1, 1_600, 0);
        vat.scheduleRate(2, 1_600, 0);
        vat.setTreasury(Cast.bank(2));
        vat.registerMerchant(ProgrammeCast.CANTEEN, Cast.bank(0), true, ProgrammeCast.PURPOSE_CATEGORY);
        vat.registerMerchant(ProgrammeCast.SHOP, Cast.bank(1), true, 1);
        programmes = new PurposeBoundProgrammes(IVatPayments(address(vat)), 3 days, admin, "");
        rewards = new RewardPools(token, 3 days, admin);
        programmes.grantRole(programmes.SPONSOR_ROLE(), ProgrammeCast.sponsor());
        programmes.grantRole(programmes.PAUSER_ROLE(), ProgrammeCast.sponsor());
        rewards.grantRole(rewards.SPONSOR_ROLE(), ProgrammeCast.sponsor());
        vm.stopPrank();
        _approve(token, address(programmes), TIER_BUSINESS);
        _approve(token, address(rewards), TIER_BUSINESS);

        vm.startPrank(ProgrammeCast.sponsor());
        token.approve(address(programmes), type(uint256).max);
        token.approve(address(rewards), type(uint256).max);
        rewards.createPool(vm.addr(ProgrammeCast.ATTESTER_KEY), 500_00, 2_000_00, keccak256("steps"));
        rewards.fund(1, 3_000_00);
        vm.stopPrank();
        vm.label(address(programmes), "PurposeBoundProgrammes");
        vm.label(address(rewards), "RewardPools");

        handler = new ProgrammesHandler(token, programmes, rewards);
        bytes4[] memory selectors = new bytes4[](20);
        selectors[0] = ProgrammesHandler.createProgramme.selector;
        selectors[1] = ProgrammesHandler.fund.selector;
        selectors[2] = ProgrammesHandler.allocate.selector;
        selectors[3] = ProgrammesHandler.spend.selector;
        selectors[4] = ProgrammesHandler.spendSigned.selector;
        selectors[5] = ProgrammesHandler.transferVoucher.selector;
        selectors[6] = ProgrammesHandler.reclaim.selector;
        selectors[7] = ProgrammesHandler.seize.selector;
        selectors[8] = ProgrammesHandler.strangerCallsPrivileged.selector;
        selectors[9] = ProgrammesHandler.freeze.selector;
        selectors[10] = ProgrammesHandler.setPaused.selector;
        selectors[11] = ProgrammesHandler.warp.selector;
        selectors[12] = ProgrammesHandler.claim.selector;
        selectors[13] = ProgrammesHandler.topUpPool.selector;
        // Spending, allocation and claims are the point: give them more of the calls.
        selectors[14] = ProgrammesHandler.spend.selector;
        selectors[15] = ProgrammesHandler.allocate.selector;
        selectors[16] = ProgrammesHandler.claim.selector;
        selectors[17] = ProgrammesHandler.createProgramme.selector;
        // The edges (issue 18, mutation testing): exactly the expiry second, and the full limit at 00:00 of D+1.
        selectors[18] = ProgrammesHandler.spendAtExpiryEdge.selector;
        selectors[19] = ProgrammesHandler.spendAcrossMidnight.selector;
        _targetHandler(address(handler), selectors);
    }

    /// @notice Conservation: each programme locks exactly unallocated + outstanding, its outstanding is the sum of
    /// its holders' vouchers (0 once reclaimed), and the contract holds exactly what all programmes lock.
    function invariant_lockedEqualsOutstandingVouchers() public view {
        uint256 sumLocked;
        for (uint256 pid = 1; pid <= handler.programmeCount(); ++pid) {
            (,, uint256 unallocated, uint256 outstanding, bool closed) = programmes.programme(pid);
            uint256 held;
            for (uint256 u; u < Cast.USERS; ++u) {
                held += programmes.balanceOf(Cast.user(u), pid);
            }
            vm.assertEq(outstanding, held, "outstanding != vouchers held");
            vm.assertEq(programmes.locked(pid), unallocated + outstanding, "locked != unallocated + outstanding");
            if (closed) vm.assertEq(unallocated + outstanding, 0, "a closed programme still locks tenge");
            sumLocked += unallocated + outstanding;
        }
        vm.assertEq(programmes.totalLocked(), sumLocked, "totalLocked != sum over programmes");
        vm.assertEq(token.balanceOf(address(programmes)), sumLocked, "tenge held != tenge locked");
        vm.assertEq(programmes.surplus(), 0, "surplus without any refund");
    }

    /// @notice Every spend the contract accepted was inside the purpose and the window (the handler asserts it at
    /// the call); the shop, outside every purpose, never received a tiyn from the programmes.
    function invariant_noSpendOutsidePurposeOrAfterExpiry() public view {
        vm.assertEq(token.balanceOf(Cast.bank(1)), 1_000_000_00, "the shop was paid from a programme");
        vm.assertLe(handler.ghostSignedSpends(), handler.ghostSpends(), "signed spends counted as spends");
    }

    /// @notice Each (beneficiary, period) was paid once, no period above its cap, and the pool's tenge is exactly
    /// its balance.
    function invariant_eachClaimPaidOnce() public view {
        uint64[] memory periods = handler.periods();
        for (uint256 i; i < periods.length; ++i) {
            for (uint256 u; u < Cast.USERS; ++u) {
                address user = Cast.user(u);
                vm.assertLe(handler.timesPaid(periods[i], user), 1, "a claim was paid twice");
                vm.assertTrue(
                    rewards.claimed(1, user, periods[i]) == (handler.timesPaid(periods[i], user) == 1),
                    "claimed flag differs from payments"
                );
            }
            vm.assertEq(rewards.paidInPeriod(1, periods[i]), handler.paidInPeriod(periods[i]), "period total");
            vm.assertLe(rewards.paidInPeriod(1, periods[i]), 2_000_00, "period cap exceeded");
        }
        (,,,, uint256 balance,,,) = rewards.pool(1);
        vm.assertEq(token.balanceOf(address(rewards)), balance, "pool tenge != pool balance");
    }
}
