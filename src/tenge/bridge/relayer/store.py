"""The relayer's state store: SQLite by default, PostgreSQL by URL (SQLAlchemy 2 + alembic).

Several instances may share one PostgreSQL database: work is claimed row by row with
``SELECT ... FOR UPDATE SKIP LOCKED`` and a lease (owner + expiry), so no two instances hold the same transfer;
a transfer with a transaction in flight stays with the instance that sent it while that instance renews its
lease. SQLite serves one instance (its locks are per database, not per row).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, and_, create_engine, event, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from tenge.bridge.relayer.schema import cursors, transactions, transfers
from tenge.errors import TengeError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: pg_advisory_xact_lock key serialising the relayer's schema migrations across instances (arbitrary, fixed)
MIGRATION_LOCK = 0x7E16E_4E1A
ACTIVE = ("sent", "attested", "queued", "failed")
STATES = ("sent", "attested", "delivered", "queued", "failed", "refunded")


class RelayerStoreError(TengeError):
    """The relayer's database cannot be reached or used."""


def normalise_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL (no corruption on a crash)
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _first_line(exc: DBAPIError) -> str:
    text = str(exc.orig).strip()
    return text.splitlines()[0] if text else type(exc.orig).__name__


class Store:
    """One relayer database; ``owner`` names this instance in leases."""

    def __init__(self, url: str, owner: str, *, connect_timeout: int = 5) -> None:
        self.url, self.owner = url, owner
        self._local = threading.local()
        shown = url.split("@")[-1] if "@" in url else url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            args: dict[str, Any] = {"connect_timeout": connect_timeout} if url.startswith(("postgres", "postgresql")) else {}
            self.engine: Engine = create_engine(normalise_url(url), connect_args=args, pool_pre_ping=True)
        except (ArgumentError, ImportError) as exc:
            raise RelayerStoreError(f"cannot use relayer database URL {shown!r}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate(shown)

    def _migrate(self, shown: str) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        try:
            with self.engine.begin() as connection:
                if self.engine.dialect.name == "postgresql":
                    # instances starting together on a fresh database: one migrates, the others wait (then no-op)
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            raise RelayerStoreError(f"cannot open the relayer database {shown!r}: {_first_line(exc)}") from None

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        """One database transaction; nested in another of the same thread, it joins it (one commit for a whole
        pass over many transfers: see :meth:`grouped`)."""
        current: Connection | None = getattr(self._local, "connection", None)
        if current is not None:
            yield current
            return
        try:
            with self.engine.begin() as connection:
                self._local.connection = connection
                try:
                    yield connection
                finally:
                    self._local.connection = None
        except DBAPIError as exc:
            raise RelayerStoreError(f"the relayer database failed: {_first_line(exc)}") from None

    def grouped(self) -> Any:
        """Every store write of this thread inside the ``with`` block in one transaction (all or nothing)."""
        return self.tx()

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    # --- scanning -------------------------------------------------------------------------------------

    def cursor(self, chain_id: int, start: int) -> int:
        """The next block of ``chain_id`` to scan (created at ``start``): read on every turn, written only once."""
        with self.tx() as db:
            found = db.execute(select(cursors.c.next_block).where(cursors.c.chain_id == chain_id)).scalar_one_or_none()
            if found is not None:
                return int(found)
            db.execute(self._insert(cursors).values(chain_id=chain_id, next_block=start).on_conflict_do_nothing())
            return int(db.execute(select(cursors.c.next_block).where(cursors.c.chain_id == chain_id)).scalar_one())

    def advance(self, chain_id: int, next_block: int) -> None:
        with self.tx() as db:
            db.execute(
                update(cursors).where(cursors.c.chain_id == chain_id, cursors.c.next_block < next_block).values(next_block=next_block)
            )

    def add_transfers(self, rows: Sequence[dict[str, Any]]) -> list[str]:
        """Insert transfers not seen before (state ``sent``); the ids actually added."""
        if not rows:
            return []
        now = time.time()
        with self.tx() as db:
            known = set(db.execute(select(transfers.c.id).where(transfers.c.id.in_([r["id"] for r in rows]))).scalars())
            fresh = [r for r in rows if r["id"] not in known]
            for row in fresh:
                values = {**row, "state": "sent", "retries": 0, "next_attempt": now, "final_at": now, "updated_at": now}
                db.execute(self._insert(transfers).values(**values).on_conflict_do_nothing())
        return [r["id"] for r in fresh]

    # --- claiming -------------------------------------------------------------------------------------

    def claim(self, limit: int, lease_seconds: float) -> list[dict[str, Any]]:
        """Due transfers no other live instance holds, leased to this one (``FOR UPDATE SKIP LOCKED``)."""
        now = time.time()
        free = or_(transfers.c.lease_until.is_(None), transfers.c.lease_until < now, transfers.c.lease_owner == self.owner)
        query = (
            select(transfers)
            .where(transfers.c.state.in_(ACTIVE), transfers.c.next_attempt <= now, transfers.c.pending_tx.is_(None) | (transfers.c.lease_owner != self.owner), free)
            .order_by(transfers.c.next_attempt)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.tx() as db:
            rows = [dict(r._mapping) for r in db.execute(query)]
            if rows:
                db.execute(
                    update(transfers)
                    .where(transfers.c.id.in_([r["id"] for r in rows]))
                    .values(lease_owner=self.owner, lease_until=now + lease_seconds)
                )
        return rows

    def renew(self, lease_seconds: float) -> None:
        """Keep the transfers with a transaction in flight: nobody else may send for them meanwhile."""
        with self.tx() as db:
            db.execute(
                update(transfers)
                .where(transfers.c.lease_owner == self.owner, transfers.c.pending_tx.is_not(None))
                .values(lease_until=time.time() + lease_seconds)
            )

    def hold(self, transfer_id: str, lease_seconds: float) -> bool:
        """Right before sending: extend this instance's lease, only if it still holds the transfer (fencing: an
        instance whose lease ran out mid-turn must not send for a transfer another instance has taken over)."""
        now = time.time()
        with self.tx() as db:
            result = db.execute(
                update(transfers)
                .where(transfers.c.id == transfer_id, transfers.c.lease_owner == self.owner, transfers.c.lease_until > now)
                .values(lease_until=now + lease_seconds)
            )
            return bool(result.rowcount)

    def hold_many(self, transfer_ids: Sequence[str], lease_seconds: float) -> set[str]:
        """:meth:`hold` for many transfers at once: the ids this instance still holds (their leases extended)."""
        now = time.time()
        with self.tx() as db:
            mine = (transfers.c.id.in_(list(transfer_ids)), transfers.c.lease_owner == self.owner, transfers.c.lease_until > now)
            held = {str(i) for i in db.execute(select(transfers.c.id).where(*mine).with_for_update()).scalars()}
            if held:
                db.execute(update(transfers).where(transfers.c.id.in_(held)).values(lease_until=now + lease_seconds))
        return held

    def release(self, ids: Sequence[str]) -> None:
        """Give up this instance's leases of ``ids`` - except while a transaction is in flight for one, and except
        a transfer retried after a failed attempt (a batch reverted on chain, say): that one stays with the instance
        that tried it, so two instances never both submit a transfer unless the first one's lease runs out."""
        if ids:
            with self.tx() as db:
                db.execute(
                    update(transfers)
                    .where(transfers.c.id.in_(list(ids)), transfers.c.lease_owner == self.owner, transfers.c.pending_tx.is_(None),
                           transfers.c.retries == 0)  # fmt: skip
                    .values(lease_owner=None, lease_until=None)
                )

    def save(self, transfer_id: str, **values: Any) -> None:
        values["updated_at"] = time.time()
        with self.tx() as db:
            db.execute(update(transfers).where(transfers.c.id == transfer_id).values(**values))

    def get(self, transfer_id: str) -> dict[str, Any] | None:
        with self.tx() as db:
            row = db.execute(select(transfers).where(transfers.c.id == transfer_id)).first()
        return dict(row._mapping) if row else None

    def counts(self) -> dict[str, int]:
        with self.tx() as db:
            rows = db.execute(select(transfers.c.state, func.count()).group_by(transfers.c.state)).all()
        found = {str(state): int(n) for state, n in rows}
        return {state: found.get(state, 0) for state in STATES}

    def due(self) -> int:
        with self.tx() as db:
            query = select(func.count()).where(transfers.c.state.in_(ACTIVE), transfers.c.next_attempt <= time.time())
            return int(db.execute(query).scalar_one())

    # --- transactions ---------------------------------------------------------------------------------

    def record_tx(self, *, ids: Sequence[str], **values: Any) -> None:
        """A transaction signed for the transfers ``ids`` (one, a batch, or none for an escrow attestation): the
        row names the first (``transfer_id``); ``raw["ids"]`` keeps them all."""
        values["raw"] = json.dumps({**values["raw"], "ids": list(ids)})
        with self.tx() as db:
            db.execute(self._insert(transactions).values(status="pending", **values))
            if ids:
                db.execute(update(transfers).where(transfers.c.id.in_(list(ids))).values(pending_tx=values["tx_hash"]))

    def pending_txs(self, sender: str, chain_id: int) -> list[dict[str, Any]]:
        query = select(transactions).where(
            transactions.c.sender == sender, transactions.c.chain_id == chain_id, transactions.c.status == "pending"
        )
        with self.tx() as db:
            rows = [dict(r._mapping) for r in db.execute(query.order_by(transactions.c.nonce))]
        for row in rows:
            row["raw"] = json.loads(row["raw"])
            row["ids"] = list(row["raw"].get("ids", [row["transfer_id"]]))
        return rows

    def tx_hashes(self, transfer_id: str, nonce: int, sender: str) -> list[str]:
        """Every hash sent for one (sender, nonce): the original and its replacements."""
        query = select(transactions.c.tx_hash).where(
            and_(transactions.c.transfer_id == transfer_id, transactions.c.nonce == nonce, transactions.c.sender == sender)
        )
        with self.tx() as db:
            return [str(h) for h in db.execute(query).scalars()]

    def close_tx(self, sender: str, chain_id: int, nonce: int, status: str, ids: Sequence[str]) -> None:
        """Settle every attempt at (sender, chain, nonce); its transfers have no transaction in flight any more."""
        with self.tx() as db:
            db.execute(
                update(transactions)
                .where(transactions.c.sender == sender, transactions.c.chain_id == chain_id, transactions.c.nonce == nonce,
                       transactions.c.status == "pending")
                .values(status=status)
            )  # fmt: skip
            if ids:
                db.execute(update(transfers).where(transfers.c.id.in_(list(ids))).values(pending_tx=None))

    def forget_tx(self, tx_hash: str) -> None:
        """A replacement the node refused: it never existed."""
        with self.tx() as db:
            db.execute(update(transactions).where(transactions.c.tx_hash == tx_hash).values(status="refused"))

    def deliveries(self) -> dict[str, int]:
        """Deliver transactions (single or batch) mined per transfer id (all instances): for operators and tests."""
        query = select(transactions.c.transfer_id, transactions.c.raw).where(
            transactions.c.action.in_(("deliver", "deliver_batch")), transactions.c.status.in_(("mined", "reverted"))
        )
        counted: dict[str, int] = {}
        with self.tx() as db:
            for first, raw in db.execute(query).all():
                for transfer_id in json.loads(raw).get("ids", [first]):
                    counted[str(transfer_id)] = counted.get(str(transfer_id), 0) + 1
        return counted
