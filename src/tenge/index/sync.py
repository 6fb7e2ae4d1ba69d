"""``tenge index sync``: follow the suite's contracts and store every event, decoded, up to finality.

Incremental and resumable: each chunk of blocks is written in one database transaction together with the
contracts' cursors (``index_contracts.synced_to``), so a sync killed at any point resumes after the last
committed chunk - no event missing, none twice (the primary key ``(block_number, log_index)`` would refuse a
second copy anyway).

Reorg-safe: only final blocks are indexed (``confirmations`` deep, counted as `tenge tx status` counts them:
see :mod:`tenge.finality`), and every sync first compares the hash
stored for the newest indexed block with the chain's; on a difference it walks back through the stored
block hashes to the newest block the chain still has and deletes everything after it before going on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from web3 import Web3

from tenge.deploy.record import DeploymentRecord
from tenge.finality import final_block
from tenge.index import rpc
from tenge.index.contracts import FOLLOWED
from tenge.index.db import IndexDatabaseError
from tenge.index.batch import EventPlan, group, plan_for
from tenge.index.bulk import insert_rows
from tenge.index.decode import RawLog, unknown_row
from tenge.index.schema import head_metadata, specs_by_topic, table

DEFAULT_CHUNK_BLOCKS = 2_000
#: The first chunk's span (at most ``chunk_blocks``); later spans follow the events the previous chunk held.
FIRST_CHUNK_BLOCKS = 16
#: Events a chunk aims at: enough to amortise a request and a commit, few enough to overlap reading the next
#: chunk with storing this one and to keep memory flat on dense histories.
CHUNK_EVENTS = 10_000


@dataclass
class SyncProgress:
    start: int
    target: int
    done_to: int
    events: int
    seconds: float

    def line(self) -> str:
        span = max(1, self.target - self.start + 1)
        share = 100.0 * (self.done_to - self.start + 1) / span
        rate = self.events / self.seconds if self.seconds > 0 else 0.0
        return (
            f"blocks {self.start}..{self.done_to} of {self.target} ({share:5.1f}%), "
            f"{self.events} events, {rate:,.0f} events/s"
        )


@dataclass
class SyncResult:
    start: int
    target: int
    events: int
    seconds: float
    rolled_back_to: int | None = None
    removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "fromBlock": self.start, "toBlock": self.target, "events": self.events,
            "seconds": round(self.seconds, 3), "rolledBackTo": self.rolled_back_to, "removedEvents": self.removed,
        }  # fmt: skip


class IndexSync:
    """One sync of one network's suite into one index database."""

    def __init__(
        self,
        engine: Engine,
        w3: Web3,
        record: DeploymentRecord,
        *,
        confirmations: int,
        chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
        progress: Callable[[SyncProgress], None] | None = None,
    ) -> None:
        self.engine = engine
        self.w3 = w3
        self.record = record
        self.confirmations = max(0, confirmations)
        self.chunk_blocks = max(1, chunk_blocks)
        self.progress = progress
        self._times: dict[int, int] = {}
        self._plans: dict[tuple[str, bytes], EventPlan] = {}

    # --- setup ------------------------------------------------------------------------------------

    def register(self, connection: Connection) -> None:
        """Check the index belongs to this chain and deployment; add newly deployed followed contracts."""
        meta = table("index_meta")
        stored = dict(connection.execute(select(meta.c.key, meta.c.value)).tuples().all())
        if not stored:
            connection.execute(insert(meta), [
                {"key": "network", "value": self.record.network}, {"key": "chain_id", "value": str(self.record.chain_id)},
            ])  # fmt: skip
        elif stored.get("chain_id") != str(self.record.chain_id):
            raise IndexDatabaseError(
                f"this index holds chain id {stored.get('chain_id')}, the deployment record is for chain id "
                f"{self.record.chain_id}: use another --db (or --reset)"
            )
        contracts = table("index_contracts")
        known = {row.record_key: row for row in connection.execute(select(contracts))}
        for followed in FOLLOWED:
            entry = self.record.contracts.get(followed.record_key)
            if entry is None:
                continue  # not deployed on this network (yet)
            address = rpc_checksum(str(entry["address"]))
            row = known.get(followed.record_key)
            if row is not None and row.address != address:
                raise IndexDatabaseError(
                    f"this index follows {followed.record_key} at {row.address}, the deployment record has it at "
                    f"{address} (a redeployment?): use another --db, or --reset to rebuild the index"
                )
            if row is None:
                block = int(entry.get("blockNumber") or 0)
                connection.execute(insert(contracts).values(
                    record_key=followed.record_key, prefix=followed.prefix, address=address,
                    deployment_block=block, synced_to=block - 1,
                ))  # fmt: skip

    # --- reorgs -----------------------------------------------------------------------------------

    def rollback_reorg(self, connection: Connection) -> tuple[int | None, int]:
        """Compare stored block hashes with the chain from the newest down; delete what the chain dropped.
        Returns (the newest block kept, events removed), or (None, 0) when nothing changed."""
        blocks = table("index_blocks")
        rows = connection.execute(select(blocks.c.block_number, blocks.c.block_hash).order_by(blocks.c.block_number.desc()))
        fork: int | None = None
        checked = -1
        for checked, (number, stored_hash) in enumerate(rows):
            current = rpc.header(self.w3, int(number))
            if current is not None and current[0] == stored_hash:
                if checked == 0:
                    return None, 0
                fork = int(number)
                break
        else:
            if checked < 0:
                return None, 0  # nothing indexed yet
            fork = -1  # no stored block survives: everything goes
        return fork, self._delete_after(connection, fork)

    def _delete_after(self, connection: Connection, block: int) -> int:
        removed = 0
        for name, tbl in head_metadata().tables.items():
            if name in ("index_contracts", "index_meta"):
                continue
            result = connection.execute(delete(tbl).where(tbl.c.block_number > block))
            if not name.startswith("index_"):
                removed += int(result.rowcount or 0)
        contracts = table("index_contracts")
        connection.execute(update(contracts).where(contracts.c.synced_to > block).values(synced_to=block))
        return removed

    # --- the sync ---------------------------------------------------------------------------------

    def run(self, *, to_block: int | None = None) -> SyncResult:
        """Sync to ``to_block`` (default: the newest final block). Chunks are pipelined: the next chunk's
        ``eth_getLogs`` is in flight while this one is decoded and stored; each chunk is still committed in
        one transaction with the cursors, in block order."""
        started = time.monotonic()
        with self.engine.begin() as connection:
            self.register(connection)
            rolled_back, removed = self.rollback_reorg(connection)
        safe = final_block(rpc.head(self.w3), self.confirmations)
        target = safe if to_block is None else min(to_block, safe)
        cursors = self._cursors()
        start = min((synced for synced, _deployed in cursors.values()), default=target) + 1
        result = SyncResult(start, target, 0, 0.0, rolled_back, removed)
        self._plans = self._plans_by_address()
        size = min(self.chunk_blocks, FIRST_CHUNK_BLOCKS)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-getlogs") as reader:
            ahead: tuple[int, int, Future[list[RawLog]]] | None = None
            block = start
            while block <= target:
                if ahead is None:
                    ahead = self._read_ahead(reader, cursors, block, min(target, block + size - 1))
                first, last, reading = ahead
                ahead = None
                try:
                    raw = reading.result()
                except rpc.RangeRefused:
                    if last == first:
                        raise
                    size = max(1, (last - first + 1) // 2)
                    continue
                size = self._next_size(last - first + 1, len(raw))
                block = last + 1
                if block <= target:  # read the next chunk while this one is decoded and stored
                    ahead = self._read_ahead(reader, cursors, block, min(target, block + size - 1))
                result.events += self._write(cursors, raw, last)
                if self.progress is not None:
                    self.progress(SyncProgress(start, target, last, result.events, time.monotonic() - started))
        result.seconds = time.monotonic() - started
        return result

    def _next_size(self, span: int, events: int) -> int:
        """The next chunk's span: about :data:`CHUNK_EVENTS` events at the density just read, growing at most
        fourfold a chunk, never above ``chunk_blocks`` (nor above a span the node refused: that one halves)."""
        wanted = span * 4 if events == 0 else span * CHUNK_EVENTS // events
        return max(1, min(self.chunk_blocks, span * 4, wanted))

    def _read_ahead(self, reader: ThreadPoolExecutor, cursors: dict[str, tuple[int, int]], first: int, last: int,
                    ) -> tuple[int, int, Future[list[RawLog]]]:  # fmt: skip
        synced = {address: synced for address, (synced, _deployed) in cursors.items()}  # this chunk's view
        return first, last, reader.submit(self._read, synced, first, last)

    def _cursors(self) -> dict[str, tuple[int, int]]:
        contracts = table("index_contracts")
        with self.engine.connect() as connection:
            rows = connection.execute(select(contracts.c.address, contracts.c.synced_to, contracts.c.deployment_block))
            return {str(r.address): (int(r.synced_to), int(r.deployment_block)) for r in rows}

    def _read(self, synced: dict[str, int], first: int, last: int) -> list[RawLog]:
        """The logs of ``first..last`` not stored yet (run in the reader thread: touches no database)."""
        addresses = [a for a, to in synced.items() if to < last]
        if not addresses:
            return []
        return [
            log
            for log in (RawLog.from_rpc(entry) for entry in rpc.logs(self.w3, addresses, first, last))
            if log.block_number > synced[log.address]  # a contract already synced further keeps its rows
        ]

    def _time_of(self, log: RawLog) -> int:
        if log.block_time is not None:
            return log.block_time
        if log.block_number not in self._times:
            found = rpc.header(self.w3, log.block_number)
            if found is None:  # pragma: no cover - the node gave a log of a block it does not have
                raise IndexDatabaseError(f"the node has no block {log.block_number} it returned logs for")
            self._times[log.block_number] = found[1]
        return self._times[log.block_number]

    def _write(self, cursors: dict[str, tuple[int, int]], logs: list[RawLog], last: int) -> int:
        blocks: dict[int, tuple[str, int]] = {}
        known: list[tuple[EventPlan, RawLog, int]] = []
        unknown: list[dict[str, Any]] = []
        for log in logs:
            stamp = self._time_of(log)
            blocks[log.block_number] = (log.block_hash, stamp)
            plan = self._plans.get((log.address, log.topics[0])) if log.topics else None
            if plan is None:
                unknown.append(unknown_row(log, stamp))
            else:
                known.append((plan, log, stamp))
        rows = group(known)
        if unknown:
            rows["index_unknown_logs"] = unknown
        if last not in blocks:
            found = rpc.header(self.w3, last)
            if found is None:
                raise IndexDatabaseError(f"block {last} is gone from the chain (a reorg during the sync); sync again")
            blocks[last] = found
        self._times.clear()
        block_table = table("index_blocks")
        contracts = table("index_contracts")
        with self.engine.begin() as connection:
            for name, batch in rows.items():
                insert_rows(connection, table(name), batch)
            stored = set(
                connection.execute(
                    select(block_table.c.block_number).where(block_table.c.block_number.in_(list(blocks)))
                ).scalars()
            )  # a contract backfilled alone re-reads blocks the others have already recorded
            fresh = [{"block_number": n, "block_hash": h, "block_time": t} for n, (h, t) in sorted(blocks.items())
                     if n not in stored]  # fmt: skip
            if fresh:
                connection.execute(insert(block_table), fresh)
            connection.execute(update(contracts).where(contracts.c.synced_to < last).values(synced_to=last))
        for address, (synced, deployed) in list(cursors.items()):
            cursors[address] = (max(synced, last), deployed)
        return sum(len(batch) for name, batch in rows.items())

    def _plans_by_address(self) -> dict[tuple[str, bytes], EventPlan]:
        """(contract address, topic0) -> how its logs decode, for every followed contract."""
        contracts = table("index_contracts")
        with self.engine.connect() as connection:
            prefixes = {str(r.address): str(r.prefix) for r in connection.execute(select(contracts.c.address, contracts.c.prefix))}
        return {(address, topic): plan_for(spec) for (prefix, topic), spec in specs_by_topic().items()
                for address, followed in prefixes.items() if followed == prefix}  # fmt: skip


def rpc_checksum(address: str) -> str:
    return str(Web3.to_checksum_address(address))
