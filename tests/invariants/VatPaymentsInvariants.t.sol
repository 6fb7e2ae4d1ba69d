// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {IVatPayments} from "../../contracts/payments/IVatPayments.sol";
import {VatPayments} from "../../contracts/payments/VatPayments.sol";
import {VatCast, VatPaymentsHandler} from "./VatPaymentsHandler.sol";
import {InvariantTest} from "./utils/InvariantTest.sol";
import {Cast, TengeFixture} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title VatPaymentsInvariants
 * @notice VAT payments' invariants, checked by forge after random handler calls. The handler asserts at every
 * call that the contract accepted exactly what the model did, that money landed where the split says and that
 * each payment's VAT is within half a tiyn of the exact value; the functions below check the state left behind.
 *
 * Setup: the token (ungated) with money, the VAT contract approved on the token's uncapped tier, the treasury,
 * categories 1 (12 %, 16 % from 30 days on), 2 (5 %) and 3 (0 %), and merchants 1-4 (1, 2, 4 VAT-registered;
 * 3 not); ids 5 and 6 are left for the handler to register.
 */
contract VatPaymentsInvariants is InvariantTest, TengeFixture {
    IDigitalTenge internal token;
    IVatPayments internal vat;
    VatPaymentsHandler internal handler;

    function setUp() public {
        (token,) = _deployTenge(false, 0);
        _seedMoney(token);
        vm.prank(Cast.issuer());
        token.setMinterAllowance(Cast.bank(0), type(uint96).max); // top-ups never run out

        vat = IVatPayments(address(new VatPayments(token, 3 days, VatCast.admin())));
        vm.label(address(vat), "VatPayments");
        vm.label(VatCast.treasury(), "treasury");
        IAccessControl roles = IAccessControl(address(vat));
        (bytes32 tax, bytes32 pauser, bytes32 registrar) =
            (vat.TAX_AUTHORITY_ROLE(), vat.PAUSER_ROLE(), vat.REGISTRAR_ROLE());
        vm.prank(VatCast.admin());
        roles.grantRole(tax, VatCast.taxAuthority());
        vm.prank(VatCast.admin());
        roles.grantRole(pauser, VatCast.pauser());
        vm.prank(VatCast.taxAuthority());
        roles.grantRole(registrar, VatCast.registrar());
        _approve(token, address(vat), TIER_BUSINESS);
        _approve(token, VatCast.treasury(), TIER_BUSINESS);
        for (uint256 i; i < 2; ++i) {
            _approve(token, vm.addr(0xB000 + i), TIER_LARGE); // spare wallets for recoveries (see the handler)
        }

        vm.startPrank(VatCast.taxAuthority());
        vat.setTreasury(VatCast.treasury());
        vat.scheduleRate(1, 1_200, 0);
        vat.scheduleRate(1, 1_600, uint64(block.timestamp + 30 days));
        vat.scheduleRate(2, 500, 0);
        vat.scheduleRate(3, 0, 0);
        vm.stopPrank();
        vm.startPrank(VatCast.registrar());
        vat.registerMerchant(1, Cast.user(1), true, 1);
        vat.registerMerchant(2, Cast.user(3), true, 2);
        vat.registerMerchant(3, Cast.bank(2), false, 0);
        vat.registerMerchant(4, Cast.user(5), true, 3);
        vm.stopPrank();

        handler = new VatPaymentsHandler(token, vat);
        bytes4[] memory selectors = new bytes4[](24);
        selectors[0] = VatPaymentsHandler.pay.selector;
        selectors[1] = VatPaymentsHandler.payWithPermit.selector;
        selectors[2] = VatPaymentsHandler.payWithAuthorization.selector;
        selectors[3] = VatPaymentsHandler.refund.selector;
        selectors[4] = VatPaymentsHandler.withdrawVat.selector;
        selectors[5] = VatPaymentsHandler.setVatReserve.selector;
        selectors[6] = VatPaymentsHandler.treasuryApprove.selector;
        selectors[7] = VatPaymentsHandler.scheduleRate.selector;
        selectors[8] = VatPaymentsHandler.cancelRateChange.selector;
        selectors[9] = VatPaymentsHandler.registerOrUpdateMerchant.selector;
        selectors[10] = VatPaymentsHandler.setMerchantActive.selector;
        selectors[11] = VatPaymentsHandler.setVatPaused.selector;
        selectors[12] = VatPaymentsHandler.setTokenPaused.selector;
        selectors[13] = VatPaymentsHandler.freeze.selector;
        selectors[14] = VatPaymentsHandler.topUp.selector;
        selectors[15] = VatPaymentsHandler.warp.selector;
        selectors[16] = VatPaymentsHandler.strangerCallsPrivileged.selector;
        // Payments and refunds are the point: give them more of the calls.
        selectors[17] = VatPaymentsHandler.pay.selector;
        selectors[18] = VatPaymentsHandler.refund.selector;
        selectors[19] = VatPaymentsHandler.setMerchantCategories.selector;
        selectors[20] = VatPaymentsHandler.freezeEscrow.selector;
        selectors[21] = VatPaymentsHandler.recoverPayer.selector;
        selectors[22] = VatPaymentsHandler.payInvoice.selector;
        selectors[23] = VatPaymentsHandler.refundInvoice.selector;
        _targetHandler(address(handler), selectors);
    }

    /// @notice Every payment on record is the model's: gross, VAT by the documented rounding (net + VAT = gross),
    /// rate; and its VAT within half a tiyn of gross * rate / (10 000 + rate).
    function invariant_everyPaymentSplitsExactly() public view {
        uint256 n = handler.paymentCount();
        for (uint256 i; i < n; ++i) {
            VatPaymentsHandler.Payment memory p = handler.paymentAt(i);
            (uint256 gross, uint256 vatAmount, uint16 rateBps,) =
                vat.payment(vat.paymentId(p.merchantId, p.payer, p.invoiceRef));
            vm.assertEq(gross, p.gross, "gross on record");
            vm.assertEq(vatAmount, p.vat, "VAT on record");
            vm.assertTrue(rateBps == p.rateBps, "rate on record");
            (uint256 net, uint256 split) = vat.splitGross(gross, rateBps);
            vm.assertEq(net + split, gross, "net + VAT != gross");
            vm.assertEq(split, vatAmount, "splitGross disagrees with the record");
            uint256 d = 10_000 + uint256(rateBps);
            (uint256 a, uint256 b) = (vatAmount * d, gross * rateBps);
            vm.assertLe(2 * (a > b ? a - b : b - a), d, "VAT not within half a tiyn of the exact value");
        }
    }

    /// @notice No payment is refunded beyond its gross; the VAT it returned never exceeds its VAT, and equals it
    /// once the payment is refunded in full.
    function invariant_refundsNeverExceedGross() public view {
        uint256 n = handler.paymentCount();
        for (uint256 i; i < n; ++i) {
            VatPaymentsHandler.Payment memory p = handler.paymentAt(i);
            (uint256 gross,,, uint256 refunded) = vat.payment(vat.paymentId(p.merchantId, p.payer, p.invoiceRef));
            vm.assertEq(refunded, p.refunded, "refunded amount on record");
            vm.assertLe(refunded, gross, "refunded beyond the gross");
            vm.assertLe(p.vatRefunded, p.vat, "refunds returned more VAT than was paid");
            if (refunded == gross) vm.assertEq(p.vatRefunded, p.vat, "a full refund did not return all the VAT");
        }
    }

    /// @notice Every invoice-book payment is marked paid, its page's chain head is the model's, and it is never
    /// refunded beyond its gross (the refunded amount on record is the model's; the VAT it returned never exceeds
    /// its VAT, and equals it once refunded in full) - forged records included, which the handler also tries.
    function invariant_bookPaymentsPaidOnceAndRefundsBounded() public view {
        uint256 n = handler.bookPaymentCount();
        for (uint256 i; i < n; ++i) {
            VatPaymentsHandler.BookPayment memory p = handler.bookPaymentAt(i);
            vm.assertTrue(vat.invoicePaid(p.merchantId, p.invoiceNo), "book payment not marked paid");
            (, bytes32 head) = vat.bookPage(p.merchantId, p.invoiceNo);
            vm.assertEq(uint256(head), handler.modelPageHead(p.merchantId, p.invoiceNo), "page chain head");
            uint256 refunded = vat.invoiceRefunded(p.merchantId, p.invoiceNo);
            vm.assertEq(refunded, p.refunded, "book refunded amount on record");
            vm.assertLe(refunded, p.gross, "book payment refunded beyond the gross");
            vm.assertLe(p.vatRefunded, p.vat, "book refunds returned more VAT than was paid");
            if (refunded == p.gross) vm.assertEq(p.vatRefunded, p.vat, "a full book refund did not return all the VAT");
        }
    }

    /// @notice What the treasury holds plus what is still escrowed = VAT collected - VAT refunded; the treasury
    /// holds what it withdrew less what it funded refunds with; the escrow never went below the reserve by a
    /// withdrawal (checked at the call).
    function invariant_treasuryReconcilesWithVat() public view {
        uint256 treasuryHolds = token.balanceOf(VatCast.treasury());
        uint256 escrow = vat.escrowBalance();
        vm.assertEq(
            treasuryHolds + escrow,
            handler.ghostVatCollected() - handler.ghostVatRefunded(),
            "treasury + escrow != VAT due"
        );
        vm.assertEq(
            treasuryHolds,
            handler.ghostVatWithdrawn() - handler.ghostVatRefundedByTreasury(),
            "treasury != withdrawn - refunds it funded"
        );
        vm.assertEq(escrow, token.balanceOf(address(vat)), "escrowBalance view");
    }

    /// @notice The token's books still balance with VAT payments on top: total supply = sum of balances (escrow and
    /// treasury included) = the model's.
    function invariant_supplyEqualsSumOfBalances() public view {
        address[] memory holders = handler.holders();
        uint256 sum;
        for (uint256 i; i < holders.length; ++i) {
            uint256 balance = token.balanceOf(holders[i]);
            vm.assertEq(balance, handler.modelOf(holders[i]).balance, "a balance differs from the rules");
            sum += balance;
        }
        vm.assertEq(token.totalSupply(), sum, "total supply != sum of balances");
        vm.assertEq(token.totalSupply(), handler.ghostIssued() - handler.ghostRetired(), "supply != issued - retired");
    }

    /// @notice The registry and the rate schedule are exactly what the registrar and the tax authority set.
    function invariant_registryAndRatesAsSet() public view {
        for (uint64 id = 1; id <= 6; ++id) {
            (address payout, bool vatRegistered, uint8 category, bool active, bool registered) = vat.merchant(id);
            (address mPayout, bool mVat, uint8 mCategory, bool mActive, bool mRegistered) = handler.modelMerchant(id);
            vm.assertTrue(
                payout == mPayout && vatRegistered == mVat && category == mCategory && active == mActive
                    && registered == mRegistered,
                "merchant record differs from the registrar's"
            );
        }
        for (uint64 id = 1; id <= 6; ++id) {
            uint8[] memory allowed = vat.merchantCategories(id);
            uint256 bits;
            for (uint256 i; i < allowed.length; ++i) {
                bits |= uint256(1) << allowed[i];
            }
            (,, uint8 defaultCategory,,) = handler.modelMerchant(id);
            uint256 expected = handler.modelOtherCategories(id) | (uint256(1) << defaultCategory);
            vm.assertEq(bits | 1, expected | 1, "a merchant's allowed categories differ from the registrar's");
        }
        for (uint8 c = 1; c <= 5; ++c) {
            (bool hasCurrent, uint16 currentBps, bool hasPending, uint16 pendingBps, uint64 pendingFrom) =
                vat.rateSchedule(c);
            VatPaymentsHandler.Schedule memory s = handler.modelSchedule(c);
            if (s.hasNext && block.timestamp >= s.nextFrom) {
                (s.hasCurrent, s.currentBps, s.hasNext, s.nextBps, s.nextFrom) = (true, s.nextBps, false, 0, 0);
            }
            vm.assertTrue(
                hasCurrent == s.hasCurrent && currentBps == s.currentBps && hasPending == s.hasNext
                    && pendingBps == s.nextBps && pendingFrom == s.nextFrom,
                "rate schedule differs from the tax authority's"
            );
        }
        vm.assertEq(vat.vatReserve(), handler.modelVatReserve(), "VAT reserve");
    }

    /// @notice Nobody gained a role on the VAT contract, the admin and the treasury did not change: every
    /// privileged call by an account without the role reverted (the handler checks the exact error at the call).
    /// One role's full membership is checked per call, rotating.
    function invariant_onlyRolesChangePrivilegedState() public view {
        bytes32[4] memory roles = [bytes32(0), vat.TAX_AUTHORITY_ROLE(), vat.REGISTRAR_ROLE(), vat.PAUSER_ROLE()];
        address[4] memory holders = [VatCast.admin(), VatCast.taxAuthority(), VatCast.registrar(), VatCast.pauser()];
        uint256 r = handler.ghostCalls() % roles.length;
        address[] memory everyone = handler.everyone();
        for (uint256 i; i < everyone.length; ++i) {
            bool has = IAccessControl(address(vat)).hasRole(roles[r], everyone[i]);
            vm.assertTrue(has == (everyone[i] == holders[r]), "VAT role membership changed");
        }
        vm.assertEq(IAccessControlDefaultAdminRules(address(vat)).defaultAdmin(), VatCast.admin(), "VAT admin changed");
        vm.assertEq(vat.treasury(), VatCast.treasury(), "treasury changed");
    }
}
