"""What a token write returns: enough to find the transaction and what it cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tenge.chain.transactions import SentTransaction


@dataclass(frozen=True)
class TxResult:
    tx_hash: str
    gas_used: int
    block_number: int

    @classmethod
    def from_sent(cls, sent: SentTransaction) -> "TxResult":
        return cls(sent.tx_hash, sent.gas_used, sent.block_number)

    def to_dict(self) -> dict[str, Any]:
        return {"txHash": self.tx_hash, "gasUsed": self.gas_used, "blockNumber": self.block_number}
