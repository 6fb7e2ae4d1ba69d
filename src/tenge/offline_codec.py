"""The framing both offline strings share (``dtenge1:`` token payments, ``dtvat1:`` VAT payments).

A string is a prefix followed by the unpadded base64url of a fixed big-endian layout whose first byte is
the format version and whose last 4 bytes are the first 4 bytes of keccak256 over everything before them.
Each format owns its layout (:class:`struct.Struct`) and what its fields mean; this module only frames,
unframes and refuses what is structurally wrong, and holds the checks both make against a token's domain.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_utils.crypto import keccak

from tenge.errors import InvalidInput, OfflinePaymentError

if TYPE_CHECKING:  # tenge.token imports this module: no import back at run time
    from tenge.token.authorizations import SignedAuthorization, TokenDomain

CHECKSUM_BYTES = 4
MAX_UINT64 = 2**64 - 1
#: Default validity of an offline payment, and how far back its window starts (payer's clock may be off).
DEFAULT_VALID_FOR_SECONDS = 7 * 24 * 3600
CLOCK_SKEW_SECONDS = 300

_WHITESPACE = re.compile(r"\s+")


class OfflinePaymentRejected(OfflinePaymentError):
    """An offline payment string that was refused; ``reason`` says which check failed.

    Reasons: ``prefix``, ``encoding``, ``length``, ``version``, ``checksum``, ``window``, ``chain``,
    ``token``, ``signature`` (and, for VAT payments, ``invoice``, ``amount``, ``contract``).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"offline payment rejected ({reason}): {message}")
        self.reason = reason


def checksum(body: bytes) -> bytes:
    return bytes(keccak(body)[:CHECKSUM_BYTES])


@dataclass(frozen=True)
class OfflineFormat:
    """One offline string format: its prefix, its binary layout (after the checksum is taken off) and version."""

    prefix: str
    body: struct.Struct
    #: What the string carries, for the prefix error ("an offline payment starts with ...").
    what: str
    version: int = 1

    @property
    def encoded_bytes(self) -> int:
        return self.body.size + CHECKSUM_BYTES

    def encode(self, *fields: Any) -> str:
        """Pack ``fields`` (the version first) and frame them: prefix + base64url(body + checksum)."""
        body = self.body.pack(*fields)
        raw = body + checksum(body)
        return self.prefix + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def decode(self, text: str) -> tuple[Any, ...]:
        """Unframe ``text`` and unpack its fields (the version first); raise :class:`OfflinePaymentRejected`
        on a bad prefix, encoding, version, length or checksum. Whitespace anywhere is ignored."""
        compact = _WHITESPACE.sub("", str(text))
        if not compact.startswith(self.prefix):
            raise OfflinePaymentRejected("prefix", f"{self.what} starts with {self.prefix!r}")
        payload = compact[len(self.prefix) :]
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        except (binascii.Error, ValueError):
            raise OfflinePaymentRejected("encoding", "not valid base64url") from None
        # One byte string has exactly one unpadded base64url spelling; anything else was altered.
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != payload:
            raise OfflinePaymentRejected("encoding", "not a canonical base64url encoding")
        if raw[:1] and raw[0] != self.version:
            raise OfflinePaymentRejected("version", f"format version {raw[0]} is not supported (expected {self.version})")
        if len(raw) != self.encoded_bytes:
            raise OfflinePaymentRejected("length", f"{len(raw)} bytes instead of {self.encoded_bytes}")
        body, check = raw[: self.body.size], raw[self.body.size :]
        if checksum(body) != check:
            raise OfflinePaymentRejected("checksum", "the checksum does not match: the string was altered or mistyped")
        return self.body.unpack(body)


def validity_window(valid_for_seconds: int, valid_after: int | None, now: int | None) -> tuple[int, int]:
    """The signing window: from ``CLOCK_SKEW_SECONDS`` before ``now`` (unless ``valid_after`` is given)
    to ``valid_for_seconds`` after ``now``; refused if empty-lived or past uint64."""
    if valid_for_seconds <= 0:
        raise InvalidInput(f"validity must be positive, not {valid_for_seconds} seconds")
    current = int(time.time()) if now is None else int(now)
    start = max(0, current - CLOCK_SKEW_SECONDS) if valid_after is None else int(valid_after)
    end = current + int(valid_for_seconds)
    if end > MAX_UINT64:
        raise InvalidInput("the validity window ends too far in the future")
    return start, end


def check_chain_and_token(chain_id: int, token: str, domain: TokenDomain, *, here: str) -> None:
    """Refuse a payment signed for another chain or token than ``domain`` (``here`` names where we are)."""
    if chain_id != domain.chain_id:
        raise OfflinePaymentRejected(
            "chain", f"signed for chain id {chain_id}, but {here} is on chain id {domain.chain_id}"
        )
    if token != domain.verifying_contract:
        raise OfflinePaymentRejected("token", f"signed for token {token}, not for {domain.verifying_contract}")


def check_signer(signed: SignedAuthorization, domain: TokenDomain) -> None:
    """Refuse a signature that is malformed or does not recover to the authorization's payer."""
    payer = signed.authorization.from_address
    try:
        signer = signed.signer(domain)
    except InvalidInput as exc:
        raise OfflinePaymentRejected("signature", str(exc)) from None
    if signer != payer:
        raise OfflinePaymentRejected(
            "signature", f"the signature recovers to {signer}, not to the payer {payer}: tampered or forged"
        )


__all__ = [
    "CHECKSUM_BYTES",
    "CLOCK_SKEW_SECONDS",
    "DEFAULT_VALID_FOR_SECONDS",
    "MAX_UINT64",
    "OfflineFormat",
    "OfflinePaymentRejected",
    "check_chain_and_token",
    "check_signer",
    "checksum",
    "validity_window",
]
