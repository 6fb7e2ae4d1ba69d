"""Delivering many attested transfers at once: one ``deliverBatch`` transaction per destination and turn.

When two or more transfers to one destination are attested in a turn, the relayer reads their inbound statuses in
one JSON-RPC batch request (a transfer already processed is recorded, not resent), holds their leases in one
store transaction, and submits them as one ``deliverBatch`` (up to the contract's ``MAX_BATCH``). The contract
skips an item another relayer delivered first (``DeliverySkipped``), so racing instances never make a whole batch
revert. A batch the contract refuses for another reason (it names one item's error) is retried as a batch a few times:
its transfers come back with a retry count, and after BATCH_TRIES such failures go one by one, which isolates
the bad one.

On the BNB side a batch the reserve gate refuses (``ReserveExceeded`` / ``ReserveAttestationStale``) makes the
relayer send the validators' newest agreed escrow attestation first - pipelined, without waiting for it to be
mined - and the batch right behind it (next nonce, so mined after it) with a fixed gas limit, as it cannot be
estimated before the attestation is on chain. Once the reserve has refused a batch to a chain, the next batches
there post the validators' newer escrow figure first, without the estimate the gate would refuse anyway (a batch
that reverts on chain for another reason is retried, then delivered one by one, as any batch). For such a chain the
escrow figure is gathered while the turn gathers its new transfers' signatures (:meth:`BatchDeliverer.prefetch`);
the figure is used only if it covers every transfer the relayer has seen, else gathered again when it is needed.
"""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, cast

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import function_abi_to_4byte_selector
from web3.exceptions import Web3Exception
from web3.logs import DISCARD
from web3.types import RPCEndpoint, TxParams

from tenge.bridge.attestations import Attestation, EscrowFigure
from tenge.bridge.batch import INBOUND, MAX_BATCH, batch_call, batch_outcomes, batch_tx
from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer
from tenge.bridge.relayer.submitter import Outcome
from tenge.chain.reverts import decode_revert
from tenge.errors import ContractRevert, TengeError

if TYPE_CHECKING:
    from tenge.bridge.relayer.worker import Worker

log = logging.getLogger("tenge.relayer")
#: Gas limit of a batch that cannot be estimated (sent right behind the escrow attestation it needs): a base plus
#: this much per transfer. `tenge bench gas` measures ~63,400 a transfer in a batch of 20 with 3-of-5 signatures
#: (a single deliver: ~119,500, the base included); two full batches still fit a 30M-gas block.
GAS_BASE, GAS_PER_TRANSFER = 150_000, 100_000
#: a transfer whose batches failed this many times goes one by one (isolating an item the contract refuses)
BATCH_TRIES = 3
RESERVE_ERRORS = ("ReserveExceeded", "ReserveAttestationStale")
#: The contract's InboundStatus.Deferred: the reserve did not cover the delivery yet (deliver it again).
DEFERRED = INBOUND.index("Deferred")


class BatchDeliverer:
    def __init__(self, worker: Worker) -> None:
        self.w = worker
        self._escrow_sent: dict[int, int] = {}
        #: chains whose reserve gate refused the last batch estimated (the next batch posts the escrow first)
        self._reserve_bound: dict[int, bool] = {}
        #: why the last escrow attestation could not be posted (for the transfers' waiting reason)
        self.escrow_wait = ""
        #: chain -> (the escrow figure being gathered ahead, the chain whose scanned blocks it must cover)
        self._ahead: dict[int, tuple[Future[tuple[EscrowFigure, list[Attestation]] | None], int]] = {}
        self._ahead_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="escrow")

    def close(self) -> None:
        self._ahead_pool.shutdown(wait=False, cancel_futures=True)

    def prefetch(self, remote: BridgeClient, source: int) -> None:
        """Start gathering the validators' newest agreed escrow figure for ``remote`` now, when its reserve gate
        refused the last batch (so the next batch will post a figure first); :meth:`post_escrow` uses it if it
        reaches the last block of ``source`` (the home chain) scanned for transfers: it then covers every one seen."""
        if remote.role != "remote" or not self._reserve_bound.get(remote.chain_id):
            return
        pending = self._ahead.get(remote.chain_id)
        if pending is not None and not pending[0].done():
            return
        validators, threshold = self.w.validator_set(remote.chain_id)
        future = self._ahead_pool.submit(self.w.gatherer.escrow, remote.chain_id, remote.domain, validators, threshold)
        self._ahead[remote.chain_id] = (future, source)

    def _agreed_escrow(self, remote: BridgeClient) -> tuple[EscrowFigure, list[Attestation]] | None:
        """The figure gathered ahead when it covers what was seen, else a fresh gathering."""
        ahead = self._ahead.pop(remote.chain_id, None)
        if ahead is not None:
            future, source = ahead
            covers = self.w.store.cursor(source, 0) - 1
            try:
                found = future.result(timeout=self.w.settings.http_timeout * 2)
            except Exception:  # unreachable validators, a timeout: gather again below, which logs why
                found = None
            if found is not None and found[0].sequence >= covers:
                return found
        validators, threshold = self.w.validator_set(remote.chain_id)
        return self.w.gatherer.escrow(remote.chain_id, remote.domain, validators, threshold)

    def statuses(self, dest: BridgeClient, ids: list[str]) -> list[str]:
        """``inboundStatus`` of every id, in one JSON-RPC batch request of ``eth_call`` (the call data by eth_abi
        directly: web3's contract-call path costs ~8 ms of pure Python per id, this a few microseconds)."""
        selector = function_abi_to_4byte_selector(dest.contract.get_function_by_name("inboundStatus").abi)
        requests = [(RPCEndpoint("eth_call"), [{"to": dest.address, "data": "0x" + (selector + abi_encode(["bytes32"],
                     [bytes.fromhex(i[2:])])).hex()}, "latest"]) for i in ids]  # fmt: skip
        answers = cast(Any, dest.w3.provider).make_batch_request(requests)
        if not isinstance(answers, list) or any("error" in a or "result" not in a for a in answers):
            raise ValueError(f"inboundStatus batch refused by the node: {str(answers)[:200]}")
        return [INBOUND[int(abi_decode(["uint8"], bytes.fromhex(str(a["result"])[2:]))[0])] for a in answers]

    def deliver(self, rows: list[dict[str, Any]], dest: BridgeClient) -> None:
        """Deliver the attested ``rows`` (all to ``dest``) in batches of at most ``MAX_BATCH``."""
        w = self.w
        validators, threshold = w.validator_set(dest.chain_id)
        statuses = self.statuses(dest, [r["id"] for r in rows])
        ready: list[tuple[dict[str, Any], tuple[BridgeTransfer, list[Attestation]]]] = []
        with w.store.grouped():
            for row, status in zip(rows, statuses):
                if status not in ("None", "Deferred"):  # a Deferred one is delivered again
                    w.move(row, status.lower(), f"{status.lower()} on chain {dest.chain_id} (seen before sending)")
                    continue
                attestations = [Attestation.from_dict(a) for a in json.loads(row["signatures"])]
                attestations = [a for a in attestations if a.signer in validators]
                if len(attestations) < threshold:  # the set changed since: gather again
                    w.move(row, "sent", "validator set changed: gathering again", signatures=None)
                    continue
                transfer = BridgeTransfer.from_dict(json.loads(row["body"]))
                ready.append((row, (transfer, attestations[:threshold])))
        for start in range(0, len(ready), MAX_BATCH):
            self._send(ready[start : start + MAX_BATCH], dest)

    def _send(self, chunk: list[tuple[dict[str, Any], tuple[BridgeTransfer, list[Attestation]]]], dest: BridgeClient) -> None:
        w = self.w
        held = w.store.hold_many([row["id"] for row, _ in chunk], w.settings.lease_seconds)
        if len(held) < len(chunk):
            log.info("leases lost before sending; left to their new holders", extra={"fields": {"lost": len(chunk) - len(held)}})
            chunk = [(row, item) for row, item in chunk if row["id"] in held]
        if not chunk:
            return
        rows, ids = [row for row, _ in chunk], [row["id"] for row, _ in chunk]
        call = batch_tx(batch_call(dest, [item for _, item in chunk]))  # encoded once: estimate and send reuse it
        submitter = w.submitters[dest.chain_id]
        description = f"deliver a batch of {len(ids)} transfers"
        gas = GAS_BASE + GAS_PER_TRANSFER * len(ids)
        try:
            try:
                # The reserve refused the last batch to this chain: a fresh escrow attestation first (when the
                # validators agree on a newer one) and the batch behind it, sparing an estimate bound to fail.
                bound = self._reserve_bound.get(dest.chain_id) or self.would_defer(dest, call)
                if bound and self.post_escrow(dest):
                    submitter.send(ids[0], "deliver_batch", call, description, ids=ids, gas=gas)
                else:
                    submitter.send(ids[0], "deliver_batch", call, description, ids=ids)
                    self._reserve_bound[dest.chain_id] = False
            except ContractRevert as exc:
                if type(exc).__name__ not in RESERVE_ERRORS or not self.post_escrow(dest):
                    raise
                self._reserve_bound[dest.chain_id] = True
                submitter.send(ids[0], "deliver_batch", call, description, ids=ids, gas=gas)
        except ContractRevert as exc:
            name = type(exc).__name__
            with w.store.grouped():
                for row in rows:
                    if name in RESERVE_ERRORS:
                        w.wait(row, 0.5, f"waiting for an escrow attestation covering it ({name}: {self.escrow_wait})")
                    else:
                        w.wait(row, 1, f"batch of {len(ids)} refused ({exc})", retry=True)
            return
        except (TengeError, ValueError, OSError) as exc:
            w.metrics.rpc_errors.labels(str(dest.chain_id)).inc()
            with w.store.grouped():
                for row in rows:
                    w.wait(row, 1, f"batch not sent: {str(exc)[:200]}", retry=True)
            return
        w.metrics.submissions.labels(str(dest.chain_id), "deliver_batch").inc()

    @staticmethod
    def would_defer(dest: BridgeClient, call: Any) -> bool:
        """Whether ``deliver`` / ``deliverBatch`` (a ContractFunction, or the tx of :func:`batch_tx`) would defer a
        transfer now (the BNB-side reserve not covering it), by one ``eth_call``: then an escrow attestation goes
        first. Only a remote bridge defers; any refusal of the call is left to the estimate that follows."""
        if dest.role != "remote":
            return False
        try:
            if isinstance(call, dict):
                answer = bytes(dest.w3.eth.call(cast(TxParams, call)))
                return DEFERRED in abi_decode(["uint8[]"], answer)[0]
            return int(call.call()) == DEFERRED
        except (Web3Exception, ValueError, OSError, TengeError):
            return False

    def post_escrow(self, remote: BridgeClient) -> bool:
        """Send the validators' newest agreed escrow attestation, pipelined; True when one newer than the chain's
        is on its way (sent now, or sent earlier by this relayer and not mined yet)."""
        w = self.w
        if remote.role != "remote":
            return False
        found = self._agreed_escrow(remote)
        if found is None:
            self.escrow_wait = f"no escrow figure signed alike by {w.validator_set(remote.chain_id)[1]} validators yet"
            return False
        figure, attestations = found
        if figure.sequence <= remote.last_escrow_attestation()[1]:
            self.escrow_wait = f"the validators' newest agreed escrow figure (home block {figure.sequence}) is on chain already"
            return False
        if figure.sequence <= self._escrow_sent.get(remote.chain_id, 0):
            return True
        signers, signatures = remote._signatures(attestations, "EscrowAttestation", figure)
        call = remote.contract.functions.attestEscrow(figure.as_struct(), signers, signatures)
        try:
            w.submitters[remote.chain_id].send("", "escrow", call, f"attest escrow (sequence {figure.sequence})", ids=[])
        except TengeError as exc:
            log.warning("escrow attestation refused", extra={"fields": {"error": str(exc)[:200], "sequence": figure.sequence}})
            return False
        self._escrow_sent[remote.chain_id] = figure.sequence
        log.info("escrow attested", extra={"fields": {"event": "escrow", "chain": remote.chain_id, "sequence": figure.sequence,
                                                      "escrowed": str(figure.escrowed)}})  # fmt: skip
        return True

    def settle(self, outcome: Outcome) -> None:
        """A batch of ours was mined, reverted or dropped: each transfer's status from its events (or the chain)."""
        w = self.w
        rows = [row for row in (w.store.get(i) for i in outcome.transfer_ids) if row is not None]
        if not rows:
            return
        dest = w.ends(rows[0])[2]
        mined = outcome.status == "mined" and outcome.receipt is not None
        found = batch_outcomes(dest, outcome.receipt) if mined and outcome.receipt is not None else {}
        reasons: dict[str, str] = {}
        if mined and outcome.receipt is not None:
            for entry in dest.contract.events.TransferFailed().process_receipt(outcome.receipt, errors=DISCARD):
                reasons["0x" + bytes(entry["args"]["id"]).hex()] = str(decode_revert(bytes(entry["args"]["reason"])))
        unseen = [row["id"] for row in rows if row["id"] not in found]  # not in its events: the chain says (one request)
        read = dict(zip(unseen, self.statuses(dest, unseen))) if unseen else {}
        with w.store.grouped():
            for row in rows:
                if row["id"] in found:
                    status, skipped = found[row["id"]]
                    note = " (already, by someone else)" if skipped else ""
                else:
                    status, note = read[row["id"]], f" (read on chain; the batch was {outcome.status})"
                if status == "Deferred":
                    w.deferred(row, dest)
                elif status == "None":
                    why = f" ({outcome.reason[:200]})" if outcome.reason else ""
                    w.wait(row, 1, f"batch {outcome.status}{why}; will try again", retry=True)
                elif status.lower() != row["state"]:
                    reason = f"{status.lower()} on chain {dest.chain_id}{note}"
                    if row["id"] in reasons:
                        reason = f"failed: {reasons[row['id']]}; refund pending"
                    w.move(row, status.lower(), reason, next_attempt=time.time())
                else:
                    w.store.save(row["id"], next_attempt=time.time())
            w.store.release([row["id"] for row in rows])
