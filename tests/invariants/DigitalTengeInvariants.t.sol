// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {DigitalTengeHandler} from "./DigitalTengeHandler.sol";
import {InvariantTest} from "./utils/InvariantTest.sol";
import {TengeHandlerBase} from "./utils/TengeHandlerBase.sol";
import {Cast, TengeFixture} from "./utils/TengeFixture.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title DigitalTengeInvariants
 * @notice The token's invariants, checked by forge after every random handler call. The handler itself asserts,
 * at every call, that the token accepted the action exactly when the model of {TengeHandlerBase} did and that the
 * accounts it touched read as in the model; the functions below compare the whole token with the model and check
 * the properties of the state the actions leave.
 *
 * The token starts reserve-gated (maximum attestation age one day, no attestation yet); the handler switches
 * gating off and on, posts attestations, moves time, and runs every issuance, payment and compliance action.
 */
contract DigitalTengeInvariants is InvariantTest, TengeFixture {
    /// @dev ERC-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1).
    bytes32 private constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    IDigitalTenge internal token;
    DigitalTengeHandler internal handler;
    address internal implementation;

    function setUp() public {
        (token, implementation) = _deployTenge(true, 1 days);
        _seedMoney(token);
        handler = new DigitalTengeHandler(token, implementation);

        bytes4[] memory selectors = new bytes4[](24);
        selectors[0] = DigitalTengeHandler.setMinterAllowance.selector;
        selectors[1] = DigitalTengeHandler.mint.selector;
        selectors[2] = DigitalTengeHandler.batchMint.selector;
        selectors[3] = DigitalTengeHandler.burn.selector;
        selectors[4] = DigitalTengeHandler.redeem.selector;
        selectors[5] = DigitalTengeHandler.transfer.selector;
        selectors[6] = DigitalTengeHandler.approveAndTransferFrom.selector;
        selectors[7] = DigitalTengeHandler.batchTransfer.selector;
        selectors[8] = DigitalTengeHandler.transferWithFee.selector;
        selectors[9] = DigitalTengeHandler.permitAndSpend.selector;
        selectors[10] = DigitalTengeHandler.transferWithAuthorization.selector;
        selectors[11] = DigitalTengeHandler.setTier.selector;
        selectors[12] = DigitalTengeHandler.setTierCap.selector;
        selectors[13] = DigitalTengeHandler.freeze.selector;
        selectors[14] = DigitalTengeHandler.freezeAmount.selector;
        selectors[15] = DigitalTengeHandler.forceTransfer.selector;
        selectors[16] = DigitalTengeHandler.wipe.selector;
        selectors[17] = DigitalTengeHandler.recover.selector;
        selectors[18] = DigitalTengeHandler.setPaused.selector;
        selectors[19] = DigitalTengeHandler.attestReserve.selector;
        selectors[20] = DigitalTengeHandler.setReserveGating.selector;
        selectors[21] = DigitalTengeHandler.setBank1Minter.selector;
        selectors[22] = DigitalTengeHandler.warp.selector;
        selectors[23] = DigitalTengeHandler.strangerCallsPrivileged.selector;
        _targetHandler(address(handler), selectors);
    }

    /// @notice Total supply = sum of balances = what was minted - what was burned, redeemed or wiped; and every
    /// balance is the model's (no action moved money it did not name).
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

    /// @notice No balance above its tier's cap, unless the cap (or tier) was lowered under a balance already there
    /// (caps bind at credit) and no credit came since.
    function invariant_noBalanceAboveTierCap() public view {
        for (uint8 tier = 1; tier <= 6; ++tier) {
            vm.assertEq(token.tierCap(tier), handler.ghostTierCap(tier), "tier cap differs from what compliance set");
        }
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            address h = holders[i];
            uint8 tier = token.tierOf(h);
            uint256 balance = token.balanceOf(h);
            uint256 cap = tier == 0 ? 0 : token.tierCap(tier);
            if (balance > cap) {
                vm.assertLe(balance, handler.modelOf(h).capExempt, "balance above its tier cap, not grandfathered");
            }
        }
    }

    /// @notice Frozen amounts and freezes are exactly what compliance set, changed only by court orders
    /// (forced transfer, wipe) and recovery - never by a transfer, mint, burn or payment.
    function invariant_frozenAmountsMoveOnlyByCourtOrder() public view {
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            address h = holders[i];
            TengeHandlerBase.Account memory m = handler.modelOf(h);
            vm.assertEq(
                token.frozenAmountOf(h), m.frozen, "frozen amount differs from compliance's and the court orders'"
            );
            vm.assertTrue(token.isFrozen(h) == m.wholly, "freeze flag differs from compliance's");
            vm.assertTrue(token.tierOf(h) == m.tier, "tier differs from compliance's");
            uint256 balance = token.balanceOf(h);
            uint256 frozen = token.frozenAmountOf(h);
            uint256 spendable =
                token.isFrozen(h) || token.tierOf(h) == 0 ? 0 : (balance > frozen ? balance - frozen : 0);
            vm.assertEq(token.spendableBalanceOf(h), spendable, "spendable != balance - frozen");
        }
    }

    /// @notice Where minting is gated, supply stays within the attested reserve (unless the attestor itself posted
    /// a reserve below the supply, or gating was switched on over a larger supply: then minting just stops).
    function invariant_gatedSupplyWithinReserve() public view {
        (bool gated,) = token.reserveGating();
        if (!gated || handler.ghostReserveShortfallExcused()) return;
        (uint256 reserve,) = token.reserveAttestation();
        vm.assertLe(token.totalSupply(), reserve, "gated supply above the attested reserve");
    }

    /// @notice What a bank minted never exceeds what the issuer allowed it: minted + remaining allowance =
    /// raised - lowered; a non-zero allowance only for a MINTER_ROLE holder.
    function invariant_bankMintsWithinAllowances() public view {
        for (uint256 i; i < Cast.BANKS; ++i) {
            address bank = Cast.bank(i);
            uint256 minted = handler.ghostMinted(bank);
            uint256 allowance = token.minterAllowance(bank);
            vm.assertLe(minted, handler.ghostAllowanceRaised(bank), "a bank minted more than it was ever allowed");
            vm.assertEq(
                minted + allowance,
                handler.ghostAllowanceRaised(bank) - handler.ghostAllowanceLowered(bank),
                "minted + allowance != allowances granted - lowered"
            );
            if (allowance != 0) vm.assertTrue(token.hasRole(token.MINTER_ROLE(), bank), "allowance without the role");
        }
    }

    /// @notice Nobody gained a role, the admin did not change and the implementation was not swapped: every
    /// privileged call by an account without the role reverted (the handler checks the exact error at the call).
    /// One role's full membership is checked per call, rotating, to keep each step cheap.
    function invariant_onlyRolesChangePrivilegedState() public view {
        address[] memory everyone = handler.everyone();
        bytes32[7] memory roles = [
            bytes32(0),
            token.ISSUER_ROLE(),
            token.MINTER_ROLE(),
            token.COMPLIANCE_ROLE(),
            token.PAUSER_ROLE(),
            token.RESERVE_ATTESTOR_ROLE(),
            token.UPGRADER_ROLE()
        ];
        bytes32 role = roles[handler.ghostCalls() % roles.length];
        for (uint256 i; i < everyone.length; ++i) {
            vm.assertTrue(
                token.hasRole(role, everyone[i]) == _expectedHolder(role, everyone[i]), "role membership changed"
            );
        }
        vm.assertEq(token.defaultAdmin(), Cast.admin(), "admin changed");
        (address pendingAdmin,) = token.pendingDefaultAdmin();
        vm.assertEq(pendingAdmin, address(0), "an admin hand-over was started");
        vm.assertEq(
            address(uint160(uint256(vm.load(address(token), IMPLEMENTATION_SLOT)))),
            implementation,
            "implementation swapped"
        );
    }

    function _expectedHolder(bytes32 role, address account) private view returns (bool) {
        if (role == bytes32(0)) return account == Cast.admin();
        if (role == token.ISSUER_ROLE()) return account == Cast.issuer();
        if (role == token.COMPLIANCE_ROLE()) return account == Cast.compliance();
        if (role == token.PAUSER_ROLE()) return account == Cast.pauser();
        if (role == token.RESERVE_ATTESTOR_ROLE()) return account == Cast.attestor();
        if (role == token.UPGRADER_ROLE()) return account == Cast.upgrader();
        return handler.modelMinter(account);
    }
}
