"""The merchant terminal: verifies offline purse payments with no connection and stores them durably.

Pure Python + coincurve + SQLAlchemy/alembic (SQLite); importing it never imports web3 (a test checks).
"""

from tenge.offline.terminal.errors import (
    BadAmount,
    BadCertificate,
    BadDeviceSignature,
    OverlappingPayment,
    OverPurse,
    PaymentRefused,
    PurseExpired,
    PurseRevoked,
    SequenceNotAbove,
    TerminalError,
    UntrustedBank,
    WrongDomain,
    WrongMerchant,
)
from tenge.offline.terminal.terminal import Accepted, Terminal, TerminalSettings

__all__ = [
    "Accepted",
    "BadAmount",
    "BadCertificate",
    "BadDeviceSignature",
    "OverPurse",
    "OverlappingPayment",
    "PaymentRefused",
    "PurseExpired",
    "PurseRevoked",
    "SequenceNotAbove",
    "Terminal",
    "TerminalError",
    "TerminalSettings",
    "UntrustedBank",
    "WrongDomain",
    "WrongMerchant",
]
