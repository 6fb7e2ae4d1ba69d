"""`tenge offline purse ...` and `tenge offline settle`: offline purses on chain (over tenge.offline.purses): a bank certifies a purse, its holder
opens it, a bank revokes it, anyone closes it after the grace period, a terminal settles what it holds.

A certificate travels as JSON ({"purse_id", "device", "amount", "expiry", "bank", "signature"}, amount in tenge);
`tenge offline settle` submits what the terminal's store (`tenge offline accept --terminal`) has not settled.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, open_session, reader_options, signer_options
from tenge.cli.display import set_currency
from tenge.cli.token_params import DURATION

if TYPE_CHECKING:
    from tenge.offline.purses import BatchResult, OfflinePursesClient, PurseState
    from tenge.offline.types import SignedCertificate


def _open(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "OfflinePursesClient":
    client = open_session(network, rpc_url, account, read_only=read_only).offline()
    set_currency(lambda: client.token.currency)
    return client


def _json_arg(value: str) -> Any:
    """``value`` itself as JSON, or the JSON file it names."""
    text = Path(value).read_text() if not value.lstrip().startswith(("{", "[")) and Path(value).is_file() else value
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON and not a JSON file: {exc}") from None


def _hex(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise click.BadParameter(f"{what} must be a 0x hex string")
    try:
        return bytes.fromhex(value[2:] if value.startswith("0x") else value)
    except ValueError:
        raise click.BadParameter(f"{what} is not hex") from None


def unix_time(value: Any) -> int:
    """Unix seconds from a number or an ISO 8601 date with its offset (how --json prints times)."""
    from datetime import datetime

    if isinstance(value, str) and not value.isdigit():
        return int(datetime.fromisoformat(value).timestamp())
    return int(value)


def _certificate(data: Any) -> "SignedCertificate":
    from tenge.amounts import to_tiyn
    from tenge.errors import InvalidInput
    from tenge.offline.types import PurseCertificate, SignedCertificate

    try:
        cert = PurseCertificate(_hex(data["purse_id"], "purse_id"), data["device"], to_tiyn(str(data["amount"])),
                                unix_time(data["expiry"]), data["bank"])  # fmt: skip
        return SignedCertificate(cert, _hex(data["signature"], "signature"))
    except (KeyError, TypeError, ValueError, InvalidInput) as exc:
        raise click.BadParameter(f"not a purse certificate: {exc}") from None


def _certificate_json(signed: "SignedCertificate") -> dict[str, Any]:
    from tenge.amounts import from_tiyn

    c = signed.certificate
    return {"purse_id": "0x" + c.purse_id.hex(), "device": c.device, "amount": str(from_tiyn(c.amount)),
            "expiry": c.expiry, "bank": c.bank, "signature": "0x" + signed.signature.hex()}  # fmt: skip


def _state(state: "PurseState") -> dict[str, Any]:
    return {"purse_id": "0x" + state.purse_id.hex(), "status": state.status, "holder": state.holder, "bank": state.bank,
            "device": state.device, "amount": state.amount, "paid": state.paid, "unsettled": state.unsettled,
            "overdrawn": state.overdrawn, "reach": state.reach, "expiry": state.expiry,
            "revoked_at": state.revoked_at, "closable_at": state.closable_at}  # fmt: skip


@click.group("purse", cls=TengeGroup)
def purse_group() -> None:
    """A purse's life on chain: certify (bank), open (holder), status, revoke (bank), close."""


@purse_group.command("certify")
@click.argument("device", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--expires-in", type=DURATION, default="3d", show_default=True, help="Lifetime from the chain's clock.")
@click.option("--purse-id", default=None, help="0x + 64 hex digits (default: random).")
@reader_options
def certify_cmd(device: str, amount: Decimal, expires_in: int, purse_id: str | None, network: str,
                rpc_url: str | None, account: str | None) -> None:  # fmt: skip
    """Sign, as the bank (--account), a certificate for DEVICE to spend AMOUNT; prints it as JSON."""
    client = _open(network, rpc_url, account)
    key = bytes(client.session.signer.account.key)
    pid = _hex(purse_id, "--purse-id") if purse_id else os.urandom(32)
    signed = client.certify(key, pid, device, amount, client.block_time() + expires_in)
    emit(True, _certificate_json(signed))


@purse_group.command("open")
@click.argument("certificate")
@signer_options
@json_option
def open_cmd(certificate: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Open the purse of CERTIFICATE (JSON or a file): lock its amount of your tenge."""
    client = _open(network, rpc_url, account)
    signed = _certificate(_json_arg(certificate))
    result = client.open(signed)
    state = client.status(signed.certificate.purse_id)
    emit(as_json, {**_state(state), "tx": result.tx_hash}, f"opened purse 0x{state.purse_id.hex()}: {state.amount} locked")


@purse_group.command("status")
@click.argument("purse_id")
@reader_options
@json_option
def status_cmd(purse_id: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """A purse: status, amounts, reach, revocation and when it can be closed; a double-spend proof if any."""
    client = _open(network, rpc_url, account, read_only=True)
    state = client.status(purse_id)
    data = _state(state)
    proof = client.proof(purse_id)
    if proof is not None:
        data["proof"] = {"kind": proof.kind, "sequence": proof.sequence, "first_merchant_id": proof.first_merchant_id,
                         "second_merchant_id": proof.second_merchant_id, "overdrawn": proof.overdrawn}  # fmt: skip
    emit(as_json, data)


@purse_group.command("revoke")
@click.argument("purse_id")
@signer_options
@json_option
def revoke_cmd(purse_id: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Revoke a purse now (its bank; a lost device): later payments are refused, earlier ones honoured."""
    client = _open(network, rpc_url, account)
    result = client.revoke(purse_id)
    emit(as_json, {**_state(client.status(purse_id)), "tx": result.tx_hash}, f"revoked purse {purse_id}")


@purse_group.command("close")
@click.argument("purse_id")
@click.option("--request", is_flag=True, help="The holder asks to close early (payments from now are refused).")
@signer_options
@json_option
def close_cmd(purse_id: str, request: bool, network: str, rpc_url: str | None, account: str | None,
              as_json: bool) -> None:  # fmt: skip
    """Return the rest of a purse to its holder (after expiry or revocation + grace); --request asks early."""
    client = _open(network, rpc_url, account)
    if request:
        result = client.request_close(purse_id)
        state = client.status(purse_id)
        emit(as_json, {**_state(state), "tx": result.tx_hash}, f"close requested; closable from {state.closable_at}")
        return
    returned, result = client.close(purse_id)
    emit(as_json, {"purse_id": purse_id, "returned": returned, "tx": result.tx_hash}, f"closed: {returned} returned")


@click.command("settle")
@click.argument("merchant_id", type=click.IntRange(min=1, max=2**64 - 1))
@click.option("--terminal", "db", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
              help="The terminal's store (SQLite file `tenge offline accept` keeps).")
@signer_options
@json_option
def settle_cmd(merchant_id: int, db: Path, network: str, rpc_url: str | None, account: str | None,
               as_json: bool) -> None:  # fmt: skip
    """Settle what the terminal accepted and has not settled, to MERCHANT_ID, in batches of 100; learn revocations.

    Each batch's payments are marked settled in the store only after its receipt; a re-run after a crash submits
    them again and the contract skips them (already settled): nothing is paid twice."""
    from tenge.cli.offline_accept import open_terminal
    from tenge.offline.settle import settle_terminal

    client = _open(network, rpc_url, account)
    terminal = open_terminal(db, None, (), None, None)
    try:
        def submitted(batch: "BatchResult") -> None:
            click.echo(f"submitted: {batch.result.tx_hash} ({batch.settled} settled)", err=True)

        done = settle_terminal(client, terminal, merchant_id, on_submitted=submitted)
    finally:
        terminal.close()
    data = {
        "merchant_id": merchant_id, "settled": done.settled, "replayed": done.replayed, "gross": done.gross,
        "vat": done.vat, "revocations_learned": done.revocations_learned,
        "batches": [{"settled": b.settled, "gross": b.gross, "vat": b.vat, "gas_used": b.gas_used,
                     "tx": b.result.tx_hash} for b in done.batches],
        "skipped": [{"id": row, "purse_id": "0x" + p.hex(), "sequence": s, "reason": reason.name.lower()}
                    for row, p, s, reason in done.skipped],
    }  # fmt: skip
    lines = [f"batch {b.result.tx_hash}: {b.settled} settled, {b.gross} gross, {b.vat} VAT" for b in done.batches]
    lines += [f"skipped #{row} (purse 0x{p.hex()[:12]}..., sequence {s}): {r.name.lower()}"
              for row, p, s, r in done.skipped]  # fmt: skip
    lines.append(
        f"settled {done.settled} payments ({done.gross} gross, {done.vat} VAT) in {len(done.batches)} batches; "
        f"{done.replayed} already settled earlier; {done.revocations_learned} revocations learned"
    )
    emit(as_json, data, "\n".join(lines))
