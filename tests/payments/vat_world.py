"""The VAT payments test world: who is who, clients per dev account, and assertion helpers.

Imported by name (``from vat_world import ...``): conftest modules cannot be imported reliably.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chain_helpers import refused, rejected, rpc  # re-exported: tests import them from here
from web3 import Web3

from tenge.payments.client import VatPaymentsClient
from tenge.token.client import DigitalTengeClient

# The root conftest's Suite (not importable by name: every conftest module is called "conftest").
Suite = Any

# Who is who (dev account indexes). The deployer (0) holds every role of both contracts.
ADMIN = 0
BANK = 1
ALICE = 2
BOB = 3
SHOP = 4  # payout of a VAT-registered merchant, standard category
PHARMACY = 5  # payout of a VAT-registered merchant, reduced category
KIOSK = 6  # payout of a merchant that is not VAT-registered
TREASURY = 7
STRANGER = 8  # not approved on the token, no roles
COURIER = 9  # submits offline payments; holds no tokens and needs none

SHOP_ID, PHARMACY_ID, KIOSK_ID = 1001, 1002, 1003
# The deploy plan's categories (src/tenge/defaults/suite.toml); the chain's clock is past 2026-01-01.
STANDARD, REDUCED, ZERO_RATED, EXEMPT = 1, 2, 3, 4
STANDARD_BPS, REDUCED_BPS = 1600, 500

TIERS = {ALICE: 2, BOB: 2, SHOP: 3, PHARMACY: 3, KIOSK: 3, TREASURY: 3}
OPENING_BALANCES = {ALICE: Decimal("1000000.00"), BOB: Decimal("1000000.00")}
MERCHANTS = {
    SHOP_ID: (SHOP, True, STANDARD),
    PHARMACY_ID: (PHARMACY, True, REDUCED),
    KIOSK_ID: (KIOSK, False, STANDARD),
}
#: The categories each merchant may be paid under besides its default (set by the tax side): all four.
OTHER_CATEGORIES = {
    merchant: tuple(c for c in (STANDARD, REDUCED, ZERO_RATED, EXEMPT) if c != default)
    for merchant, (_, _, default) in MERCHANTS.items()
}


@dataclass
class World:
    """One test's view of the world: clients signing as each dev account, opened on demand (a session's
    nonce counter must not outlive the snapshot it was used in)."""

    suite: Suite
    w3: Web3
    _vat: dict[int, VatPaymentsClient] = field(default_factory=dict)

    def vat(self, index: int) -> VatPaymentsClient:
        if index not in self._vat:
            self._vat[index] = self.suite.session(index).payments()
        return self._vat[index]

    def token(self, index: int) -> DigitalTengeClient:
        return self.vat(index).token

    def address(self, index: int) -> str:
        return str(self.suite.address(index))

    def nonce(self, index: int) -> int:
        return int(self.w3.eth.get_transaction_count(Web3.to_checksum_address(self.address(index))))

    def balance(self, who: int | str) -> Decimal:
        return self.token(ADMIN).balance_of(who if isinstance(who, str) else self.address(who))

    def block_time(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def next_block_at(self, timestamp: int) -> None:
        """The next mined block gets exactly ``timestamp``."""
        rpc(self.w3, "evm_setNextBlockTimestamp", [timestamp])

    def mine(self, timestamp: int | None = None) -> None:
        rpc(self.w3, "evm_mine", [] if timestamp is None else [timestamp])


def build_world(suite: Suite) -> None:
    admin = suite.session(ADMIN)
    token, vat = admin.token(), admin.payments()
    token.grant_role("MINTER_ROLE", suite.address(BANK))
    token.set_minter_allowance(suite.address(BANK), sum(OPENING_BALANCES.values()))
    for index, tier in TIERS.items():
        token.set_tier(suite.address(index), tier)
    bank = suite.session(BANK).token()
    for index, amount in OPENING_BALANCES.items():
        bank.mint(suite.address(index), amount)
    vat.set_treasury(suite.address(TREASURY))
    for merchant, (payout, registered, category) in MERCHANTS.items():
        vat.register_merchant(merchant, suite.address(payout), vat_registered=registered, default_category=category)
        vat.set_merchant_categories(merchant, OTHER_CATEGORIES[merchant])


def allow_category(world: World, merchant: int, category: int) -> None:
    """The tax side lets ``merchant`` also be paid under ``category`` (a test's own, freshly scheduled one)."""
    world.vat(ADMIN).set_merchant_categories(merchant, (*OTHER_CATEGORIES[merchant], category))


def hex32(value: bytes) -> str:
    return "0x" + bytes(value).hex()
