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
    """``transfer``'s entry in ``bridge``'s outbound queue (it left from there) or inbound queue, or None."""
    if transfer.source_chain_id == bridge.chain_id and transfer.source_bridge.lower() == bridge.address.lower():
        if bridge.outbound_status(transfer.nonce) != "Queued":
            return None
        release_at, held, oversized = bridge.contract.functions.queuedOutbound(transfer.nonce).call()
        return QueueEntry(int(release_at), bool(held), bool(oversized))
    return inbound_entry(bridge, transfer.id)


def inbound_entry(bridge: "BridgeClient", transfer_id: bytes) -> QueueEntry | None:
    """The entry of transfer ``transfer_id`` in ``bridge``'s inbound queue, or None when not queued there."""
    if bridge.inbound_status(transfer_id) != "Queued":
        return None
    release_at, held, oversized = bridge.contract.functions.queuedInbound(transfer_id).call()
    return QueueEntry(int(release_at), bool(held), bool(oversized))
