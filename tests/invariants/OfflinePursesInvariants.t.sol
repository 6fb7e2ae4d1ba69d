// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {IOfflinePurses} from "../../contracts/offline/IOfflinePurses.sol";
import {OfflinePurses} from "../../contracts/offline/OfflinePurses.sol";
import {IVatPayments} from "../../contracts/payments/IVatPayments.sol";
import {VatPayments} from "../../contracts/payments/VatPayments.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {OfflinePursesHandler, PurseCast} from "./OfflinePursesHandler.sol";
import {InvariantTest} from "./utils/InvariantTest.sol";
import {Cast, TengeFixture} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title OfflinePursesInvariants
 * @notice Offline purses with a cloned device in the cast (see {OfflinePursesHandler}). The handler asserts every
 * settlement, revocation and close against its model at every call; the functions below check the whole state:
 * conservation (per purse locked = unsettled + settled + returned, and the contract holds exactly the open purses'
 * unsettled tenge plus the banks' deposits), no payment settled twice, every honest merchant's valid payment paid
 * while the deposit lasts, and each bank's loss within its stated bound.
 *
 * Setup: bank A (reach 2, purses up to 5,000 tenge, 3 days) and bank B (reach 3, up to 2,000 tenge, 2 days), each
 * with a guarantee deposit; merchants 1 (VAT 12%), 2 (not VAT-registered) and 3 (VAT 5%); grace 1 day.
 */
contract OfflinePursesInvariants is InvariantTest, TengeFixture {
    IDigitalTenge internal token;
    OfflinePurses internal purses;
    OfflinePursesHandler internal handler;

    function setUp() public {
        (token,) = _deployTenge(false, 0);
        _seedMoney(token);
        address admin = Cast.admin();
        IVatPayments vat = IVatPayments(address(new VatPayments(token, 3 days, admin)));
        IAccessControl roles = IAccessControl(address(vat));
        vm.startPrank(admin);
        roles.grantRole(vat.TAX_AUTHORITY_ROLE(), admin);
        roles.grantRole(vat.REGISTRAR_ROLE(), admin);
        vat.scheduleRate(1, 1_200, 0);
        vat.scheduleRate(2, 500, 0);
        vat.registerMerchant(1, PurseCast.payout(1), true, 1);
        vat.registerMerchant(2, PurseCast.payout(2), false, 0);
        vat.registerMerchant(3, PurseCast.payout(3), true, 2);
        vm.stopPrank();
        _approve(token, address(vat), TIER_BUSINESS);

        purses = new OfflinePurses(token, vat, 1 days, 3 days, admin);
        _approve(token, address(purses), TIER_BUSINESS);
        for (uint256 m = 1; m <= PurseCast.MERCHANTS; ++m) {
            _approve(token, PurseCast.payout(m), TIER_BUSINESS);
        }
        vm.startPrank(admin);
        purses.setBankLimits(PurseCast.bank(0), 5_000_00, 3 days, 2, 2);
        purses.setBankLimits(PurseCast.bank(1), 2_000_00, 2 days, 3, 3);
        vm.stopPrank();
        uint256 deposited;
        for (uint256 b; b < PurseCast.BANKS; ++b) {
            address issuer = PurseCast.bank(b);
            _approve(token, issuer, TIER_BUSINESS);
            bytes32 issuerRole = purses.ISSUER_ROLE();
            vm.prank(admin);
            purses.grantRole(issuerRole, issuer);
            vm.prank(Cast.bank(0));
            token.mint(issuer, 2_000_000_00);
            vm.startPrank(issuer);
            token.approve(address(purses), type(uint256).max);
            purses.depositGuarantee(40_000_00);
            vm.stopPrank();
            deposited += 40_000_00;
        }
        for (uint256 i; i < Cast.USERS; ++i) {
            vm.prank(Cast.user(i));
            token.approve(address(purses), type(uint256).max);
        }
        vm.label(address(purses), "OfflinePurses");
        vm.label(address(vat), "VatPayments");

        handler = new OfflinePursesHandler(purses, token, deposited);
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = OfflinePursesHandler.open.selector;
        selectors[1] = OfflinePursesHandler.pay.selector;
        selectors[2] = OfflinePursesHandler.forge.selector;
        selectors[3] = OfflinePursesHandler.settle.selector;
        selectors[4] = OfflinePursesHandler.revoke.selector;
        selectors[5] = OfflinePursesHandler.close.selector;
        selectors[6] = OfflinePursesHandler.bankDeposit.selector;
        selectors[7] = OfflinePursesHandler.warp.selector;
        // Paying and settling are the point: give them more of the calls.
        selectors[8] = OfflinePursesHandler.open.selector;
        selectors[9] = OfflinePursesHandler.pay.selector;
        selectors[10] = OfflinePursesHandler.pay.selector;
        selectors[11] = OfflinePursesHandler.settle.selector;
        _targetHandler(address(handler), selectors);
    }

    /// @notice Conservation: per purse, locked = unsettled + settled from the purse + returned; the contract holds
    /// exactly the open purses' unsettled tenge plus the banks' deposits; what left it went to merchants (settled)
    /// and holders (returned).
    /// forge-config: default.invariant.runs = 12
    function invariant_purseConservation() public view {
        uint256 unsettled;
        uint256 settled;
        uint256 returned;
        for (uint256 i; i < handler.purseCount(); ++i) {
            OfflinePursesHandler.PurseModel memory p = handler.purseAt(i);
            IOfflinePurses.PurseView memory pv = purses.purse(p.id);
            vm.assertEq(pv.paid, p.paid, "a purse's paid total is not the model's");
            uint256 fromPurse = pv.paid < pv.amount ? pv.paid : pv.amount;
            uint256 open = pv.status == IOfflinePurses.PurseStatus.Closed ? 0 : pv.amount - fromPurse;
            vm.assertEq(pv.amount, open + fromPurse + p.returned, "locked != unsettled + settled + returned");
            unsettled += open;
            settled += pv.paid;
            returned += p.returned;
        }
        uint256 deposits;
        for (uint256 b; b < PurseCast.BANKS; ++b) {
            (uint256 deposit, uint256 reserved,,,,) = purses.bank(PurseCast.bank(b));
            vm.assertLe(reserved, deposit, "a bank's reservations exceed its deposit");
            deposits += deposit;
        }
        vm.assertEq(token.balanceOf(address(purses)), unsettled + deposits, "the contract's tenge != purses + deposits");
        vm.assertEq(settled, handler.ghostSettledGross(), "settled totals != what merchants were paid");
        vm.assertEq(returned, handler.ghostReturned(), "returned != what holders got back");
        vm.assertEq(
            handler.ghostLocked() + handler.ghostDeposited(),
            token.balanceOf(address(purses)) + handler.ghostSettledGross() + handler.ghostReturned()
                + handler.ghostWithdrawn(),
            "tenge appeared or vanished in the purse contract"
        );
    }

    /// @notice No payment settled twice (a replay pays nothing; the handler checks payouts exactly) and every
    /// honest merchant's valid payment within the stated bound was paid when submitted.
    /// forge-config: default.invariant.runs = 12
    function invariant_honestMerchantsPaidOnce() public view {
        vm.assertEq(handler.ghostHonestRefused(), 0, "an honest merchant's valid payment was refused");
    }

    /// @notice Each purse paid at most amount x reach; a bank lost at most amount x (reach - 1) per purse, and
    /// only on purses with a recorded double-spend proof.
    /// forge-config: default.invariant.runs = 12
    function invariant_bankLossWithinBound() public view {
        for (uint256 i; i < handler.purseCount(); ++i) {
            OfflinePursesHandler.PurseModel memory p = handler.purseAt(i);
            IOfflinePurses.PurseView memory pv = purses.purse(p.id);
            vm.assertLe(pv.paid, pv.amount * pv.reach, "a purse paid beyond amount x reach");
            if (pv.paid > pv.amount) {
                vm.assertTrue(purses.proofOf(p.id).kind != IOfflinePurses.ProofKind.None, "loss without a proof");
                vm.assertEq(purses.proofOf(p.id).overdrawn, pv.paid - pv.amount, "proof's amount != the loss");
            }
        }
    }
}
