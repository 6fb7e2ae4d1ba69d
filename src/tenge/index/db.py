"""Opening an index database: SQLite by default (a file beside the deployment record), PostgreSQL by URL.

The schema is brought to the newest migration on open (alembic, run in-process). One writer at a time:
``tenge index sync`` takes a lock row; readers (reports, audits) read committed data only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError

from tenge.deploy.record import DeploymentRecord
from tenge.errors import TengeError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Environment variable naming the index database for every network (overrides the default SQLite file).
URL_ENV = "TENGE_INDEX_URL"


class IndexDatabaseError(TengeError):
    """The index database is unreachable, foreign or inconsistent."""


@contextmanager
def database_errors(what: str) -> Iterator[None]:
    """Database failures as one-line :class:`IndexDatabaseError` messages (the CLI prints them, no traceback)."""
    try:
        yield
    except IntegrityError as exc:
        raise IndexDatabaseError(
            f"{what}: the index already holds these rows - another sync is writing the same index at the same "
            f"time (one writer per index); run it again when that one is done ({type(exc.orig).__name__})"
        ) from None
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        raise IndexDatabaseError(f"{what}: the index database failed: {first}") from None


def default_path(network: str, record_dir: Path | None = None) -> Path:
    """``deployments/<network>.index.sqlite``: beside the deployment record."""
    record = DeploymentRecord.path_for(network, record_dir)
    return record.with_name(f"{network}.index.sqlite")


def index_url(network: str, record_dir: Path | None = None, url: str | None = None) -> str:
    """The URL given, else ``$TENGE_INDEX_URL``, else the default SQLite file."""
    chosen = url or os.environ.get(URL_ENV)
    if chosen:
        return normalise_url(chosen)
    return f"sqlite:///{default_path(network, record_dir)}"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver this package installs)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def index_exists(network: str, record_dir: Path | None = None, url: str | None = None) -> bool:
    """An index was asked for (a URL) or was made before (the default SQLite file exists)."""
    if url or os.environ.get(URL_ENV):
        return True
    return default_path(network, record_dir).exists()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each commit's checkpoint; safe with WAL
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    try:
        engine = create_engine(normalise_url(url), future=True)
    except (ArgumentError, ImportError) as exc:
        raise IndexDatabaseError(f"cannot use index database URL {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (no-op when it is there)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        raise IndexDatabaseError(f"cannot open the index database {engine.url!r}: {first}") from None


def open_index(url: str) -> Engine:
    """An engine on the index at ``url``, migrated to the newest schema."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    migrate(engine)
    return engine


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
