"""The validator's store: what it signed and how far it read each chain (SQLAlchemy; SQLite file by default,
any SQLAlchemy URL, e.g. PostgreSQL). The schema is created and upgraded by alembic at start.

Every state change (signatures + the cursor that covers them) is one database transaction, so a crash leaves
either all of a block range processed or none of it: a restart re-reads the range and re-signs nothing
differently (EIP-712 ECDSA signatures are deterministic, RFC 6979; a stored one is served as is).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tenge.bridge.validator.models import ChainState, SeenNonce, SignedAttestation
from tenge.errors import TengeError

#: the kinds a transfer's delivery is signed as (by nonce at its source): plain, and with a payload
TRANSFER_KINDS = ("Transfer", "PayloadTransfer")

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(TengeError):
    """The validator's database cannot be opened, migrated or written."""


@dataclass(frozen=True)
class Halt:
    chain_id: int
    reason: str


class ValidatorStore:
    def __init__(self, url: str) -> None:
        self.url = url
        shown = _shown(url)
        try:
            args: dict[str, Any] = {"connect_args": {"connect_timeout": 5}} if url.startswith("postgresql") else {}
            self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True, **args)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.engine.begin() as connection:
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except (ArgumentError, NoSuchModuleError) as exc:
            raise StoreError(f"database URL {shown} is not usable: {str(exc).splitlines()[0]}") from None
        except (SQLAlchemyError, OSError) as exc:
            cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"database {shown} does not answer: {cause}") from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # --- chains -------------------------------------------------------------------------------------

    def chain(self, chain_id: int) -> ChainState | None:
        with self._sessions() as session:
            return session.get(ChainState, chain_id)

    def chains(self) -> list[ChainState]:
        with self._sessions() as session:
            return list(session.scalars(select(ChainState).order_by(ChainState.chain_id)))

    def halts(self) -> list[Halt]:
        return [Halt(c.chain_id, c.reason or "halted") for c in self.chains() if c.halted]

    def halt(self, chain_id: int, reason: str) -> None:
        with self.transaction() as session:
            state = session.get(ChainState, chain_id)
            if state is not None:
                state.halted, state.reason = True, reason

    # --- nonces -------------------------------------------------------------------------------------

    def seen(self, session: Session, chain_id: int, nonce: int) -> SeenNonce | None:
        return session.get(SeenNonce, (chain_id, nonce))

    def find_transfer(self, transfer_id: str) -> SeenNonce | None:
        with self._sessions() as session:
            return session.scalars(select(SeenNonce).where(SeenNonce.transfer_id == transfer_id.lower())).first()

    # --- attestations -------------------------------------------------------------------------------

    def attestation(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._sessions() as session:
            row = session.scalars(
                select(SignedAttestation).where(SignedAttestation.kind == kind, SignedAttestation.key == key.lower())
            ).first()
            return None if row is None else _body(row)

    def transfers(self, chain_id: int, from_nonce: int, limit: int) -> list[dict[str, Any]]:
        with self._sessions() as session:
            rows = session.scalars(
                select(SignedAttestation)
                .where(SignedAttestation.kind.in_(TRANSFER_KINDS), SignedAttestation.chain_id == chain_id)
                .where(SignedAttestation.number >= from_nonce)
                .order_by(SignedAttestation.number)
                .limit(limit)
            )
            return [_body(row) for row in rows]

    def latest_escrow(self, remote_chain_id: int) -> dict[str, Any] | None:
        with self._sessions() as session:
            row = session.scalars(
                select(SignedAttestation)
                .where(SignedAttestation.kind == "EscrowAttestation", SignedAttestation.chain_id == remote_chain_id)
                .order_by(SignedAttestation.number.desc())
                .limit(1)
            ).first()
            return None if row is None else _body(row)

    def escrow(self, remote_chain_id: int, sequence: int) -> dict[str, Any] | None:
        return self.attestation("EscrowAttestation", f"{remote_chain_id}:{sequence}")

    def signed_blocks(self, chain_id: int, limit: int) -> list[tuple[int, str, str]]:
        """(block number, block hash, key) of the latest ``limit`` signatures made on events of ``chain_id``."""
        with self._sessions() as session:
            rows = session.scalars(
                select(SignedAttestation)
                .where(SignedAttestation.kind.in_(TRANSFER_KINDS), SignedAttestation.chain_id == chain_id)
                .order_by(SignedAttestation.number.desc())
                .limit(limit)
            )
            return [(row.block_number, row.block_hash, row.key) for row in rows]

    def count(self) -> int:
        with self._sessions() as session:
            return len(list(session.scalars(select(SignedAttestation.row))))


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL: the API reads while the watch loop writes; a synchronous commit survives a SIGKILL."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _body(row: SignedAttestation) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(row.body)
    return data


def _shown(url: str) -> str:
    """The URL without its password."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
