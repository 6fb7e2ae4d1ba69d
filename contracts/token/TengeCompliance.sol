// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TengeERC20} from "./TengeERC20.sol";
import {TengeRoles} from "./TengeRoles.sol";

/**
 * @title TengeCompliance
 * @notice KYC tiers with holding caps, freezes (whole account or an amount), court-ordered forced transfers and
 * wipes, and wallet recovery. All COMPLIANCE_ROLE; all work while the token is paused. No personal data on
 * chain: an account carries a tier number and a frozen flag only.
 *
 * The state lives in the packed account word and the policy word of {TengeERC20}; every function here reads
 * and writes whole words and emits an event an auditor can follow.
 */
abstract contract TengeCompliance is TengeERC20, TengeRoles {
    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice KYC tier of `account` (0 = not approved).
    function tierOf(address account) external view virtual returns (uint8) {
        return _tierIn(_getTokenStorage().accounts[account].word);
    }

    /// @notice Holding cap of `tier` in tiyn (`type(uint256).max` = uncapped; tier 0 holds nothing).
    function tierCap(uint8 tier) external view virtual returns (uint256) {
        if (tier == 0) return 0;
        return _tierCapOf(_getTokenStorage().policy, tier);
    }

    /// @notice Whether the whole of `account` is frozen.
    function isFrozen(address account) external view virtual returns (bool) {
        return _getTokenStorage().accounts[account].word & FLAG_FROZEN != 0;
    }

    /// @notice Frozen amount of `account` (may exceed its balance).
    function frozenAmountOf(address account) external view virtual returns (uint256) {
        return _frozenIn(_getTokenStorage().accounts[account].word);
    }

    /// @notice What `account` can send now: balance minus frozen amount, 0 if that is negative, if the account
    /// is wholly frozen or not approved.
    function spendableBalanceOf(address account) external view virtual returns (uint256) {
        uint256 word = _getTokenStorage().accounts[account].word;
        if (word & FLAG_FROZEN != 0 || _tierIn(word) == 0) return 0;
        uint256 balance = _balanceIn(word);
        uint256 frozen = _frozenIn(word);
        return balance > frozen ? balance - frozen : 0;
    }

    /// @notice The account that now holds what `account` held before it was recovered ({recover}), following
    /// successive recoveries (A recovered to B, then B to C: C). The zero address if `account` was never
    /// recovered, or has since been a recovery target itself (it is live again). Contracts that owe a recovered
    /// account money (e.g. VAT refunds) pay this account instead.
    function recoveredTo(address account) external view virtual returns (address current) {
        mapping(address => address) storage next = _getTokenStorage().recoveredTo;
        // No cycle: {recover} clears the target's own entry, so every entry points to an account recovered into
        // later than the entry pointing to it. Each hop is one recovery by compliance.
        for (address a = next[account]; a != address(0); a = next[a]) {
            current = a;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // KYC tiers and caps, freezes, wipes and recovery: run by {DigitalTengeAdmin} (DELEGATECALL, same storage,
    // same role checks); the signatures and rules below are the token's.
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Sets `account`'s KYC tier; 0 revokes approval (the balance stays, but cannot move until the
    /// account is approved again or compliance moves it). COMPLIANCE_ROLE. Emits {TierSet}.
    function setTier(address account, uint8 tier) external virtual {
        (account, tier);
        _delegateToAdmin();
    }

    /// @notice Sets the holding cap of `tier` (>= 1) in tiyn; `type(uint256).max` = uncapped (businesses,
    /// banks, escrows). Enforced on every later credit; lowering a cap does not take money from anyone, it
    /// only blocks credits above it. Tiers 1..4 are packed in the policy word and accept finite caps up to
    /// 2^60-2 tiyn. COMPLIANCE_ROLE. Emits {TierCapSet}.
    function setTierCap(uint8 tier, uint256 cap) external virtual {
        (tier, cap);
        _delegateToAdmin();
    }

    /// @notice Freezes the whole of `account`: it can neither send nor receive. Idempotent. COMPLIANCE_ROLE.
    /// Emits {Frozen}.
    function freeze(address account) external virtual {
        (account);
        _delegateToAdmin();
    }

    /// @notice Lifts the whole-account freeze of `account` (its frozen amount stays). Idempotent.
    /// COMPLIANCE_ROLE. Emits {Unfrozen}.
    function unfreeze(address account) external virtual {
        (account);
        _delegateToAdmin();
    }

    /// @notice Freezes `amount` more of `account`'s balance (the frozen amount may exceed the balance, so a
    /// freeze can be placed ahead of credits). COMPLIANCE_ROLE. Emits {AmountFrozen} with the new total.
    function freezeAmount(address account, uint256 amount) external virtual {
        (account, amount);
        _delegateToAdmin();
    }

    /// @notice Releases `amount` of `account`'s frozen amount. COMPLIANCE_ROLE. Emits {AmountUnfrozen} with the
    /// new total.
    function unfreezeAmount(address account, uint256 amount) external virtual {
        (account, amount);
        _delegateToAdmin();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Court orders and recovery
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Court-ordered transfer of `amount` from `from` to `to`, whatever `from`'s tier or freeze. The
    /// amount comes from `from`'s spendable part first, then from its frozen part, which shrinks by that much.
    /// `to` must be approved, not frozen and stay within its cap. Emits {Transfer} and {ForcedTransfer}.
    function forceTransfer(address from, address to, uint256 amount, bytes32 legalReference)
        external
        virtual
        onlyRole(COMPLIANCE_ROLE)
    {
        if (from == to) revert InvalidAccount(to);
        TokenStorage storage $ = _getTokenStorage();
        uint256 fromWord = $.accounts[from].word;
        uint256 balance = _balanceIn(fromWord);
        if (amount > balance) revert ERC20InsufficientBalance(from, balance, amount);
        uint256 toWord = $.accounts[to].word;
        _requireCredit(to, toWord, amount, $.policy);

        uint256 frozen = _frozenIn(fromWord);
        uint256 spendable = balance > frozen ? balance - frozen : 0;
        if (amount > spendable) frozen -= amount - spendable; // <= frozen: amount <= balance <= spendable + frozen
        unchecked {
            // amount <= balance (checked above); the receiver's balance stays <= totalSupply <= MAX_AMOUNT.
            $.accounts[from].word = _withFrozen(fromWord - amount, frozen);
            $.accounts[to].word = toWord + amount;
        }
        emit Transfer(from, to, amount);
        emit ForcedTransfer(_msgSender(), from, to, amount, legalReference);
    }

    /// @notice Court-ordered burn of `amount` from `from`, which must be wholly frozen or have a frozen amount
    /// of at least `amount`. The burn takes from the frozen amount first. COMPLIANCE_ROLE. Emits {Transfer} to the
    /// zero address and {Wiped}.
    function wipe(address from, uint256 amount, bytes32 legalReference) external virtual {
        (from, amount, legalReference);
        _delegateToAdmin();
    }

    /// @notice Wallet recovery: moves the whole balance, frozen amount, tier and flags of `lostAccount` to
    /// `newAccount`, which compliance must have approved (tier != 0) and which must hold nothing (no balance, no
    /// frozen amount, no flags). Each account keeps its own EIP-2612 nonce, so no old permit can be replayed.
    /// `lostAccount` is left unapproved (tier 0), unfrozen and empty, and {recoveredTo} points it to `newAccount`
    /// (so refunds owed to the lost account reach the new one). COMPLIANCE_ROLE. Emits {Transfer} (if the balance
    /// is not zero) and {Recovered}.
    function recover(address lostAccount, address newAccount, bytes32 legalReference) external virtual {
        (lostAccount, newAccount, legalReference);
        _delegateToAdmin();
    }
}
