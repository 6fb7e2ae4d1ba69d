// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRulesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";

/**
 * @title TengeRoles
 * @notice The role identifiers of the digital tenge, each held separately, on OpenZeppelin's
 * AccessControlDefaultAdminRules: the admin (`DEFAULT_ADMIN_ROLE`, admin of every role) is a single account,
 * handed over in two steps after a delay, so a typo cannot lose the currency. Every module inherits this base.
 */
abstract contract TengeRoles is AccessControlDefaultAdminRulesUpgradeable, IDigitalTenge {
    /// @notice Central bank: sets each bank's mint allowance.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice Banks (and the bridge on a BNB-side deployment): mint within allowance, burn own holdings,
    /// receive redemptions.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice KYC tiers and caps, freezes, court-ordered transfers and wipes, wallet recovery.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice Pause and unpause.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Posts proof-of-reserve attestations.
    bytes32 public constant RESERVE_ATTESTOR_ROLE = keccak256("RESERVE_ATTESTOR_ROLE");
    /// @notice Authorizes UUPS upgrades.
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice The bridge on a BNB-side deployment: ERC-7802 crosschainMint / crosschainBurn (see TengeCrosschain).
    bytes32 public constant TOKEN_BRIDGE_ROLE = keccak256("TOKEN_BRIDGE_ROLE");

    /// @dev Forwards the call's calldata to the token's administrative module ({DigitalTengeAdmin}) by DELEGATECALL
    /// and returns or reverts as it does. Implemented by {DigitalTenge}.
    function _delegateToAdmin() internal virtual;
}
