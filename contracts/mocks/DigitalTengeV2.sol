// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DigitalTenge} from "../token/DigitalTenge.sol";

/**
 * @title DigitalTengeV2 (test mock)
 * @notice A second implementation for the upgrade test: the same contract plus {version}. It adds no storage, so
 * balances, allowances, roles, KYC state, frozen amounts, minter allowances, reserve data and permit/authorization
 * nonces (all in ERC-7201 namespaces) must read the same after `upgradeToAndCall` to it.
 */
contract DigitalTengeV2 is DigitalTenge {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() DigitalTenge() {}

    /// @notice Implementation version: 2.
    function version() external pure returns (uint256) {
        return 2;
    }
}
