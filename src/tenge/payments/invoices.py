"""Invoice references: the ``bytes32`` a payment carries, by the convention of ``IVatPayments``.

* A receipt number of at most 32 printable ASCII bytes travels as is, left-aligned and zero-padded,
  so it reads back as text - anyone can read it, so it must keep the format of
  :mod:`tenge.reference_format` (letters, digits, ``-`` ``/`` ``.``; nothing like a name, an IIN, a phone
  number or an e-mail address), checked before anything is sent.
* Anything longer or not ASCII is refused, never silently replaced: an e-invoice (ESF) registration
  number, which can contain an individual entrepreneur's IIN, is given as its keccak256
  (:func:`hashed_invoice_ref`, ``0x`` and 64 hex digits): the tax authority, which holds the e-invoice,
  can match it; the chain learns nothing personal.

``0x`` followed by 64 hex digits is taken as an already-made reference (as reports and receipts
show keccak references), so a refund can name the invoice the way the receipt printed it.
"""

from __future__ import annotations

import re

from eth_utils import keccak

from tenge.errors import InvalidInput
from tenge.reference_format import check_reference, personal_data_in

REF_BYTES = 32
_RAW_REF = re.compile(r"^0x[0-9a-fA-F]{64}$")
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]+$")


def invoice_ref(text: str) -> bytes:
    """The ``bytes32`` invoice reference of ``text`` (see the module's rules); empty is refused."""
    if not isinstance(text, str):
        raise InvalidInput(f"an invoice reference is text, not {type(text).__name__}")
    value = text.strip()
    if not value:
        raise InvalidInput("an invoice reference is required (a receipt number or e-invoice registration number)")
    if _RAW_REF.match(value):
        raw = bytes.fromhex(value[2:])
        if raw == bytes(REF_BYTES):
            raise InvalidInput("the all-zero invoice reference means 'none' and is refused")
        return raw
    if "\x00" in value:
        raise InvalidInput("an invoice reference cannot contain NUL characters")
    encoded = value.encode("utf-8")
    if len(encoded) <= REF_BYTES and _PRINTABLE_ASCII.match(value):
        return check_reference(value, "invoice reference").encode("ascii").ljust(REF_BYTES, b"\x00")
    if personal_data_in(value, anywhere=False) is not None:
        check_reference(value, "invoice reference")  # says what it looks like (a name, an IIN, ...)
    problem = "is longer than 32 bytes" if _PRINTABLE_ASCII.match(value) else "is not printable ASCII"
    raise InvalidInput(
        f"invoice reference {value!r} {problem}: give a receipt number of at most 32 ASCII characters, or an "
        "e-invoice number as its keccak256 (0x and 64 hex digits: tenge.payments.invoices.hashed_invoice_ref); "
        "nothing was sent"
    )


def hashed_invoice_ref(text: str) -> str:
    """``0x`` + the keccak256 of ``text`` (UTF-8): how a long or non-ASCII e-invoice number is given, on purpose."""
    value = str(text).strip()
    if not value:
        raise InvalidInput("an invoice reference is required (a receipt number or e-invoice registration number)")
    if personal_data_in(value, anywhere=False) is not None:
        check_reference(value, "invoice reference")  # a hash of a name or an IIN alone is guessable: refused too
    return "0x" + bytes(keccak(value.encode("utf-8"))).hex()


def describe_invoice_ref(ref: bytes) -> str:
    """``ref`` as the text it was made from when it is a short ASCII reference, else ``0x`` hex."""
    raw = bytes(ref)
    text = raw.rstrip(b"\x00")
    if text and b"\x00" not in text:
        try:
            decoded = text.decode("ascii")
        except UnicodeDecodeError:
            decoded = ""
        if decoded and _PRINTABLE_ASCII.match(decoded) and decoded == decoded.strip():
            return decoded
    return "0x" + raw.hex()


#: An invoice as the SDK takes it: text (see :func:`invoice_ref`) or an already-made 32-byte reference.
InvoiceLike = str | bytes


def as_invoice_ref(invoice: InvoiceLike) -> bytes:
    """An invoice given as text (see :func:`~tenge.payments.invoices.invoice_ref`) or as 32 bytes."""
    if isinstance(invoice, (bytes, bytearray)):
        if len(invoice) != 32 or bytes(invoice) == bytes(32):
            raise InvalidInput("an invoice reference given as bytes must be 32 bytes and not all zero")
        return bytes(invoice)
    return invoice_ref(invoice)
