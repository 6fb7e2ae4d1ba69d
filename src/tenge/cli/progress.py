"""What the CLI tells while a write is on its way: each hash as it is sent, then mined/confirmations, on stderr
(so ``--json`` on stdout stays valid JSON); and what was pending when the operator pressed Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from tenge.chain.lifecycle import TxEvent


@dataclass
class InFlight:
    """Transactions sent and not yet seen confirmed, and what the running command was doing."""

    network: str = ""
    sent: dict[str, str] = field(default_factory=dict)  # hash -> description
    mined: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # hash -> (block, confirmations, required)
    step: str | None = None
    resume_hint: str | None = None

    def listener(self, event: TxEvent) -> None:
        if event.kind == "sent":
            self.sent[event.tx_hash] = event.description
            nonce = f" (nonce {event.nonce})" if event.nonce is not None else ""
            click.echo(f"sent {event.description}: tx {event.tx_hash}{nonce}", err=True)
        elif event.kind in ("mined", "confirmations"):
            if event.block_number is not None:
                self.mined[event.tx_hash] = (event.block_number, event.confirmations, event.required)
            click.echo(
                f"  mined in block {event.block_number}: {event.confirmations} of {event.required} confirmations"
                + (", waiting..." if event.confirmations < event.required else ""),
                err=True,
            )
        elif event.kind in ("confirmed", "reverted"):
            self.sent.pop(event.tx_hash, None)
            self.mined.pop(event.tx_hash, None)
            if event.kind == "confirmed" and event.required > 1:
                click.echo(f"  confirmed: block {event.block_number}, {event.confirmations} confirmations", err=True)

    def _where(self, tx_hash: str) -> str:
        if tx_hash not in self.mined:
            return "was sent and may still be mined"
        block, confirmations, required = self.mined[tx_hash]
        return (f"was mined in block {block} ({confirmations} of {required} confirmations): it happened unless a "
                "reorganisation drops it")  # fmt: skip

    def error_document(self, message: str, exit_code: int) -> dict[str, Any]:
        """The interruption as ``--json`` prints every error: code ``Interrupted``, the message, the pending
        transactions (hash, description and, when known, the block)."""
        pending = [{"tx_hash": h, "description": d, "state": "mined" if h in self.mined else "sent",
                    "block_number": self.mined[h][0] if h in self.mined else None} for h, d in self.sent.items()]  # fmt: skip
        return {"error": {"code": "Interrupted", "message": message, "exit_code": exit_code, "pending": pending,
                          "step": self.step}}  # fmt: skip

    def interrupted_message(self) -> str:
        parts = ["Interrupted."]
        if self.step:
            parts.append(f"Step in progress: {self.step}.")
        if self.sent:
            for tx_hash, description in self.sent.items():
                parts.append(f"Pending: {description}: transaction {tx_hash} {self._where(tx_hash)}; do not resend it; "
                             f"check it with `tenge tx status {tx_hash} --network {self.network}` (it is in `tenge tx "
                             "journal`).")  # fmt: skip
        else:
            parts.append("No transaction was waiting for its receipt.")
        if self.resume_hint:
            parts.append(self.resume_hint)
        return " ".join(parts)


#: The running command's in-flight transactions (one command per process).
IN_FLIGHT = InFlight()


def receipts_bar(label: str, total: int, width: int = 30) -> Callable[[int, int], None]:
    """A progress bar on stderr for a pipeline's receipts: ``progress(settled, sent)``; ends its line when all
    ``total`` transactions are settled."""

    def progress(settled: int, sent: int) -> None:
        done = min(settled, total)
        filled = width * done // max(total, 1)
        click.echo(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} mined", err=True, nl=False)
        if done >= total:
            click.echo("", err=True)

    return progress
