// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title PlainToken
 * @notice Gas benchmark peer: OpenZeppelin 5.4 ERC20 + ERC20Permit exactly as shipped, no proxy, no rules.
 * The floor a permissionless ERC-20 costs. Benchmark only, never deployed to a real network.
 */
contract PlainToken is ERC20, ERC20Permit {
    /// @param name_ Token name (also the EIP-712 domain name).
    /// @param symbol_ Token symbol.
    /// @param holder Receives `initialSupply`, from which the benchmark funds the other holders.
    /// @param initialSupply Minted once, here; the token has no other mint.
    constructor(string memory name_, string memory symbol_, address holder, uint256 initialSupply)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        _mint(holder, initialSupply);
    }

    /// @notice 2 decimals, like the tenge (1 tenge = 100 tiyn); changes no gas figure.
    function decimals() public pure override returns (uint8) {
        return 2;
    }
}
