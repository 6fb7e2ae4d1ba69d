// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {TengeERC20} from "./TengeERC20.sol";

/**
 * @title TengeEIP712
 * @notice The EIP-712 signing domain shared by EIP-2612 permits and EIP-3009 authorizations:
 * name = the token name, version = "1", the chain id and this (proxy) address. ERC-5267 `eip712Domain()`
 * comes from OpenZeppelin's EIP712Upgradeable.
 *
 * The name is read from the token's own storage (one slot for names under 32 bytes) instead of a second copy
 * in EIP712Upgradeable's storage, and the version is a constant, so building the domain separator costs one
 * storage read and two hashes.
 */
abstract contract TengeEIP712 is TengeERC20, EIP712Upgradeable {
    /// @notice The EIP-712 domain separator for this chain and proxy.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view virtual returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev EIP-712 domain name: the token name.
    function _EIP712Name() internal view virtual override returns (string memory) {
        return _getTokenStorage().name;
    }

    /// @dev EIP-712 domain version: "1".
    function _EIP712Version() internal pure virtual override returns (string memory) {
        return "1";
    }
}
