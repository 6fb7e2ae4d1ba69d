"""The refusals of a merchant terminal: one exception per check, each with a readable message (amounts in tenge).

All are :class:`tenge.offline_codec.OfflinePaymentRejected` (so :class:`tenge.errors.InvalidInput`), with
``reason`` naming the check; the CLI turns them into a non-zero exit with the message.
"""

from __future__ import annotations

from tenge.offline_codec import OfflinePaymentRejected


class PaymentRefused(OfflinePaymentRejected):
    """A payment the terminal refused; nothing was stored."""

    reason_code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(self.reason_code, message)


class WrongDomain(PaymentRefused):
    reason_code = "domain"


class UntrustedBank(PaymentRefused):
    reason_code = "bank"


class BadCertificate(PaymentRefused):
    reason_code = "certificate"


class BadDeviceSignature(PaymentRefused):
    reason_code = "signature"


class BadAmount(PaymentRefused):
    reason_code = "amount"


class OverPurse(PaymentRefused):
    reason_code = "over-purse"


class SequenceNotAbove(PaymentRefused):
    reason_code = "sequence"


class OverlappingPayment(PaymentRefused):
    reason_code = "overlap"


class WrongMerchant(PaymentRefused):
    reason_code = "merchant"


class PurseExpired(PaymentRefused):
    reason_code = "expired"


class PurseRevoked(PaymentRefused):
    reason_code = "revoked"


class TerminalError(OfflinePaymentRejected):
    """The terminal itself cannot work (store unusable, not configured)."""

    def __init__(self, message: str) -> None:
        super().__init__("terminal", message)


__all__ = [
    "BadAmount",
    "BadCertificate",
    "BadDeviceSignature",
    "OverPurse",
    "OverlappingPayment",
    "PaymentRefused",
    "PurseExpired",
    "PurseRevoked",
    "SequenceNotAbove",
    "TerminalError",
    "UntrustedBank",
    "WrongDomain",
    "WrongMerchant",
]
