// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {DigitalTenge} from "../token/DigitalTenge.sol";

/**
 * @title DigitalTengeV2Incompatible (test mock)
 * @notice A careless second implementation for the upgrade-safety test: it redeclares the token's ERC-7201 namespace
 * with `policy` and `totalSupply` swapped, the tier caps narrowed to uint128 and `recoveredTo` dropped. Upgrading a
 * deployed token to it would misread every one of those fields; `tenge deploy --upgrade` must refuse it, naming them.
 */
contract DigitalTengeV2Incompatible is DigitalTenge {
    /// @custom:storage-location erc7201:digitaltenge.storage.Token
    struct TokenStorageV2 {
        mapping(address account => Account) accounts;
        mapping(address owner => mapping(address spender => uint256)) allowances;
        uint256 totalSupply;
        uint256 policy;
        mapping(uint8 tier => uint128) extraTierCaps;
        bytes32 nameHash;
        string name;
        string symbol;
        string currency;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() DigitalTenge() {}

    /// @notice Implementation version: 2.
    function version() external pure returns (uint256) {
        return 2;
    }
}
