"""The token's test world: who is who, clients per dev account, and assertion helpers.

Imported by name (``from token_world import ...``): conftest modules cannot be imported reliably.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from web3 import Web3
from web3.logs import DISCARD

import tenge.errors
from tenge.chain.transactions import SentTransaction
from tenge.errors import ContractRevert, TengeError
from tenge.token.client import DigitalTengeClient
from tenge.token.results import TxResult

# The root conftest's Suite (not importable by name: every conftest module is called "conftest").
Suite = Any

# Who is who (dev account indexes). The deployer (0) holds every role but minting.
ADMIN = 0
BANK = 1
ALICE = 2
BOB = 3
CAROL = 4
MERCHANT = 5
STRANGER = 6  # not approved, no roles
NEWKEY = 7  # not approved, no roles: a fresh key for recoveries

TIERS = {BANK: 3, ALICE: 1, BOB: 1, CAROL: 2, MERCHANT: 3}
BANK_ALLOWANCE = Decimal("1000000.00")
OPENING_BALANCES = {ALICE: Decimal("1000.00"), BOB: Decimal("500.00")}
#: The bank's allowance after the opening mints.
ALLOWANCE_LEFT = BANK_ALLOWANCE - sum(OPENING_BALANCES.values())
TIER1_CAP = Decimal("500000.00")
TIER2_CAP = Decimal("5000000.00")


def rpc(w3: Web3, method: str, params: list[Any] | None = None) -> Any:
    reply = w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


@dataclass
class World:
    """One test's view of the world: clients signing as each dev account, opened on demand."""

    suite: Suite
    w3: Web3
    _clients: dict[int, DigitalTengeClient] = field(default_factory=dict)

    def token(self, index: int) -> DigitalTengeClient:
        if index not in self._clients:
            self._clients[index] = self.suite.session(index).token()
        return self._clients[index]

    def address(self, index: int) -> str:
        return self.suite.address(index)

    def nonce(self, index: int) -> int:
        return int(self.w3.eth.get_transaction_count(Web3.to_checksum_address(self.address(index))))

    def block_time(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def advance_time(self, seconds: int) -> None:
        rpc(self.w3, "evm_increaseTime", [seconds])
        rpc(self.w3, "evm_mine")

    def balances(self, indexes: list[int]) -> dict[int, Decimal]:
        token = self.token(ADMIN)
        return {i: token.balance_of(self.address(i)) for i in indexes}


def build_world(suite: Suite) -> None:
    token = suite.session(ADMIN).token()
    token.grant_role("MINTER_ROLE", suite.address(BANK))
    token.set_minter_allowance(suite.address(BANK), BANK_ALLOWANCE)
    for index, tier in TIERS.items():
        token.set_tier(suite.address(index), tier)
    bank = suite.session(BANK).token()
    for index, amount in OPENING_BALANCES.items():
        bank.mint(suite.address(index), amount)


def events(token: DigitalTengeClient, result: TxResult | SentTransaction, name: str) -> list[dict[str, Any]]:
    """The ``name`` events the transaction of ``result`` emitted from the token, as dicts."""
    receipt = token.w3.eth.get_transaction_receipt(result.tx_hash)  # type: ignore[arg-type]
    logs = token.contract.events[name]().process_receipt(receipt, errors=DISCARD)
    return [dict(log["args"]) for log in logs]


def rejected(
    world: World, sender: int, error: str, action: Callable[[], object], /, **expected_args: Any
) -> ContractRevert:
    """Run ``action`` (sent by dev account ``sender``), expect the custom error ``error`` with
    ``expected_args``, and prove nothing reached the chain (the sender's nonce did not move)."""
    nonce_before = world.nonce(sender)
    with pytest.raises(ContractRevert) as caught:
        action()
    assert caught.value.error_name == error, str(caught.value)
    assert isinstance(caught.value, getattr(tenge.errors, error))
    for key, value in expected_args.items():
        assert caught.value.error_args[key] == value, (key, caught.value.error_args)
    assert world.nonce(sender) == nonce_before, "a rejected call must send nothing"
    return caught.value


def refused(world: World, sender: int, error: type[TengeError], action: Callable[[], object], match: str = "") -> TengeError:
    """Like :func:`rejected` for SDK-side refusals (bad input caught before signing)."""
    nonce_before = world.nonce(sender)
    with pytest.raises(error, match=match) as caught:
        action()
    assert world.nonce(sender) == nonce_before, "a refused call must send nothing"
    return caught.value


def tiyn(amount: str | Decimal) -> int:
    return int(Decimal(amount) * 100)
