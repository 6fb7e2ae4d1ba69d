"""Click parameter types of the ``tenge vat`` commands: each refuses bad input before a connection is opened."""

from __future__ import annotations

from datetime import timezone, tzinfo
from typing import Any, Callable, TypeVar

import click

from tenge.cli.common import AMOUNT
from tenge.cli.token_params import _Checked
from tenge.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])


class MerchantIdType(_Checked):
    """A merchant id: a whole number that fits uint64."""

    name = "merchant-id"

    def check(self, value: str) -> int:
        from tenge.payments.ids import merchant_id

        text = value.strip()
        if not text.isdigit():
            raise InvalidInput(f"{value!r} is not a merchant id (a whole number)")
        return merchant_id(int(text))


class InvoiceNoType(_Checked):
    """An invoice number of a merchant's invoice book: a whole number that fits uint64."""

    name = "invoice-no"

    def check(self, value: str) -> int:
        from tenge.payments.ids import invoice_number

        text = value.strip()
        if not text.isdigit():
            raise InvalidInput(f"{value!r} is not an invoice number (a whole number)")
        return invoice_number(int(text))


class CategoryType(_Checked):
    """A VAT category id, 0-255 (0: the merchant's default)."""

    name = "category"

    def check(self, value: str) -> int:
        from tenge.payments.ids import category_id

        text = value.strip()
        if not text.isdigit():
            raise InvalidInput(f"{value!r} is not a VAT category (a whole number from 0 to 255)")
        return category_id(int(text))


class RateType(_Checked):
    """A VAT rate with its unit: 16%, 12.5%, 1600bp."""

    name = "rate"

    def check(self, value: str) -> int:
        from tenge.payments.rates import parse_rate

        return parse_rate(value)


class InvoiceType(_Checked):
    """An invoice reference: a receipt number (<= 32 ASCII bytes), an e-invoice number (hashed), or 0x + 64 hex."""

    name = "invoice"

    def check(self, value: str) -> bytes:
        from tenge.payments.invoices import invoice_ref

        return invoice_ref(value)


class WhenType(_Checked):
    """Unix seconds, a date (2026-01-01) or a date-time (2026-01-01T00:00+05:00); checked here, resolved
    in the command with its --utc-offset."""

    name = "time"

    def check(self, value: str) -> str:
        from tenge.payments.periods import parse_instant

        parse_instant(value)
        return value.strip()


class VatRoleType(_Checked):
    """A VatPayments role by name: tax-authority, registrar, pauser, admin, TAX_AUTHORITY_ROLE ..."""

    name = "role"

    def check(self, value: str) -> str:
        from tenge.payments.roles import role_name

        return role_name(value)


class UtcOffsetType(_Checked):
    """A fixed UTC offset: +05:00, -03:30, UTC."""

    name = "utc-offset"

    def check(self, value: str) -> timezone:
        from tenge.payments.periods import parse_utc_offset

        return parse_utc_offset(value)


MERCHANT_ID = MerchantIdType()
INVOICE_NO = InvoiceNoType()
CATEGORY = CategoryType()
RATE = RateType()
INVOICE = InvoiceType()
WHEN = WhenType()
UTC_OFFSET = UtcOffsetType()
VAT_ROLE = VatRoleType()


def utc_offset_option(func: F) -> F:
    return click.option(
        "--utc-offset", "utc_offset", type=UTC_OFFSET, default=None,
        help="Time zone of dates given without one, as a UTC offset (+05:00). Default: the display zone "
        "([display] timezone of the config, else +05:00).",
    )(func)  # fmt: skip


def resolve_utc_offset(given: timezone | None, network: str) -> tzinfo:
    """The --utc-offset given, else the display zone (:mod:`tenge.times`: dates are read in the zone they are
    printed in)."""
    if given is not None:
        return given
    from tenge.cli.display import display_timezone

    return display_timezone()


def payment_arguments(func: F) -> F:
    """MERCHANT GROSS INVOICE and ``--category``: what a VAT payment pays (``vat pay``, ``vat offline sign``)."""
    func = click.option(
        "--category", type=CATEGORY, default=0, show_default=True, help="VAT category (0: the merchant's default)."
    )(func)
    func = click.argument("invoice", type=INVOICE)(func)
    func = click.argument("gross", type=AMOUNT)(func)
    func = click.argument("merchant", type=MERCHANT_ID)(func)
    return func


def require_positive_gross(gross: Any) -> None:
    """A payment of zero is refused before a key is loaded or a connection opened."""
    if gross == 0:
        raise click.BadParameter("a payment must be greater than zero", param_hint="GROSS")
