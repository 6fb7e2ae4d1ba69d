"""The world of the purse tests: the deployed suite plus a bank with a guarantee deposit, a holder with tenge, a
VAT-registered shop and a shop that is not, and device keys that sign offline payments (h6's typed data)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eth_account import Account
from web3 import Web3

from tenge.amounts import to_tiyn
from tenge.offline.purses import OfflinePursesClient
from tenge.offline.types import OfflinePayment, SignedCertificate, SignedPayment, sign_digest

CENTRAL = 0  # the deployer: DEFAULT_ADMIN_ROLE of the purses, tax authority, token admin
BANK = 1  # ISSUER_ROLE on the purses, a minter
HOLDER = 2
SHOP_A = 3  # VAT-registered, standard category (16 %)
SHOP_B = 4  # not VAT-registered
TERMINAL = 8  # submits batches; holds nothing
STRANGER = 7
SHOP_A_ID, SHOP_B_ID = 3001, 3002
DAY = 86400
TIERS = {CENTRAL: 3, BANK: 3, HOLDER: 3, SHOP_A: 3, SHOP_B: 3}


def rpc(w3: Web3, method: str, params: list[Any]) -> Any:
    return w3.provider.make_request(method, params)["result"]  # type: ignore[arg-type]


@dataclass
class World:
    suite: Any
    w3: Web3
    _clients: dict[int, OfflinePursesClient] = field(default_factory=dict)

    def purses(self, index: int) -> OfflinePursesClient:
        if index not in self._clients:
            self._clients[index] = self.suite.session(index).offline()
        return self._clients[index]

    def address(self, index: int) -> str:
        return str(self.suite.address(index))

    def key(self, index: int) -> bytes:
        return bytes(self.suite.keys[index].key)

    def balance(self, who: int | str) -> Decimal:
        token = self.suite.session(CENTRAL).token()
        return token.balance_of(who if isinstance(who, str) else self.address(who))

    def block_time(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def warp(self, timestamp: int) -> None:
        rpc(self.w3, "evm_mine", [timestamp])

    def open_purse(self, amount: str = "5000.00", *, days: int = 3) -> tuple[SignedCertificate, bytes]:
        """A purse of ``amount`` for a new device key, certified by BANK, opened by HOLDER; (certificate, key)."""
        device = Account.create()
        signed = self.purses(BANK).certify(self.key(BANK), os.urandom(32), device.address, amount,
                                           self.block_time() + days * DAY)  # fmt: skip
        self.purses(HOLDER).open(signed)
        return signed, bytes(device.key)

    def pay(self, cert: SignedCertificate, key: bytes, seq: int, amount: str, cumulative: str, shop: int,
            *, time: int | None = None, invoice: bytes | None = None) -> SignedPayment:  # fmt: skip
        """What the device with ``key`` signs offline: payment ``seq`` of ``amount`` to ``shop``."""
        payment = OfflinePayment(cert.certificate.purse_id, seq, to_tiyn(amount), to_tiyn(cumulative),
                                 self.address(shop), invoice or os.urandom(32),
                                 self.block_time() if time is None else time)  # fmt: skip
        domain = self.purses(CENTRAL).domain
        return SignedPayment(payment, sign_digest(payment.digest(domain), key), cert)


def build_world(suite: Any) -> None:
    admin = suite.session(CENTRAL)
    token, vat, purses = admin.token(), admin.payments(), admin.offline()
    for index, tier in TIERS.items():
        token.set_tier(suite.address(index), tier)
    token.grant_role("MINTER_ROLE", suite.address(BANK))
    token.set_minter_allowance(suite.address(BANK), Decimal("10000000.00"))
    bank_token = suite.session(BANK).token()
    bank_token.mint(suite.address(HOLDER), Decimal("100000.00"))
    bank_token.mint(suite.address(BANK), Decimal("1000000.00"))
    vat.register_merchant(SHOP_A_ID, suite.address(SHOP_A), vat_registered=True, default_category=1)
    vat.register_merchant(SHOP_B_ID, suite.address(SHOP_B), vat_registered=False, default_category=0)
    purses.grant_role("ISSUER_ROLE", suite.address(BANK))
    purses.set_bank_limits(suite.address(BANK), max_purse_amount="20000.00", max_lifetime=7 * DAY,
                           max_purses_per_holder=200, reach=3)  # fmt: skip
    suite.session(BANK).offline().deposit("200000.00")
