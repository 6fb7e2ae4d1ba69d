"""The one format of every free-text reference the chain stores readable, checked before anything is sent.

Invoice references, redemption and settlement references, legal references (court orders) and budget codes
travel on chain as ``bytes32`` that anyone can read back as text (see ``tenge audit privacy``). They name a
document or a budget line, never a person, so the SDK and the CLI accept only:

* 1 to 32 characters of ASCII letters, digits and ``-`` ``/`` ``.`` - no spaces, no ``@``, no ``+``;
  e.g. ``INV-2026-0001``, ``COURT/2026/117``, ``ALMATY-LUNCH-2026``;
* and nothing that looks like personal data: a 12-digit number standing alone (the shape of an IIN, the
  individual identification number), a phone number (10 or 11 digits, separators ignored), an e-mail
  address or a name-like ``Firstname Lastname`` (two or three capitalised words).

A value that breaks the rule raises :class:`~tenge.errors.InvalidInput` naming the rule; nothing is signed.
Every encoder of such a reference calls :func:`check_reference` - it is the only place the rule lives.
"""

from __future__ import annotations

import re

from tenge.errors import InvalidInput

MAX_REFERENCE_CHARS = 32
RULE = "letters, digits and - / . only, at most 32 characters, no personal data"

_FORMAT = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]*")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_NAME = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+(?:[ ._][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+){1,2}")
_IIN = re.compile(r"(?<!\d)\d{12}(?!\d)")
_PHONE_SEPARATORS = re.compile(r"[\s()+./-]")


def personal_data_in(text: str, *, anywhere: bool = True) -> str | None:
    """What ``text`` looks like if it looks like personal data (``"an e-mail address"`` ...), else ``None``.
    With ``anywhere=False`` an IIN counts only as the whole value (an e-invoice number that embeds one is
    hashed before it reaches the chain, see tenge.payments.invoices)."""
    value = text.strip()
    if _EMAIL.fullmatch(value):
        return "an e-mail address"
    if _NAME.fullmatch(value):
        return "a person's name"
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.isdigit() and len(digits) in (10, 11) and (value.startswith("+") or digits[0] in "78"):
        return "a phone number"
    if (_IIN.search(value) if anywhere else _IIN.fullmatch(digits)):
        return "an IIN (a 12-digit individual identification number)"
    return None


def check_reference(text: str, what: str = "reference") -> str:
    """``text`` stripped, if it keeps the reference format (module docstring); else :class:`InvalidInput`."""
    value = text.strip()
    looks_like = personal_data_in(value)
    if looks_like is not None:
        raise InvalidInput(
            f"{what} {value!r} looks like {looks_like}: the chain stores references readable for anyone, so "
            f"no personal data belongs there (use a document number: {RULE})"
        )
    if len(value) > MAX_REFERENCE_CHARS or not _FORMAT.fullmatch(value):
        raise InvalidInput(f"{what} {value!r} is not a reference of the documented format: {RULE}")
    return value
