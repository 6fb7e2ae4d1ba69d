"""Views over the event tables for a bank's or tax authority's own SQL, built as SQLAlchemy selects (compiled
for each backend by SQLAlchemy, never written per backend).

``token_balances``     account, balance (tiyn): credits minus debits of every ``Transfer``, zero address left out.
``vat_due``            per merchant, category and rate: payments, gross, net, VAT, refunds and VAT due (tiyn);
                       a refund counts at the category and rate of the payment it reverses.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, MetaData, Select, func, literal, select, text, union_all

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def token_balances(metadata: MetaData) -> Select[tuple[object, ...]]:
    transfer = metadata.tables["token_transfer"]
    credits = select(transfer.c.to_address.label("account"), transfer.c.value.label("amount"))
    debits = select(transfer.c.from_address.label("account"), (literal(0) - transfer.c.value).label("amount"))
    moves = union_all(credits, debits).subquery("moves")
    return (
        select(moves.c.account, func.sum(moves.c.amount).label("balance"))
        .where(moves.c.account != ZERO_ADDRESS)
        .group_by(moves.c.account)
    )


def vat_due(metadata: MetaData) -> Select[tuple[object, ...]]:
    paid = metadata.tables["vat_paid"]
    refunded = metadata.tables["vat_refunded"]
    zero = literal(0)
    payments = select(
        paid.c.merchant_id, paid.c.category_id, paid.c.rate_bps,
        literal(1).label("payments"), paid.c.gross.label("gross"), paid.c.net.label("net"), paid.c.vat.label("vat"),
        zero.label("refunds"), zero.label("refunded_gross"), zero.label("refunded_net"), zero.label("refunded_vat"),
    )  # fmt: skip
    refunds = select(
        paid.c.merchant_id, paid.c.category_id, paid.c.rate_bps,
        zero, zero, zero, zero,
        literal(1), refunded.c.amount, refunded.c.net, refunded.c.vat,
    ).join_from(refunded, paid, refunded.c.payment_id == paid.c.payment_id)  # fmt: skip
    rows = union_all(payments, refunds).subquery("rows")
    sums = [
        func.sum(rows.c[name]).label(name)
        for name in ("payments", "gross", "net", "vat", "refunds", "refunded_gross", "refunded_net", "refunded_vat")
    ]
    return select(
        rows.c.merchant_id, rows.c.category_id, rows.c.rate_bps, *sums,
        (func.sum(rows.c.vat) - func.sum(rows.c.refunded_vat)).label("vat_due"),
    ).group_by(rows.c.merchant_id, rows.c.category_id, rows.c.rate_bps)  # fmt: skip


VIEWS: dict[str, Callable[[MetaData], Select[tuple[object, ...]]]] = {
    "token_balances": token_balances,
    "vat_due": vat_due,
}


def create_views(connection: Connection, metadata: MetaData) -> None:
    for name, build in VIEWS.items():
        query = build(metadata).compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
        connection.execute(text(f"CREATE VIEW {name} AS {query}"))


def drop_views(connection: Connection) -> None:
    for name in VIEWS:
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
