// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20PermitUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/**
 * @title PlainUpgradeableToken
 * @notice Gas benchmark peer: OpenZeppelin 5.4 ERC20Upgradeable + ERC20PermitUpgradeable + UUPSUpgradeable, used
 * behind an ERC1967Proxy. What a plain upgradeable ERC-20 costs: the proxy's delegatecall and ERC-7201 storage,
 * no rules. The owner (OwnableUpgradeable) authorizes upgrades. Benchmark only, never deployed to a real network.
 */
contract PlainUpgradeableToken is
    Initializable,
    ERC20Upgradeable,
    ERC20PermitUpgradeable,
    OwnableUpgradeable,
    UUPSUpgradeable
{
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the proxy's storage.
    /// @param name_ Token name (also the EIP-712 domain name).
    /// @param symbol_ Token symbol.
    /// @param owner_ Authorizes upgrades.
    /// @param holder Receives `initialSupply`, from which the benchmark funds the other holders.
    /// @param initialSupply Minted once, here; the token has no other mint.
    function initialize(
        string calldata name_,
        string calldata symbol_,
        address owner_,
        address holder,
        uint256 initialSupply
    ) external initializer {
        __ERC20_init(name_, symbol_);
        __ERC20Permit_init(name_);
        __Ownable_init(owner_);
        __UUPSUpgradeable_init();
        _mint(holder, initialSupply);
    }

    /// @notice 2 decimals, like the tenge (1 tenge = 100 tiyn); changes no gas figure.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @dev Only the owner upgrades.
    function _authorizeUpgrade(address) internal override onlyOwner {}
}
