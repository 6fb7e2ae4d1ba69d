"""The contract's rounding rule (``contracts/payments/VatMath.sol``), in integer tiyn.

    vat = round_half_up(gross * rate / (10 000 + rate))
        = (2 * gross * rate + (10 000 + rate)) // (2 * (10 000 + rate))
    net = gross - vat

A partial refund carries ``round_half_up(part * vat / gross)`` of the *cumulative* amount refunded,
minus what earlier refunds carried. Integers only: these functions must agree with the contract to
the tiyn, so no Decimal arithmetic takes part.
"""

from __future__ import annotations

from fractions import Fraction

from tenge.errors import InvalidInput

#: 100 % in basis points, and the largest rate the contract accepts.
BPS = 10_000
MAX_RATE_BPS = 10_000
#: A payment record holds amounts below 2**96 tiyn.
MAX_PAYMENT_TIYN = 2**96 - 1


def check_rate_bps(rate_bps: int) -> int:
    if isinstance(rate_bps, bool) or not isinstance(rate_bps, int) or not 0 <= rate_bps <= MAX_RATE_BPS:
        raise InvalidInput(f"a VAT rate is 0 to {MAX_RATE_BPS} basis points (0-100 %), not {rate_bps!r}")
    return rate_bps


def vat_from_gross(gross_tiyn: int, rate_bps: int) -> int:
    """VAT contained in the VAT-inclusive ``gross_tiyn`` at ``rate_bps``, rounded half up to whole tiyn."""
    check_rate_bps(rate_bps)
    if gross_tiyn < 0:
        raise InvalidInput(f"a gross amount cannot be negative ({gross_tiyn} tiyn)")
    denominator = BPS + rate_bps
    return (2 * gross_tiyn * rate_bps + denominator) // (2 * denominator)


def split_gross(gross_tiyn: int, rate_bps: int) -> tuple[int, int]:
    """(net, vat) in tiyn: ``net + vat == gross`` exactly."""
    vat = vat_from_gross(gross_tiyn, rate_bps)
    return gross_tiyn - vat, vat


def exact_vat(gross_tiyn: int, rate_bps: int) -> Fraction:
    """The exact (unrounded) VAT contained in ``gross_tiyn``: what the rounding is measured against."""
    return Fraction(gross_tiyn * rate_bps, BPS + rate_bps)


def vat_share(vat_tiyn: int, part_tiyn: int, gross_tiyn: int) -> int:
    """VAT carried by the first ``part_tiyn`` of a payment of ``gross_tiyn`` that contained ``vat_tiyn``."""
    if gross_tiyn <= 0 or not 0 <= part_tiyn <= gross_tiyn:
        raise InvalidInput(f"a refunded part must be within the payment: 0 <= {part_tiyn} <= {gross_tiyn}")
    return (2 * part_tiyn * vat_tiyn + gross_tiyn) // (2 * gross_tiyn)


def refund_split(gross_tiyn: int, vat_tiyn: int, refunded_tiyn: int, amount_tiyn: int) -> tuple[int, int]:
    """(net, vat) of refunding ``amount_tiyn`` more of a payment already refunded by ``refunded_tiyn``:
    the net part comes from the merchant, the VAT part from the escrow (or the treasury)."""
    vat_part = vat_share(vat_tiyn, refunded_tiyn + amount_tiyn, gross_tiyn) - vat_share(
        vat_tiyn, refunded_tiyn, gross_tiyn
    )
    return amount_tiyn - vat_part, vat_part
