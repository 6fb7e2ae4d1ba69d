"""The index for a session: where it is, opening it, syncing it (what the CLI, reports and audits call)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, delete

from tenge.index.contracts import FOLLOWED
from tenge.index.db import database_errors, index_exists, index_url, open_index
from tenge.index.schema import head_metadata
from tenge.index.sync import DEFAULT_CHUNK_BLOCKS, IndexSync, SyncProgress, SyncResult
from tenge.session import Session


def session_index_url(session: Session, url: str | None = None) -> str:
    return index_url(session.network.name, session.record_dir, url)


def has_index(session: Session, url: str | None = None) -> bool:
    return index_exists(session.network.name, session.record_dir, url)


def open_session_index(session: Session, url: str | None = None) -> Engine:
    return open_index(session_index_url(session, url))


def require_deployed(session: Session) -> None:
    """Refuse, as every other command does, when a followed contract of the record has no code on the chain
    (``no contract at 0x… — devnet restarted?``): an index of a chain that is gone is not rolled back to nothing."""
    for followed in FOLLOWED:
        if followed.record_key in session.record.contracts:
            session.contract(followed.record_key)


def reset(engine: Engine) -> None:
    """Empty every table (the schema stays): the next sync rebuilds from the deployment blocks."""
    with database_errors("index reset"), engine.begin() as connection:
        for tbl in reversed(head_metadata().sorted_tables):
            connection.execute(delete(tbl))


def sync_session(
    session: Session,
    engine: Engine,
    *,
    confirmations: int | None = None,
    chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
    to_block: int | None = None,
    progress: Callable[[SyncProgress], None] | None = None,
) -> SyncResult:
    require_deployed(session)
    depth = session.network.confirmations if confirmations is None else confirmations
    syncer = IndexSync(engine, session.w3, session.record, confirmations=depth, chunk_blocks=chunk_blocks, progress=progress)
    with database_errors("index sync"):
        return syncer.run(to_block=to_block)
