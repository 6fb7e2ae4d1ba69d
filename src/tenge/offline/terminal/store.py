"""The terminal's SQLite store, durable against power loss.

WAL journal with ``synchronous=FULL``: a commit returns only after the WAL is fsynced, so a payment reported
"accepted" (which happens only after its commit) survives a power cut; a transaction cut short leaves nothing
(SQLite rolls back the torn WAL frames). Writers take the database lock at BEGIN (``BEGIN IMMEDIATE``), so two
terminal processes on one file check a purse's sequence and record it as one step. Schema by alembic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tenge.offline.terminal.errors import TerminalError
from tenge.offline.terminal.models import AcceptedPayment, PurseSeen, Revocation, Setting

MIGRATIONS = Path(__file__).with_name("migrations")
#: How long a writer waits for another terminal process holding the lock.
BUSY_TIMEOUT_SECONDS = 60
READ_ONLY = "tenge_read_only"


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (IMMEDIATE), see _begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # the WAL is fsynced at every commit: "accepted" means on disk
    cursor.close()


def _begin(connection: Any) -> None:
    # Writers lock at BEGIN; readers (WAL) never wait for a writer.
    connection.exec_driver_sql("BEGIN" if connection.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


class TerminalStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_SECONDS}
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _begin)
            with self.engine.begin() as connection:
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except (SQLAlchemyError, OSError) as exc:
            cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise TerminalError(f"the terminal store {path} cannot be opened: {cause}") from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed (and fsynced) when the block ends, rolled back on an exception."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session: a deferred transaction that never waits for a writer."""
        with self.engine.connect() as connection:
            connection.execution_options(**{READ_ONLY: True})
            with Session(connection) as session:
                yield session

    def settings(self) -> dict[str, str]:
        with self.reading() as session:
            return {s.key: s.value for s in session.scalars(select(Setting))}

    def save_settings(self, values: dict[str, str]) -> None:
        with self.transaction() as session:
            for key, value in values.items():
                session.merge(Setting(key=key, value=value))

    def revoked(self) -> set[str]:
        with self.reading() as session:
            return set(session.scalars(select(Revocation.purse_id)))

    def learn_revocations(self, purse_ids: list[str], learned_at: int) -> None:
        with self.transaction() as session:
            for purse_id in purse_ids:
                if session.get(Revocation, purse_id) is None:
                    session.add(Revocation(purse_id=purse_id, learned_at=learned_at))

    def seen(self, session: Session, purse_id: str) -> PurseSeen | None:
        return session.get(PurseSeen, purse_id)

    def payments(self, *, unsettled_only: bool = False) -> list[AcceptedPayment]:
        with self.reading() as session:
            query = select(AcceptedPayment).order_by(AcceptedPayment.id)
            if unsettled_only:
                query = query.where(AcceptedPayment.settled_tx.is_(None))
            return list(session.scalars(query))

    def mark_settled(self, ids: list[int], tx_hash: str, outcomes: dict[int, str] | None = None) -> None:
        """Rows ``ids`` were submitted in transaction ``tx_hash`` (one commit for all), with their outcomes."""
        with self.transaction() as session:
            for row_id in ids:
                row = session.get(AcceptedPayment, row_id)
                if row is not None:
                    row.settled_tx = tx_hash
                    row.outcome = (outcomes or {}).get(row_id, "settled")

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["BUSY_TIMEOUT_SECONDS", "TerminalStore"]
