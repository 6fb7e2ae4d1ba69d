"""Helpers of ``tenge offline accept``: opening a terminal from command-line settings, one line per result."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tenge.amounts import format_tenge, from_tiyn
from tenge.errors import InvalidInput
from tenge.offline.terminal.terminal import Accepted, Terminal, TerminalSettings
from tenge.offline.types import PurseDomain


def open_terminal(
    db: Path, merchant: str | None, banks: tuple[str, ...], chain_id: int | None, purse_contract: str | None
) -> Terminal:
    """Open the terminal at ``db``; settings given on the command line update the stored ones."""
    from tenge.offline.terminal.store import TerminalStore

    store = TerminalStore(db)
    stored = store.settings()
    store.close()
    values = dict(stored)
    if merchant:
        values["merchant"] = merchant
    if banks:
        values["trusted_banks"] = ",".join(banks)
    if chain_id is not None:
        values["chain_id"] = str(chain_id)
    if purse_contract:
        values["purse_contract"] = purse_contract
    missing = [opt for opt, key in (("--merchant", "merchant"), ("--bank", "trusted_banks"), ("--chain-id", "chain_id"),
                                    ("--purse-contract", "purse_contract")) if not values.get(key)]  # fmt: skip
    if missing:
        raise InvalidInput(f"the terminal {db} is not configured yet: give {', '.join(missing)}")
    settings = TerminalSettings.from_store(values)
    return Terminal.open(db, settings if values != stored else None)


def parse_purse_id(text: str) -> bytes:
    raw = text.removeprefix("0x")
    try:
        value = bytes.fromhex(raw)
    except ValueError:
        value = b""
    if len(value) != 32:
        raise InvalidInput(f"purse id {text!r} is not 0x + 64 hex digits")
    return value


def report(as_json: bool, status: str, detail: Accepted | str | None) -> None:
    """One line per event, flushed at once (a terminal's screen, or a supervising process, reads it live).
    "verified" (checks passed, storing) goes to stderr; "accepted" (after the commit) and "refused" as results."""
    if detail is None:
        click.echo(f"{status}: storing", err=True)
        sys.stderr.flush()
        return
    data: dict[str, object] = {"status": status}
    if isinstance(detail, Accepted):
        p = detail.payment.payment
        data.update({
            "id": detail.id, "purse_id": "0x" + p.purse_id.hex(), "sequence": p.sequence,
            "amount": str(from_tiyn(p.amount)), "merchant": p.merchant,
        })  # fmt: skip
        text = (
            f"accepted: {format_tenge(from_tiyn(p.amount))} from purse 0x{p.purse_id.hex()[:12]}..., "
            f"sequence {p.sequence} (stored #{detail.id})"
        )
    else:
        data["error"] = detail
        text = f"refused: {detail}"
    click.echo(json.dumps(data) if as_json else text, err=status == "refused" and not as_json)
    sys.stdout.flush()
