"""`tenge audit export`: the event history for a supervisor, CSV or JSON, in chain order.

One row per event: where (block, time, tx, log index), which contract and event, its fields as people read
them (``fields``: amounts ``1,000.00 KZT``, times ISO 8601 in UTC, references decoded, roles by name) and, for
machines, as stored (``raw_fields``: tiyn, Unix seconds, bytes32 hex); CSV writes them as ``name=value`` joined
by ``; ``. Forced transfers, wipes and recoveries also carry the legal reference, shown as text when it is
printable ASCII (a court order number), else as its 0x-hex bytes32.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import Engine

from tenge.audit.readable import iso_time, readable_args
from tenge.index.reader import IndexedEvent, events

LEGAL_EVENTS = ("ForcedTransfer", "Wiped", "Recovered")
COLUMNS = ("block_number", "block_time", "tx_hash", "log_index", "contract", "event", "legal_reference", "fields",
           "raw_fields")


def legal_reference(value: str) -> str:
    """A bytes32 reference as text when it is zero-padded printable ASCII, else the hex itself."""
    raw = bytes.fromhex(value[2:]).rstrip(b"\0")
    if raw and all(32 <= b < 127 for b in raw):
        return raw.decode("ascii")
    return value


def _row(e: IndexedEvent, currency: str) -> dict[str, Any]:
    reference = legal_reference(str(e.args["legalReference"])) if e.name in LEGAL_EVENTS else ""
    return {
        "block_number": e.block_number,
        "block_time": iso_time(e.block_time),
        "tx_hash": e.tx_hash,
        "log_index": e.log_index,
        "contract": f"{e.prefix}:{e.contract}",
        "event": e.name,
        "legal_reference": reference,
        "fields": readable_args(e.prefix, e.name, e.args, currency),
        "raw_fields": {name: (str(v) if isinstance(v, int) and not isinstance(v, bool) else v) for name, v in e.args.items()},
    }


def export_events(engine: Engine, fmt: str, currency: str = "KZT") -> str:
    rows = [_row(e, currency) for e in events(engine)]
    if fmt == "json":
        return json.dumps(rows, indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "fields": "; ".join(f"{k}={v}" for k, v in row["fields"].items()),
                         "raw_fields": " ".join(f"{k}={v}" for k, v in row["raw_fields"].items())})
    return buffer.getvalue()
