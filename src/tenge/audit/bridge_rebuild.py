"""The bridge's state rebuilt from its events (one chain's index: the home bridge or a remote one).

Facts (each has a chain counterpart in :mod:`tenge.audit.extension_chain`):

* ``bridge outbound`` per nonce: ``Sent`` (TransferSent), ``Queued`` (OutboundQueued), ``Cancelled``
  (OutboundCancelled), ``Refunded`` (TransferRefunded), ``Rejected`` (QueuedTransferRejected, outbound) - the
  chain's ``outboundStatus(nonce)``; an inbound rejection also emits TransferFailed;
* ``bridge inbound`` per transfer id: ``Delivered``, ``Queued`` (InboundQueued), ``Failed`` (TransferFailed),
  ``Deferred`` (DeliveryDeferred) -
  ``inboundStatus(id)``;
* home: ``bridge locked`` per remote chain id: sent or queued there, minus cancelled or refunded - ``locked(chain)``;
  ``bridge escrow``: everything locked minus what inbound deliveries released - the token's ``balanceOf(bridge)``;
* remote: ``bridge minted supply``: delivered in, minus sent or queued out (burned), plus cancelled or refunded
  (minted back), minus burned outside the bridge (wipes, redemptions, burns: their home escrow is stranded) - the
  token's ``totalSupply()`` (on a remote chain only the bridge mints);
  ``bridge escrow attestation``: the last EscrowAttested - ``lastEscrowAttestation()``;
* ``bridge next nonce``, ``bridge threshold``, ``bridge validators``, ``bridge remote`` per chain id.

:func:`bridge_totals` sums the same events into the auditor's overview (count and tiyn per outbound and inbound
status), and :func:`in_flight` pairs a home index with a remote one: sent or queued at a source, not yet final
at the destination.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tenge.index.reader import IndexedEvent

OUTBOUND = ("None", "Sent", "Queued", "Cancelled", "Refunded", "Rejected")
INBOUND = ("None", "Delivered", "Queued", "Failed", "Deferred")


@dataclass(frozen=True)
class Outbound:
    nonce: int
    dest_chain: int
    amount: int


class BridgeRebuild:
    """Applies ``bridge_*`` events to a :class:`tenge.audit.rebuild.Rebuilt` (``home``: the index is the home's)."""

    def __init__(self, out: Any, home: bool) -> None:
        self.out, self.home = out, home
        self.outbound: dict[str, Outbound] = {}
        self.validators: set[str] = set()

    def apply(self, e: IndexedEvent) -> None:
        handler = getattr(self, f"on_{e.name}", None)
        if handler is not None:
            handler(e, e.args)

    def burned_outside(self, e: IndexedEvent) -> None:
        """A token wipe, redemption or burn on a remote chain (not the bridge's): out of the bridged supply."""
        if ("bridge minted supply", "") in self.out.facts:
            self.out.add("bridge minted supply", "", -int(e.args["amount"]), e)

    def _take(self, e: IndexedEvent, a: dict[str, Any], status: str) -> None:
        transfer_id = str(a["id"])
        first = transfer_id not in self.outbound  # a queued transfer's later TransferSent takes nothing again
        sent = Outbound(int(a["transfer.nonce"]), int(a["transfer.destChainId"]), int(a["transfer.amount"]))
        self.outbound[transfer_id] = sent
        self.out.set("bridge outbound", sent.nonce, status, e)
        self.out.set("bridge next nonce", "", max(int(self.out.get("bridge next nonce", "", 0)), sent.nonce + 1), e)
        if first:
            self._money(sent.dest_chain, sent.amount, e)

    def _money(self, chain: int, amount: int, source: IndexedEvent) -> None:
        """Money taken from (positive) or given back to (negative) a sender on this chain."""
        if self.home:
            self.out.add("bridge locked", chain, amount, source)
            self.out.add("bridge escrow", "", amount, source)
        else:
            self.out.add("bridge minted supply", "", -amount, source)

    def on_TransferSent(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._take(e, a, "Sent")

    def on_OutboundQueued(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._take(e, a, "Queued")

    def _give_back(self, e: IndexedEvent, a: dict[str, Any], status: str) -> None:
        sent = self.outbound.get(str(a["id"]))
        if sent is None:  # an event about a transfer this index never saw leave: named by the audit
            self.out.set("bridge outbound", f"unknown id {a['id']}", status, e)
            return
        self.out.set("bridge outbound", sent.nonce, status, e)
        self._money(sent.dest_chain, -int(a["amount"]), e)

    def on_OutboundCancelled(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._give_back(e, a, "Cancelled")

    def on_TransferRefunded(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._give_back(e, a, "Refunded")

    def on_QueuedTransferRejected(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        if not a["inbound"]:  # an inbound one: its TransferFailed says it
            self._give_back(e, a, "Rejected")

    def on_TransferDelivered(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("bridge inbound", a["id"], "Delivered", e)
        if self.home:
            self.out.add("bridge escrow", "", -int(a["amount"]), e)  # released from escrow
        else:
            self.out.add("bridge minted supply", "", int(a["amount"]), e)

    def on_InboundQueued(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("bridge inbound", a["id"], "Queued", e)

    def on_TransferFailed(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("bridge inbound", a["id"], "Failed", e)

    def on_DeliveryDeferred(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("bridge inbound", a["id"], "Deferred", e)

    def on_EscrowAttested(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("bridge escrow attestation", "", (int(a["escrowed"]), int(a["sequence"]), int(a["timestamp"])), e)

    def on_ThresholdSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("bridge threshold", "", int(a["newThreshold"]), e)

    def on_ValidatorAdded(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.validators.add(str(a["validator"]))
        self.out.set("bridge validators", "", tuple(sorted(self.validators)), e)

    def on_ValidatorRemoved(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.validators.discard(str(a["validator"]))
        self.out.set("bridge validators", "", tuple(sorted(self.validators)), e)

    def on_RemoteBridgeSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("bridge remote", int(a["chainId"]), str(a["bridge"]), e)


def bridge_totals(history: Iterable[IndexedEvent]) -> dict[str, tuple[int, int]]:
    """``"outbound Sent"`` / ``"inbound Delivered"`` ... -> (transfers, tiyn), by each transfer's final status here."""
    outbound: dict[str, tuple[str, int]] = {}
    inbound: dict[str, tuple[str, int]] = {}
    for e in history:
        if e.prefix != "bridge":
            continue
        a = e.args
        if e.name in ("TransferSent", "OutboundQueued"):
            outbound[str(a["id"])] = ("Sent" if e.name == "TransferSent" else "Queued", int(a["transfer.amount"]))
        elif e.name in ("OutboundCancelled", "TransferRefunded") and str(a["id"]) in outbound:
            outbound[str(a["id"])] = ("Cancelled" if e.name == "OutboundCancelled" else "Refunded", int(a["amount"]))
        elif e.name == "QueuedTransferRejected" and not a["inbound"] and str(a["id"]) in outbound:
            outbound[str(a["id"])] = ("Rejected", int(a["amount"]))
        elif e.name in ("TransferDelivered", "InboundQueued", "TransferFailed", "DeliveryDeferred"):
            status = {"TransferDelivered": "Delivered", "InboundQueued": "Queued", "TransferFailed": "Failed",
                      "DeliveryDeferred": "Deferred"}[e.name]  # fmt: skip
            inbound[str(a["id"])] = (status, int(a["amount"]))
    totals: dict[str, tuple[int, int]] = {}
    for side, items in (("outbound", outbound), ("inbound", inbound)):
        for status, amount in items.values():
            count, tiyn = totals.get(f"{side} {status}", (0, 0))
            totals[f"{side} {status}"] = (count + 1, tiyn + amount)
    return totals


def in_flight(*histories: Iterable[IndexedEvent]) -> dict[str, int]:
    """Transfer id -> tiyn of every transfer sent or queued at its source (in one of ``histories``, the indexes of
    the chains of a bridge), not delivered at its destination, nor cancelled or refunded at its source (a failed
    one is in flight until refunded). Home escrow = remote supply + in flight."""
    sent: dict[str, int] = {}
    final: set[str] = set()
    for history in histories:
        for e in history:
            if e.prefix != "bridge":
                continue
            if e.name in ("TransferSent", "OutboundQueued"):
                sent[str(e.args["id"])] = int(e.args["transfer.amount"])
            elif e.name in ("TransferDelivered", "OutboundCancelled", "TransferRefunded") or (
                e.name == "QueuedTransferRejected" and not e.args["inbound"]
            ):
                final.add(str(e.args["id"]))
    return {transfer_id: amount for transfer_id, amount in sent.items() if transfer_id not in final}
