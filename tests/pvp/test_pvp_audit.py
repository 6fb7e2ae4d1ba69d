"""The index and `tenge audit` cover the settlement contract (issue 21): every settlement's two legs reconcile with
the tokens' Transfer events, each bank's net position rebuilds from the events, and the balance-of-payments report
per corridor carries amounts in both currencies, rate, provider and time — and no payer or recipient. A tampered
index row is found."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from pvp_world import ADMIN, BANK_B, LP, MERCHANT, PAYER, World
from sqlalchemy import select, update
from test_pvp_settlement import quote

from tenge.audit.audit import audit
from tenge.audit.report import render_audit
from tenge.index.db import open_index
from tenge.index.schema import specs, table
from tenge.index.sync import IndexSync


def _history(world: World) -> None:
    world.pvp(PAYER).pay(quote(world), "1000.01", world.address(MERCHANT))  # KZT -> KGS: 174.31 KGS
    bank_a, bank_b = world.pvp(LP), world.pvp(BANK_B)
    trade, sig_a = bank_a.trade(counterparty=world.address(BANK_B), give=world.tenge_address, give_amount="5.00",
                                get=world.som_address, get_amount="0.87", counterparty_nonce=bank_b.next_nonce())  # fmt: skip
    world.pvp(PAYER).settle(trade, sig_a, bank_b.sign(trade))
    world.pvp(LP).cancel(quote(world).quote.nonce)


def _indexed(world: World, tmp_path: Path):  # type: ignore[no-untyped-def]
    session = world.suite.session(ADMIN)
    engine = open_index(f"sqlite:///{tmp_path / 'pvp.index.sqlite'}")
    IndexSync(engine, session.w3, session.record, confirmations=0).run()
    return session, engine


def test_the_audit_reconciles_every_settlement_and_reports_the_balance_of_payments(world: World, tmp_path: Path) -> None:
    _history(world)
    session, engine = _indexed(world, tmp_path)
    outcome = audit(session, engine)
    assert outcome.clean, "\n".join(d.describe() for d in outcome.differences)
    assert outcome.checked["pvp settlement legs"] == 2
    assert outcome.checked["pvp nonce"] == 1 and outcome.checked["pvp corridor limit"] == 2
    assert outcome.checked["pvp held"] == 2  # nothing of either currency left in the settlement contract
    [corridor] = outcome.balance_of_payments
    assert (corridor["corridor"], corridor["count"], corridor["sell_total"], corridor["buy_total"]) == (
        "KZT->KGS", 2, "1005.01", "175.18")
    first, second = corridor["settlements"]
    assert (first["kind"], first["sell_amount"], first["buy_amount"], first["rate"], first["provider"]) == (
        "payment", "1000.01", "174.31", "0.1743", world.address(LP))
    assert (second["kind"], second["provider"]) == ("interbank", world.address(BANK_B))
    assert first["time"] > 0
    positions = {(p["bank"], p["currency"]): Decimal(p["net"]) for p in outcome.lp_positions}
    assert positions == {
        (world.address(LP), "KZT"): Decimal("995.01"), (world.address(LP), "KGS"): Decimal("-173.44"),
        (world.address(BANK_B), "KZT"): Decimal("5.00"), (world.address(BANK_B), "KGS"): Decimal("-0.87"),
    }
    report = json.dumps(outcome.to_dict())
    for person in (PAYER, MERCHANT):  # no personal data: neither the payer nor the recipient is in the report
        assert world.address(person) not in report and world.address(person).lower() not in report.lower()
    assert "KZT->KGS" in render_audit(outcome)
    engine.dispose()


def test_a_tampered_settlement_row_does_not_reconcile(world: World, tmp_path: Path) -> None:
    _history(world)
    session, engine = _indexed(world, tmp_path)
    settled = table("pvp_settled")
    column = next(s for s in specs() if s.table_name == "pvp_settled").columns()["sellAmount"]
    with engine.begin() as db:
        victim = db.execute(select(settled).order_by(settled.c.block_number).limit(1)).mappings().one()
        db.execute(update(settled).where((settled.c.block_number == victim["block_number"])
                                         & (settled.c.log_index == victim["log_index"]))
                   .values({column: int(victim[column]) + 1}))  # fmt: skip
    outcome = audit(session, engine)
    kinds = {d.kind for d in outcome.differences}
    assert "pvp sell leg" in kinds, [d.describe() for d in outcome.differences]
    engine.dispose()
