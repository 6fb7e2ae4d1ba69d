"""Sending the same write twice by accident: the journal is asked before a transaction is signed.

A write that ended without its outcome being told (Ctrl-C, exit 4 "sent, not yet mined", exit 5 "mined, not
yet confirmed") is easily run again - and then happens twice once both are mined. Before sending, the sender
looks in the journal for an identical transaction (same chain, account, contract, call data and value) whose
outcome was never reported (journal state ``sent``, ``not-mined``, ``mined`` or ``not-confirmed``) and asks the
node where it is: still pending, or mined (and not reverted) within :data:`RECENT_SECONDS` -> refused with
:class:`~tenge.errors.DuplicateTransaction` naming its hash. Dropped, replaced or reverted ones do not count, nor
ones whose outcome was reported (``confirmed``; ``tenge tx status HASH`` records it).

The policy (``TxSender.duplicates``): ``"refuse"`` (default), ``"again"`` (send another one anyway, CLI
``--again``) or ``"replace"`` (send it with the pending one's nonce and a higher fee, so only one can land,
CLI ``--replace``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.types import TxParams

from tenge.chain.journal import TxJournal
from tenge.errors import DuplicateTransaction

Policy = Literal["refuse", "again", "replace"]
POLICIES: tuple[Policy, ...] = ("refuse", "again", "replace")
#: Journal states of a transaction whose outcome no command reported.
UNTOLD = frozenset({"sent", "not-mined", "mined", "not-confirmed"})
#: A mined identical transaction counts for this long after it was sent.
RECENT_SECONDS = 24 * 3600
#: A replacement pays at least this much more per gas than the transaction it replaces (nodes ask for +10%).
REPLACEMENT_BUMP = 1.25


def call_digest(tx: TxParams) -> str:
    """What makes two transactions "the same write": contract (or none: a deployment), call data and value."""
    to = str(tx.get("to") or "").lower()
    data = tx.get("data") or "0x"
    data_hex = data if isinstance(data, str) else "0x" + bytes(data).hex()
    value = int(tx.get("value", 0) or 0)
    return Web3.keccak(text=f"{to}|{data_hex.lower()}|{value}").to_0x_hex()


@dataclass(frozen=True)
class Earlier:
    """An identical transaction found in the journal and on the node."""

    tx_hash: str
    nonce: int
    state: str  # pending | mined
    block_number: int | None
    sent_at: str

    def refusal(self, description: str, address: str, network: str) -> DuplicateTransaction:
        where = ("is still pending (sent, not yet mined)" if self.state == "pending"
                 else f"was mined in block {self.block_number}")  # fmt: skip
        replace = ("; or replace the pending one (same nonce, higher fee, only one can land) with --replace"
                   if self.state == "pending" else "")  # fmt: skip
        return DuplicateTransaction(
            f"{description}: an identical transaction from {address} {where}: {self.tx_hash} (nonce {self.nonce}, "
            f"sent {self.sent_at}); nothing was sent. Check it with `tenge tx status {self.tx_hash} --network "
            f"{network}`; to send it a second time anyway add --again{replace}",
            self.tx_hash, self.state, self.block_number,
        )  # fmt: skip


def find_earlier(
    w3: Web3, journal: TxJournal, *, network: str, chain_id: int, address: str, digest: str, skip: set[str]
) -> Earlier | None:
    """The latest identical transaction with an untold outcome that is pending or recently mined, else None.

    Only journal lines matching the call are asked about at the node (none, usually)."""
    now = datetime.now(timezone.utc)
    for entry in reversed(journal.latest(network)):
        data = entry.data
        if (data.get("call") != digest or entry.state not in UNTOLD or entry.tx_hash.lower() in skip
                or str(data.get("from", "")).lower() != address.lower() or data.get("chainId") != chain_id):  # fmt: skip
            continue
        found = _where(w3, entry.tx_hash, data, now)
        if found is not None:
            return found
    return None


def _where(w3: Web3, tx_hash: str, data: dict[str, Any], now: datetime) -> Earlier | None:
    nonce, sent_at = int(data.get("nonce", -1)), str(data.get("time", "?"))
    try:
        receipt = w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
    except TransactionNotFound:
        receipt = None
    if receipt is not None:
        if receipt["status"] != 1 or not _recent(sent_at, now):
            return None  # reverted: it did nothing
        return Earlier(tx_hash, nonce, "mined", int(receipt["blockNumber"]), sent_at)
    try:
        w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
    except TransactionNotFound:
        return None  # dropped from the mempool or replaced: it cannot land
    return Earlier(tx_hash, nonce, "pending", None, sent_at)


def _recent(sent_at: str, now: datetime) -> bool:
    try:
        when = datetime.fromisoformat(sent_at)
    except ValueError:
        return True
    return now - when < timedelta(seconds=RECENT_SECONDS)


def replacement_fees(w3: Web3, tx_hash: str, fees: dict[str, int]) -> dict[str, int]:
    """``fees`` raised to at least :data:`REPLACEMENT_BUMP` times what pending ``tx_hash`` offers, per field."""
    old = w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
    bumped = dict(fees)
    for key in ("gasPrice", "maxFeePerGas", "maxPriorityFeePerGas"):
        if key in bumped:
            previous = int(old.get(key) or old.get("gasPrice") or 0)
            bumped[key] = max(bumped[key], int(previous * REPLACEMENT_BUMP) + 1)
    if "maxFeePerGas" in bumped and "maxPriorityFeePerGas" in bumped:
        bumped["maxFeePerGas"] = max(bumped["maxFeePerGas"], bumped["maxPriorityFeePerGas"])
    return bumped
