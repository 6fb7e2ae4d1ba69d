// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../../../contracts/interfaces/IDigitalTenge.sol";
import {Cast} from "./TengeFixture.sol";
import {vm} from "./Vm.sol";

/**
 * @title TengeHandlerBase
 * @notice What every handler of the suite shares, whatever contract it drives on top of the token: an independent
 * *model* of the token (per account: balance, frozen amount, whole-account freeze, KYC tier; globally: pause, tier
 * caps, supply) with the token's rules written out plainly, and the cast of accounts.
 *
 * Every action of a handler first applies the action to the model, which says whether the token must accept it
 * and what it must leave behind; then makes the real call and asserts that the token accepted exactly when the
 * model did, and that the accounts it touched now read as in the model. So the token can neither refuse a legal
 * movement nor allow an illegal one (a transfer eating into a frozen amount, a credit above a tier cap, a move
 * by an unapproved or frozen account, anything while paused), and every amount lands where the rules say.
 * The invariant contracts then compare the whole model with the token after every call.
 *
 * The model reads nothing from the token after construction (a prediction from the token's own views would
 * prove little) and it is cheap: forge instruments every executed opcode, so a handler that re-read every
 * account through the proxy at each call would run several times slower.
 *
 * Handlers never revert on purpose: each action catches the call it makes and asserts its outcome. The suites run
 * with `fail_on_revert = true`, so a failed assertion inside a handler fails the campaign at the call that broke
 * the rule (and forge shrinks the sequence to it).
 */
abstract contract TengeHandlerBase {
    uint256 internal constant MAX_AMOUNT = type(uint96).max;
    uint256 internal constant MAX_PACKED_CAP = (uint256(1) << 60) - 2;
    /// @dev Tiers used by the suites (0 = not approved; 5 and 6 keep their caps outside the packed policy word).
    uint8 internal constant MAX_TIER = 6;

    IDigitalTenge public immutable token;

    /// @dev Every address that may ever hold tokens in this suite. Actions only credit addresses of this list.
    address[] internal _holders;
    /// @dev Users with private keys (index i has key `Cast.userKey(i)`).
    address[] internal _users;
    /// @dev Every known account, role holders included: candidates for "a caller without the role".
    address[] internal _everyone;
    mapping(address account => uint256) internal _keyOf;

    /// @dev The model of one account. `capExempt`: a balance above its tier's cap is legal only if it was already
    /// there when the cap (or the tier) was lowered under it - caps bind at credit; this is that grandfathered
    /// ceiling, cleared by the next credit (which must fit the cap).
    struct Account {
        uint256 balance;
        uint256 frozen;
        bool wholly;
        uint8 tier;
        uint256 capExempt;
    }

    mapping(address account => Account) internal _model;
    /// @notice The holding cap of each tier as compliance set it.
    mapping(uint8 tier => uint256) public ghostTierCap;
    bool public modelPaused;
    /// @notice Money issued (mints) and retired (burns, redemptions, wipes): the model's total supply.
    uint256 public ghostIssued;
    uint256 public ghostRetired;

    /// @notice Privileged calls made by accounts without the role, all of which reverted as expected.
    uint256 public ghostDeniedCalls;
    /// @notice Handler calls so far (used to rotate expensive checks).
    uint256 public ghostCalls;
    /// @notice Successful actions by name, for coverage checks while developing a suite.
    mapping(bytes32 action => uint256) public successes;

    constructor(IDigitalTenge token_) {
        token = token_;
        for (uint256 i; i < Cast.USERS; ++i) {
            address u = Cast.user(i);
            _users.push(u);
            _keyOf[u] = Cast.userKey(i);
            _addHolder(u);
        }
        for (uint256 i; i < Cast.BANKS; ++i) {
            _addHolder(Cast.bank(i));
        }
        _everyone.push(Cast.admin());
        _everyone.push(Cast.issuer());
        _everyone.push(Cast.compliance());
        _everyone.push(Cast.pauser());
        _everyone.push(Cast.attestor());
        _everyone.push(Cast.upgrader());
        for (uint8 tier = 1; tier <= MAX_TIER; ++tier) {
            ghostTierCap[tier] = token_.tierCap(tier);
        }
        modelPaused = token_.paused();
        ghostIssued = token_.totalSupply();
    }

    /// @dev Adds `account` to the holders, modelled from its current state (only at construction).
    function _addHolder(address account) internal {
        _holders.push(account);
        _everyone.push(account);
        _model[account] = Account({
            balance: token.balanceOf(account),
            frozen: token.frozenAmountOf(account),
            wholly: token.isFrozen(account),
            tier: token.tierOf(account),
            capExempt: 0
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views for the invariant contracts
    // ---------------------------------------------------------------------------------------------------------

    function holders() external view returns (address[] memory) {
        return _holders;
    }

    function everyone() external view returns (address[] memory) {
        return _everyone;
    }

    function modelOf(address account) external view returns (Account memory) {
        return _model[account];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Input shaping
    // ---------------------------------------------------------------------------------------------------------

    function _pick(address[] storage list, uint256 seed) internal view returns (address) {
        return list[seed % list.length];
    }

    function _bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + x % (hi - lo + 1);
    }

    /// @dev An amount for an action that needs at most `typical`: mostly within it, sometimes exactly it, zero,
    /// one more than it, or something absurd (up to 2^96) so the edges are hit often.
    function _amount(uint256 seed, uint256 typical) internal pure returns (uint256) {
        if (typical > MAX_AMOUNT) typical = MAX_AMOUNT;
        uint256 mode = seed % 16;
        uint256 r = seed >> 8;
        if (mode == 0) return 0;
        if (mode == 1) return typical;
        if (mode == 2) return typical + 1;
        if (mode == 3) return r % (MAX_AMOUNT + 1);
        if (typical == 0) return r % 1_000_00;
        return r % (typical + 1);
    }

    /// @dev A well-mixed value from `seed` for choosing modes: forge often feeds small or edge values (from its
    /// dictionary), which would make `seed % n` pick the same branch again and again.
    function _rand(uint256 seed, bytes32 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev What `account` can send: balance - frozen amount (0 if wholly frozen or not approved).
    function _spendable(address account) internal view returns (uint256) {
        Account storage a = _model[account];
        if (a.wholly || a.tier == 0) return 0;
        return a.balance > a.frozen ? a.balance - a.frozen : 0;
    }

    /// @dev How much more `account` can receive under its tier cap (0 if it cannot receive).
    function _headroom(address account) internal view returns (uint256) {
        Account storage a = _model[account];
        if (account == address(0) || a.wholly || a.tier == 0) return 0;
        uint256 cap = _cap(a.tier);
        if (cap == type(uint256).max) return 1_000_000_000_00;
        return cap > a.balance ? cap - a.balance : 0;
    }

    /// @dev A typical amount for moving money from `from` to `to`: what both sides allow.
    function _fit(address from, address to) internal view returns (uint256) {
        uint256 spendable = _spendable(from);
        uint256 headroom = from == to ? spendable : _headroom(to);
        return spendable < headroom ? spendable : headroom;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The model: the token's rules, written out plainly
    // ---------------------------------------------------------------------------------------------------------

    function _cap(uint8 tier) internal view returns (uint256) {
        return tier == 0 ? 0 : ghostTierCap[tier];
    }

    /// @dev May `account` send `amount` (pause aside)? Approved, not wholly frozen, and `amount` within the
    /// spendable part (balance - frozen amount, 0 when the frozen amount exceeds the balance).
    function _debitOk(address account, uint256 amount) internal view returns (bool) {
        Account storage a = _model[account];
        return a.tier != 0 && !a.wholly && amount <= (a.balance > a.frozen ? a.balance - a.frozen : 0);
    }

    /// @dev May `spender` move other holders' money under its allowances (`transferFrom`, `transferFromWithFee`)?
    /// Approved and not wholly frozen: a sanctioned spender cannot use allowances it already holds.
    function _spenderOk(address spender) internal view returns (bool) {
        Account storage a = _model[spender];
        return a.tier != 0 && !a.wholly;
    }

    /// @dev May `account` receive `amount` (pause aside)? Approved, not wholly frozen, within its tier cap.
    function _creditOk(address account, uint256 amount) internal view returns (bool) {
        if (account == address(0)) return false;
        Account storage a = _model[account];
        return a.tier != 0 && !a.wholly && a.balance + amount <= _cap(a.tier);
    }

    function _credit(address account, uint256 amount) internal {
        Account storage a = _model[account];
        a.balance += amount;
        a.capExempt = 0;
    }

    /// @dev A transfer in the model (pause aside; the caller checks it once per call, as the token does):
    /// applies it and returns true if the rules allow it, else changes nothing and returns false.
    /// A self-transfer checks the sender only.
    function _modelMove(address from, address to, uint256 amount) internal returns (bool) {
        if (!_debitOk(from, amount)) return false;
        if (from == to) return true;
        if (!_creditOk(to, amount)) return false;
        _model[from].balance -= amount;
        _credit(to, amount);
        return true;
    }

    /// @dev A two-leg payment in the model (`transferWithFee`, `transferFromWithFee`; pause aside): one debit of
    /// `value + fee`, then a credit of `value` to `to` and of `fee` to `feeTo`, each checked on the receiver as it
    /// stands then (any of the three may coincide). Applies what it can and returns whether all of it is legal:
    /// the caller restores a {_save}d model when it is not.
    function _modelSplit(address from, address to, uint256 value, address feeTo, uint256 fee) internal returns (bool) {
        if (!_debitOk(from, value + fee)) return false;
        _model[from].balance -= value + fee;
        if (!_creditOk(to, value)) return false;
        _credit(to, value);
        if (!_creditOk(feeTo, fee)) return false;
        _credit(feeTo, fee);
        return true;
    }

    /// @dev Saves the model of `accounts` (before a multi-step action that may fail half-way).
    function _save(address[] memory accounts) internal view returns (Account[] memory saved) {
        saved = new Account[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            saved[i] = _model[accounts[i]];
        }
    }

    /// @dev Restores what {_save} saved (in reverse, so repeated accounts end with their first saved state).
    function _restore(address[] memory accounts, Account[] memory saved) internal {
        for (uint256 i = accounts.length; i > 0; --i) {
            _model[accounts[i - 1]] = saved[i - 1];
        }
    }

    /// @dev After a cap or tier change: balances now above their cap are grandfathered at their current value.
    function _grandfather(address account) internal {
        Account storage a = _model[account];
        if (a.balance > _cap(a.tier) && a.balance > a.capExempt) a.capExempt = a.balance;
    }

    function _grandfatherAll() internal {
        for (uint256 i; i < _holders.length; ++i) {
            _grandfather(_holders[i]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checking the token against the model
    // ---------------------------------------------------------------------------------------------------------

    /// @dev The balances of `accounts` read as in the model (after a movement among them).
    function _verifyBalances(address[] memory accounts) internal view {
        for (uint256 i; i < accounts.length; ++i) {
            vm.assertEq(token.balanceOf(accounts[i]), _model[accounts[i]].balance, "balance differs from the rules");
        }
        vm.assertEq(token.totalSupply(), ghostIssued - ghostRetired, "total supply differs from issued - retired");
    }

    /// @dev Everything about `account` reads as in the model (after a compliance action on it).
    function _verifyAccount(address account) internal view {
        Account storage a = _model[account];
        vm.assertEq(token.balanceOf(account), a.balance, "balance differs from the rules");
        vm.assertEq(token.frozenAmountOf(account), a.frozen, "frozen amount differs from the rules");
        vm.assertTrue(token.isFrozen(account) == a.wholly, "freeze differs from the rules");
        vm.assertTrue(token.tierOf(account) == a.tier, "tier differs from the rules");
    }

    function _list(address a) internal pure returns (address[] memory l) {
        l = new address[](1);
        l[0] = a;
    }

    function _list(address a, address b) internal pure returns (address[] memory l) {
        l = new address[](2);
        (l[0], l[1]) = (a, b);
    }

    function _list(address a, address b, address c) internal pure returns (address[] memory l) {
        l = new address[](3);
        (l[0], l[1], l[2]) = (a, b, c);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Calls
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Calls `target` with `data` as `caller`; never reverts.
    function _call(address caller, address target, bytes memory data) internal returns (bool ok, bytes memory ret) {
        ++ghostCalls;
        vm.prank(caller);
        (ok, ret) = target.call(data);
    }

    /// @dev The contract called accepted exactly when the model did.
    function _agree(bool ok, bool expected, string memory what) internal pure {
        if (ok != expected) {
            vm.assertTrue(
                false,
                string.concat(
                    what, expected ? ": the contract refused a legal call" : ": the contract allowed an illegal call"
                )
            );
        }
    }

    function _hit(bytes32 action) internal {
        ++successes[action];
    }

    /// @dev A privileged call by `caller`, who lacks the role, must revert with exactly `expected`.
    function _assertDenied(address target, address caller, bytes memory data, bytes memory expected, string memory what)
        internal
    {
        (bool ok, bytes memory ret) = _call(caller, target, data);
        vm.assertTrue(!ok, string.concat("privileged call succeeded without the role: ", what));
        vm.assertEq(
            keccak256(ret), keccak256(expected), string.concat("wrong error for a call without the role: ", what)
        );
        ++ghostDeniedCalls;
    }

    function _unauthorized(address account, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(AccessControlUnauthorizedAccount.selector, account, role);
    }

    /// @dev Same signature as OpenZeppelin's IAccessControl error.
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);

    // ---------------------------------------------------------------------------------------------------------
    // Signatures
    // ---------------------------------------------------------------------------------------------------------

    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function _digest(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
    }

    function _signPermit(address owner, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash =
            keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, token.nonces(owner), deadline));
        return vm.sign(_keyOf[owner], _digest(structHash));
    }

    /// @dev EIP-3009 authorization of `from` (Transfer- or ReceiveWithAuthorization, by `typehash`).
    function _signAuthorization(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce));
        return vm.sign(_keyOf[from], _digest(structHash));
    }
}
