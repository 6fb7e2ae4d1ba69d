"""What the relayer does with one transfer, by state (sent -> attested -> delivered / queued / failed -> refunded).

Every submission is preceded by a read of the destination's ``inboundStatus`` (or the source's
``outboundStatus`` for a refund): a transfer some other relayer already delivered is recorded, not resent.
Retries back off by the retry count alone (so a restarted relayer resumes the same schedule).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from typing import Any

from web3.exceptions import TransactionNotFound
from web3.logs import DISCARD

from tenge.bridge.attestations import Attestation, BridgeDomain
from tenge.bridge.batch import OUTCOME_EVENTS
from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer
from tenge.bridge.refunds import refund_call, refund_status
from tenge.bridge.relayer.discovery import payload_of
from tenge.bridge.relayer.batching import GAS_BASE, GAS_PER_TRANSFER, RESERVE_ERRORS, BatchDeliverer
from tenge.bridge.relayer.gatherer import Gatherer
from tenge.bridge.relayer.metrics import Metrics
from tenge.bridge.relayer.settings import RelayerSettings
from tenge.bridge.relayer.store import Store
from tenge.bridge.relayer.submitter import Outcome, Submitter
from tenge.chain.reverts import decode_revert
from tenge.errors import ContractRevert, TengeError

log = logging.getLogger("tenge.relayer")
#: seconds before retry n (Hyperlane's shape, shortened): derived from the count only
BACKOFF = (1, 2, 5, 10, 30, 60, 180, 300)
#: seconds between two gatherings of a transfer the validators have not all signed yet (they sign within ~0.1 s of
#: finality: a short wait keeps the latency from finality low; one request per validator a turn gathers them all)
SIGNATURE_POLL = 0.05
#: the same when gathering one transfer at a time (a request per transfer and validator: spare the validators)
ONE_BY_ONE_POLL = 0.5


#: What a failed transfer's reason says while refund signatures are gathered (replaced on each poll, never appended).
REFUND_WAIT = "; refund signatures: "
#: A stored and logged reason is at most this long (a revert's decoded text can be long).
MAX_REASON = 300


#: Gas of a delivery with a payload sent right behind an escrow attestation (not estimable before it is mined): the
#: delivery itself and the payload handler's work (a PvP settlement and a send over a second bridge fit well).
PAYLOAD_DELIVERY_GAS = 1_500_000

def bounded(reason: str | None) -> str | None:
    """``reason`` cut to :data:`MAX_REASON` characters (marked with an ellipsis)."""
    if reason is None or len(reason) <= MAX_REASON:
        return reason
    return reason[: MAX_REASON - 1] + "…"


def backoff(retries: int) -> float:
    return float(BACKOFF[min(retries, len(BACKOFF) - 1)])


class Worker:
    def __init__(
        self, bridges: dict[int, BridgeClient], submitters: dict[int, Submitter], store: Store, gatherer: Gatherer,
        settings: RelayerSettings, metrics: Metrics,
    ) -> None:  # fmt: skip
        self.bridges, self.submitters, self.store, self.gatherer = bridges, submitters, store, gatherer
        self.settings, self.metrics = settings, metrics
        self._sets: dict[int, tuple[float, set[str], int]] = {}
        self.batches = BatchDeliverer(self)

    # --- helpers --------------------------------------------------------------------------------------

    def validator_set(self, chain_id: int) -> tuple[set[str], int]:
        """The verifying bridge's validators and threshold (re-read every 10 s: removals count at once on chain)."""
        cached = self._sets.get(chain_id)
        if cached is None or time.time() - cached[0] > 10:
            bridge = self.bridges[chain_id]
            cached = (time.time(), set(bridge.validators()), bridge.threshold())
            self._sets[chain_id] = cached
        return cached[1], cached[2]

    def move(self, row: dict[str, Any], state: str, reason: str | None = None, **values: Any) -> None:
        reason = bounded(reason)
        """Persist a state change and log it as one line."""
        old = row["state"]
        if state in ("delivered", "refunded"):
            values.setdefault("done_at", time.time())
        self.store.save(row["id"], state=state, reason=reason, **values)
        if state == "delivered":
            self.metrics.latency.observe(max(0.0, time.time() - float(row["final_at"])))
        self.metrics.changes.labels(state).inc()
        fields = {"event": "state", "id": row["id"], "from": old, "to": state, "reason": reason, "retries": row["retries"],
                  "instance": self.settings.instance}  # fmt: skip
        log.info("transfer %s -> %s", old, state, extra={"fields": fields})
        row.update(state=state, reason=reason, **values)

    def wait(self, row: dict[str, Any], seconds: float, reason: str, *, retry: bool = False) -> None:
        retries = int(row["retries"]) + (1 if retry else 0)
        if retry and retries >= self.settings.max_retries:
            seconds, reason = 3600.0, f"gave up for now after {retries} tries (hourly from now on): {reason}"
        reason = str(bounded(reason))
        self.store.save(row["id"], next_attempt=time.time() + seconds, reason=reason, retries=retries)
        if reason != row.get("reason"):
            row["reason"] = reason  # one log line per change of reason, not one per poll
            log.info("transfer waits", extra={"fields": {"event": "wait", "id": row["id"], "state": row["state"],
                                                        "reason": reason, "retries": retries, "in": round(seconds, 1)}})  # fmt: skip

    def ends(self, row: dict[str, Any]) -> tuple[BridgeTransfer, BridgeClient, BridgeClient]:
        transfer = BridgeTransfer.from_dict(json.loads(row["body"]))
        return transfer, self.bridges[transfer.source_chain_id], self.bridges[transfer.dest_chain_id]

    # --- by state ---------------------------------------------------------------------------------------

    def handle(self, row: dict[str, Any]) -> None:
        transfer, source, dest = self.ends(row)
        if row["pending_tx"] and not self._orphan_settled(row, dest if row["state"] != "failed" else source):
            return
        if row["state"] == "sent":
            self.gather(row, transfer, dest)
        if row["state"] == "attested":
            self.deliver(row, transfer, dest)
        elif row["state"] == "queued":
            self.complete(row, transfer, source, dest)
        elif row["state"] == "failed":
            self.refund(row, transfer, source)

    def gather_row(self, row: dict[str, Any]) -> None:
        """The gathering step alone (run concurrently for new transfers; sending stays in one thread)."""
        transfer, _, dest = self.ends(row)
        self.gather(row, transfer, dest)

    def _orphan_settled(self, row: dict[str, Any], chain: BridgeClient) -> bool:
        """A transfer taken over from an instance that stopped with a transaction in flight: wait while the node
        still holds that transaction; else forget it (the chain's status, read next, says what it did)."""
        tx_hash = row["pending_tx"]
        try:
            chain.w3.eth.get_transaction_receipt(tx_hash)
        except TransactionNotFound:
            try:
                chain.w3.eth.get_transaction(tx_hash)
                self.wait(row, self.settings.stuck_after, "a transaction of another instance is still in flight")
                return False
            except TransactionNotFound:
                pass
        self.store.save(row["id"], pending_tx=None)
        row["pending_tx"] = None
        return True

    def gather(self, row: dict[str, Any], transfer: BridgeTransfer, dest: BridgeClient) -> None:
        validators, threshold = self.validator_set(dest.chain_id)
        message = payload_of(json.loads(row["body"]))
        if message is not None:  # signed with its payload; a payload transfer is read from its own event
            got = self.gatherer.gather(f"/v1/transfers/{row['id']}", "PayloadTransfer", dest.domain, message, validators)
            self.attest(row, got.valid, threshold, poll=ONE_BY_ONE_POLL)
            return
        got = self.gatherer.gather(f"/v1/transfers/{row['id']}", "Transfer", dest.domain, transfer, validators)
        if len(got.valid) < threshold and any(r.startswith("wrong message") for r in got.missing.values()):
            # The id names (source, bridge, nonce) only: a reorg may have replaced the message this relayer read
            # before the validators' finality. The source chain decides, never the stored copy.
            fresh = self.reread(transfer)
            if fresh is not None and fresh != transfer:
                log.warning("transfer replaced on the source chain (reorg)", extra={"fields": {"event": "replaced", "id": row["id"]}})
                row["body"] = json.dumps(fresh.to_dict())
                self.store.save(row["id"], body=row["body"])
                got = self.gatherer.gather(f"/v1/transfers/{row['id']}", "Transfer", dest.domain, fresh, validators)
        self.attest(row, got.valid, threshold, poll=ONE_BY_ONE_POLL)

    def reread(self, transfer: BridgeTransfer) -> BridgeTransfer | None:
        """The transfer's current ``TransferSent`` message on its source chain (None when it is not there now)."""
        source = self.bridges[transfer.source_chain_id]
        head, start, found = int(source.w3.eth.block_number), source.deploy_block, None
        while start <= head:
            end = min(head, start + self.settings.log_range - 1)
            event = source.contract.events.TransferSent()
            for entry in event.get_logs(argument_filters={"id": transfer.id}, from_block=start, to_block=end):
                found = BridgeTransfer.from_struct(entry["args"]["transfer"])
            start = end + 1
        return found

    def attest(self, row: dict[str, Any], valid: list[Attestation], threshold: int, poll: float = SIGNATURE_POLL) -> None:
        if len(valid) < threshold:
            self.wait(row, poll, f"waiting for signatures: {len(valid)} of {threshold}")
            return
        signatures = json.dumps([a.to_dict() for a in valid[:threshold]])
        self.move(row, "attested", f"{len(valid)} valid signatures of {threshold} needed", signatures=signatures)

    def _inbound(self, row: dict[str, Any], dest: BridgeClient) -> str:
        status = dest.inbound_status(row["id"])
        if status not in ("None", "Deferred") and status.lower() != row["state"]:
            self.move(row, status.lower(), f"{status.lower()} on chain {dest.chain_id} (seen before sending)")
        return status

    def deferred(self, row: dict[str, Any], dest: BridgeClient) -> None:
        """Deferred on chain (the BNB-side reserve did not cover it): it stays to deliver; an escrow attestation
        goes first when the validators agree on a newer one, and the contract fails it after its timeout."""
        self.metrics.deferrals.labels(str(dest.chain_id)).inc()
        posted = self.batches.post_escrow(dest)
        why = "an escrow attestation is on its way" if posted else self.batches.escrow_wait or "no newer escrow figure"
        self.wait(row, 0.5 if posted else 2, f"deferred on chain {dest.chain_id}: the reserve does not cover it yet ({why})")

    def deliver(self, row: dict[str, Any], transfer: BridgeTransfer, dest: BridgeClient) -> None:
        if self._inbound(row, dest) not in ("None", "Deferred"):
            return
        attestations = [Attestation.from_dict(a) for a in json.loads(row["signatures"])]
        validators, threshold = self.validator_set(dest.chain_id)
        attestations = [a for a in attestations if a.signer in validators]
        if len(attestations) < threshold:  # the set changed since: gather again
            self.move(row, "sent", "validator set changed: gathering again", signatures=None)
            return
        message = payload_of(json.loads(row["body"]))
        if message is None:
            signers, signatures = dest._signatures(attestations, "Transfer", transfer)
            call = dest.contract.functions.deliver(transfer.as_struct(), signers, signatures)
        else:  # minted to the payload handler, which runs in the same transaction
            signers, signatures = dest._signatures(attestations, "PayloadTransfer", message)
            call = dest.contract.functions.deliverWithPayload(transfer.as_struct(), message.payload, signers, signatures)
        if self.batches.would_defer(dest, call) and self.batches.post_escrow(dest):
            # The reserve does not cover it yet: the escrow attestation first, the delivery right behind it (not
            # estimable before the attestation is mined: a fixed gas, the handler's share included for a payload).
            gas = GAS_BASE + GAS_PER_TRANSFER if message is None else PAYLOAD_DELIVERY_GAS
            self.submit(row, dest, "deliver", call, f"deliver {row['id']}", gas=gas)
            return
        self.submit(row, dest, "deliver", call, f"deliver {row['id']}")

    def complete(self, row: dict[str, Any], transfer: BridgeTransfer, source: BridgeClient, dest: BridgeClient) -> None:
        status = self._inbound(row, dest)
        if status == "Deferred":  # taken from the queue, then deferred by the reserve: delivered again, signed
            self.deliver(row, transfer, dest)
            return
        if status != "Queued":
            return
        entry = dest.queue_entry(transfer)
        if entry is None:  # completed or rejected meanwhile: record what the chain says
            self._inbound(row, dest)
            return
        if entry.held:
            self.wait(row, 60, "held by the bridge's pause role (released or rejected by its operators)")
            return
        now = int(dest.w3.eth.get_block("latest")["timestamp"])
        if now < entry.release_at:
            until = float(entry.release_at - now) + 1
            if entry.oversized:
                self.wait(row, min(until, 3600.0), f"delayed until {entry.release_iso}: over the lane's capacity or largest single transfer")
                return
            bucket = dest.rate_limit(source.chain_id, inbound=True)
            largest = dest.max_transfer(source.chain_id, inbound=True)
            if bucket.available < transfer.amount or (largest is not None and transfer.amount > largest):
                needed = transfer.amount - bucket.available
                seconds = float(needed / bucket.refill_per_second) + 1 if bucket.refill_per_second > 0 else until
                seconds = min(max(seconds, 1.0), until, 3600.0)
                when = datetime.fromtimestamp(time.time() + seconds, timezone.utc).strftime("%H:%M:%S UTC")
                self.wait(row, seconds, f"queued until {when} by the inbound rate limit ({bucket.available} available)")
                return
        call = dest.contract.functions.completeInbound(transfer.as_struct())
        if self.batches.would_defer(dest, call) and self.batches.post_escrow(dest):
            # The reserve does not cover it yet: the escrow attestation first, the completion right behind it.
            self.submit(row, dest, "complete", call, f"complete {row['id']}", gas=GAS_BASE + GAS_PER_TRANSFER)
            return
        self.submit(row, dest, "complete", call, f"complete {row['id']}")

    def refund(self, row: dict[str, Any], transfer: BridgeTransfer, source: BridgeClient) -> None:
        # A transfer from a retired BNB-side bridge (this relayer's bridge, or the one its bridge replaced) is
        # refunded by the successor, on the signatures made for the retired one (tenge.bridge.refunds).
        status = refund_status(source, transfer)
        if status == "Refunded":
            self.move(row, "refunded", "refunded at the source (seen before sending)")
            return
        if status != "Sent":
            self.wait(row, 60, f"cannot refund: the source says {status}", retry=True)
            return
        validators, threshold = self.validator_set(source.chain_id)
        domain = BridgeDomain(transfer.source_chain_id, transfer.source_bridge)
        got = self.gatherer.gather(f"/v1/refunds/{row['id']}", "Refund", domain, transfer, validators)
        if len(got.valid) < threshold:
            failure = str(row.get("reason") or "failed").split(REFUND_WAIT)[0]  # the failure, not earlier polls' counts
            self.wait(row, SIGNATURE_POLL * 2, f"{failure}{REFUND_WAIT}{len(got.valid)} of {threshold}")
            return
        call = refund_call(source, transfer, got.valid[:threshold])
        self.submit(row, source, "refund", call, f"refund {row['id']}")

    # --- sending ----------------------------------------------------------------------------------------

    def submit(
        self, row: dict[str, Any], chain: BridgeClient, action: str, call: Any, description: str, gas: int | None = None
    ) -> None:
        submitter = self.submitters[chain.chain_id]
        if not self.store.hold(row["id"], self.settings.lease_seconds):
            log.info("lease lost before sending; left to its new holder", extra={"fields": {"id": row["id"], "action": action}})
            return
        try:
            try:
                if gas is None:
                    submitter.send(row["id"], action, call, description)
                else:
                    submitter.send(row["id"], action, call, description, gas=gas)
            except ContractRevert as exc:
                if type(exc).__name__ not in RESERVE_ERRORS or not self.batches.post_escrow(chain):
                    raise
                # right behind the escrow attestation (not mined yet: no estimate possible)
                submitter.send(row["id"], action, call, description, gas=GAS_BASE + GAS_PER_TRANSFER)
        except ContractRevert as exc:
            name = type(exc).__name__
            if name in RESERVE_ERRORS:
                self.wait(row, 2, f"waiting for an escrow attestation covering it ({name})")
            elif name == "AlreadyProcessed" and action != "refund":
                self._inbound(row, chain)  # someone else delivered it meanwhile: record what the chain says
            else:
                self.wait(row, backoff(row["retries"]), f"{action} refused: {exc}", retry=True)
            return
        except (TengeError, ValueError, OSError) as exc:
            self.metrics.rpc_errors.labels(str(chain.chain_id)).inc()
            self.wait(row, backoff(row["retries"]), f"{action} not sent: {str(exc)[:200]}", retry=True)
            return
        self.metrics.submissions.labels(str(chain.chain_id), action).inc()

    @staticmethod
    def _status_from(outcome: Outcome, dest: BridgeClient) -> str | None:
        """The inbound status a mined transaction's own events tell (saves a call); None when they do not."""
        if outcome.status != "mined" or outcome.receipt is None:
            return None
        for event, status in OUTCOME_EVENTS:
            if dest.contract.events[event]().process_receipt(outcome.receipt, errors=DISCARD):
                return status
        return None

    def settle(self, outcome: Outcome) -> None:
        """A transaction of ours was mined, reverted or dropped: read the result from the chain."""
        if outcome.action == "escrow":
            if outcome.status != "mined":
                log.warning("escrow attestation not mined", extra={"fields": {"status": outcome.status}})
            return
        if outcome.action == "deliver_batch":
            self.batches.settle(outcome)
            return
        row = self.store.get(outcome.transfer_id)
        if row is None:
            return
        transfer, source, dest = self.ends(row)
        if outcome.action == "refund":
            status = refund_status(source, transfer)
            if status == "Refunded":
                self.move(row, "refunded", "refunded at the source")
            else:
                self.wait(row, backoff(row["retries"]), f"refund {outcome.status}", retry=True)
            self.store.release([row["id"]])
            return
        status = self._status_from(outcome, dest) or dest.inbound_status(row["id"])
        if status == "Deferred":
            self.deferred(row, dest)
        elif status == "None":
            self.wait(row, backoff(row["retries"]), f"{outcome.action} {outcome.status}; will try again", retry=True)
        elif status.lower() != row["state"]:
            reason = f"{status.lower()} on chain {dest.chain_id}"
            if status == "Failed" and outcome.receipt is not None:
                failed = dest.contract.events.TransferFailed().process_receipt(outcome.receipt, errors=DISCARD)
                if failed:
                    reason = f"failed: {decode_revert(bytes(failed[0]['args']['reason']))}; refund pending"
            self.move(row, status.lower(), reason, next_attempt=time.time())
        else:
            self.store.save(row["id"], next_attempt=time.time())
        self.store.release([row["id"]])

