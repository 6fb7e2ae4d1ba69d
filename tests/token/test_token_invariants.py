"""Property-based stateful tests: random sequences of mints, transfers, freezes, forced transfers, wipes and
reserve attestations against the real contract, checked after every step against a model of the rules and
against the invariants of the issue:

- the sum of balances equals the total supply;
- no credit lifts a balance above its tier cap;
- a frozen amount (and a wholly frozen account) never moves except by forced transfer or wipe;
- with reserve gating on, no mint lifts the supply above the attested reserve.

Every operation whose outcome the model predicts to be a rejection must be rejected with that custom error,
and sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from eth_utils import function_signature_to_4byte_selector
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from token_world import ADMIN, ALICE, BANK, BOB, CAROL, MERCHANT, STRANGER, World, rpc
from web3 import Web3

from tenge.amounts import from_tiyn, to_tiyn
from tenge.errors import ContractRevert
from tenge.token.client import DigitalTengeClient

HOLDERS = [ALICE, BOB, CAROL, MERCHANT, STRANGER]
EVERYONE = [ADMIN, BANK, *HOLDERS]
UNCAPPED = 2**256 - 1
#: Small caps so that random amounts hit them.
CAPS_TIYN = {1: 150_000, 2: 300_000, 3: UNCAPPED}
INITIAL_RESERVE_TIYN = 200_000
MAX_AGE = 10**9  # staleness is covered in test_token_reserve; here the amount gate is under test

#: Views read for every account at every step, by selector (see read_chain).
ACCOUNT_VIEWS = [
    function_signature_to_4byte_selector(f"{name}(address)")
    for name in ("balanceOf", "frozenAmountOf", "isFrozen", "tierOf")
]
TOTAL_SUPPLY = "0x" + function_signature_to_4byte_selector("totalSupply()").hex()


def _calldata(selector: bytes, address: str) -> str:
    return "0x" + (selector + bytes(12) + bytes.fromhex(address[2:])).hex()


amounts = st.integers(1, 60_000)  # tiyn: up to 600 tenge per operation
holders = st.sampled_from(HOLDERS)


@dataclass(frozen=True)
class Account:
    balance: int = 0
    frozen: int = 0
    whole: bool = False
    tier: int = 0


class Rejected(Exception):
    def __init__(self, error: str) -> None:
        self.error = error


class TokenModel:
    """The token's rules in plain Python, over integer tiyn."""

    def __init__(self, accounts: dict[int, Account], supply: int) -> None:
        self.accounts = dict(accounts)
        self.supply = supply
        self.reserve = INITIAL_RESERVE_TIYN

    def _debit_check(self, i: int, value: int) -> None:
        a = self.accounts[i]
        if a.tier == 0:
            raise Rejected("AccountNotApproved")
        if a.whole:
            raise Rejected("AccountFrozen")
        if value > a.balance or a.balance - value < a.frozen:
            raise Rejected("ERC20InsufficientBalance" if a.frozen == 0 else "InsufficientSpendableBalance")

    def _credit_check(self, i: int, value: int) -> None:
        a = self.accounts[i]
        if a.tier == 0:
            raise Rejected("AccountNotApproved")
        if a.whole:
            raise Rejected("AccountFrozen")
        if a.balance + value > CAPS_TIYN[a.tier]:
            raise Rejected("TierCapExceeded")

    def _add(self, i: int, delta: int, **changes: Any) -> None:
        a = self.accounts[i]
        self.accounts[i] = replace(a, balance=a.balance + delta, **changes)

    def transfer(self, src: int, dst: int, value: int) -> None:
        self._debit_check(src, value)
        if src != dst:
            self._credit_check(dst, value)
            self._add(src, -value)
            self._add(dst, value)

    def mint(self, dst: int, value: int) -> None:
        if self.supply + value > self.reserve:
            raise Rejected("ReserveExceeded")
        self._credit_check(dst, value)
        self._add(dst, value)
        self.supply += value

    def freeze_amount(self, i: int, value: int) -> None:
        self.accounts[i] = replace(self.accounts[i], frozen=self.accounts[i].frozen + value)

    def unfreeze_amount(self, i: int, value: int) -> None:
        if value > self.accounts[i].frozen:
            raise Rejected("UnfreezeExceedsFrozen")
        self.accounts[i] = replace(self.accounts[i], frozen=self.accounts[i].frozen - value)

    def set_whole(self, i: int, frozen: bool) -> None:
        self.accounts[i] = replace(self.accounts[i], whole=frozen)

    def force_transfer(self, src: int, dst: int, value: int) -> None:
        a = self.accounts[src]
        if src == dst:
            raise Rejected("InvalidAccount")
        if value > a.balance:
            raise Rejected("ERC20InsufficientBalance")
        self._credit_check(dst, value)
        spendable = max(0, a.balance - a.frozen)
        frozen = a.frozen - max(0, value - spendable)
        self._add(src, -value, frozen=frozen)
        self._add(dst, value)

    def wipe(self, src: int, value: int) -> None:
        a = self.accounts[src]
        if not a.whole and a.frozen < value:
            raise Rejected("InsufficientFrozenAmount")
        if value > a.balance:
            raise Rejected("ERC20InsufficientBalance")
        self._add(src, -value, frozen=a.frozen - min(value, a.frozen))
        self.supply -= value


class TokenMachine(RuleBasedStateMachine):
    suite: Any = None  # set by the test: the package's token world

    def __init__(self) -> None:
        super().__init__()
        self.w3 = Web3(Web3.HTTPProvider(self.suite.rpc_url))
        self.snapshot = rpc(self.w3, "evm_snapshot")
        self.world = World(self.suite, self.w3)
        self.model = TokenModel(*self.read_chain())
        assert self.model.supply == sum(a.balance for a in self.model.accounts.values())
        admin = self.token(ADMIN)
        for tier, cap in CAPS_TIYN.items():
            admin.set_tier_cap(tier, None if cap == UNCAPPED else from_tiyn(cap))
        admin.set_reserve_gating(True, MAX_AGE)
        admin.attest_reserve(from_tiyn(INITIAL_RESERVE_TIYN))
        self.supply_at_attestation = self.model.supply
        self.before = dict(self.model.accounts)
        self.forced: set[int] = set()

    def teardown(self) -> None:
        assert rpc(self.w3, "evm_revert", [self.snapshot])

    def token(self, index: int) -> DigitalTengeClient:
        return self.world.token(index)

    def apply(self, sender: int, model_step: Any, chain_step: Any) -> None:
        """Run the step on the model; the chain must agree: same success, or the same custom error and no tx."""
        self.before = dict(self.model.accounts)
        self.forced = set()
        try:
            model_step()
            expected = None
        except Rejected as rejection:
            expected = rejection.error
        nonce = self.world.nonce(sender)
        try:
            chain_step()
            actual = None
        except ContractRevert as error:
            actual = error.error_name
            assert self.world.nonce(sender) == nonce, "a rejected step sent a transaction"
        assert actual == expected, f"chain said {actual}, the rules say {expected}"

    # --- operations -----------------------------------------------------------------------------------

    @rule(src=holders, dst=holders, value=amounts)
    def transfer(self, src: int, dst: int, value: int) -> None:
        self.apply(src, lambda: self.model.transfer(src, dst, value),
                   lambda: self.token(src).transfer(self.world.address(dst), from_tiyn(value)))  # fmt: skip

    @rule(dst=holders, value=amounts)
    def mint(self, dst: int, value: int) -> None:
        supply_before = self.model.supply
        self.apply(BANK, lambda: self.model.mint(dst, value),
                   lambda: self.token(BANK).mint(self.world.address(dst), from_tiyn(value)))  # fmt: skip
        if self.model.supply > supply_before:
            assert self.model.supply <= self.model.reserve

    @rule(account=holders, value=amounts)
    def freeze_amount(self, account: int, value: int) -> None:
        self.apply(ADMIN, lambda: self.model.freeze_amount(account, value),
                   lambda: self.token(ADMIN).freeze(self.world.address(account), from_tiyn(value)))  # fmt: skip

    @rule(account=holders, value=amounts)
    def unfreeze_amount(self, account: int, value: int) -> None:
        self.apply(ADMIN, lambda: self.model.unfreeze_amount(account, value),
                   lambda: self.token(ADMIN).unfreeze(self.world.address(account), from_tiyn(value)))  # fmt: skip

    @rule(account=holders, frozen=st.booleans())
    def freeze_whole(self, account: int, frozen: bool) -> None:
        client = self.token(ADMIN)
        action = client.freeze if frozen else client.unfreeze
        self.apply(ADMIN, lambda: self.model.set_whole(account, frozen), lambda: action(self.world.address(account)))

    @rule(src=holders, dst=holders, value=amounts)
    def force_transfer(self, src: int, dst: int, value: int) -> None:
        self.apply(ADMIN, lambda: self.model.force_transfer(src, dst, value),
                   lambda: self.token(ADMIN).force_transfer(self.world.address(src), self.world.address(dst),
                                                            from_tiyn(value), "COURT-ORDER-1"))  # fmt: skip
        self.forced = {src}

    @rule(src=holders, value=amounts)
    def wipe(self, src: int, value: int) -> None:
        self.apply(ADMIN, lambda: self.model.wipe(src, value),
                   lambda: self.token(ADMIN).wipe(self.world.address(src), from_tiyn(value), "COURT-ORDER-1"))  # fmt: skip
        self.forced = {src}

    @rule(margin=st.integers(-20_000, 100_000))
    def attest(self, margin: int) -> None:
        amount = max(0, self.model.supply + margin)
        self.token(ADMIN).attest_reserve(from_tiyn(amount))
        self.model.reserve = amount
        self.supply_at_attestation = self.model.supply
        self.before = dict(self.model.accounts)
        self.forced = set()

    # --- invariants -----------------------------------------------------------------------------------

    def read_chain(self, *, tiers: dict[int, int] | None = None) -> tuple[dict[int, Account], int]:
        """Every account's state and the supply, in one JSON-RPC batch of raw eth_calls (web3's contract
        calls re-validate the whole ABI on each call: ~10 ms of CPU apiece, most of this test's time).
        No rule changes tiers, so after the first read they are taken from the model."""
        token = self.token(ADMIN)
        with token.w3.batch_requests() as batch:
            for i in EVERYONE:
                for selector in ACCOUNT_VIEWS:
                    batch.add(token.w3.eth.call({"to": token.address, "data": _calldata(selector, self.world.address(i))}))
            batch.add(token.w3.eth.call({"to": token.address, "data": TOTAL_SUPPLY}))
            words = [int.from_bytes(bytes(value), "big") for value in batch.execute()]
        accounts = {}
        for n, i in enumerate(EVERYONE):
            balance, frozen, whole, tier = words[4 * n : 4 * n + 4]
            accounts[i] = Account(balance, frozen, bool(whole), tier if tiers is None else tiers[i])
        return accounts, words[-1]

    @invariant()
    def chain_matches_the_model_and_the_rules_hold(self) -> None:
        on_chain, supply = self.read_chain(tiers={i: a.tier for i, a in self.model.accounts.items()})
        assert on_chain == self.model.accounts
        assert supply == self.model.supply
        # Sum of balances == total supply.
        assert sum(a.balance for a in on_chain.values()) == supply
        # No balance above its tier cap (caps are never lowered here, so every credit stayed within).
        for a in on_chain.values():
            if a.tier:
                assert a.balance <= CAPS_TIYN[a.tier]
        # Frozen money does not move except by forced transfer or wipe.
        for i, a in on_chain.items():
            before = self.before[i]
            if i in self.forced:
                continue
            if before.whole:
                assert a.balance == before.balance
            assert a.balance >= min(before.balance, before.frozen)
        # Reserve gating: supply is within the reserve, unless the attestor lowered it below the supply
        # it attested against (then no mint has happened since).
        assert supply <= max(self.model.reserve, self.supply_at_attestation)


def test_random_operation_sequences_keep_the_invariants(world_base: Any) -> None:
    TokenMachine.suite = world_base
    run_state_machine_as_test(
        TokenMachine,
        settings=settings(
            max_examples=15, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
