"""Legal and redemption references: a short text carried on chain as ``bytes32``.

A court order number or a bank's payment reference fits in 32 bytes of UTF-8; longer text is
refused rather than cut, because a truncated reference would point at the wrong document.
No personal data belongs here: the reference names a document, not a person - the format of
:mod:`tenge.reference_format` (letters, digits, ``-`` ``/`` ``.``) is checked before anything is sent.
"""

from __future__ import annotations

from tenge.errors import InvalidInput
from tenge.reference_format import check_reference

REFERENCE_BYTES = 32


def reference_to_bytes32(text: str, what: str = "reference") -> bytes:
    """``text`` as UTF-8, right-padded with zero bytes to 32; empty or longer than 32 bytes is refused."""
    if not isinstance(text, str):
        raise InvalidInput(f"a reference must be text, not {type(text).__name__}")
    encoded = text.strip().encode("utf-8")
    if not encoded:
        raise InvalidInput("a reference is required (e.g. the court order or payment reference number)")
    if len(encoded) > REFERENCE_BYTES:
        raise InvalidInput(
            f"reference {text!r} is {len(encoded)} bytes of UTF-8; at most {REFERENCE_BYTES} fit on chain"
        )
    if b"\x00" in encoded:
        raise InvalidInput("a reference cannot contain NUL characters")
    check_reference(text, what)
    return encoded.ljust(REFERENCE_BYTES, b"\x00")


def reference_from_bytes32(value: bytes) -> str:
    """The text of a ``bytes32`` reference written by :func:`reference_to_bytes32` (hex if it is not text)."""
    raw = bytes(value).rstrip(b"\x00")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + bytes(value).hex()
