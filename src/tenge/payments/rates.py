"""VAT rates as people write them (``16%``, ``12.5%``, ``1600bp``) and as the contract keeps them (basis points)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tenge.errors import InvalidInput
from tenge.payments.vat_math import MAX_RATE_BPS, check_rate_bps

_RATE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(%|bps?|bp)\s*$", re.IGNORECASE)


def parse_rate(text: str) -> int:
    """``"16%"`` -> 1600, ``"12.5%"`` -> 1250, ``"1600bp"`` -> 1600. A bare number is refused: its unit
    would be a guess."""
    match = _RATE.match(str(text))
    if not match:
        raise InvalidInput(f"{text!r} is not a VAT rate; give its unit: a percentage (16%, 12.5%) or basis points (1600bp)")
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise InvalidInput(f"{text!r} is not a number") from None
    bps = number * 100 if match.group(2) == "%" else number
    if bps != bps.to_integral_value():
        raise InvalidInput(f"{text!r} is finer than one basis point (0.01 %)")
    if bps > MAX_RATE_BPS:
        raise InvalidInput(f"{text!r} is above 100 %")
    return check_rate_bps(int(bps))


def rate_percent(rate_bps: int) -> Decimal:
    """Basis points as a percentage: 1600 -> Decimal('16'), 1250 -> Decimal('12.5')."""
    return (Decimal(rate_bps) / 100).normalize() if rate_bps else Decimal(0)


def format_rate(rate_bps: int) -> str:
    """1600 -> ``16%``, 1250 -> ``12.5%``, 0 -> ``0%``."""
    return f"{rate_percent(rate_bps):f}%"
