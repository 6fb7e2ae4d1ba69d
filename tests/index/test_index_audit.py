"""A seeded random mix of every token and VAT operation: the index rebuilds the chain's state exactly, a
corrupted index row is found and named, and the VAT report from the index equals the scan's, row for row."""

from __future__ import annotations

import json

from sqlalchemy import func, select, update

from tenge.audit.audit import audit
from tenge.audit.export import export_events
from tenge.index.db import open_index
from tenge.index.reader import events
from tenge.index.schema import table
from tenge.index.sync import IndexSync
from tenge.payments.client import VatPaymentsClient
from tenge.payments.periods import Period
from tenge.payments.report_format import report_to_dict

#: Event kinds the random mix must have produced (so the audit is not vacuous).
EXPECTED = {
    "token": {"Transfer", "TierSet", "TierCapSet", "Frozen", "Unfrozen", "AmountFrozen", "AmountUnfrozen",
              "ForcedTransfer", "Wiped", "Recovered", "MinterAllowanceSet", "Minted", "Burned", "Redeemed",
              "ReserveAttested", "Paused", "Unpaused", "RoleGranted", "RoleRevoked", "Approval"},
    "vat": {"Paid", "Refunded", "VatWithdrawn", "MerchantRegistered", "MerchantUpdated", "MerchantActiveSet",
            "VatReserveSet", "TreasurySet", "CategoryLabelled", "Paused", "Unpaused", "RateScheduled", "RateChangeCancelled"},
}  # fmt: skip


def synced(world, url: str, confirmations: int = 0):  # type: ignore[no-untyped-def]
    session = world.session()
    engine = open_index(url)
    result = IndexSync(engine, session.w3, session.record, confirmations=confirmations, chunk_blocks=40).run()
    return session, engine, result


def test_random_history_audits_clean(index_world, index_url: str) -> None:  # type: ignore[no-untyped-def]
    assert index_world.sent >= 2_000
    session, engine, result = synced(index_world, index_url)
    assert result.events > 1_000  # some random operations revert (by design): they change nothing
    seen = {(e.prefix, e.name) for e in events(engine)}
    for prefix, names in EXPECTED.items():
        assert not {n for n in names if (prefix, n) not in seen}, f"the random mix produced no {prefix} {names}"
    outcome = audit(session, engine)
    assert outcome.clean, "\n".join(d.describe() for d in outcome.differences)
    assert outcome.checked["balance"] >= 9 and outcome.checked["payment"] >= 80
    book = [e for e in events(engine, ["vat"], ["Paid"]) if bytes.fromhex(str(e.args["paymentId"])[2:6]) == b"\xb0\x0c"]
    assert len(book) >= 20, "the mix must pay invoices from invoice books too (their pages' chain heads are audited)"
    assert outcome.checked["rate schedule"] >= 3 and outcome.checked["merchant"] == 3 and outcome.checked["role"] > 10
    again = IndexSync(engine, session.w3, session.record, confirmations=0).run()
    assert again.events == 0, "a second sync reads only new blocks"
    engine.dispose()


def test_corrupted_row_is_found_and_named(index_world, index_url: str) -> None:  # type: ignore[no-untyped-def]
    session, engine, _ = synced(index_world, index_url)
    paid = table("vat_paid")
    with engine.begin() as db:
        victim = db.execute(select(paid.c.block_number, paid.c.log_index, paid.c.vat).order_by(paid.c.block_number).limit(1).offset(7)).one()
        db.execute(update(paid).where((paid.c.block_number == victim.block_number) & (paid.c.log_index == victim.log_index))
                   .values(vat=victim.vat + 1))  # fmt: skip
    outcome = audit(session, engine)
    assert not outcome.clean
    kinds = {d.kind for d in outcome.differences}
    assert {"vat escrow", "payment", "vat due"} <= kinds, kinds
    named = {row for d in outcome.differences for row in d.bad_rows}
    expected = f"vat_paid (block_number={victim.block_number}, log_index={victim.log_index}"
    assert named and all(expected in row and f"vat={victim.vat + 1} (chain: {victim.vat})" in row for row in named), named
    engine.dispose()


def test_report_from_index_equals_scan(index_world, index_url: str) -> None:  # type: ignore[no-untyped-def]
    session, engine, _ = synced(index_world, index_url, confirmations=3)  # the last 3 blocks come from a scan
    client = VatPaymentsClient(session)
    for merchants in (None, [2001], [2002, 2003]):
        scanned = report_to_dict(client.report(merchants=merchants, source="scan"))
        indexed = report_to_dict(client.report(merchants=merchants, source="index", index_url=index_url))
        assert json.loads(json.dumps(indexed, default=str)) == json.loads(json.dumps(scanned, default=str))
        assert scanned["rows"], "the report must not be empty"
    block_times = [e.block_time for e in events(engine, ["vat"], ["Paid"])]
    middle = block_times[len(block_times) // 2]
    period = Period(start=middle, end=None)
    assert report_to_dict(client.report(period=period, source="scan")) == report_to_dict(
        client.report(period=period, source="index", index_url=index_url)
    )
    engine.dispose()


def test_export_carries_legal_references(index_world, index_url: str) -> None:  # type: ignore[no-untyped-def]
    _session, engine, _ = synced(index_world, index_url)
    rows = json.loads(export_events(engine, "json"))
    with engine.connect() as db:
        total = sum(int(db.execute(select(func.count()).select_from(table(t))).scalar_one())
                    for t in ("token_transfer", "vat_paid", "token_forced_transfer", "token_wiped", "token_recovered"))  # fmt: skip
    assert len(rows) >= total
    legal = [r for r in rows if r["event"] in ("ForcedTransfer", "Wiped", "Recovered")]
    assert legal and all(r["legal_reference"].startswith(("COURT-", "WIPE-ORDER", "RECOVERY")) for r in legal)
    csv_text = export_events(engine, "csv")
    assert csv_text.splitlines()[0].startswith("block_number,block_time,tx_hash")
    assert len(csv_text.splitlines()) == len(rows) + 1
    engine.dispose()
