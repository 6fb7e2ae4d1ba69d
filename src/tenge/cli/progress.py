"""What the CLI tells while a write is on its way: each hash as it is sent, then mined/confirmations, on stderr
(so ``--json`` on stdout stays valid JSON); and what was pending when the operator pressed Ctrl-C.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from tenge.chain.lifecycle import TxEvent


@dataclass
class InFlight:
    """Transactions sent and not yet seen confirmed, and what the running command was doing."""

    network: str = ""
    sent: dict[str, str] = field(default_factory=dict)  # hash -> description
    step: str | None = None
    resume_hint: str | None = None

    def listener(self, event: TxEvent) -> None:
        if event.kind == "sent":
            self.sent[event.tx_hash] = event.description
            nonce = f" (nonce {event.nonce})" if event.nonce is not None else ""
            click.echo(f"sent {event.description}: tx {event.tx_hash}{nonce}", err=True)
        elif event.kind in ("mined", "confirmations"):
            click.echo(
                f"  mined in block {event.block_number}: {event.confirmations} of {event.required} confirmations"
                + (", waiting..." if event.confirmations < event.required else ""),
                err=True,
            )
        elif event.kind in ("confirmed", "reverted"):
            self.sent.pop(event.tx_hash, None)
            if event.kind == "confirmed" and event.required > 1:
                click.echo(f"  confirmed: block {event.block_number}, {event.confirmations} confirmations", err=True)

    def interrupted_message(self) -> str:
        parts = ["Interrupted."]
        if self.step:
            parts.append(f"Step in progress: {self.step}.")
        if self.sent:
            for tx_hash, description in self.sent.items():
                parts.append(
                    f"Pending: {description}: transaction {tx_hash} was sent and may still be mined; do not resend it; "
                    f"check it with `tenge tx status {tx_hash} --network {self.network}` (it is in `tenge tx journal`)."
                )
        else:
            parts.append("No transaction was waiting for its receipt.")
        if self.resume_hint:
            parts.append(self.resume_hint)
        return " ".join(parts)


#: The running command's in-flight transactions (one command per process).
IN_FLIGHT = InFlight()
