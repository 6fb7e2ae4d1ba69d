// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {Cast} from "./utils/TengeFixture.sol";
import {TengeHandlerBase} from "./utils/TengeHandlerBase.sol";
import {vm} from "./utils/Vm.sol";

/**
 * @title DigitalTengeHandler
 * @notice Drives the token through every public action with bounded random inputs, from the right role (and,
 * in {strangerCallsPrivileged}, from accounts without it). Each action runs in the model of
 * {TengeHandlerBase} first, then for real; the handler asserts they agree and keeps the ghost variables the
 * invariants of {DigitalTengeInvariants} read.
 */
contract DigitalTengeHandler is TengeHandlerBase {
    address public immutable implementation;

    /// @notice Per bank: the sum of the increases of its mint allowance the issuer granted ...
    mapping(address bank => uint256) public ghostAllowanceRaised;
    /// @notice ... the sum of the decreases (issuer lowering it, or the role being revoked) ...
    mapping(address bank => uint256) public ghostAllowanceLowered;
    /// @notice ... and what it minted.
    mapping(address bank => uint256) public ghostMinted;

    /// @notice The model of issuance: who holds MINTER_ROLE (banks 0 and 1 at first; the admin toggles bank 1)
    /// and each bank's remaining allowance.
    mapping(address bank => bool) public modelMinter;
    mapping(address bank => uint256) public modelAllowance;

    /// @notice The model of the reserve gate.
    bool public modelGated;
    uint64 public modelMaxAge;
    uint256 public modelReserve;
    uint64 public modelAttestedAt;

    /// @notice Total supply may sit above the attested reserve only after the attestor posted a lower reserve or
    /// gating was switched on over an existing supply; a gated mint never lifts it there.
    bool public ghostReserveShortfallExcused;

    uint256 private _nonceCounter;

    constructor(IDigitalTenge token_, address implementation_) TengeHandlerBase(token_) {
        implementation = implementation_;
        for (uint256 i; i < Cast.BANKS; ++i) {
            modelMinter[Cast.bank(i)] = token_.hasRole(token_.MINTER_ROLE(), Cast.bank(i));
            // Accounting starts here: the allowance found counts as granted.
            modelAllowance[Cast.bank(i)] = token_.minterAllowance(Cast.bank(i));
            ghostAllowanceRaised[Cast.bank(i)] = modelAllowance[Cast.bank(i)];
        }
        (modelGated, modelMaxAge) = token_.reserveGating();
        (modelReserve, modelAttestedAt) = token_.reserveAttestation();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Issuance
    // ---------------------------------------------------------------------------------------------------------

    function setMinterAllowance(uint256 bankSeed, uint256 amountSeed) external {
        address bank = Cast.bank(bankSeed % Cast.BANKS);
        uint256 amount = _amount(amountSeed, 2_000_000_00);
        uint256 old = modelAllowance[bank];
        bool expected = amount == 0 || modelMinter[bank];
        (bool ok,) =
            _call(Cast.issuer(), address(token), abi.encodeCall(IDigitalTenge.setMinterAllowance, (bank, amount)));
        _agree(ok, expected, "setMinterAllowance (non-zero needs MINTER_ROLE)");
        if (!ok) return;
        modelAllowance[bank] = amount;
        if (amount > old) ghostAllowanceRaised[bank] += amount - old;
        else ghostAllowanceLowered[bank] += old - amount;
        vm.assertEq(token.minterAllowance(bank), amount, "setMinterAllowance did not set it");
        _hit("setMinterAllowance");
    }

    function mint(uint256 bankSeed, uint256 toSeed, uint256 amountSeed) external {
        address bank = _bank(bankSeed);
        address to = _pick(_holders, toSeed);
        uint256 fits = _headroom(to) < modelAllowance[bank] ? _headroom(to) : modelAllowance[bank];
        uint256 amount = _amount(amountSeed, fits);
        bool expected = _mintAllowed(bank, amount) && _creditOk(to, amount);
        if (expected) {
            _issue(bank, amount);
            _credit(to, amount);
        }
        (bool ok,) = _call(bank, address(token), abi.encodeCall(IDigitalTenge.mint, (to, amount)));
        _agree(ok, expected, "mint");
        if (!ok) return;
        _verifyBalances(_list(to));
        vm.assertEq(token.minterAllowance(bank), modelAllowance[bank], "mint: allowance not lowered by the amount");
        _hit("mint");
    }

    function batchMint(uint256 bankSeed, uint256 toSeed, uint256 amountSeed, uint8 count) external {
        address bank = _bank(bankSeed);
        uint256 n = _bound(count, 1, 4);
        address[] memory to = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            to[i] = _pick(_holders, toSeed >> (8 * i));
            uint256 share = modelAllowance[bank] / n;
            amounts[i] = _amount(_rand(amountSeed, bytes32(i)), _headroom(to[i]) < share ? _headroom(to[i]) : share);
            total += amounts[i];
        }
        Account[] memory saved = _save(to);
        bool expected = _mintAllowed(bank, total);
        for (uint256 i; expected && i < n; ++i) {
            expected = _creditOk(to[i], amounts[i]);
            if (expected) _credit(to[i], amounts[i]);
        }
        if (expected) _issue(bank, total);
        else _restore(to, saved);

        (bool ok,) = _call(bank, address(token), abi.encodeCall(IDigitalTenge.batchMint, (to, amounts)));
        _agree(ok, expected, "batchMint");
        if (!ok) return;
        _verifyBalances(to);
        _hit("batchMint");
    }

    function burn(uint256 bankSeed, uint256 amountSeed) external {
        address bank = _bank(bankSeed);
        uint256 amount = _amount(amountSeed, _spendable(bank));
        bool expected = modelMinter[bank] && !modelPaused && _debitOk(bank, amount);
        if (expected) _retire(bank, amount);
        (bool ok,) = _call(bank, address(token), abi.encodeCall(IDigitalTenge.burn, (amount)));
        _agree(ok, expected, "burn");
        if (!ok) return;
        _verifyBalances(_list(bank));
        _hit("burn");
    }

    function redeem(uint256 holderSeed, uint256 bankSeed, uint256 amountSeed) external {
        address holder = _pick(_holders, holderSeed);
        address bank = _bank(bankSeed);
        uint256 amount = _amount(amountSeed, _spendable(holder));
        bool expected = !modelPaused && modelMinter[bank] && _debitOk(holder, amount);
        if (expected) _retire(holder, amount);
        (bool ok,) = _call(holder, address(token), abi.encodeCall(IDigitalTenge.redeem, (bank, amount, "REF")));
        _agree(ok, expected, "redeem");
        if (!ok) return;
        _verifyBalances(_list(holder));
        _hit("redeem");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Payments
    // ---------------------------------------------------------------------------------------------------------

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external {
        address from = _pick(_holders, fromSeed);
        address to = _rand(toSeed, "zero") % 32 == 0 ? address(0) : _pick(_holders, toSeed);
        uint256 amount = _amount(amountSeed, _fit(from, to));
        bool expected = !modelPaused && _modelMove(from, to, amount);
        (bool ok,) = _call(from, address(token), abi.encodeCall(IERC20.transfer, (to, amount)));
        _agree(ok, expected, "transfer");
        if (!ok) return;
        _verifyBalances(_list(from, to));
        _hit("transfer");
    }

    function approveAndTransferFrom(uint256 ownerSeed, uint256 spenderSeed, uint256 toSeed, uint256 amountSeed)
        external
    {
        address owner = _pick(_holders, ownerSeed);
        address spender = _spender(spenderSeed);
        address to = _pick(_holders, toSeed);
        uint256 amount = _amount(amountSeed, _fit(owner, to));
        uint256 mode = _rand(amountSeed, "approve") % 8;
        uint256 approved = mode == 0 ? type(uint256).max : (mode == 1 ? _amount(amountSeed >> 4, amount) : amount);
        (bool ok,) = _call(owner, address(token), abi.encodeCall(IERC20.approve, (spender, approved)));
        vm.assertTrue(ok, "approve must work for any account, also while paused");

        // The spender must be approved and not wholly frozen (a frozen spender never moves anyone's money).
        bool expected = approved >= amount && !modelPaused && _spenderOk(spender) && _modelMove(owner, to, amount);
        (ok,) = _call(spender, address(token), abi.encodeCall(IERC20.transferFrom, (owner, to, amount)));
        _agree(ok, expected, "transferFrom");
        if (!ok) return;
        _verifyBalances(_list(owner, to));
        uint256 left = approved == type(uint256).max ? approved : approved - amount;
        vm.assertEq(token.allowance(owner, spender), left, "transferFrom: allowance not spent by the amount");
        _hit("transferFrom");
    }

    function batchTransfer(uint256 fromSeed, uint256 toSeed, uint256 amountSeed, uint8 count) external {
        address from = _pick(_holders, fromSeed);
        uint256 n = _bound(count, 1, 4);
        address[] memory to = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            to[i] = _pick(_holders, toSeed >> (8 * i));
            uint256 share = _spendable(from) / n;
            amounts[i] = _amount(_rand(amountSeed, bytes32(i)), _headroom(to[i]) < share ? _headroom(to[i]) : share);
            total += amounts[i];
        }
        address[] memory touched = _with(to, from);
        Account[] memory saved = _save(touched);
        // The token debits the total first, then credits each recipient in turn (re-reading its account).
        bool expected = !modelPaused && _debitOk(from, total);
        if (expected) _model[from].balance -= total;
        for (uint256 i; expected && i < n; ++i) {
            expected = _creditOk(to[i], amounts[i]);
            if (expected) _credit(to[i], amounts[i]);
        }
        if (!expected) _restore(touched, saved);

        (bool ok,) = _call(from, address(token), abi.encodeCall(IDigitalTenge.batchTransfer, (to, amounts)));
        _agree(ok, expected, "batchTransfer");
        if (!ok) return;
        _verifyBalances(touched);
        _hit("batchTransfer");
    }

    function transferWithFee(uint256 fromSeed, uint256 toSeed, uint256 feeToSeed, uint256 amountSeed) external {
        address from = _pick(_holders, fromSeed);
        address to = _pick(_holders, toSeed);
        address feeTo = _pick(_holders, feeToSeed);
        uint256 value = _amount(amountSeed, _fit(from, to) / 2);
        uint256 fee = _amount(_rand(amountSeed, "fee"), _fit(from, feeTo) / 4);
        address[] memory touched = _list(from, to, feeTo);
        Account[] memory saved = _save(touched);
        // One debit of value + fee, then the two credits (like a two-leg batch payout).
        bool expected = !modelPaused && _modelSplit(from, to, value, feeTo, fee);
        if (!expected) _restore(touched, saved);
        (bool ok,) = _call(from, address(token), abi.encodeCall(IDigitalTenge.transferWithFee, (to, value, feeTo, fee)));
        _agree(ok, expected, "transferWithFee");
        if (!ok) return;
        _verifyBalances(touched);
        _hit("transferWithFee");
    }

    /// @notice A permit signed by a user, submitted by anyone, then used by the spender; a replay must fail.
    function permitAndSpend(uint256 ownerSeed, uint256 spenderSeed, uint256 toSeed, uint256 amountSeed, uint32 life)
        external
    {
        address owner = _pick(_users, ownerSeed);
        address spender = _spender(spenderSeed);
        address to = _pick(_holders, toSeed);
        uint256 value = _amount(amountSeed, _fit(owner, to));
        // A deadline a little in the past now and then.
        uint256 deadline =
            _rand(life, "deadline") % 8 == 0 && block.timestamp > 1 ? block.timestamp - 1 : block.timestamp + life;
        uint256 nonce = token.nonces(owner);
        bytes memory permitCall = _permitCall(owner, spender, value, deadline);

        (bool ok,) = _call(_pick(_everyone, toSeed >> 8), address(token), permitCall);
        _agree(ok, deadline >= block.timestamp, "permit (valid signature, deadline)");
        if (!ok) return;
        vm.assertEq(token.allowance(owner, spender), value, "permit: allowance");
        vm.assertEq(token.nonces(owner), nonce + 1, "permit: nonce");
        (ok,) = _call(spender, address(token), permitCall);
        vm.assertTrue(!ok, "a permit was replayed");
        _hit("permit");

        bool expected = !modelPaused && _spenderOk(spender) && _modelMove(owner, to, value);
        (ok,) = _call(spender, address(token), abi.encodeCall(IERC20.transferFrom, (owner, to, value)));
        _agree(ok, expected, "transferFrom after permit");
        if (ok) _verifyBalances(_list(owner, to));
    }

    function _permitCall(address owner, address spender, uint256 value, uint256 deadline)
        private
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(owner, spender, value, deadline);
        return abi.encodeCall(IERC20Permit.permit, (owner, spender, value, deadline, v, r, s));
    }

    struct Authorization {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
        /// Which of the four entry points: transfer or receive, (v, r, s) or `bytes` signature.
        bool isReceive;
        bool bytesSignature;
    }

    /// @notice An EIP-3009 authorization (an offline payment): signed now, maybe submitted after time passed;
    /// valid only inside its window, once. Any of the four entry points - `transferWithAuthorization` or
    /// `receiveWithAuthorization` (only the payee submits), with a (v, r, s) or a `bytes` signature - each
    /// checking the pause, the window, the signature, the nonce and every token rule.
    function transferWithAuthorization(
        uint256 fromSeed,
        uint256 toSeed,
        uint256 amountSeed,
        uint32 validFor,
        uint32 submitAfter
    ) external {
        Authorization memory a;
        a.from = _pick(_users, fromSeed);
        a.to = _pick(_holders, toSeed);
        a.value = _amount(amountSeed, _fit(a.from, a.to));
        a.validAfter = block.timestamp - (block.timestamp > 10 ? 10 : 0);
        a.validBefore = block.timestamp + 1 + validFor % 3 days;
        a.nonce = keccak256(abi.encode(a.from, ++_nonceCounter));
        uint256 variant = _rand(amountSeed, "variant") % 4;
        (a.isReceive, a.bytesSignature) = (variant >= 2, variant % 2 == 1);
        bytes memory data = _authorizationCall(a);
        // A receive authorization is submitted by its payee (1 in 8 by someone else: refused).
        address submitter = a.isReceive && _rand(toSeed, "payee") % 8 != 0 ? a.to : _pick(_everyone, toSeed >> 8);
        // The payer was offline: mostly submitted within the window, 1 in 4 after it (or at its very edge).
        uint256 delay = _rand(submitAfter, "delay") % 4 == 0
            ? submitAfter % 4 days
            : submitAfter % (a.validBefore - block.timestamp);
        vm.warp(block.timestamp + delay);

        bool inWindow = block.timestamp > a.validAfter && block.timestamp < a.validBefore;
        bool expected = inWindow && !modelPaused && (!a.isReceive || submitter == a.to) && _modelMove(a.from, a.to, a.value);
        (bool ok,) = _call(submitter, address(token), data);
        _agree(ok, expected, a.isReceive ? "receiveWithAuthorization" : "transferWithAuthorization");
        if (!ok) return;
        _verifyBalances(_list(a.from, a.to));
        vm.assertTrue(token.authorizationState(a.from, a.nonce), "authorization not marked used");
        (ok,) = _call(a.to, address(token), data);
        vm.assertTrue(!ok, "an EIP-3009 authorization was replayed");
        _hit(a.isReceive ? bytes32("receiveWithAuthorization") : bytes32("transferWithAuthorization"));
        if (a.bytesSignature) _hit("authorizationBytesSignature");
    }

    function _authorizationCall(Authorization memory a) private view returns (bytes memory) {
        bytes32 typehash =
            a.isReceive ? token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH() : token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH();
        (uint8 v, bytes32 r, bytes32 s) =
            _signAuthorization(typehash, a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce);
        string memory name = a.isReceive ? "receiveWithAuthorization" : "transferWithAuthorization";
        if (a.bytesSignature) {
            return abi.encodeWithSignature(
                string.concat(name, "(address,address,uint256,uint256,uint256,bytes32,bytes)"),
                a.from,
                a.to,
                a.value,
                a.validAfter,
                a.validBefore,
                a.nonce,
                abi.encodePacked(r, s, v)
            );
        }
        return abi.encodeWithSignature(
            string.concat(name, "(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"),
            a.from,
            a.to,
            a.value,
            a.validAfter,
            a.validBefore,
            a.nonce,
            v,
            r,
            s
        );
    }

    // ---------------------------------------------------------------------------------------------------------
    // Compliance (all of it works while paused)
    // ---------------------------------------------------------------------------------------------------------

    function setTier(uint256 accountSeed, uint8 tierSeed) external {
        address account = _pick(_holders, accountSeed);
        // Mostly an approval (6 has no cap set at first: holds nothing); 1 in 8 revokes (tier 0).
        uint8 tier = _rand(tierSeed, "revoke") % 8 == 0 ? 0 : uint8(1 + tierSeed % MAX_TIER);
        (bool ok,) = _call(Cast.compliance(), address(token), abi.encodeCall(IDigitalTenge.setTier, (account, tier)));
        _agree(ok, true, "setTier by compliance");
        _model[account].tier = tier;
        _grandfather(account);
        _verifyAccount(account);
        _hit("setTier");
    }

    function setTierCap(uint8 tierSeed, uint256 capSeed) external {
        uint8 tier = uint8(_bound(tierSeed, 1, MAX_TIER));
        // Uncapped 1 in 7; else mostly a realistic cap (1,000 .. 50 million tenge), sometimes an edge value.
        uint256 mode = _rand(capSeed, "cap") % 8;
        uint256 cap = mode == 0
            ? type(uint256).max
            : (mode == 1 ? _amount(capSeed, 3_000_000_00) : 1_000_00 + capSeed % 50_000_000_00);
        bool expected = tier > 4 || cap == type(uint256).max || cap <= MAX_PACKED_CAP;
        (bool ok,) = _call(Cast.compliance(), address(token), abi.encodeCall(IDigitalTenge.setTierCap, (tier, cap)));
        _agree(ok, expected, "setTierCap (packed tiers hold caps up to 2^60-2)");
        if (!ok) return;
        ghostTierCap[tier] = cap;
        vm.assertEq(token.tierCap(tier), cap, "setTierCap did not set it");
        _grandfatherAll();
        _hit("setTierCap");
    }

    /// @notice Freezes (1 in 4) or unfreezes an account; both are idempotent.
    function freeze(uint256 accountSeed) external {
        address account = _pick(_holders, accountSeed);
        bool on = _rand(accountSeed, "freeze") % 4 == 0;
        bytes memory data =
            on ? abi.encodeCall(IDigitalTenge.freeze, (account)) : abi.encodeCall(IDigitalTenge.unfreeze, (account));
        (bool ok,) = _call(Cast.compliance(), address(token), data);
        _agree(ok, true, "freeze/unfreeze by compliance");
        _model[account].wholly = on;
        _verifyAccount(account);
        _hit(on ? bytes32("freeze") : bytes32("unfreeze"));
    }

    /// @notice Freezes (1 in 3) or releases (2 in 3) an amount of an account.
    function freezeAmount(uint256 accountSeed, uint256 amountSeed) external {
        address account = _pick(_holders, accountSeed);
        bool release = _rand(amountSeed, "release") % 3 != 0;
        Account storage m = _model[account];
        uint256 amount = _amount(amountSeed, release ? m.frozen : m.balance / 2);
        bytes memory data = release
            ? abi.encodeCall(IDigitalTenge.unfreezeAmount, (account, amount))
            : abi.encodeCall(IDigitalTenge.freezeAmount, (account, amount));
        bool expected = release ? amount <= m.frozen : amount <= MAX_AMOUNT - m.frozen;
        (bool ok,) = _call(Cast.compliance(), address(token), data);
        _agree(ok, expected, release ? "unfreezeAmount" : "freezeAmount");
        if (!ok) return;
        if (release) m.frozen -= amount;
        else m.frozen += amount;
        _verifyAccount(account);
        _hit(release ? bytes32("unfreezeAmount") : bytes32("freezeAmount"));
    }

    /// @notice Court-ordered transfer: ignores the sender's tier, freeze and pause; takes the spendable part
    /// first, then from the frozen amount, which shrinks by exactly that much.
    function forceTransfer(uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external {
        address from = _pick(_holders, fromSeed);
        address to = _pick(_holders, toSeed);
        Account storage f = _model[from];
        uint256 amount = _amount(amountSeed, f.balance < _headroom(to) ? f.balance : _headroom(to));
        bool expected = from != to && amount <= f.balance && _creditOk(to, amount);
        if (expected) {
            uint256 spendable = f.balance > f.frozen ? f.balance - f.frozen : 0;
            if (amount > spendable) f.frozen -= amount - spendable;
            f.balance -= amount;
            _credit(to, amount);
        }
        (bool ok,) = _call(
            Cast.compliance(), address(token), abi.encodeCall(IDigitalTenge.forceTransfer, (from, to, amount, "COURT"))
        );
        _agree(ok, expected, "forceTransfer");
        if (!ok) return;
        _verifyAccount(from);
        _verifyAccount(to);
        _hit("forceTransfer");
    }

    /// @notice Court-ordered burn: only from a wholly frozen account or within its frozen amount, taken from the
    /// frozen amount first.
    function wipe(uint256 fromSeed, uint256 amountSeed) external {
        address from = _pick(_holders, fromSeed);
        Account storage f = _model[from];
        uint256 amount = _amount(amountSeed, f.balance);
        bool expected = (f.wholly || f.frozen >= amount) && amount <= f.balance;
        if (expected) {
            f.frozen -= amount < f.frozen ? amount : f.frozen;
            f.balance -= amount;
            ghostRetired += amount;
        }
        (bool ok,) =
            _call(Cast.compliance(), address(token), abi.encodeCall(IDigitalTenge.wipe, (from, amount, "COURT")));
        _agree(ok, expected, "wipe");
        if (!ok) return;
        _verifyAccount(from);
        _verifyBalances(_list(from));
        _hit("wipe");
    }

    /// @notice Wallet recovery: the whole state of the lost key moves to an approved, empty new key.
    function recover(uint256 lostSeed, uint256 newSeed) external {
        address lost = _pick(_holders, lostSeed);
        // Mostly a valid target if there is one (approved, empty, unfrozen), else any holder.
        address fresh = _pick(_holders, newSeed);
        for (uint256 i; i < _holders.length && _rand(newSeed, "valid") % 4 != 0; ++i) {
            address h = _holders[(newSeed % _holders.length + i) % _holders.length];
            Account storage c = _model[h];
            if (h != lost && c.tier != 0 && c.balance == 0 && c.frozen == 0 && !c.wholly) {
                fresh = h;
                break;
            }
        }
        Account memory n = _model[fresh];
        bool expected = lost != fresh && n.tier != 0 && n.balance == 0 && n.frozen == 0 && !n.wholly;
        if (expected) {
            _model[fresh] = _model[lost];
            delete _model[lost];
        }
        (bool ok,) =
            _call(Cast.compliance(), address(token), abi.encodeCall(IDigitalTenge.recover, (lost, fresh, "LOST KEY")));
        _agree(ok, expected, "recover");
        if (!ok) return;
        _verifyAccount(lost);
        _verifyAccount(fresh);
        // The token remembers where the lost account's holdings went (refunds owed to it follow), and the target,
        // in use again, points nowhere.
        vm.assertEq(token.recoveredTo(lost), fresh, "recoveredTo(lost) must be the new account");
        vm.assertEq(token.recoveredTo(fresh), address(0), "a recovery target must be live (recoveredTo = 0)");
        _hit("recover");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Pause, reserve, roles, time
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Pauses (1 in 5) or unpauses; either reverts when the token is already in that state.
    function setPaused(uint8 seed) external {
        bool pause = _rand(seed, "pause") % 5 == 0;
        bytes memory data = pause ? abi.encodeCall(IDigitalTenge.pause, ()) : abi.encodeCall(IDigitalTenge.unpause, ());
        (bool ok,) = _call(Cast.pauser(), address(token), data);
        _agree(ok, pause != modelPaused, "pause/unpause by the pauser");
        if (!ok) return;
        modelPaused = pause;
        vm.assertTrue(token.paused() == modelPaused, "pause flag");
        _hit("setPaused");
    }

    function attestReserve(uint256 amountSeed, uint32 age) external {
        uint256 supply = ghostIssued - ghostRetired;
        // Mostly above the supply; 1 in 8 below it (a shrinking reserve is legal: it only stops minting).
        uint256 amount = _rand(amountSeed, "short") % 8 == 0
            ? _amount(amountSeed, supply)
            : supply + _amount(amountSeed, 100_000_000_00);
        uint256 lag = age % 2 days; // attestations are a little behind real time
        uint256 at = block.timestamp > lag ? block.timestamp - lag : 0;
        if (at < modelAttestedAt) at = _rand(amountSeed, "old") % 3 == 0 ? modelAttestedAt - 1 : modelAttestedAt;
        bool expected = at >= modelAttestedAt;
        (bool ok,) =
            _call(Cast.attestor(), address(token), abi.encodeCall(IDigitalTenge.attestReserve, (amount, uint64(at))));
        _agree(ok, expected, "attestReserve (not older than the last, not in the future)");
        if (!ok) return;
        (modelReserve, modelAttestedAt) = (amount, uint64(at));
        ghostReserveShortfallExcused = amount < supply;
        _hit("attestReserve");
    }

    function setReserveGating(bool enabled, uint32 maxAge) external {
        uint64 age = uint64(1 hours + maxAge % 3 days);
        (bool ok,) = _call(Cast.admin(), address(token), abi.encodeCall(IDigitalTenge.setReserveGating, (enabled, age)));
        _agree(ok, true, "setReserveGating by the admin");
        (modelGated, modelMaxAge) = (enabled, age);
        if (enabled && ghostIssued - ghostRetired > modelReserve) ghostReserveShortfallExcused = true;
        _hit("setReserveGating");
    }

    /// @notice The admin revokes (1 in 4) or grants bank 1's MINTER_ROLE (revoking zeroes its allowance; both are
    /// no-ops when already so).
    function setBank1Minter(uint8 seed) external {
        address bank = Cast.bank(1);
        bytes32 role = token.MINTER_ROLE();
        bool had = modelMinter[bank];
        bool grant = _rand(seed, "minter") % 4 != 0;
        bytes memory data = !grant
            ? abi.encodeWithSignature("revokeRole(bytes32,address)", role, bank)
            : abi.encodeWithSignature("grantRole(bytes32,address)", role, bank);
        (bool ok,) = _call(Cast.admin(), address(token), data);
        _agree(ok, true, "grant/revoke MINTER_ROLE by the admin");
        modelMinter[bank] = grant;
        if (had && !grant) {
            ghostAllowanceLowered[bank] += modelAllowance[bank];
            modelAllowance[bank] = 0;
        }
        vm.assertEq(token.minterAllowance(bank), modelAllowance[bank], "revoking MINTER_ROLE must zero the allowance");
        _hit(grant ? bytes32("grantMinter") : bytes32("revokeMinter"));
    }

    function warp(uint32 secondsAhead) external {
        vm.warp(block.timestamp + secondsAhead % 1 days);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Access control: every privileged function, called by an account without its role
    // ---------------------------------------------------------------------------------------------------------

    uint256 public constant PRIVILEGED_FUNCTIONS = 22;

    function strangerCallsPrivileged(uint256 fnSeed, uint256 callerSeed, uint256 amount) external {
        // A known account (a holder of *other* roles, a user, a bank) or a random outsider.
        address caller = _rand(callerSeed, "outsider") % 4 == 0
            ? address(uint160(_rand(callerSeed, "address")))
            : _pick(_everyone, callerSeed);
        if (caller == address(0)) caller = address(0xdead);
        amount = amount % 1_000_000_00;
        (bytes memory data, bytes32 role, bool pauseFirst, string memory what) = _privileged(fnSeed, caller, amount);
        if (token.hasRole(role, caller)) return; // the right role: not this check's business
        bytes memory expected = pauseFirst && modelPaused
            ? abi.encodeWithSelector(IDigitalTenge.EnforcedPause.selector)
            : _unauthorized(caller, role);
        _assertDenied(address(token), caller, data, expected, what);
    }

    /// @dev Row `fnSeed % PRIVILEGED_FUNCTIONS` of the token's access-control table: the call, the role it needs,
    /// and whether the pause check runs before the role check (mints read the pause first).
    function _privileged(uint256 fnSeed, address caller, uint256 amount)
        private
        view
        returns (bytes memory data, bytes32 role, bool pauseFirst, string memory what)
    {
        address u0 = Cast.user(0);
        address u1 = Cast.user(1);
        uint256 row = fnSeed % PRIVILEGED_FUNCTIONS;
        if (row == 0) {
            return (
                abi.encodeCall(IDigitalTenge.setMinterAllowance, (caller, amount)),
                token.ISSUER_ROLE(),
                false,
                "setMinterAllowance"
            );
        }
        if (row == 1) return (abi.encodeCall(IDigitalTenge.mint, (u0, amount)), token.MINTER_ROLE(), true, "mint");
        if (row == 2) {
            return (
                abi.encodeCall(IDigitalTenge.batchMint, (_list(u0), _one(amount))),
                token.MINTER_ROLE(),
                true,
                "batchMint"
            );
        }
        if (row == 3) return (abi.encodeCall(IDigitalTenge.burn, (amount)), token.MINTER_ROLE(), false, "burn");
        bytes32 c = token.COMPLIANCE_ROLE();
        if (row == 4) return (abi.encodeCall(IDigitalTenge.setTier, (caller, 3)), c, false, "setTier");
        if (row == 5) return (abi.encodeCall(IDigitalTenge.setTierCap, (1, amount)), c, false, "setTierCap");
        if (row == 6) return (abi.encodeCall(IDigitalTenge.freeze, (u0)), c, false, "freeze");
        if (row == 7) return (abi.encodeCall(IDigitalTenge.unfreeze, (u0)), c, false, "unfreeze");
        if (row == 8) return (abi.encodeCall(IDigitalTenge.freezeAmount, (u0, amount)), c, false, "freezeAmount");
        if (row == 9) return (abi.encodeCall(IDigitalTenge.unfreezeAmount, (u0, amount)), c, false, "unfreezeAmount");
        if (row == 10) {
            return (abi.encodeCall(IDigitalTenge.forceTransfer, (u0, caller, amount, "X")), c, false, "forceTransfer");
        }
        if (row == 11) return (abi.encodeCall(IDigitalTenge.wipe, (u0, amount, "X")), c, false, "wipe");
        if (row == 12) return (abi.encodeCall(IDigitalTenge.recover, (u0, u1, "X")), c, false, "recover");
        if (row == 13) return (abi.encodeCall(IDigitalTenge.pause, ()), token.PAUSER_ROLE(), false, "pause");
        if (row == 14) return (abi.encodeCall(IDigitalTenge.unpause, ()), token.PAUSER_ROLE(), false, "unpause");
        if (row == 15) {
            return (
                abi.encodeCall(IDigitalTenge.attestReserve, (amount, uint64(block.timestamp))),
                token.RESERVE_ATTESTOR_ROLE(),
                false,
                "attestReserve"
            );
        }
        bytes32 admin = bytes32(0); // DEFAULT_ADMIN_ROLE
        if (row == 16) {
            return (abi.encodeCall(IDigitalTenge.setReserveGating, (false, 0)), admin, false, "setReserveGating");
        }
        if (row == 17) {
            return
                (abi.encodeCall(IDigitalTenge.rescueERC20, (address(1), caller, amount)), admin, false, "rescueERC20");
        }
        if (row == 18) {
            return (
                abi.encodeWithSignature("grantRole(bytes32,address)", token.MINTER_ROLE(), caller),
                admin,
                false,
                "grantRole"
            );
        }
        if (row == 19) {
            return
                (
                    abi.encodeWithSignature("revokeRole(bytes32,address)", c, Cast.compliance()),
                    admin,
                    false,
                    "revokeRole"
                );
        }
        if (row == 20) {
            return (
                abi.encodeWithSignature("beginDefaultAdminTransfer(address)", caller),
                admin,
                false,
                "beginDefaultAdminTransfer"
            );
        }
        return (
            abi.encodeWithSignature("upgradeToAndCall(address,bytes)", implementation, ""),
            token.UPGRADER_ROLE(),
            false,
            "upgradeToAndCall"
        );
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @dev May `bank` mint `total` now (recipients aside)? Not paused; a minter with the allowance (a minter may
    /// mint 0); supply within 2^96-1; if gated, a fresh attestation covering the new supply.
    function _mintAllowed(address bank, uint256 total) private view returns (bool) {
        if (modelPaused || !modelMinter[bank] || modelAllowance[bank] < total) return false;
        uint256 supplyAfter = ghostIssued - ghostRetired + total;
        if (supplyAfter > MAX_AMOUNT) return false;
        if (modelGated) {
            if (block.timestamp > uint256(modelAttestedAt) + modelMaxAge || supplyAfter > modelReserve) return false;
        }
        return true;
    }

    function _issue(address bank, uint256 total) private {
        modelAllowance[bank] -= total;
        ghostMinted[bank] += total;
        ghostIssued += total;
    }

    function _retire(address account, uint256 amount) private {
        _model[account].balance -= amount;
        ghostRetired += amount;
    }

    /// @dev A spender: mostly a holder (approved, unless compliance revoked or froze it), 1 in 4 any known account
    /// (role holders are not approved: their transferFrom must fail however large the allowance).
    function _spender(uint256 seed) private view returns (address) {
        return _rand(seed, "anySpender") % 4 == 0 ? _pick(_everyone, seed) : _pick(_holders, seed);
    }

    /// @dev Mostly one of the two minting banks; 1 in 8 the bank without MINTER_ROLE.
    function _bank(uint256 seed) private pure returns (address) {
        return _rand(seed, "bank") % 8 == 0 ? Cast.bank(2) : Cast.bank(seed % 2);
    }

    function _one(uint256 amount) private pure returns (uint256[] memory a) {
        a = new uint256[](1);
        a[0] = amount;
    }

    /// @dev `list` and `extra` in one array (the accounts a batch touches).
    function _with(address[] memory list, address extra) private pure returns (address[] memory all) {
        all = new address[](list.length + 1);
        for (uint256 i; i < list.length; ++i) {
            all[i] = list[i];
        }
        all[list.length] = extra;
    }
}
