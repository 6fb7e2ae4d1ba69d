// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {PvPSettlement} from "../../contracts/pvp/PvPSettlement.sol";
import {PvPHandler} from "./PvPHandler.sol";
import {InvariantTest} from "./utils/InvariantTest.sol";
import {Cast, TengeFixture} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title PvPInvariants
 * @notice Payment versus payment between two DigitalTenge-type tokens (the tenge and the som, each deployed as in
 * production). The handler asserts at every call: both legs or neither; a quote settles at most once; a refusal
 * moves nothing in either token. The functions below check that the settlement contract never holds a token and
 * that settling never creates or destroys money.
 *
 * Setup: users 0 and 1 are the LPs (they hold som), users 2-3 and bank 2 pay in tenge, users 4-5 and bank 0
 * receive som; corridor tenge -> som open with a daily limit above what a run can settle.
 */
contract PvPInvariants is InvariantTest, TengeFixture {
    IDigitalTenge internal tenge;
    IDigitalTenge internal som;
    PvPSettlement internal pvp;
    PvPHandler internal handler;
    uint256 internal tengeSupply;
    uint256 internal somSupply;

    function setUp() public {
        (tenge,) = _deployTenge(false, 0);
        (som,) = _deployTenge(false, 0);
        _seedMoney(tenge);
        _seedMoney(som);
        address admin = Cast.admin();
        pvp = new PvPSettlement(admin, 3 days);
        _approve(tenge, address(pvp), TIER_BUSINESS);
        _approve(som, address(pvp), TIER_BUSINESS);
        vm.startPrank(admin);
        pvp.grantRole(pvp.CORRIDOR_ROLE(), admin);
        pvp.setCorridorLimit(address(tenge), address(som), 1e27);
        vm.stopPrank();
        handler = new PvPHandler(pvp, tenge, som);
        for (uint256 i; i < 3; ++i) {
            vm.prank(handler.payer(i));
            tenge.approve(address(pvp), type(uint256).max);
        }
        for (uint256 i; i < 2; ++i) {
            vm.prank(handler.lp(i));
            som.approve(address(pvp), type(uint256).max);
        }
        tengeSupply = tenge.totalSupply();
        somSupply = som.totalSupply();
        vm.label(address(pvp), "PvPSettlement");

        bytes4[] memory selectors = new bytes4[](8);
        selectors[0] = PvPHandler.pay.selector;
        selectors[1] = PvPHandler.replay.selector;
        selectors[2] = PvPHandler.cancel.selector;
        selectors[3] = PvPHandler.freeze.selector;
        selectors[4] = PvPHandler.warp.selector;
        // Settling is the point: give it more of the calls.
        selectors[5] = PvPHandler.pay.selector;
        selectors[6] = PvPHandler.pay.selector;
        selectors[7] = PvPHandler.replay.selector;
        _targetHandler(address(handler), selectors);
    }

    /// @notice No token is ever left in the settlement contract.
    function invariant_nothingLeftInTheContract() public view {
        vm.assertEq(tenge.balanceOf(address(pvp)), 0, "tenge held by the settlement contract");
        vm.assertEq(som.balanceOf(address(pvp)), 0, "som held by the settlement contract");
    }

    /// @notice Settling moves money, never creates or destroys it (both supplies as at setup).
    function invariant_suppliesUnchanged() public view {
        vm.assertEq(tenge.totalSupply(), tengeSupply, "tenge supply changed");
        vm.assertEq(som.totalSupply(), somSupply, "som supply changed");
    }

    /// @notice The handler saw settlements and refusals (the campaign is not vacuous) — checked loosely: a run's
    /// first calls may all be refusals.
    function invariant_eachQuoteSettledAtMostOnce() public view {
        vm.assertLe(handler.ghostSettlements(), handler.ghostCalls(), "more settlements than calls");
    }
}
