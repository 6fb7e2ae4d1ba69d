"""The local transaction journal: every transaction the tools send, appended as one JSON line per state.

A process killed or interrupted (Ctrl-C) while it waits for a receipt has already written the hash here,
so the operator can see whether it landed (``tenge tx journal``, ``tenge tx status HASH``) instead of
sending it again. The file is ``$TENGE_HOME/journal.jsonl`` (default ``~/.config/tenge/journal.jsonl``).

Each line: ``time`` (UTC, ISO 8601), ``network``, ``chainId``, ``from``, ``nonce``, ``hash``,
``description``, ``state`` (``sent`` | ``mined`` | ``confirmed`` | ``reverted`` | ``not-mined`` |
``not-confirmed`` | ``refused``: the node refused it, not sent | ``replaced``: by ``replacedBy``, same nonce),
``to``, ``call`` (a digest of contract, call data and value: an identical write has the same one, see
:mod:`tenge.chain.duplicates`) and, once mined, ``block``, ``confirmations``, ``required``.
The file is append-only; the last line of a hash is its latest known state.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tenge import paths

FILE_NAME = "journal.jsonl"


@dataclass(frozen=True)
class JournalEntry:
    """The latest known state of one journaled transaction."""

    data: dict[str, Any]

    @property
    def tx_hash(self) -> str:
        return str(self.data.get("hash", ""))

    @property
    def state(self) -> str:
        return str(self.data.get("state", ""))

    @property
    def network(self) -> str:
        return str(self.data.get("network", ""))


class TxJournal:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def default(cls) -> "TxJournal":
        return cls(paths.user_config_dir() / FILE_NAME)

    def append(self, **fields: Any) -> None:
        """Add one line; a journal that cannot be written never stops a transaction (it is a log)."""
        line = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), **fields}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a") as handle:
                handle.write(json.dumps(line, sort_keys=True) + "\n")
        except OSError:
            pass

    def lines(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        result = []
        for raw in self.path.read_text().splitlines():
            try:
                value = json.loads(raw)
            except ValueError:
                continue  # a line cut short by a crash mid-write
            if isinstance(value, dict) and value.get("hash"):
                result.append(value)
        return result

    def latest(self, network: str | None = None) -> list[JournalEntry]:
        """Each transaction once, in the order first sent, with its latest state (merged over its lines)."""
        merged: dict[str, dict[str, Any]] = {}
        for line in self.lines():
            if network is not None and line.get("network") != network:
                continue
            key = str(line["hash"]).lower()
            merged[key] = {**merged.get(key, {}), **line}
        return [JournalEntry(data) for data in merged.values()]

    def find(self, tx_hash: str) -> JournalEntry | None:
        wanted = tx_hash.lower()
        for entry in self.latest():
            if entry.tx_hash.lower() == wanted:
                return entry
        return None
