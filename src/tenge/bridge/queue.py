"""The bridge's queues under review: a transfer over a lane's limit waits in a queue with a release time (now plus
the bridge's queue delay, 24 hours by default); one over the lane's capacity or largest single transfer
("oversized") waits until then exactly, another goes earlier once the bucket has room. While it waits the pause
role can hold it and the admin can reject it (see ``TengeBridgeBase.holdQueued`` / ``rejectQueued``).

    entry = bridge.queue_entry(transfer)      # None when not queued here
    entry.describe()                          # "held" | "delayed until 2026-12-08T16:00:00Z" | "queued"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from tenge.bridge.messages import BridgeTransfer

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient


@dataclass(frozen=True)
class QueueEntry:
    """A queued transfer: when anyone may complete it at the latest, held by the pause role, oversized."""

    release_at: int
    held: bool
    oversized: bool

    @property
    def release_iso(self) -> str:
        """The release time in ISO 8601 (UTC)."""
        return datetime.fromtimestamp(self.release_at, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def describe(self, now: int | None = None) -> str:
        """``held``; ``delayed until <ISO time>`` (oversized, before its release time); else ``queued`` (goes once the
        bucket has room, or at its release time)."""
        if self.held:
            return "held"
        if self.oversized and (now is None or now < self.release_at):
            return f"delayed until {self.release_iso}"
        return "queued"

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values; ``--json`` prints it in snake_case."""
        return {"releaseAt": self.release_iso, "held": self.held, "oversized": self.oversized}


def queue_entry(bridge: "BridgeClient", transfer: BridgeTransfer) -> QueueEntry | None:
    """``transfer``'s entry in ``bridge``'s queue (outbound from there, or inbound), or None when not queued there."""
    return entry_by_id(bridge, transfer.id)


def entry_by_id(bridge: "BridgeClient", transfer_id: bytes) -> QueueEntry | None:
    """The queue entry of transfer ``transfer_id`` in ``bridge``'s queue (either way), or None when not queued."""
    release_at, held, oversized = bridge.contract.functions.queueEntry(transfer_id).call()
    if int(release_at) == 0:
        return None
    return QueueEntry(int(release_at), bool(held), bool(oversized))
