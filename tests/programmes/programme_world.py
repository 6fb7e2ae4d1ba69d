"""The programme test world: who is who, clients per dev account, helpers (imported by name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chain_helpers import refused, rejected, rpc  # re-exported: tests import them from here
from web3 import Web3

from tenge.payments.client import VatPaymentsClient
from tenge.programmes.client import ProgrammesClient
from tenge.programmes.rewards import RewardsClient
from tenge.token.client import DigitalTengeClient

Suite = Any

CITY = 0  # the deployer: SPONSOR_ROLE of programmes and rewards, the token's COMPLIANCE_ROLE, tax authority
BANK = 1
PUPIL = 2
PUPIL_B = 3
CANTEEN = 4  # payout of the school canteen (VAT category "school meals")
SHOP = 5  # payout of an ordinary shop (standard category): outside the lunch purpose
TREASURY = 6
STRANGER = 7  # not approved on the token
COURIER = 8  # submits offline spends and claims; holds nothing
ATTESTER = 9  # the move-to-earn app's backend key

CANTEEN_ID, SHOP_ID = 2001, 2002
STANDARD, SCHOOL_MEALS = 1, 5
STANDARD_BPS, SCHOOL_MEALS_BPS = 1600, 1600
CITY_BUDGET = Decimal("10000000.00")
DAY = 86400

TIERS = {CITY: 3, PUPIL: 1, PUPIL_B: 1, CANTEEN: 3, SHOP: 3, TREASURY: 3}

__all__ = ["refused", "rejected", "rpc"]


@dataclass
class World:
    suite: Suite
    w3: Web3
    _programmes: dict[int, ProgrammesClient] = field(default_factory=dict)
    _rewards: dict[int, RewardsClient] = field(default_factory=dict)

    def programmes(self, index: int) -> ProgrammesClient:
        if index not in self._programmes:
            self._programmes[index] = self.suite.session(index).programmes()
        return self._programmes[index]

    def rewards(self, index: int) -> RewardsClient:
        if index not in self._rewards:
            self._rewards[index] = self.suite.session(index).rewards()
        return self._rewards[index]

    def token(self, index: int = CITY) -> DigitalTengeClient:
        return self.programmes(index).token

    def vat(self, index: int = CITY) -> VatPaymentsClient:
        return self.suite.session(index).payments()  # type: ignore[no-any-return]

    def address(self, index: int) -> str:
        return str(self.suite.address(index))

    def key(self, index: int) -> Any:
        return self.suite.keys[index]

    def nonce(self, index: int) -> int:
        return int(self.w3.eth.get_transaction_count(Web3.to_checksum_address(self.address(index))))

    def balance(self, who: int | str) -> Decimal:
        return self.token(CITY).balance_of(who if isinstance(who, str) else self.address(who))

    def block_time(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def warp(self, timestamp: int) -> None:
        """Mine a block at ``timestamp`` (later blocks follow it)."""
        rpc(self.w3, "evm_mine", [timestamp])

    def lunch_programme(
        self, *, days: int = 30, daily_limit: str | None = "1200.00", transferable: bool = False, fund: str = "100000.00"
    ) -> int:
        """A funded school-lunch programme of the city: purpose {school meals}, starting now."""
        city = self.programmes(CITY)
        pid = city.create(
            [SCHOOL_MEALS], self.block_time() + days * DAY, budget="ALMATY-LUNCH-2026",
            daily_limit=daily_limit, transferable=transferable,
        )  # fmt: skip
        if fund != "0":
            city.fund(pid, fund)
        return pid


def build_world(suite: Suite) -> None:
    admin = suite.session(CITY)
    token, vat = admin.token(), admin.payments()
    token.grant_role("MINTER_ROLE", suite.address(BANK))
    token.set_minter_allowance(suite.address(BANK), CITY_BUDGET)
    for index, tier in TIERS.items():
        token.set_tier(suite.address(index), tier)
    suite.session(BANK).token().mint(suite.address(CITY), CITY_BUDGET)
    vat.set_treasury(suite.address(TREASURY))
    vat.schedule_rate(SCHOOL_MEALS, SCHOOL_MEALS_BPS)
    vat.label_category(SCHOOL_MEALS, "school meals")
    vat.register_merchant(CANTEEN_ID, suite.address(CANTEEN), vat_registered=True, default_category=SCHOOL_MEALS)
    vat.register_merchant(SHOP_ID, suite.address(SHOP), vat_registered=True, default_category=STANDARD)
