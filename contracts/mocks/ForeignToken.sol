// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title ForeignToken (test mock)
 * @notice A plain OpenZeppelin ERC-20, standing for a foreign token sent to the DigitalTenge contract by mistake
 * (the `rescueERC20` test). Anyone may mint: test use only.
 */
contract ForeignToken is ERC20 {
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    /// @notice Mints `amount` to `to` (unrestricted; test mock).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
