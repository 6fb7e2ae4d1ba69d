"""Where a sent transaction is: sent, mined, confirmed or reverted; waiting for it with a bounded timeout.

A transaction that was sent is never reported as failed while it may still land:

- not in a block when the wait ends -> :class:`~tenge.errors.NotYetMined` (it may still be mined);
- in a block with fewer confirmations than the network asks -> :class:`~tenge.errors.NotYetConfirmed`
  (it happened; sending it again would do it twice).

Both carry the hash. :meth:`TxWatcher.status` tells later where a hash is, :meth:`TxWatcher.wait` resumes
waiting for it. Every state change goes to the listener (the CLI prints progress) and to the journal.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable

from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.types import TxReceipt

from tenge.chain.journal import TxJournal
from tenge.chain.networks import Network
from tenge.errors import InvalidInput, NotYetConfirmed, NotYetMined
from tenge.finality import confirmations_of

#: How long a write waits for its receipt and confirmations, overall; ``$TENGE_TX_TIMEOUT`` overrides it.
DEFAULT_TIMEOUT_SECONDS = 180.0
TIMEOUT_ENV = "TENGE_TX_TIMEOUT"
CONFIRMATION_POLL_SECONDS = 0.5


class TxState(str, Enum):
    """The life of a transaction, as far as the node can tell."""

    UNKNOWN = "unknown"  # the node knows no such hash: never sent, or dropped from the mempool
    SENT = "sent"  # in the node's mempool, not in a block
    MINED = "mined"  # in a block, fewer confirmations than required
    CONFIRMED = "confirmed"  # in a block with the required confirmations, succeeded
    REVERTED = "reverted"  # in a block, reverted: nothing happened but the fee


@dataclass(frozen=True)
class TxStatus:
    tx_hash: str
    state: TxState
    block_number: int | None = None
    confirmations: int = 0
    required: int = 1

    def describe(self) -> str:
        if self.state is TxState.UNKNOWN:
            return (f"{self.tx_hash}: not known to the node (dropped from the mempool, or never sent); "
                    "it did not happen")  # fmt: skip
        if self.state is TxState.SENT:
            return f"{self.tx_hash}: sent, not yet mined (in the node's mempool); do not resend"
        where = f"mined in block {self.block_number}, {self.confirmations} of {self.required} confirmations"
        if self.state is TxState.REVERTED:
            return f"{self.tx_hash}: reverted ({where}); it did nothing but cost its fee"
        if self.state is TxState.MINED:
            return f"{self.tx_hash}: {where}; do not resend"
        plural = "" if self.confirmations == 1 else "s"
        return (f"{self.tx_hash}: confirmed (mined in block {self.block_number}, {self.confirmations} "
                f"confirmation{plural}, {self.required} required)")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "txHash": self.tx_hash,
            "state": self.state.value,
            "blockNumber": self.block_number,
            "confirmations": self.confirmations,
            "required": self.required,
        }


@dataclass(frozen=True)
class TxEvent:
    """One step in a transaction's life, for progress reporting."""

    kind: str  # sent | mined | confirmations | confirmed | reverted
    tx_hash: str
    description: str
    block_number: int | None = None
    confirmations: int = 0
    required: int = 1
    nonce: int | None = None


Listener = Callable[[TxEvent], None]


def default_timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV)
    if raw is None:
        return DEFAULT_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise InvalidInput(f"{TIMEOUT_ENV}={raw!r} must be a positive number of seconds")
    return value


def normalize_hash(tx_hash: str | bytes) -> str:
    text = HexBytes(tx_hash).to_0x_hex() if isinstance(tx_hash, bytes) else str(tx_hash)
    body = text.lower().removeprefix("0x")
    if len(body) != 64 or any(c not in "0123456789abcdef" for c in body):
        raise InvalidInput(f"{text!r} is not a transaction hash (expected 0x and 64 hex digits)")
    return "0x" + body


class TxWatcher:
    """Reads and waits for transactions on one network; ``confirmations`` and ``timeout`` override its defaults."""

    def __init__(
        self,
        w3: Web3,
        network: Network,
        *,
        confirmations: int | None = None,
        timeout: float | None = None,
        journal: TxJournal | None = None,
        listener: Listener | None = None,
    ) -> None:
        self.w3 = w3
        self.network = network
        self.required = max(1, confirmations if confirmations is not None else network.confirmations)
        self.timeout = timeout if timeout is not None else default_timeout()
        self.journal = journal
        self.listener = listener

    # --- reading ----------------------------------------------------------------------------------

    def status(self, tx_hash: str | bytes) -> TxStatus:
        """Where ``tx_hash`` is now (one look, no waiting)."""
        tx_hash = normalize_hash(tx_hash)
        receipt = self._receipt(tx_hash)
        if receipt is None:
            try:
                self.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
            except TransactionNotFound:
                return TxStatus(tx_hash, TxState.UNKNOWN, required=self.required)
            return TxStatus(tx_hash, TxState.SENT, required=self.required)
        return self._mined_status(tx_hash, receipt, exact=True)

    def _mined_status(self, tx_hash: str, receipt: TxReceipt, *, exact: bool = False) -> TxStatus:
        block = int(receipt["blockNumber"])
        # Waiting for one confirmation, the receipt is it: the chain's head is asked only when more are
        # required (or when ``exact``: a status report counts them all).
        head = block if self.required == 1 and not exact else self.w3.eth.block_number
        confirmations = confirmations_of(block, head)
        if receipt["status"] != 1:
            state = TxState.REVERTED
        else:
            state = TxState.CONFIRMED if confirmations >= self.required else TxState.MINED
        return TxStatus(tx_hash, state, block, confirmations, self.required)

    def _receipt(self, tx_hash: str) -> TxReceipt | None:
        try:
            return self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return None

    # --- waiting ----------------------------------------------------------------------------------

    def wait(self, tx_hash: str | bytes, *, description: str = "transaction") -> TxReceipt:
        """Wait until ``tx_hash`` is confirmed (or reverted) and return its receipt.

        Raises :class:`NotYetMined` or :class:`NotYetConfirmed` (with the hash) when ``timeout`` ends first.
        A reverted receipt is returned as soon as it is mined; the caller names the error.
        """
        tx_hash = normalize_hash(tx_hash)
        deadline = time.monotonic() + self.timeout
        receipt = self._wait_mined(tx_hash, description, deadline)
        if receipt["status"] != 1:
            self._tell("reverted", tx_hash, description, receipt, self._mined_status(tx_hash, receipt).confirmations)
            return receipt
        shown = -1
        while True:
            status = self._mined_status(tx_hash, receipt)
            if status.confirmations != shown:
                kind = "mined" if shown < 0 else "confirmations"
                shown = status.confirmations
                if status.state is not TxState.CONFIRMED:
                    self._tell(kind, tx_hash, description, receipt, shown)
            if status.state is TxState.CONFIRMED:
                # With confirmations to wait for, the block may have been replaced meanwhile: look again.
                again = self._receipt(tx_hash) if self.required > 1 else receipt
                if again is not None and again["blockHash"] == receipt["blockHash"]:
                    self._tell("confirmed", tx_hash, description, receipt, status.confirmations)
                    return receipt
                # A reorganisation moved or dropped it: wait for it again.
                receipt = again if again is not None else self._wait_mined(tx_hash, description, deadline)
                shown = -1
                continue
            if time.monotonic() >= deadline:
                self._journal(tx_hash, "not-confirmed", block=status.block_number,
                              confirmations=status.confirmations, required=self.required)  # fmt: skip
                raise NotYetConfirmed(
                    f"{description}: transaction {tx_hash} mined in block {status.block_number}, "
                    f"{status.confirmations} of {self.required} confirmations after {self.timeout:g}s; "
                    f"do not resend; check with `tenge tx status {tx_hash} --network {self.network.name}`",
                    tx_hash, int(receipt["blockNumber"]), status.confirmations, self.required,
                )  # fmt: skip
            time.sleep(min(CONFIRMATION_POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def _wait_mined(self, tx_hash: str, description: str, deadline: float) -> TxReceipt:
        delay = 0.025
        while True:
            receipt = self._receipt(tx_hash)
            if receipt is not None:
                return receipt
            if time.monotonic() >= deadline:
                self._journal(tx_hash, "not-mined")
                raise NotYetMined(
                    f"{description}: transaction {tx_hash} was sent but is not mined after {self.timeout:g}s; "
                    f"do not resend; check with `tenge tx status {tx_hash} --network {self.network.name}` "
                    "(or keep waiting with `tenge tx wait`)",
                    tx_hash,
                )
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 1.0)

    def _tell(self, kind: str, tx_hash: str, description: str, receipt: TxReceipt, confirmations: int) -> None:
        block = int(receipt["blockNumber"])
        self._journal(tx_hash, kind if kind != "confirmations" else "mined", block=block,
                      confirmations=confirmations, required=self.required)  # fmt: skip
        if self.listener:
            self.listener(TxEvent(kind, tx_hash, description, block, confirmations, self.required))

    def _journal(self, tx_hash: str, state: str, **fields: Any) -> None:
        if self.journal is not None:
            self.journal.append(hash=tx_hash, network=self.network.name, state=state, **fields)
