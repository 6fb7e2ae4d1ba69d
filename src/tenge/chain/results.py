"""What a write returns: the hash at once; the receipt, the fee paid and our contracts' decoded events once mined.

A single write returns a mined :class:`TxResult`. Inside ``session.pipeline()`` a write returns as soon as it
is sent; reading ``receipt``, ``gas_used``, ``fee`` or ``events`` then waits for the pipeline's receipts (and
raises the write's decoded error if it reverted).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from web3 import Web3
from web3.types import TxReceipt

from tenge.chain.events import DecodedEvent, decode_logs
from tenge.chain.transactions import SentTransaction

if TYPE_CHECKING:
    from tenge.chain.pipeline import PendingTx


class TxResult:
    """A write: ``tx_hash``, and once mined ``receipt``, ``gas_used``, ``block_number``, ``fee`` (in
    ``fee_symbol``, the network's coin) and ``events`` (our contracts' events, decoded)."""

    def __init__(
        self, tx_hash: str, *, sent: SentTransaction | None = None, pending: "PendingTx | None" = None,
        fee_symbol: str = "", w3: Web3 | None = None,
    ) -> None:  # fmt: skip
        self.tx_hash = tx_hash
        self.fee_symbol = fee_symbol
        self._sent = sent
        self._pending = pending
        self._w3 = w3

    @classmethod
    def from_sent(cls, sent: SentTransaction, *, fee_symbol: str = "", w3: Web3 | None = None) -> "TxResult":
        """The result of a mined write."""
        return cls(sent.tx_hash, sent=sent, fee_symbol=fee_symbol or sent.fee_symbol, w3=w3)

    @classmethod
    def from_pending(cls, pending: "PendingTx", *, fee_symbol: str = "", w3: Web3 | None = None) -> "TxResult":
        """The result of a pipelined write, mined later."""
        return cls(pending.tx_hash, pending=pending, fee_symbol=fee_symbol, w3=w3)

    @property
    def mined(self) -> SentTransaction:
        """The mined transaction (waits for a pipelined one; raises its decoded error if it failed)."""
        if self._sent is None:
            assert self._pending is not None
            self._sent = self._pending.result()
        return self._sent

    @property
    def receipt(self) -> TxReceipt:
        """The transaction's receipt (waits for a pipelined write to be mined)."""
        return self.mined.receipt

    @property
    def gas_used(self) -> int:
        """Gas the transaction used (exact, from its receipt)."""
        return self.mined.gas_used

    @property
    def block_number(self) -> int:
        """The block the transaction was mined in."""
        return self.mined.block_number

    @property
    def fee_wei(self) -> int:
        """Gas used times the effective gas price, in wei (the smallest unit of the network's coin)."""
        receipt = self.receipt
        return int(receipt["gasUsed"]) * int(receipt.get("effectiveGasPrice", 0) or 0)

    @property
    def fee(self) -> Decimal:
        """The fee paid, in the network's coin (BNB on BSC, ETH on a devnet): ``fee_symbol``."""
        return Decimal(self.fee_wei).scaleb(-18)

    @property
    def events(self) -> tuple[DecodedEvent, ...]:
        """The events of our contracts this write emitted, decoded (Decimal amounts, role names, references)."""
        return decode_logs(self._w3 or Web3(), self.receipt["logs"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TxResult) and other.tx_hash == self.tx_hash

    def __hash__(self) -> int:
        return hash(self.tx_hash)

    def __repr__(self) -> str:
        return f"TxResult(tx_hash={self.tx_hash!r})"

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {"txHash": self.tx_hash, "gasUsed": self.gas_used, "blockNumber": self.block_number,
                "fee": self.fee, "feeSymbol": self.fee_symbol,
                "events": [{"event": e.name, "args": _nested_amounts(e.args)} for e in self.events]}  # fmt: skip

    def fee_text(self) -> str:
        """``fee 0.000123 BNB``: the fee as the CLI prints it."""
        return f"fee {self.fee.normalize():f} {self.fee_symbol}".rstrip()


def _nested_amounts(args: Mapping[str, Any]) -> dict[str, Any]:
    """An event's arguments with the amounts inside its structs in tenge too (a bridge transfer's ``amount``):
    the top-level ones already are (:mod:`tenge.chain.readable`); every amount in ``--json`` is tenge."""
    from tenge.amounts import from_tiyn
    from tenge.chain.readable import EVENT_AMOUNT_NAMES

    def inner(value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {k: from_tiyn(v) if k in EVENT_AMOUNT_NAMES and isinstance(v, int) and not isinstance(v, bool)
                else inner(v) for k, v in value.items()}  # fmt: skip

    return {k: inner(v) for k, v in args.items()}
