// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {DigitalTenge} from "../../../contracts/token/DigitalTenge.sol";
import {IDigitalTenge} from "../../../contracts/interfaces/IDigitalTenge.sol";
import {vm} from "./Vm.sol";

/**
 * @title Cast
 * @notice The fixed cast of every invariant suite: one holder per role (each separate, as in production), banks,
 * and users with private keys (they sign permits and EIP-3009 authorizations). Deterministic addresses, so a
 * counterexample replays the same way.
 */
library Cast {
    uint256 internal constant USERS = 6;
    uint256 internal constant BANKS = 3; // banks 0 and 1 hold MINTER_ROLE; bank 2 is a KYC'd business without it

    function admin() internal pure returns (address) {
        return _named("admin");
    }

    function issuer() internal pure returns (address) {
        return _named("issuer");
    }

    function compliance() internal pure returns (address) {
        return _named("compliance");
    }

    function pauser() internal pure returns (address) {
        return _named("pauser");
    }

    function attestor() internal pure returns (address) {
        return _named("attestor");
    }

    function upgrader() internal pure returns (address) {
        return _named("upgrader");
    }

    function bank(uint256 i) internal pure returns (address) {
        return _named(string.concat("bank", _digit(i)));
    }

    /// @dev Small keys are valid secp256k1 keys and keep traces readable.
    function userKey(uint256 i) internal pure returns (uint256) {
        return 0xA000 + i;
    }

    function user(uint256 i) internal pure returns (address) {
        return vm.addr(userKey(i));
    }

    function _named(string memory name) private pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked("digital-tenge.invariants.", name)))));
    }

    function _digit(uint256 i) private pure returns (string memory) {
        return string(abi.encodePacked(bytes1(uint8(48 + (i % 10)))));
    }
}

/**
 * @title TengeFixture
 * @notice Deploys the token as in production - implementation behind OpenZeppelin's ERC1967Proxy, initialized
 * in the proxy's constructor - and hands each role of the {Cast} to its holder. Every suite of the system builds
 * on it (the token is the currency of every contract).
 */
abstract contract TengeFixture {
    /// @dev Tiers used by the suites: 1 and 2 capped (individuals), 3 uncapped (businesses, banks, escrows),
    /// 5 a tier kept outside the packed policy word (its cap lives in a mapping).
    uint8 internal constant TIER_SMALL = 1;
    uint8 internal constant TIER_LARGE = 2;
    uint8 internal constant TIER_BUSINESS = 3;
    uint8 internal constant TIER_EXTRA = 5;

    function _deployTenge(bool reserveGated, uint64 maxAttestationAge)
        internal
        returns (IDigitalTenge token, address implementation)
    {
        implementation = address(new DigitalTenge());
        bytes memory init = abi.encodeCall(
            DigitalTenge.initialize,
            ("Digital Tenge", "KZTD", "KZT", Cast.admin(), uint48(3 days), reserveGated, maxAttestationAge)
        );
        token = IDigitalTenge(address(new ERC1967Proxy(implementation, init)));

        _grant(token, token.ISSUER_ROLE(), Cast.issuer());
        _grant(token, token.COMPLIANCE_ROLE(), Cast.compliance());
        _grant(token, token.PAUSER_ROLE(), Cast.pauser());
        _grant(token, token.RESERVE_ATTESTOR_ROLE(), Cast.attestor());
        _grant(token, token.UPGRADER_ROLE(), Cast.upgrader());
        _grant(token, token.MINTER_ROLE(), Cast.bank(0));
        _grant(token, token.MINTER_ROLE(), Cast.bank(1));

        vm.prank(Cast.compliance());
        token.setTierCap(TIER_SMALL, 500_000_00); // 500,000 tenge
        vm.prank(Cast.compliance());
        token.setTierCap(TIER_LARGE, 5_000_000_00);
        vm.prank(Cast.compliance());
        token.setTierCap(TIER_BUSINESS, type(uint256).max);
        vm.prank(Cast.compliance());
        token.setTierCap(TIER_EXTRA, 2_000_000_00);
        vm.prank(Cast.compliance());
        token.setTierCap(4, 20_000_000_00); // tier 6 stays without a cap: such an account can hold nothing

        for (uint256 i; i < Cast.BANKS; ++i) {
            _approve(token, Cast.bank(i), TIER_BUSINESS);
        }
        for (uint256 i; i < Cast.USERS; ++i) {
            _approve(token, Cast.user(i), i % 2 == 0 ? TIER_SMALL : TIER_LARGE);
        }
        _label(token);
    }

    /// @dev Money to start from: a reserve attestation covering it, allowances for the two banks, and each user
    /// and bank holding some (minted by bank 0 through the normal path). Call before the handlers are built
    /// (they model the state they find).
    function _seedMoney(IDigitalTenge token) internal {
        vm.prank(Cast.attestor());
        token.attestReserve(1_000_000_000_00, uint64(block.timestamp));
        vm.prank(Cast.issuer());
        token.setMinterAllowance(Cast.bank(0), 500_000_000_00);
        vm.prank(Cast.issuer());
        token.setMinterAllowance(Cast.bank(1), 500_000_000_00);
        for (uint256 i; i < Cast.USERS; ++i) {
            vm.prank(Cast.bank(0));
            token.mint(Cast.user(i), 20_000_00 * (i + 1));
        }
        for (uint256 i; i < Cast.BANKS; ++i) {
            vm.prank(Cast.bank(0));
            token.mint(Cast.bank(i), 1_000_000_00);
        }
    }

    function _grant(IDigitalTenge token, bytes32 role, address account) internal {
        vm.prank(Cast.admin());
        token.grantRole(role, account);
    }

    function _approve(IDigitalTenge token, address account, uint8 tier) internal {
        vm.prank(Cast.compliance());
        token.setTier(account, tier);
    }

    function _label(IDigitalTenge token) private {
        vm.label(address(token), "DigitalTenge");
        vm.label(Cast.admin(), "admin");
        vm.label(Cast.issuer(), "issuer");
        vm.label(Cast.compliance(), "compliance");
        vm.label(Cast.pauser(), "pauser");
        vm.label(Cast.attestor(), "attestor");
        vm.label(Cast.upgrader(), "upgrader");
        for (uint256 i; i < Cast.BANKS; ++i) {
            vm.label(Cast.bank(i), string.concat("bank", _digit(i)));
        }
        for (uint256 i; i < Cast.USERS; ++i) {
            vm.label(Cast.user(i), string.concat("user", _digit(i)));
        }
    }

    function _digit(uint256 i) private pure returns (string memory) {
        return string(abi.encodePacked(bytes1(uint8(48 + (i % 10)))));
    }
}
