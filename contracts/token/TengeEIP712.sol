// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {TengeERC20} from "./TengeERC20.sol";

/**
 * @title TengeEIP712
 * @notice The EIP-712 signing domain shared by EIP-2612 permits and EIP-3009 authorizations:
 * name = the token name, version = "1", the chain id and this (proxy) address. ERC-5267 `eip712Domain()`
 * comes from OpenZeppelin's EIP712Upgradeable.
 *
 * Gas note: the domain separator is rebuilt on every signature check (it must follow the chain id and the proxy
 * address) from the hash of the name, kept in the token's storage at initialization, and the hash of "1", a
 * constant: one storage read and one hash, instead of loading the name string, hashing it and hashing the
 * version each time as EIP712Upgradeable does.
 */
abstract contract TengeEIP712 is TengeERC20, EIP712Upgradeable {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant VERSION_HASH = keccak256("1");

    /// @notice The EIP-712 domain separator for this chain and proxy.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view virtual returns (bytes32) {
        return _domainSeparator();
    }

    /// @dev Same value as EIP712Upgradeable's `_domainSeparatorV4()` (name = token name, version "1").
    function _domainSeparator() internal view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, _getTokenStorage().nameHash, VERSION_HASH, block.chainid, address(this))
        );
    }

    /// @dev EIP-712 digest of `structHash` in this domain.
    function _hashTypedDataV4(bytes32 structHash) internal view virtual override returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(_domainSeparator(), structHash);
    }

    /// @dev EIP-712 domain name (for ERC-5267 `eip712Domain()`): the token name.
    function _EIP712Name() internal view virtual override returns (string memory) {
        return _getTokenStorage().name;
    }

    /// @dev EIP-712 domain version (for ERC-5267 `eip712Domain()`): "1".
    function _EIP712Version() internal pure virtual override returns (string memory) {
        return "1";
    }
}
