"""Purpose-bound programmes (ERC-1155 vouchers over locked tenge, spent through VAT payments) and reward pools."""

from tenge.programmes.records import Allocation, ClaimReceipt, Programme, RewardPool, SpendReceipt
from tenge.programmes.signing import RewardClaim, SignedClaim, SignedSpend, SpendAuthorization, sign_claim, sign_spend

__all__ = [
    "Allocation",
    "ClaimReceipt",
    "Programme",
    "RewardClaim",
    "RewardPool",
    "SignedClaim",
    "SignedSpend",
    "SpendAuthorization",
    "SpendReceipt",
    "sign_claim",
    "sign_spend",
]
