"""Reading the index back: every event in chain order (for the audit and the export), and its status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from tenge.index.schema import head_metadata, specs, table


@dataclass(frozen=True)
class IndexedEvent:
    """One stored event: its table, where it happened and its fields by ABI name."""

    prefix: str
    name: str
    table: str
    block_number: int
    log_index: int
    tx_hash: str
    block_time: int
    contract: str
    args: dict[str, Any]

    @property
    def position(self) -> tuple[int, int]:
        return (self.block_number, self.log_index)

    def where(self) -> str:
        """How to find the row: table and primary key."""
        return f"{self.table} (block_number={self.block_number}, log_index={self.log_index}, tx {self.tx_hash})"


def events(engine: Engine, prefixes: Iterable[str] | None = None, names: Iterable[str] | None = None) -> list[IndexedEvent]:
    """Events of the given table prefixes (and event names), in chain order."""
    wanted_prefixes = None if prefixes is None else set(prefixes)
    wanted_names = None if names is None else set(names)
    found: list[IndexedEvent] = []
    with engine.connect() as connection:
        for spec in specs():
            if wanted_prefixes is not None and spec.prefix not in wanted_prefixes:
                continue
            if wanted_names is not None and spec.name not in wanted_names:
                continue
            tbl = table(spec.table_name)
            columns = spec.columns()
            for row in connection.execute(select(tbl)).mappings():
                found.append(
                    IndexedEvent(
                        prefix=spec.prefix, name=spec.name, table=spec.table_name,
                        block_number=int(row["block_number"]), log_index=int(row["log_index"]),
                        tx_hash=str(row["tx_hash"]), block_time=int(row["block_time"]), contract=str(row["contract"]),
                        args={abi_name: row[column] for abi_name, column in columns.items()},
                    )
                )  # fmt: skip
    found.sort(key=lambda e: e.position)
    return found


def synced_to(engine: Engine) -> dict[str, int]:
    """record key -> last block whose events are all stored."""
    contracts = table("index_contracts")
    with engine.connect() as connection:
        return {str(r.record_key): int(r.synced_to) for r in connection.execute(select(contracts))}


def index_status(engine: Engine) -> dict[str, Any]:
    contracts = table("index_contracts")
    with engine.connect() as connection:
        rows = [
            {"recordKey": r.record_key, "address": r.address, "deploymentBlock": int(r.deployment_block), "syncedTo": int(r.synced_to)}
            for r in connection.execute(select(contracts).order_by(contracts.c.record_key))
        ]
        count = 0
        for name, tbl in head_metadata().tables.items():
            if not name.startswith("index_") or name == "index_unknown_logs":
                count += int(connection.execute(select(func.count()).select_from(tbl)).scalar_one())
    return {"contracts": rows, "events": count}


def followed_addresses(engine: Engine) -> dict[str, str]:
    """address -> record key of every followed contract."""
    contracts = table("index_contracts")
    with engine.connect() as connection:
        return {str(r.address): str(r.record_key) for r in connection.execute(select(contracts))}
