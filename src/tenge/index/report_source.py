"""Whether and how the VAT report reads from the index (called by :func:`tenge.payments.report.build_report`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tenge.errors import TengeError

if TYPE_CHECKING:
    from tenge.payments.client import VatPaymentsClient
    from tenge.payments.periods import Period
    from tenge.payments.report import VatReport


def report_from_index(
    client: "VatPaymentsClient",
    required: bool,
    url: str | None,
    merchants: Iterable[int] | None,
    period: "Period | None",
    chunk_blocks: int,
) -> "VatReport | None":
    """The report from the index (synced first) when one exists or is ``required``; None: scan instead."""
    from tenge.index.service import has_index, open_session_index, sync_session
    from tenge.index.vat_report import build_report_from_index, indexed_to

    session = client.session
    if not required and not has_index(session, url):
        return None
    try:
        record_address = session.record.address("VatPayments")
    except TengeError:
        if required:
            raise
        return None  # no deployment record: a contract given by address is scanned
    if record_address.lower() != client.address.lower():
        if required:
            raise TengeError(f"the index follows the recorded VatPayments {record_address}, not {client.address}")
        return None
    engine = open_session_index(session, url)
    sync_session(session, engine, chunk_blocks=chunk_blocks)
    if indexed_to(engine, client) is None:  # pragma: no cover - sync registers every recorded contract
        return None
    return build_report_from_index(client, engine, merchants=merchants, period=period, chunk_blocks=chunk_blocks)
