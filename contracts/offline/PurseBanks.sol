// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IOfflinePurses} from "./IOfflinePurses.sol";

/**
 * @title PurseBanks
 * @notice The issuing banks of offline purses: their role, certificate limits and guarantee deposits.
 *
 * A bank (ISSUER_ROLE, granted by DEFAULT_ADMIN_ROLE, the central bank) certifies purses within the limits the
 * central bank set for it ({setBankLimits}) and keeps a guarantee deposit here. Opening a purse reserves
 * amount x (reach - 1) of the deposit; a proven double spend is paid from it. The deposit never falls below the
 * reservations (opening checks the free part, withdrawals take only the free part), so every reservation is
 * backed by tenge held by this contract.
 */
abstract contract PurseBanks is AccessControlDefaultAdminRules, IOfflinePurses {
    /// @inheritdoc IOfflinePurses
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");

    /// @dev One bank: slot 0 deposit | reserved; slot 1 its limits.
    struct Bank {
        uint128 deposit;
        uint128 reserved;
        uint48 maxPurseAmount;
        uint64 maxLifetime;
        uint16 maxPursesPerHolder;
        uint8 reach;
    }

    /// @notice The DigitalTenge (proxy); this contract must be KYC-approved on an uncapped tier there.
    IDigitalTenge public immutable token;

    mapping(address bank => Bank) internal _banks;

    constructor(IDigitalTenge token_) {
        if (address(token_) == address(0)) revert InvalidPurseSetup(address(token_));
        token = token_;
    }

    /// @inheritdoc IOfflinePurses
    function setBankLimits(
        address bank_,
        uint256 maxPurseAmount,
        uint64 maxLifetime,
        uint16 maxPursesPerHolder,
        uint8 reach
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (
            bank_ == address(0) || maxPurseAmount == 0 || maxPurseAmount > type(uint48).max || maxLifetime == 0
                || maxLifetime > type(uint40).max || maxPursesPerHolder == 0 || reach == 0
        ) revert InvalidLimits();
        Bank storage b = _banks[bank_];
        b.maxPurseAmount = uint48(maxPurseAmount);
        b.maxLifetime = maxLifetime;
        b.maxPursesPerHolder = maxPursesPerHolder;
        b.reach = reach;
        emit BankLimitsSet(bank_, maxPurseAmount, maxLifetime, maxPursesPerHolder, reach);
    }

    /// @inheritdoc IOfflinePurses
    function depositGuarantee(uint256 amount) external onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        address from = _msgSender();
        Bank storage b = _banks[from];
        uint256 deposit = b.deposit + amount;
        b.deposit = uint128(deposit); // the token's supply is far below 2^128
        emit GuaranteeDeposited(from, amount, deposit);
        if (!token.transferFrom(from, address(this), amount)) revert TokenOperationFailed();
    }

    /// @inheritdoc IOfflinePurses
    function withdrawGuarantee(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        address to = _msgSender();
        Bank storage b = _banks[to];
        uint256 free = uint256(b.deposit) - b.reserved;
        if (amount > free) revert GuaranteeExceedsFree(free, amount);
        uint256 deposit = b.deposit - amount;
        b.deposit = uint128(deposit);
        emit GuaranteeWithdrawn(to, amount, deposit);
        if (!token.transfer(to, amount)) revert TokenOperationFailed();
    }

    /// @inheritdoc IOfflinePurses
    function bank(address bank_)
        external
        view
        returns (
            uint256 deposit,
            uint256 reserved,
            uint256 maxPurseAmount,
            uint64 maxLifetime,
            uint16 maxPursesPerHolder,
            uint8 reach
        )
    {
        Bank storage b = _banks[bank_];
        return (b.deposit, b.reserved, b.maxPurseAmount, b.maxLifetime, b.maxPursesPerHolder, b.reach);
    }

    /// @dev Reserves `needed` of `bank_`'s free deposit for a new purse.
    function _reserve(address bank_, uint256 needed) internal {
        Bank storage b = _banks[bank_];
        uint256 free = uint256(b.deposit) - b.reserved;
        if (needed > free) revert InsufficientGuarantee(bank_, free, needed);
        b.reserved = uint128(b.reserved + needed);
    }

    /// @dev Pays `amount` of a purse's reservation out of `bank_`'s deposit (the tenge stays here until the batch
    /// transfers it to the merchant).
    function _spendReservation(address bank_, uint256 amount) internal {
        Bank storage b = _banks[bank_];
        b.deposit -= uint128(amount);
        b.reserved -= uint128(amount);
    }

    /// @dev Releases `amount` of `bank_`'s reservation (a closed purse's unused part).
    function _release(address bank_, uint256 amount) internal {
        _banks[bank_].reserved -= uint128(amount);
    }
}
