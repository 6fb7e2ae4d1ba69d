// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/**
 * @title NaivePermissionedToken
 * @notice Gas benchmark peer: the straightforward way to build a permissioned token from OpenZeppelin 5.4 parts -
 * ERC20 + ERC20Permit + AccessControl + Pausable, with a `kyc` and a `frozen` mapping (one storage slot each per
 * account) checked for both sides of every balance change in `_update`, and a minter role. No proxy.
 * It shows what the rules cost when each lives in its own slot. Benchmark only, never deployed to a real network.
 */
contract NaivePermissionedToken is ERC20, ERC20Permit, AccessControl, Pausable {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Whether compliance approved `account` (KYC).
    mapping(address account => bool) public kyc;

    /// @notice Whether `account` is frozen.
    mapping(address account => bool) public frozen;

    /// @notice Compliance set `account`'s KYC approval.
    event KycSet(address indexed account, bool approved);

    /// @notice Compliance froze or unfroze `account`.
    event FrozenSet(address indexed account, bool frozen);

    /// @notice `account` has no KYC approval.
    error NotKyc(address account);

    /// @notice `account` is frozen.
    error AccountFrozen(address account);

    /// @param name_ Token name (also the EIP-712 domain name).
    /// @param symbol_ Token symbol.
    /// @param admin Holds DEFAULT_ADMIN_ROLE and every operational role.
    constructor(string memory name_, string memory symbol_, address admin) ERC20(name_, symbol_) ERC20Permit(name_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(COMPLIANCE_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
    }

    /// @notice 2 decimals, like the tenge (1 tenge = 100 tiyn); changes no gas figure.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @notice Mints `amount` to `to` (which must be KYC'd and not frozen). MINTER_ROLE.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @notice Sets `account`'s KYC approval. COMPLIANCE_ROLE.
    function setKyc(address account, bool approved) external onlyRole(COMPLIANCE_ROLE) {
        kyc[account] = approved;
        emit KycSet(account, approved);
    }

    /// @notice Freezes or unfreezes `account`. COMPLIANCE_ROLE.
    function setFrozen(address account, bool isFrozen) external onlyRole(COMPLIANCE_ROLE) {
        frozen[account] = isFrozen;
        emit FrozenSet(account, isFrozen);
    }

    /// @notice Pauses transfers, mints and burns. PAUSER_ROLE.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Unpauses. PAUSER_ROLE.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @dev Every balance change: not paused, and both sides (except the zero address of a mint or burn) KYC'd
    /// and not frozen.
    function _update(address from, address to, uint256 value) internal override whenNotPaused {
        if (from != address(0)) _requireAllowed(from);
        if (to != address(0)) _requireAllowed(to);
        super._update(from, to, value);
    }

    function _requireAllowed(address account) private view {
        if (!kyc[account]) revert NotKyc(account);
        if (frozen[account]) revert AccountFrozen(account);
    }
}
