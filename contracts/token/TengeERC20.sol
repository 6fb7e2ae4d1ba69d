// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ContextUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/ContextUpgradeable.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";

/**
 * @title TengeERC20
 * @notice ERC-20 core of the digital tenge over a *packed account word*, with the permission rules (KYC tier,
 * whole-account freeze, frozen amount, tier holding cap, pause) built into every balance movement.
 *
 * Why not OpenZeppelin's ERC20Upgradeable: there a balance is one storage slot and every permission would be one
 * more (a KYC mapping, a freeze mapping, a frozen-amount mapping, a cap mapping...). Each extra cold slot costs
 * 2,100 gas per account per transfer. Here everything the rules need about an account lives in the same 256-bit
 * word as its balance (USDC v2.2 does the same with its blacklist bit), so checking sender and receiver costs
 * nothing beyond the two balance reads any ERC-20 does. The global rules (pause flag, the holding caps of tiers
 * 1-4, the reserve-gating flag) are packed in one *policy word*: a transfer reads exactly one slot more than a
 * plain ERC-20.
 *
 * Account word (one slot per account, `accounts[account]`):
 *
 *   bits   0..95   balance          uint96  (total supply is capped at 2^96-1, so no balance can overflow it)
 *   bits  96..191  frozen amount    uint96  (may exceed the balance: a freeze can be placed ahead of credits)
 *   bits 192..239  EIP-2612 nonce   uint48  (kept here so `permit` writes a slot that is already non-zero:
 *                                            2,900 gas instead of 20,000 for a fresh nonce slot)
 *   bits 240..247  KYC tier         uint8   (0 = not approved)
 *   bits 248..255  flags            uint8   (bit 248 = whole account frozen)
 *
 * Policy word (one slot, `policy`):
 *
 *   bits   0..239  holding caps of tiers 1..4, 60 bits each (tier t at bit 60*(t-1)); the all-ones value
 *                  2^60-1 means "uncapped"; a finite cap is at most 2^60-2 tiyn (about 1.15e16 tenge).
 *   bit      254   reserve-gated minting on
 *   bit      255   paused
 *   Caps of tiers 5..255 live in `extraTierCaps` and cost one more read when such an account is credited.
 *
 * Storage follows ERC-7201 (namespace "digitaltenge.storage.Token").
 */
abstract contract TengeERC20 is Initializable, ContextUpgradeable, IDigitalTenge {
    // ---------------------------------------------------------------------------------------------------------
    // Layout of the account word
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Mask of a 96-bit amount field (balance, frozen amount); also the largest total supply.
    uint256 internal constant AMOUNT_MASK = type(uint96).max;
    /// @dev Largest total supply, balance or frozen amount.
    uint256 internal constant MAX_AMOUNT = type(uint96).max;
    uint256 internal constant FROZEN_SHIFT = 96;
    uint256 internal constant NONCE_SHIFT = 192;
    uint256 internal constant NONCE_MASK = type(uint48).max;
    /// @dev The nonce field in place, for moving everything but the nonce (wallet recovery).
    uint256 internal constant NONCE_FIELD = NONCE_MASK << NONCE_SHIFT;
    uint256 internal constant TIER_SHIFT = 240;
    /// @dev The tier field in place.
    uint256 internal constant TIER_FIELD = uint256(0xff) << TIER_SHIFT;
    uint256 internal constant FLAG_FROZEN = 1 << 248;

    // ---------------------------------------------------------------------------------------------------------
    // Layout of the policy word
    // ---------------------------------------------------------------------------------------------------------

    uint256 internal constant POLICY_PAUSED = 1 << 255;
    uint256 internal constant POLICY_RESERVE_GATED = 1 << 254;
    uint256 internal constant CAP_BITS = 60;
    /// @dev Mask of a packed cap; the all-ones value means "uncapped".
    uint256 internal constant CAP_MASK = (1 << 60) - 1;
    /// @dev Largest finite cap of a packed tier (1..4).
    uint256 internal constant MAX_PACKED_CAP = CAP_MASK - 1;
    /// @dev Tiers 1..PACKED_TIERS keep their cap in the policy word.
    uint256 internal constant PACKED_TIERS = 4;

    /// @dev The packed account word, wrapped in a struct so hot paths can keep a storage pointer and hash the
    /// mapping key once per account (a bare `mapping(address => uint256)` is re-hashed on the write).
    struct Account {
        uint256 word;
    }

    /// @custom:storage-location erc7201:digitaltenge.storage.Token
    struct TokenStorage {
        mapping(address account => Account) accounts;
        mapping(address owner => mapping(address spender => uint256)) allowances;
        uint256 policy;
        uint256 totalSupply;
        mapping(uint8 tier => uint256) extraTierCaps;
        /// keccak256 of `name`, for the EIP-712 domain separator (see TengeEIP712).
        bytes32 nameHash;
        string name;
        string symbol;
        string currency;
        /// Wallet recovery: the account each recovered (lost) account's holdings went to (see TengeCompliance).
        mapping(address lostAccount => address) recoveredTo;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.Token")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant TOKEN_STORAGE_LOCATION =
        0xd18b81e0e9af98d7a83d5cfedd2e7553f6122dd44955c9c6d2d673bc4135d100;

    function _getTokenStorage() internal pure returns (TokenStorage storage $) {
        assembly {
            $.slot := TOKEN_STORAGE_LOCATION
        }
    }

    function __TengeERC20_init(string memory name_, string memory symbol_, string memory currency_)
        internal
        onlyInitializing
    {
        TokenStorage storage $ = _getTokenStorage();
        $.name = name_;
        $.nameHash = keccak256(bytes(name_));
        $.symbol = symbol_;
        $.currency = currency_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // ERC-20 views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Token name (also the EIP-712 domain name).
    function name() public view virtual returns (string memory) {
        return _getTokenStorage().name;
    }

    /// @notice Token symbol.
    function symbol() public view virtual returns (string memory) {
        return _getTokenStorage().symbol;
    }

    /// @notice Always 2: amounts are in tiyn (1 tenge = 100 tiyn).
    function decimals() public pure virtual returns (uint8) {
        return 2;
    }

    /// @notice Currency code set at initialization, e.g. "KZT".
    function currency() public view virtual returns (string memory) {
        return _getTokenStorage().currency;
    }

    /// @notice Total supply in tiyn.
    function totalSupply() public view virtual returns (uint256) {
        return _getTokenStorage().totalSupply;
    }

    /// @notice Balance of `account` in tiyn, frozen part included.
    function balanceOf(address account) public view virtual returns (uint256) {
        return _getTokenStorage().accounts[account].word & AMOUNT_MASK;
    }

    /// @notice Remaining allowance of `spender` over `owner`'s tokens.
    function allowance(address owner, address spender) public view virtual returns (uint256) {
        return _getTokenStorage().allowances[owner][spender];
    }

    // ---------------------------------------------------------------------------------------------------------
    // ERC-20 actions
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Moves `value` from the caller to `to`. Both must be approved and not frozen; the caller needs
    /// `value` of spendable balance; `to`'s balance must stay within its tier cap; not while paused.
    function transfer(address to, uint256 value) public virtual returns (bool) {
        _move(_msgSender(), to, value, _activePolicy());
        return true;
    }

    /// @notice Moves `value` from `from` to `to` using the caller's allowance (an allowance of
    /// `type(uint256).max` is never decreased). Same rules as {transfer}; the caller (the spender) must also be
    /// approved and not wholly frozen, so a sanctioned spender cannot use allowances it already holds.
    function transferFrom(address from, address to, uint256 value) public virtual returns (bool) {
        uint256 policy = _activePolicy();
        address spender = _msgSender();
        _requireSpender(spender);
        _spendAllowance(from, spender, value);
        _move(from, to, value, policy);
        return true;
    }

    /// @notice Sets the caller's allowance for `spender` to `value`. Allowed for any account, also while paused
    /// (approving moves no money).
    function approve(address spender, uint256 value) public virtual returns (bool) {
        _approve(_msgSender(), spender, value);
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal: movements
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Reads the policy word and reverts with {EnforcedPause} when paused. Every user-initiated movement
    /// (transfers, mints, burns) starts here; compliance actions read the policy without this check.
    function _activePolicy() internal view returns (uint256 policy) {
        policy = _getTokenStorage().policy;
        if (policy & POLICY_PAUSED != 0) revert EnforcedPause();
    }

    /// @dev Moves `value` from `from` to `to` with all account rules (the pause check is the caller's, through
    /// {_activePolicy}, so a multi-leg operation reads the policy word once). Emits {Transfer}.
    function _move(address from, address to, uint256 value, uint256 policy) internal {
        TokenStorage storage $ = _getTokenStorage();
        Account storage fromAccount = $.accounts[from];
        uint256 fromWord = fromAccount.word;
        _requireDebit(from, fromWord, value);
        if (from != to) {
            Account storage toAccount = $.accounts[to];
            uint256 toWord = toAccount.word;
            _requireCredit(to, toWord, value, policy);
            unchecked {
                // No underflow: _requireDebit proved balance >= value, so only the balance field changes.
                // No overflow: balances sum to totalSupply <= MAX_AMOUNT, so the balance field cannot carry
                // into the frozen-amount field.
                fromAccount.word = fromWord - value;
                toAccount.word = toWord + value;
            }
        }
        // from == to: the sender checks already cover the receiver (approved, not frozen, balance unchanged).
        emit Transfer(from, to, value);
    }

    /// @dev Takes `value` from `from` (all sender rules) without an event: the matching credits emit the
    /// {Transfer} events. Used by multi-leg movements (payouts, fee splits), which debit the sender once.
    function _debit(address from, uint256 value) internal {
        Account storage acct = _getTokenStorage().accounts[from];
        uint256 word = acct.word;
        _requireDebit(from, word, value);
        unchecked {
            acct.word = word - value; // value <= balance (checked): only the balance field changes
        }
    }

    /// @dev Gives `value` to `to` (all receiver rules) and emits {Transfer} from `from` (the zero address for a
    /// mint). Precondition: the money was already debited from `from` or added to the supply, so the new balance
    /// is at most totalSupply <= MAX_AMOUNT. Reads `to`'s word afresh, so repeated receivers add up right.
    function _credit(address from, address to, uint256 value, uint256 policy) internal {
        Account storage acct = _getTokenStorage().accounts[to];
        uint256 word = acct.word;
        _requireCredit(to, word, value, policy);
        unchecked {
            acct.word = word + value;
        }
        emit Transfer(from, to, value);
    }

    /// @dev Credits `amount` of new money to `to` (all receiver rules, supply cap, reserve gate when on).
    /// Emits {Transfer} from the zero address.
    function _mintTo(address to, uint256 amount, uint256 policy) internal {
        TokenStorage storage $ = _getTokenStorage();
        // Supply first: it bounds `amount`, which _credit relies on.
        $.totalSupply = _increasedSupply($.totalSupply, amount, policy);
        _credit(address(0), to, amount, policy);
    }

    /// @dev Returns `supply + amount`, reverting when it exceeds MAX_AMOUNT or (if gated) the attested reserve.
    function _increasedSupply(uint256 supply, uint256 amount, uint256 policy) internal view returns (uint256) {
        if (amount > MAX_AMOUNT - supply) revert AmountTooLarge(amount, MAX_AMOUNT - supply);
        uint256 supplyAfter = supply + amount;
        if (policy & POLICY_RESERVE_GATED != 0) _checkReserve(supplyAfter);
        return supplyAfter;
    }

    /// @dev Burns `amount` of `account`'s spendable balance (account must be approved and not frozen).
    /// Emits {Transfer} to the zero address.
    function _burnFrom(address account, uint256 amount) internal {
        TokenStorage storage $ = _getTokenStorage();
        Account storage acct = $.accounts[account];
        uint256 word = acct.word;
        _requireDebit(account, word, amount);
        unchecked {
            // No underflow: balance >= amount (checked) and totalSupply >= every balance.
            acct.word = word - amount;
            $.totalSupply -= amount;
        }
        emit Transfer(account, address(0), amount);
    }

    /// @dev Reverts unless `account` (whose word is `word`) may send `value`: approved, not wholly frozen, and
    /// `value <= balance - frozen amount`.
    function _requireDebit(address account, uint256 word, uint256 value) internal pure {
        if ((word >> TIER_SHIFT) & 0xff == 0) revert AccountNotApproved(account);
        if (word & FLAG_FROZEN != 0) revert AccountFrozen(account);
        uint256 balance = word & AMOUNT_MASK;
        uint256 frozen = (word >> FROZEN_SHIFT) & AMOUNT_MASK;
        uint256 spendable;
        unchecked {
            spendable = balance > frozen ? balance - frozen : 0;
        }
        if (value > spendable) {
            if (frozen == 0) revert ERC20InsufficientBalance(account, balance, value);
            revert InsufficientSpendableBalance(account, spendable, value);
        }
    }

    /// @dev Reverts unless `spender` may move other holders' money under its allowances: approved (tier != 0) and
    /// not wholly frozen (a frozen *amount* of its own does not matter: it moves none of its own money). One read
    /// of the spender's account word: a cold SLOAD unless the spender is also the owner or a receiver read before.
    function _requireSpender(address spender) internal view {
        uint256 word = _getTokenStorage().accounts[spender].word;
        if ((word >> TIER_SHIFT) & 0xff == 0) revert AccountNotApproved(spender);
        if (word & FLAG_FROZEN != 0) revert AccountFrozen(spender);
    }

    /// @dev Reverts unless `account` (whose word is `word`) may receive `value`: approved, not wholly frozen,
    /// and the balance after the credit within its tier cap (read from `policy` for tiers 1..4).
    /// Precondition: `value <= MAX_AMOUNT` (every caller has bounded it by a balance, the supply cap or an
    /// explicit check), so the addition below cannot wrap.
    function _requireCredit(address account, uint256 word, uint256 value, uint256 policy) internal view {
        uint256 tier = (word >> TIER_SHIFT) & 0xff;
        if (tier == 0) {
            if (account == address(0)) revert ERC20InvalidReceiver(address(0));
            revert AccountNotApproved(account);
        }
        if (word & FLAG_FROZEN != 0) revert AccountFrozen(account);
        uint256 balanceAfter;
        unchecked {
            balanceAfter = (word & AMOUNT_MASK) + value; // <= 2 * MAX_AMOUNT, see precondition
        }
        if (tier <= PACKED_TIERS) {
            // Inline twin of _tierCapOf for the hot path: compare with the packed value, treat the all-ones
            // value as "uncapped" only when the comparison fails.
            uint256 packed;
            unchecked {
                packed = (policy >> ((tier - 1) * CAP_BITS)) & CAP_MASK; // 1 <= tier <= 4
            }
            if (balanceAfter > packed && packed != CAP_MASK) revert TierCapExceeded(account, balanceAfter, packed);
        } else {
            uint256 cap = _getTokenStorage().extraTierCaps[uint8(tier)];
            if (balanceAfter > cap) revert TierCapExceeded(account, balanceAfter, cap);
        }
    }

    /// @dev Holding cap of `tier` (>= 1) given the policy word.
    function _tierCapOf(uint256 policy, uint256 tier) internal view returns (uint256) {
        if (tier <= PACKED_TIERS) {
            uint256 packed;
            unchecked {
                packed = (policy >> ((tier - 1) * CAP_BITS)) & CAP_MASK; // 1 <= tier <= 4
            }
            return packed == CAP_MASK ? type(uint256).max : packed;
        }
        return _getTokenStorage().extraTierCaps[uint8(tier)];
    }

    /// @dev Reverts if minting up to `supplyAfter` breaks the reserve gate. Implemented by the reserve module;
    /// only called when the policy word says gating is on.
    function _checkReserve(uint256 supplyAfter) internal view virtual;

    // ---------------------------------------------------------------------------------------------------------
    // Internal: allowances
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Sets `owner`'s allowance for `spender` (OpenZeppelin semantics and errors). Emits {Approval}.
    function _approve(address owner, address spender, uint256 value) internal {
        if (owner == address(0)) revert ERC20InvalidApprover(address(0));
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        _getTokenStorage().allowances[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    /// @dev Spends `value` of `spender`'s allowance over `owner`'s tokens; `type(uint256).max` is infinite and
    /// not decreased (OpenZeppelin semantics; no {Approval} event on spending).
    function _spendAllowance(address owner, address spender, uint256 value) internal {
        TokenStorage storage $ = _getTokenStorage();
        uint256 current = $.allowances[owner][spender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(spender, current, value);
            unchecked {
                $.allowances[owner][spender] = current - value;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal: account word fields
    // ---------------------------------------------------------------------------------------------------------

    function _balanceIn(uint256 word) internal pure returns (uint256) {
        return word & AMOUNT_MASK;
    }

    function _frozenIn(uint256 word) internal pure returns (uint256) {
        return (word >> FROZEN_SHIFT) & AMOUNT_MASK;
    }

    function _nonceIn(uint256 word) internal pure returns (uint256) {
        return (word >> NONCE_SHIFT) & NONCE_MASK;
    }

    function _tierIn(uint256 word) internal pure returns (uint8) {
        return uint8(word >> TIER_SHIFT);
    }

    /// @dev `word` with its frozen-amount field replaced by `frozen` (<= MAX_AMOUNT).
    function _withFrozen(uint256 word, uint256 frozen) internal pure returns (uint256) {
        return (word & ~(AMOUNT_MASK << FROZEN_SHIFT)) | (frozen << FROZEN_SHIFT);
    }

    /// @dev `word` with its tier field replaced by `tier`.
    function _withTier(uint256 word, uint8 tier) internal pure returns (uint256) {
        return (word & ~TIER_FIELD) | (uint256(tier) << TIER_SHIFT);
    }
}
