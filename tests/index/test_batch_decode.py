"""The sync's batch decoding and bulk inserts against the one-log-at-a-time path they replace.

Every log of the random history (token and VAT events of every kind, unlimited approvals, dynamic fields)
decodes to the very row :func:`tenge.index.decode.to_row` makes; a log whose shape does not match its ABI, or
whose address word carries non-zero padding, gets the same row or eth-abi's same error on both paths; the bulk
insert keeps 256-bit values exact and refuses a row already stored with SQLAlchemy's ``IntegrityError`` on
SQLite and on PostgreSQL (which the CLI turns into its "another sync is writing" message).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from eth_abi.exceptions import DecodingError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tenge.index import rpc
from tenge.index.batch import decode_rows, group, plan_for
from tenge.index.bulk import insert_rows
from tenge.index.contracts import FOLLOWED
from tenge.index.db import open_index
from tenge.index.decode import RawLog, to_row
from tenge.index.schema import specs_by_topic, table


def _history_logs(index_world) -> list[RawLog]:  # type: ignore[no-untyped-def]
    session = index_world.session()
    addresses = [str(session.record.contracts[f.record_key]["address"]) for f in FOLLOWED if f.record_key in session.record.contracts]
    head = int(session.w3.eth.block_number)
    return [RawLog.from_rpc(entry) for entry in rpc.logs(session.w3, addresses, 0, head)]


def _known(index_world):  # type: ignore[no-untyped-def]
    prefixes = {str(index_world.session().record.contracts[f.record_key]["address"]).lower(): f.prefix for f in FOLLOWED
                if f.record_key in index_world.session().record.contracts}  # fmt: skip
    specs = specs_by_topic()
    for log in _history_logs(index_world):
        spec = specs.get((prefixes[log.address.lower()], log.topics[0])) if log.topics else None
        if spec is not None:
            yield spec, log


def test_every_history_log_decodes_to_the_one_at_a_time_row(index_world) -> None:  # type: ignore[no-untyped-def]
    pairs = list(_known(index_world))
    kinds = {spec.table_name for spec, _log in pairs}
    assert len(pairs) > 1_000 and {"token_transfer", "token_approval", "vat_paid"} <= kinds, kinds
    assert any(plan_for(spec).words is None for spec, _log in pairs), "no event with a dynamic field in the history"
    expected: dict[str, list[dict[str, object]]] = {}
    for stamp, (spec, log) in enumerate(pairs):
        expected.setdefault(spec.table_name, []).append(to_row(spec, log, stamp))
    batched = group((plan_for(spec), log, stamp) for stamp, (spec, log) in enumerate(pairs))
    assert batched == expected
    approvals = [row["value"] for row in batched["token_approval"]]
    assert 2**256 - 1 in approvals, "the history's unlimited approval is not among the decoded rows"


def _outcome(decode: Callable[[], list[dict[str, object]]]) -> object:
    """The rows, or the type and text of the error (eth-abi's strictness is whatever this process set it to)."""
    try:
        return decode()
    except (DecodingError, StopIteration) as exc:
        return type(exc), str(exc)


def test_malformed_logs_fare_as_one_at_a_time(index_world) -> None:  # type: ignore[no-untyped-def]
    spec, transfer = next((s, log) for s, log in _known(index_world) if s.table_name == "token_transfer")
    plan = plan_for(spec)
    assert plan.words is not None and plan.fits(transfer)
    dirty_padding = replace(transfer, topics=(transfer.topics[0], b"\x01" + transfer.topics[1][1:], transfer.topics[2]))
    short_data = replace(transfer, data=transfer.data[:16])
    missing_topic = replace(transfer, topics=transfer.topics[:2])
    assert plan.fits(dirty_padding) and not plan.fits(short_data) and not plan.fits(missing_topic)
    with pytest.raises(DecodingError):  # a one-word log with a dirty address word is refused on the fast path too
        decode_rows(plan, [transfer, dirty_padding], [0, 0])
    for bad in (dirty_padding, short_data, missing_topic):
        one_at_a_time = _outcome(lambda: [to_row(spec, transfer, 0), to_row(spec, bad, 0)])
        assert _outcome(lambda: decode_rows(plan, [transfer, bad], [0, 0])) == one_at_a_time
    assert decode_rows(plan, [transfer, transfer], [1, 2]) == [to_row(spec, transfer, 1), to_row(spec, transfer, 2)]


def test_bulk_insert_is_exact_and_refuses_a_second_copy(index_url: str) -> None:
    engine = open_index(index_url)
    approval = table("token_approval")
    row = {"block_number": 7, "log_index": 3, "tx_hash": "0x" + "ab" * 32, "block_time": 1_700_000_000,
           "contract": "0x" + "12" * 20, "owner": "0x" + "34" * 20, "spender": "0x" + "56" * 20, "value": 2**256 - 1}  # fmt: skip
    small = {**row, "log_index": 4, "value": 5}
    with engine.begin() as connection:
        insert_rows(connection, approval, [row, small])
    with engine.connect() as connection:
        stored = sorted((r.log_index, r.value) for r in connection.execute(select(approval)))
    assert stored == [(3, 2**256 - 1), (4, 5)]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        insert_rows(connection, approval, [{**row, "log_index": 5}, small])
    with engine.connect() as connection:  # the refused batch left nothing behind
        assert len(connection.execute(select(approval)).all()) == 2
    engine.dispose()
