"""Where a transfer is: sent, attested, delivered, queued, held, delayed until <time>, failed, refunded, cancelled
or rejected.

The source bridge knows a transfer by its nonce (sent, queued outbound, cancelled, refunded, rejected); the
destination by its id (delivered, queued inbound, failed); "attested" means sent, not yet at the destination, and a
threshold of the destination's validators have signed it (signature files, checked here, not on chain). A queued
transfer is "held" while the pause role holds it, "delayed until <ISO time>" while it is oversized and waits its
release time (see :mod:`tenge.bridge.queue`), else "queued".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tenge.bridge.attestations import Attestation
from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer, PayloadTransfer, parse_transfer_id
from tenge.errors import InvalidInput
from tenge.payments.logs import scan_events

STATUSES = (
    "sent", "attested", "delivered", "queued", "held", "delayed", "deferred", "failed", "refunded", "cancelled",
    "rejected",
)
SOURCE_EVENTS = ("TransferSent", "OutboundQueued", "PayloadTransferSent")


@dataclass(frozen=True)
class TransferStatus:
    transfer_id: str
    status: str
    #: The message, when the source chain was consulted.
    transfer: BridgeTransfer | None
    source: str | None
    destination: str | None
    valid_signatures: int = 0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.transfer_id,
            "status": self.status,
            "source": self.source,
            "destination": self.destination,
        }
        if self.transfer is not None:
            data["transfer"] = self.transfer.to_dict()
        if self.valid_signatures:
            data["validSignatures"] = self.valid_signatures
        return data


def find_transfer(source: BridgeClient, transfer_id: str | bytes) -> BridgeTransfer | None:
    """The message of ``transfer_id`` from the source bridge's events (TransferSent, OutboundQueued, or
    PayloadTransferSent: the transfer's fields without its payload)."""
    wanted = parse_transfer_id(transfer_id)
    latest = int(source.w3.eth.block_number)
    for event in scan_events(source.contract, SOURCE_EVENTS, source.deploy_block, latest):
        if bytes(event.args["id"]) == wanted:
            return BridgeTransfer.from_struct(event.args["transfer"])
    return None


def valid_signers(destination: BridgeClient, transfer: BridgeTransfer, attestations: list[Attestation]) -> set[str]:
    """Current validators of ``destination`` whose genuine ``Transfer`` signature of ``transfer`` is given."""
    return {
        a.signer
        for a in attestations
        if (
            (a.kind == "Transfer" and a.subject == transfer)
            or (a.kind == "PayloadTransfer" and isinstance(a.subject, PayloadTransfer) and a.subject.transfer == transfer)
        )
        and a.domain == destination.domain
        and a.is_genuine()
        and destination.is_validator(a.signer)
    }


def transfer_status(
    transfer_id: str | bytes,
    *,
    source: BridgeClient | None = None,
    destination: BridgeClient | None = None,
    attestations: list[Attestation] | None = None,
) -> TransferStatus:
    """The status of ``transfer_id`` from what the given ends of the bridge (and signatures) say."""
    tid = "0x" + parse_transfer_id(transfer_id).hex()
    if source is None and destination is None:
        raise InvalidInput("give the source or the destination bridge (or both) to look a transfer up")
    transfer = find_transfer(source, tid) if source is not None else None
    if source is not None and transfer is None:
        raise InvalidInput(f"no transfer {tid} left the bridge on {source.session.network.name} (chain {source.chain_id})")
    at_source = source.outbound_status(transfer.nonce) if source is not None and transfer is not None else None
    at_destination = destination.inbound_status(tid) if destination is not None else None
    signed = 0
    if transfer is not None and destination is not None and attestations:
        signed = len(valid_signers(destination, transfer, attestations))
    status = _combine(at_source, at_destination, signed, destination.threshold() if destination else 0)
    if status == "queued":
        status = _queued(tid, transfer, source if at_source == "Queued" else destination)
    return TransferStatus(tid, status, transfer, at_source, at_destination, signed)


def _queued(tid: str, transfer: BridgeTransfer | None, queue: BridgeClient | None) -> str:
    """"held", "delayed until <ISO time>" or "queued", from the queue's entry."""
    from tenge.bridge.queue import entry_by_id

    assert queue is not None
    entry = queue.queue_entry(transfer) if transfer is not None else entry_by_id(queue, parse_transfer_id(tid))
    if entry is None:  # pragma: no cover - completed between the two reads
        return "queued"
    return entry.describe(int(queue.w3.eth.get_block("latest")["timestamp"]))


def _combine(at_source: str | None, at_destination: str | None, signed: int, threshold: int) -> str:
    if at_source in ("Cancelled", "Refunded", "Rejected"):
        return at_source.lower()
    if at_source == "Queued":
        return "queued"
    if at_destination in ("Delivered", "Queued", "Failed", "Deferred"):
        return at_destination.lower()
    if at_source is None and at_destination == "None":
        raise InvalidInput("the destination has not seen this transfer: ask its source bridge too (CLI: --peer-network)")
    if threshold and signed >= threshold:
        return "attested"
    return "sent"
