"""VAT payments from Python: client, invoice references, offline VAT payments, reports."""

from tenge.payments.client import VatPaymentsClient, as_invoice_ref
from tenge.payments.invoices import describe_invoice_ref, invoice_ref
from tenge.payments.offline import (
    OfflineVatPayment,
    decode_offline_vat_payment,
    parse_offline_vat_payment,
    sign_offline_vat_payment,
)
from tenge.payments.periods import Period, parse_utc_offset
from tenge.payments.rates import format_rate, parse_rate
from tenge.payments.records import (
    EscrowState,
    Merchant,
    PaymentReceipt,
    PaymentRecord,
    Quote,
    RateSchedule,
    RefundReceipt,
    WithdrawalReceipt,
)
from tenge.payments.report import Reconciliation, VatReport, VatReportRow, VatTotals
from tenge.payments.vat_math import split_gross, vat_from_gross, vat_share

__all__ = [
    "EscrowState",
    "Merchant",
    "OfflineVatPayment",
    "PaymentReceipt",
    "PaymentRecord",
    "Period",
    "Quote",
    "RateSchedule",
    "Reconciliation",
    "RefundReceipt",
    "VatPaymentsClient",
    "VatReport",
    "VatReportRow",
    "VatTotals",
    "WithdrawalReceipt",
    "as_invoice_ref",
    "decode_offline_vat_payment",
    "describe_invoice_ref",
    "format_rate",
    "invoice_ref",
    "parse_offline_vat_payment",
    "parse_rate",
    "parse_utc_offset",
    "sign_offline_vat_payment",
    "split_gross",
    "vat_from_gross",
    "vat_share",
]
