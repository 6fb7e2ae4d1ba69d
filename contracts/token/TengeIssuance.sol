// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TengeERC20} from "./TengeERC20.sol";
import {TengeRoles} from "./TengeRoles.sol";

/**
 * @title TengeIssuance
 * @notice Two-tier issuance: the issuer (central bank) gives each bank a mint allowance; a bank (MINTER_ROLE)
 * mints to KYC'd accounts within it, burns its own holdings, and is named by holders who redeem to non-cash
 * tenge. On a BNB-side deployment the bridge is such a minter, under reserve gating.
 *
 * Gas note — the allowance doubles as the role check. Invariant: a minter allowance is non-zero only while its
 * holder has MINTER_ROLE ({setMinterAllowance} refuses a non-minter; revoking or renouncing the role zeroes the
 * allowance, see {_revokeRole}). So when the allowance covers a non-zero mint, the caller is a minter and
 * `mint` skips AccessControl's role slot (a cold read, 2,100 gas). Only when the allowance does not cover the
 * amount (or the amount is 0) is the role read, to raise the right error: OpenZeppelin's
 * `AccessControlUnauthorizedAccount` for a non-minter, {MinterAllowanceExceeded} for a minter.
 *
 * Storage follows ERC-7201 (namespace "digitaltenge.storage.Issuance").
 */
abstract contract TengeIssuance is TengeERC20, TengeRoles {
    /// @custom:storage-location erc7201:digitaltenge.storage.Issuance
    struct IssuanceStorage {
        mapping(address minter => uint256) minterAllowances;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.Issuance")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant ISSUANCE_STORAGE_LOCATION =
        0x51c7f2eb34be3445e8131d4ec1d70570e7c6d388bb25a00b2873d907c74f4c00;

    function _getIssuanceStorage() private pure returns (IssuanceStorage storage $) {
        assembly {
            $.slot := ISSUANCE_STORAGE_LOCATION
        }
    }

    /// @notice Remaining mint allowance of `minter` in tiyn.
    function minterAllowance(address minter) external view virtual returns (uint256) {
        return _getIssuanceStorage().minterAllowances[minter];
    }

    /// @notice Sets `minter`'s mint allowance to `amount` (raise, lower, or revoke with 0). ISSUER_ROLE.
    /// A non-zero allowance requires `minter` to hold MINTER_ROLE ({BankNotMinter} otherwise).
    /// Emits {MinterAllowanceSet}. Run by {DigitalTengeAdmin} (DELEGATECALL, same storage and role check).
    function setMinterAllowance(address minter, uint256 amount) external virtual {
        (minter, amount);
        _delegateToAdmin();
    }

    /// @notice Mints `amount` to `to` (approved, not frozen, within its tier cap), lowering the caller's
    /// allowance. MINTER_ROLE; not while paused; under reserve gating, not above the attested reserve nor with a
    /// stale attestation. Emits {Transfer} from the zero address and {Minted}.
    function mint(address to, uint256 amount) external virtual {
        uint256 policy = _activePolicy();
        address minter = _msgSender();
        _spendMinterAllowance(minter, amount);
        _mintTo(to, amount, policy);
        emit Minted(minter, to, amount);
    }

    /// @notice Mints `amounts[i]` to `to[i]` for every i (payouts), lowering the caller's allowance by the sum.
    /// Same rules as {mint}; the supply, allowance and reserve are checked once for the total.
    function batchMint(address[] calldata to, uint256[] calldata amounts) external virtual {
        if (to.length != amounts.length) revert ArrayLengthMismatch(to.length, amounts.length);
        uint256 policy = _activePolicy();
        address minter = _msgSender();
        uint256 total = 0;
        for (uint256 i; i < amounts.length; ++i) {
            uint256 amount = amounts[i];
            if (amount > MAX_AMOUNT) revert AmountTooLarge(amount, MAX_AMOUNT);
            unchecked {
                total += amount; // at most 2^96 per item: cannot overflow for any calldata-sized array
            }
        }
        _spendMinterAllowance(minter, total);

        TokenStorage storage $ = _getTokenStorage();
        $.totalSupply = _increasedSupply($.totalSupply, total, policy);
        for (uint256 i; i < to.length; ++i) {
            _credit(address(0), to[i], amounts[i], policy);
            emit Minted(minter, to[i], amounts[i]);
        }
    }

    /// @notice Burns `amount` of the caller's own spendable holdings (a bank taking digital tenge out of
    /// circulation, or the bridge on the way back). MINTER_ROLE; the caller must be approved and not frozen;
    /// not while paused. The mint allowance is not restored. Emits {Transfer} to the zero address and {Burned}.
    function burn(uint256 amount) external virtual onlyRole(MINTER_ROLE) {
        _activePolicy();
        address minter = _msgSender();
        _burnFrom(minter, amount);
        emit Burned(minter, amount);
    }

    /// @notice Redeems `amount` of the caller's spendable holdings at `bank` (which must hold MINTER_ROLE):
    /// the tokens are burned and the bank credits the caller's non-cash account, quoting
    /// `redemptionReference`. Not while paused. Emits {Transfer} to the zero address and {Redeemed}.
    function redeem(address bank, uint256 amount, bytes32 redemptionReference) external virtual {
        _activePolicy();
        if (!hasRole(MINTER_ROLE, bank)) revert BankNotMinter(bank);
        address holder = _msgSender();
        _burnFrom(holder, amount);
        emit Redeemed(holder, bank, amount, redemptionReference);
    }

    /// @dev Lowers `minter`'s allowance by `amount`; see the contract notes for why a covering non-zero
    /// allowance stands for the MINTER_ROLE check.
    function _spendMinterAllowance(address minter, uint256 amount) internal {
        IssuanceStorage storage $ = _getIssuanceStorage();
        uint256 current = $.minterAllowances[minter];
        if (current < amount || amount == 0) {
            _checkRole(MINTER_ROLE, minter);
            if (current < amount) revert MinterAllowanceExceeded(minter, current, amount);
            return; // a minter minting 0: nothing to lower
        }
        unchecked {
            $.minterAllowances[minter] = current - amount;
        }
    }

    function _setMinterAllowance(address minter, uint256 amount) private {
        IssuanceStorage storage $ = _getIssuanceStorage();
        uint256 old = $.minterAllowances[minter];
        $.minterAllowances[minter] = amount;
        emit MinterAllowanceSet(minter, old, amount);
    }

    /// @dev Keeps the invariant "non-zero allowance => MINTER_ROLE": losing the role (revoked or renounced)
    /// zeroes the allowance, with a {MinterAllowanceSet} event.
    function _revokeRole(bytes32 role, address account) internal virtual override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == MINTER_ROLE && _getIssuanceStorage().minterAllowances[account] != 0) {
            _setMinterAllowance(account, 0);
        }
    }
}
