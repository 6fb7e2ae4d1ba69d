"""The payer's device: holds its purse certificate and device key, signs the next payment with no connection.

An honest device numbers its payments 1, 2, 3, ... and signs the running total as ``cumulative``; it never
signs past the purse amount or after expiry. Its counters live in a purse file (JSON) that is written
durably (temporary file, fsync, atomic rename, fsync of the folder) BEFORE the payment is handed out, so a
device that loses power never signs the same sequence or the same money twice.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from tenge.amounts import format_tenge, from_tiyn
from tenge.errors import InvalidInput, OfflinePaymentError
from tenge.offline.types import (
    OfflinePayment,
    PurseCertificate,
    PurseDomain,
    SignedCertificate,
    SignedPayment,
    sign_digest,
)
from eth_account import Account


class PurseExhausted(OfflinePaymentError):
    """The device would sign past its purse amount or after its expiry."""


def tenge_text(tiyn: int) -> str:
    return format_tenge(from_tiyn(tiyn))


def invoice_bytes(text: str | None) -> bytes:
    """An invoice reference as bytes32: ``0x`` + 64 hex digits as is, otherwise UTF-8 (<= 32 bytes) zero-padded."""
    if not text:
        return bytes(32)
    if text.startswith("0x") and len(text) == 66:
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            raise InvalidInput(f"invoice {text!r} is not 32 hex bytes") from None
    raw = text.encode("utf-8")
    if len(raw) > 32:
        raise InvalidInput(f"invoice reference {text!r} is longer than 32 bytes")
    return raw.ljust(32, b"\x00")


@dataclass(frozen=True)
class PurseState:
    """What a device keeps about its purse: the signed certificate, the domain, and its counters."""

    certificate: SignedCertificate
    domain: PurseDomain
    sequence: int = 0
    cumulative: int = 0

    @property
    def remaining(self) -> int:
        return self.certificate.certificate.amount - self.cumulative

    def to_dict(self) -> dict[str, Any]:
        cert = self.certificate.certificate
        return {
            "chainId": self.domain.chain_id,
            "purseContract": self.domain.verifying_contract,
            "purseId": "0x" + cert.purse_id.hex(),
            "device": cert.device,
            "amount": str(cert.amount),
            "expiry": cert.expiry,
            "bank": cert.bank,
            "certificateSignature": "0x" + self.certificate.signature.hex(),
            "sequence": self.sequence,
            "cumulative": str(self.cumulative),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PurseState:
        try:
            cert = PurseCertificate(
                bytes.fromhex(str(data["purseId"]).removeprefix("0x")), str(data["device"]), int(data["amount"]),
                int(data["expiry"]), str(data["bank"]),
            )  # fmt: skip
            signed = SignedCertificate(cert, bytes.fromhex(str(data["certificateSignature"]).removeprefix("0x")))
            domain = PurseDomain(int(data["chainId"]), str(data["purseContract"]))
            return cls(signed, domain, int(data.get("sequence", 0)), int(data.get("cumulative", 0)))
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(f"not a purse file: {exc}") from None


def save_state(path: Path, state: PurseState) -> None:
    """Write ``state`` so that a power cut leaves either the old or the new file, never a torn one."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(state.to_dict(), handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def load_state(path: Path) -> PurseState:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"purse file {path} does not exist") from None
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"purse file {path} is not readable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"purse file {path} is not a JSON object")
    return PurseState.from_dict(data)


class Device:
    """A device key and its purse. ``pay`` signs the next payment and advances the counters."""

    def __init__(self, state: PurseState, key: bytes) -> None:
        address = Account.from_key(key).address
        if address != state.certificate.certificate.device:
            raise InvalidInput(f"this key is {address}, but the purse is bound to device {state.certificate.certificate.device}")
        self.state = state
        self._key = key

    def next_payment(self, merchant: str, amount: int, invoice: bytes, now: int) -> tuple[SignedPayment, PurseState]:
        """The signed payment of ``amount`` tiyn to ``merchant`` and the state after it (not yet saved)."""
        cert = self.state.certificate.certificate
        if amount <= 0:
            raise InvalidInput(f"the amount must be positive, not {tenge_text(amount)}")
        if now > cert.expiry:
            raise PurseExhausted(f"the purse expired at {cert.expiry} (now {now}): pay online or open a new purse")
        if amount > self.state.remaining:
            raise PurseExhausted(
                f"{tenge_text(amount)} is more than the {tenge_text(self.state.remaining)} left in the purse"
            )
        cumulative = self.state.cumulative + amount
        sequence = self.state.sequence + 1
        payment = OfflinePayment(cert.purse_id, sequence, amount, cumulative, merchant, invoice, now)
        signature = sign_digest(payment.digest(self.state.domain), self._key)
        return SignedPayment(payment, signature, self.state.certificate), replace(
            self.state, sequence=sequence, cumulative=cumulative
        )

    def pay(self, merchant: str, amount: int, invoice: bytes, now: int) -> SignedPayment:
        signed, self.state = self.next_payment(merchant, amount, invoice, now)
        return signed


def remaining_tenge(state: PurseState) -> Decimal:
    return from_tiyn(state.remaining)


__all__ = ["Device", "PurseExhausted", "PurseState", "invoice_bytes", "load_state", "remaining_tenge", "save_state"]
