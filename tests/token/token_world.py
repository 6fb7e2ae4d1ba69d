"""The token's test world: who is who, clients per dev account, and assertion helpers.

Imported by name (``from token_world import ...``): conftest modules cannot be imported reliably.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chain_helpers import events, refused, rejected, rpc  # re-exported: tests import them from here
from web3 import Web3

from tenge.token.client import DigitalTengeClient

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


def tiyn(amount: str | Decimal) -> int:
    return int(Decimal(amount) * 100)
