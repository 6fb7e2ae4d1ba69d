"""The DigitalTenge token from Python: client, signed authorizations, offline payments, payouts."""

from tenge.token.authorizations import TokenDomain, sign_cancel_authorization, sign_permit, sign_transfer_authorization
from tenge.token.client import AccountState, DigitalTengeClient, ReserveState
from tenge.token.offline import (
    OfflinePayment,
    OfflinePaymentRejected,
    decode_offline_payment,
    parse_offline_payment,
    sign_offline_payment,
)
from tenge.token.payouts import Payout, read_payout_csv
from tenge.token.results import TxResult
from tenge.token.roles import ROLE_NAMES

__all__ = [
    "AccountState",
    "DigitalTengeClient",
    "OfflinePayment",
    "OfflinePaymentRejected",
    "Payout",
    "ROLE_NAMES",
    "ReserveState",
    "TokenDomain",
    "TxResult",
    "decode_offline_payment",
    "parse_offline_payment",
    "read_payout_csv",
    "sign_cancel_authorization",
    "sign_offline_payment",
    "sign_permit",
    "sign_transfer_authorization",
]
