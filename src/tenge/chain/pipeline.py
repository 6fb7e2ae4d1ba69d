"""Many writes from one account without waiting for each: sign locally, send, track nonces, collect receipts.

    with session.pipeline() as p:
        for to, amount in rows:
            token.transfer(to, amount)        # estimated, signed and sent; returns at once (a pending TxResult)
    p.report.mined                            # every receipt is collected when the block ends

Each write is still estimated first (against the pending state), so a write the contract would reject raises
its decoded error and is not sent. A failure leaves a clear account (:class:`PipelineReport`): what was
mined, what reverted on chain (each error decoded), what was refused before sending, and what was sent but not
yet mined when the wait ended (do not resend those). Every sent transaction is journaled like a single send.
Receipts are fetched in JSON-RPC batches.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Callable

from web3.datastructures import AttributeDict
from web3._utils.method_formatters import receipt_formatter
from web3.contract.contract import ContractFunction
from web3.types import TxParams, TxReceipt

from tenge.chain.transactions import SentTransaction, TxSender
from tenge.errors import NotYetMined, TengeError

#: Called with (settled, sent) as receipts come in.
Progress = Callable[[int, int], None]


@dataclass
class PendingTx:
    """One write of a pipeline: sent (``tx_hash``), then mined (``sent``) or failed (``error``)."""

    tx_hash: str
    description: str
    nonce: int
    tx: TxParams = field(repr=False)
    sent: SentTransaction | None = None
    error: TengeError | None = None
    _pipeline: "Pipeline | None" = field(default=None, repr=False)

    @property
    def state(self) -> str:
        """``sent`` (not yet seen mined), ``mined`` or ``failed``."""
        return "mined" if self.sent is not None else "failed" if self.error is not None else "sent"

    def result(self) -> SentTransaction:
        """The mined transaction, waiting for the pipeline's receipts if needed; raises its decoded error."""
        if self.state == "sent" and self._pipeline is not None:
            self._pipeline.collect(raise_errors=False)
        if self.error is not None:
            raise self.error
        if self.sent is None:
            raise NotYetMined(f"{self.description}: transaction {self.tx_hash} is not mined yet; do not resend",
                              self.tx_hash)  # fmt: skip
        return self.sent


@dataclass
class PipelineReport:
    """What a pipeline did, transaction by transaction."""

    mined: list[PendingTx] = field(default_factory=list)
    failed: list[PendingTx] = field(default_factory=list)  # mined and reverted, or not mined in time
    refused: list[tuple[str, TengeError]] = field(default_factory=list)  # not sent: (description, error)

    @property
    def ok(self) -> bool:
        """True when nothing failed on chain, nothing is left unmined and nothing was refused before sending."""
        return not self.failed and not self.refused

    def summary(self) -> str:
        """One line: how many were mined, reverted (with their errors), sent but not yet mined (do not resend) and not sent."""
        parts = [f"{len(self.mined)} mined"]
        reverted = [p for p in self.failed if not isinstance(p.error, NotYetMined)]
        unmined = [p for p in self.failed if isinstance(p.error, NotYetMined)]
        if reverted:
            parts.append(f"{len(reverted)} reverted on chain ("
                         + "; ".join(f"nonce {p.nonce} {p.tx_hash}: {p.error}" for p in reverted) + ")")  # fmt: skip
        if unmined:
            parts.append(f"{len(unmined)} sent, not yet mined - do not resend ("
                         + ", ".join(p.tx_hash for p in unmined) + ")")  # fmt: skip
        if self.refused:
            parts.append(f"{len(self.refused)} not sent (" + "; ".join(str(e) for _, e in self.refused) + ")")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {
            "mined": [{"txHash": p.tx_hash, "nonce": p.nonce, "description": p.description} for p in self.mined],
            "failed": [{"txHash": p.tx_hash, "nonce": p.nonce, "description": p.description, "error": str(p.error)}
                       for p in self.failed],  # fmt: skip
            "notSent": [{"description": d, "error": str(e)} for d, e in self.refused],
        }


class PipelineFailed(TengeError):
    """Some writes of a pipeline failed; ``report`` tells which were mined, reverted, refused or still pending."""

    def __init__(self, message: str, report: PipelineReport) -> None:
        super().__init__(message)
        self.report = report


class Pipeline:
    """Sends through one :class:`TxSender` without waiting; :meth:`collect` gathers the receipts."""

    def __init__(self, sender: TxSender, *, progress: Progress | None = None) -> None:
        self.sender = sender
        self.progress = progress
        self.watcher = sender.watcher()
        self.report = PipelineReport()
        self.outstanding: list[PendingTx] = []
        self.submitted = 0

    def submit(self, call: ContractFunction | TxParams, *, description: str, value: int = 0) -> PendingTx:
        """Estimate (against the pending state), sign and send; raises (and records) a refusal: not sent."""
        block = "pending" if self.outstanding else "latest"
        try:
            tx_hash, tx = self.sender.submit(call, description=description, value=value, watcher=self.watcher,
                                             block=block)  # fmt: skip
        except TengeError as exc:
            self.report.refused.append((description, exc))
            raise
        pending = PendingTx(tx_hash, description, int(tx["nonce"]), tx, _pipeline=self)
        self.outstanding.append(pending)
        self.submitted += 1
        return pending

    def collect(self, *, raise_errors: bool = True) -> PipelineReport:
        """Wait for every outstanding receipt (batched), decode reverts; raises :class:`PipelineFailed` when any
        write failed (``raise_errors``)."""
        deadline = time.monotonic() + self.watcher.timeout
        delay = 0.02
        while self.outstanding:
            for pending, receipt in zip(list(self.outstanding), self._receipts(self.outstanding)):
                if receipt is not None:
                    self.outstanding.remove(pending)
                    self._settle(pending, receipt)
            self._tell_progress()
            if not self.outstanding:
                break
            if time.monotonic() >= deadline:
                for pending in self.outstanding:
                    self.watcher._journal(pending.tx_hash, "not-mined")
                    pending.error = NotYetMined(
                        f"{pending.description}: transaction {pending.tx_hash} was sent but is not mined after "
                        f"{self.watcher.timeout:g}s; do not resend", pending.tx_hash)  # fmt: skip
                    self.report.failed.append(pending)
                self.outstanding.clear()
                break
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
        if raise_errors and not self.report.ok:
            raise PipelineFailed(f"pipeline of {self.submitted} writes: {self.report.summary()}", self.report)
        return self.report

    def _settle(self, pending: PendingTx, receipt: TxReceipt) -> None:
        try:
            if receipt["status"] == 1 and self.watcher.required > 1:
                receipt = self.watcher.wait(pending.tx_hash, description=pending.description)
            elif receipt["status"] == 1:
                self.watcher._tell("confirmed", pending.tx_hash, pending.description, receipt, 1)
            else:
                self.watcher._tell("reverted", pending.tx_hash, pending.description, receipt, 1)
                raise self.sender.reverted_on_chain(receipt, pending.tx, pending.description)
            pending.sent = SentTransaction(pending.tx_hash, receipt, self.sender.network.native_symbol)
            self.report.mined.append(pending)
        except TengeError as exc:
            pending.error = exc
            self.report.failed.append(pending)

    def _receipts(self, pendings: list[PendingTx]) -> list[TxReceipt | None]:
        provider = self.sender.w3.provider
        batch = getattr(provider, "make_batch_request", None)
        if batch is None or not getattr(provider, "endpoint_uri", None):
            return [self.watcher._receipt(p.tx_hash) for p in pendings]
        replies = batch([("eth_getTransactionReceipt", [p.tx_hash]) for p in pendings])
        if not isinstance(replies, list):
            return [self.watcher._receipt(p.tx_hash) for p in pendings]
        return [
            AttributeDict.recursive(receipt_formatter(reply["result"])) if reply.get("result") else None
            for reply in replies
        ]

    def _tell_progress(self) -> None:
        if self.progress is not None:
            self.progress(len(self.report.mined) + len(self.report.failed), self.submitted)

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.collect()
            return
        # The body failed (e.g. a write refused before sending): still collect what was sent, and say so.
        report = self.collect(raise_errors=False)
        if isinstance(exc, TengeError) and exc.args and (report.mined or report.failed):
            exc.args = (f"{exc.args[0]} (pipeline so far: {report.summary()})", *exc.args[1:])
            setattr(exc, "report", report)
