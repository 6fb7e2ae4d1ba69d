"""Pilot step: a village shop with no connection accepts offline purse payments and settles them later.

Kaspi bank (ISSUER_ROLE on the purse contract, limits set by the central bank, a guarantee deposit) certifies a
purse for parent Aliya's phone; she opens it at the bank (10,000.00 of her tenge locked). In the village, with no
connection, her phone pays the shop three times and the shop's terminal (SQLite store) verifies and stores each;
back online, the terminal settles all three in one batch on the home ledger (``tenge offline settle``'s code).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from eth_account import Account
from eth_utils.crypto import keccak

from tenge.amounts import from_tiyn, to_tiyn
from tenge.offline.device import Device, PurseState
from tenge.offline.settle import settle_terminal
from tenge.offline.terminal import Terminal, TerminalSettings
from tenge.pilot.record import PilotRecord, money
from tenge.pilot.steps_home import DAY, session
from tenge.pilot.world import address

if TYPE_CHECKING:
    from tenge.pilot.world import PilotWorld

VILLAGE_SHOP_ID = 3101
PURSE = Decimal("10000.00")
DEPOSIT = Decimal("40000.00")
BASKETS = (Decimal("1250.00"), Decimal("860.50"), Decimal("2400.00"))


def step_village_shop(world: "PilotWorld", rec: PilotRecord) -> None:
    rec.step("A village shop with no connection accepts offline purse payments and settles them later")
    central = session("central bank")
    purses = central.offline()
    kaspi = session("Kaspi bank")
    rec.did("ISSUER_ROLE of offline purses to Kaspi bank", purses.grant_role("ISSUER_ROLE", address("Kaspi bank")).gas_used)
    gas = purses.set_bank_limits(address("Kaspi bank"), max_purse_amount="20000.00", max_lifetime=7 * DAY,
                                 max_purses_per_holder=2, reach=3).gas_used  # fmt: skip
    rec.did("central bank sets Kaspi's purse limits: up to 20,000.00 for 7 days, 2 per holder, reach 3", gas)
    rec.did("KYC: village shop approved, tier 3", central.token().set_tier(address("village shop"), 3).gas_used)
    gas = central.payments().register_merchant(VILLAGE_SHOP_ID, address("village shop"), vat_registered=False,
                                               default_category=0).gas_used  # fmt: skip
    rec.did(f"tax authority registers the village shop as merchant {VILLAGE_SHOP_ID} (below the VAT threshold)", gas)
    rec.did(f"Kaspi mints {DEPOSIT} for its own guarantee", kaspi.token().mint(address("Kaspi bank"), DEPOSIT).gas_used)
    bank = kaspi.offline()
    rec.did(f"Kaspi deposits a guarantee of {DEPOSIT}", bank.deposit(DEPOSIT).gas_used)

    device = Account.from_key(keccak(text="pilot: parent Aliya's phone"))
    expiry = bank.block_time() + 7 * DAY
    certificate = bank.certify(bytes(kaspi.signer.account.key), keccak(text="pilot purse ALIYA-1"), device.address,
                               PURSE, expiry)  # fmt: skip
    aliya = session("parent Aliya").offline()
    rec.did(f"Aliya opens a purse of {PURSE} for her phone at Kaspi (locked, no new money)", aliya.open(certificate).gas_used)

    phone = Device(PurseState(certificate, bank.domain), bytes(device.key))
    settings = TerminalSettings(address("village shop"), bank.domain, frozenset({address("Kaspi bank")}))
    terminal = Terminal.open(world.folder / "village-shop.sqlite", settings, clock=bank.block_time)
    try:
        now = bank.block_time()
        for n, basket in enumerate(BASKETS, start=1):
            signed = phone.pay(address("village shop"), to_tiyn(basket), keccak(text=f"VILLAGE-{n}"), now + n * 600)
            terminal.accept(signed)
            rec.did(f"offline: Aliya's phone pays the village shop {basket}; the terminal verifies and stores it "
                    f"(sequence {n}, no connection)")  # fmt: skip
        world.advance(DAY)
        shop_before = central.token().balance_of(address("village shop"))
        done = settle_terminal(session("village shop").offline(), terminal, VILLAGE_SHOP_ID)
        left = len(terminal.unsettled())
    finally:
        terminal.close()
    (batch,) = done.batches
    rec.did(f"a day later, online: the shop's terminal settles {done.settled} payments in one batch: {done.gross}",
            batch.gas_used)  # fmt: skip
    received = central.token().balance_of(address("village shop")) - shop_before
    state = aliya.status(certificate.certificate.purse_id)
    rec.facts["villageShop"] = {
        "merchantId": VILLAGE_SHOP_ID, "purse": money(PURSE), "payments": [money(b) for b in BASKETS],
        "settled": done.settled, "gross": money(done.gross), "received": money(received), "batches": len(done.batches),
        "unsettledLeft": left, "purseUnsettled": money(state.unsettled), "gasPerPayment": batch.gas_used // done.settled,
        "purseRemaining": money(from_tiyn(phone.state.remaining)),
    }  # fmt: skip
