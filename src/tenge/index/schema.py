"""The index schema: bookkeeping tables plus one table per event kind, from the ABIs frozen by each migration.

Each migration that adds event tables freezes the ABI fragments it creates them from in
``migrations/versions/<revision>_events.json``: the schema of a database never changes because an artifact
did, and a test (``tests/index/test_schema.py``) fails when a contract gains an event that no migration
covers yet.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

from tenge.index.abi_schema import EventSpec, event_table

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


def frozen_events(revision: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """prefix -> frozen event ABIs, of one revision's file or (None) of all revisions in order."""
    files = sorted(VERSIONS_DIR.glob("*_events.json"))
    if revision is not None:
        files = [f for f in files if f.name.startswith(f"{revision}_")]
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in files:
        for prefix, events in json.loads(path.read_text()).items():
            merged.setdefault(prefix, []).extend(events)
    return merged


def specs(revision: str | None = None) -> list[EventSpec]:
    return [EventSpec(prefix, abi) for prefix, events in frozen_events(revision).items() for abi in events]


def bookkeeping_tables(metadata: MetaData) -> None:
    """Tables the sync keeps for itself (prefix ``index_``)."""
    Table(
        "index_contracts", metadata,
        Column("record_key", String(64), primary_key=True),
        Column("prefix", String(32), nullable=False),
        Column("address", String(42), nullable=False, unique=True),
        Column("deployment_block", BigInteger, nullable=False),
        Column("synced_to", BigInteger, nullable=False, comment="last block whose events are all stored"),
        comment="the followed contracts and how far each is synced",
    )  # fmt: skip
    Table(
        "index_meta", metadata,
        Column("key", String(64), primary_key=True),
        Column("value", Text, nullable=False),
        comment="network name and chain id the index belongs to",
    )  # fmt: skip
    Table(
        "index_blocks", metadata,
        Column("block_number", BigInteger, primary_key=True, autoincrement=False),
        Column("block_hash", String(66), nullable=False),
        Column("block_time", BigInteger, nullable=False),
        comment="hash and time of every block holding an indexed event and of each sync's last block (reorgs)",
    )  # fmt: skip
    Table(
        "index_unknown_logs", metadata,
        Column("block_number", BigInteger, primary_key=True, autoincrement=False),
        Column("log_index", Integer, primary_key=True, autoincrement=False),
        Column("tx_hash", String(66), nullable=False),
        Column("block_time", BigInteger, nullable=False),
        Column("contract", String(42), nullable=False),
        Column("topics", Text, nullable=False, comment="0x-hex topics, comma-separated"),
        Column("data", Text, nullable=False, comment="0x-hex data"),
        comment="logs of followed contracts whose event no ABI here knows (kept, never dropped)",
    )  # fmt: skip


def build_metadata(revision: str | None = None, *, with_bookkeeping: bool = True) -> MetaData:
    metadata = MetaData()
    if with_bookkeeping:
        bookkeeping_tables(metadata)
    for spec in specs(revision):
        event_table(metadata, spec)
    return metadata


@lru_cache(maxsize=1)
def head_metadata() -> MetaData:
    """The schema at the newest migration (what the code reads and writes)."""
    return build_metadata()


def table(name: str) -> Table:
    return head_metadata().tables[name]


@lru_cache(maxsize=1)
def specs_by_topic() -> dict[tuple[str, bytes], EventSpec]:
    """(prefix, topic0) -> spec, at head."""
    return {(spec.prefix, spec.topic): spec for spec in specs()}
