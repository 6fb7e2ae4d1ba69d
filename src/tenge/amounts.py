"""Tenge amounts: :class:`~decimal.Decimal` tenge in the SDK, integer tiyn at the contract boundary."""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation
from typing import Union

from tenge.errors import InvalidAmount

#: The token has 2 decimals: 1 tenge = 100 tiyn.
DECIMALS = 2
TIYN_PER_TENGE = 10**DECIMALS
#: Largest amount a uint256 can hold, in tiyn.
MAX_TIYN = 2**256 - 1
#: Decimal's default context keeps 28 digits: scaleb/quantize would round or fail on large amounts
#: (a max-uint256 allowance has 78). Every conversion here runs exactly in this context instead.
_EXACT = Context(prec=100)
_TIYN = Decimal(1).scaleb(-DECIMALS)

AmountLike = Union[Decimal, int, str]
_SCIENTIFIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


def parse_tenge(value: AmountLike, *, allow_zero: bool = True) -> Decimal:
    """Read an amount of tenge, rejecting negatives, NaN/infinity, more than 2 decimals and, in text, scientific
    notation (``1e3`` is not how money is written: 1000).

    Floats are refused: ``0.1 + 0.2`` is not money.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidAmount(f"{value!r}: give tenge as a Decimal, int or string, not {type(value).__name__}")
    shown = repr(str(value).strip())  # '1.001', never Decimal('1.001')
    if isinstance(value, str) and _SCIENTIFIC.match(value.strip().replace("_", "")):
        raise InvalidAmount(f"{shown} is in scientific notation: write the amount of tenge in digits (e.g. 1000.00)")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace("_", ""))
    except InvalidOperation:
        raise InvalidAmount(f"{shown} is not a number of tenge") from None
    if not amount.is_finite():
        raise InvalidAmount(f"{shown} is not a finite amount")
    if amount < 0:
        raise InvalidAmount(f"{shown}: amounts cannot be negative")
    if not allow_zero and amount == 0:
        raise InvalidAmount(f"amount must be greater than zero (got {str(value).strip()})")
    if amount.adjusted() > 80 or to_tiyn_unchecked(amount) > MAX_TIYN:
        raise InvalidAmount(f"{shown} is beyond what the contract can hold (uint256)")
    if amount != amount.quantize(_TIYN, context=_EXACT):
        raise InvalidAmount(f"{shown} has more than {DECIMALS} decimals (1 tiyn = 0.01 tenge)")
    return amount


def to_tiyn_unchecked(amount: Decimal) -> int:
    return int(amount.scaleb(DECIMALS, context=_EXACT))


def to_tiyn(value: AmountLike, *, allow_zero: bool = True) -> int:
    """Tenge -> integer tiyn, for the contract boundary only."""
    return to_tiyn_unchecked(parse_tenge(value, allow_zero=allow_zero))


def from_tiyn(tiyn: int) -> Decimal:
    """Integer tiyn from a contract -> Decimal tenge with exactly 2 places."""
    return Decimal(tiyn).scaleb(-DECIMALS, context=_EXACT).quantize(_TIYN, context=_EXACT)


def format_tenge(amount: Decimal, code: str = "KZT") -> str:
    return f"{amount:,.2f} {code}"
