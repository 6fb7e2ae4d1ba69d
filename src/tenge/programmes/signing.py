"""EIP-712 messages of programmes and reward pools, signed and checked with eth_account (no connection needed).

- ``SpendAuthorization``: a beneficiary lets anyone (the canteen) spend ``amount`` of a programme's vouchers at
  one merchant for one invoice, inside a validity window. Domain "Digital Tenge Programmes" v1.
- ``RewardClaim``: a pool's attester says "beneficiary earned amount in period". Domain "Digital Tenge Rewards" v1.

The offline spend string ``dtpbm1:`` carries a signed spend authorization (same framing as ``dtvat1:``,
:mod:`tenge.offline_codec`): big-endian, 191 bytes + 4 checksum bytes:
version 1 | chainId u64 | programmes contract 20 | programmeId u64 | beneficiary 20 | merchantId u64 |
categoryId u8 | invoiceRef 32 | amount u128 tiyn | validAfter u64 | validBefore u64 | v u8 | r 32 | s 32.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils.address import to_checksum_address

from tenge.addresses import checksum_address
from tenge.amounts import from_tiyn, to_tiyn
from tenge.errors import InvalidInput
from tenge.offline_codec import OfflineFormat, OfflinePaymentRejected
from tenge.payments.ids import category_id, merchant_id
from tenge.token.authorizations import Signature, TokenDomain, _recover

PROGRAMMES_DOMAIN_NAME = "Digital Tenge Programmes"
REWARDS_DOMAIN_NAME = "Digital Tenge Rewards"
MAX_UINT64 = 2**64 - 1

SPEND_TYPES: dict[str, list[dict[str, str]]] = {
    "SpendAuthorization": [
        {"name": "programmeId", "type": "uint256"},
        {"name": "beneficiary", "type": "address"},
        {"name": "merchantId", "type": "uint64"},
        {"name": "amount", "type": "uint256"},
        {"name": "categoryId", "type": "uint8"},
        {"name": "invoiceRef", "type": "bytes32"},
        {"name": "validAfter", "type": "uint64"},
        {"name": "validBefore", "type": "uint64"},
    ]
}
CLAIM_TYPES: dict[str, list[dict[str, str]]] = {
    "RewardClaim": [
        {"name": "poolId", "type": "uint256"},
        {"name": "beneficiary", "type": "address"},
        {"name": "amount", "type": "uint256"},
        {"name": "period", "type": "uint64"},
        {"name": "validBefore", "type": "uint64"},
    ]
}

OFFLINE_PREFIX = "dtpbm1:"
_BODY = struct.Struct(">BQ20sQ20sQB32s16sQQB32s32s")
OFFLINE_FORMAT = OfflineFormat(OFFLINE_PREFIX, _BODY, "an offline programme spend", 1)


#: The programmes' and reward pools' EIP-712 domain: the token's domain type (same fields, same checks).
ContractDomain = TokenDomain


def _uint64(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_UINT64:
        raise InvalidInput(f"{what} must be a whole number from 0 to {MAX_UINT64}, not {value!r}")
    return value


@dataclass(frozen=True)
class SpendAuthorization:
    programme_id: int
    beneficiary: str
    merchant_id: int
    amount: Decimal
    category_id: int
    invoice_ref: bytes
    valid_after: int
    valid_before: int

    def __post_init__(self) -> None:
        _uint64(self.programme_id, "a programme id")
        merchant_id(self.merchant_id)
        category_id(self.category_id)
        _uint64(self.valid_after, "validAfter")
        _uint64(self.valid_before, "validBefore")
        if self.valid_before <= self.valid_after:
            raise InvalidInput("the validity window is empty (validBefore <= validAfter)")
        if len(self.invoice_ref) != 32 or self.invoice_ref == bytes(32):
            raise InvalidInput("a spend needs a non-zero 32-byte invoice reference")
        if to_tiyn(self.amount, allow_zero=False) >= 2**96:
            raise InvalidInput(f"{self.amount} is above what a payment can hold (2^96 - 1 tiyn)")

    def message(self) -> dict[str, Any]:
        return {
            "programmeId": self.programme_id,
            "beneficiary": checksum_address(self.beneficiary),
            "merchantId": self.merchant_id,
            "amount": to_tiyn(self.amount),
            "categoryId": self.category_id,
            "invoiceRef": self.invoice_ref,
            "validAfter": self.valid_after,
            "validBefore": self.valid_before,
        }

    def as_tuple(self) -> tuple[Any, ...]:
        """The contract's ``SpendAuthorization`` struct argument."""
        m = self.message()
        return tuple(m[f["name"]] for f in SPEND_TYPES["SpendAuthorization"])


@dataclass(frozen=True)
class SignedSpend:
    """A signed spend authorization; ``encode()`` gives the ``dtpbm1:`` offline string."""

    chain_id: int
    programmes: str
    authorization: SpendAuthorization
    signature: Signature

    def domain(self) -> ContractDomain:
        return ContractDomain(PROGRAMMES_DOMAIN_NAME, self.chain_id, self.programmes)

    def signer(self) -> str:
        message = encode_typed_data(self.domain().as_eip712(), SPEND_TYPES, self.authorization.message())
        return _recover(message, self.signature)

    def verify(self, chain_id: int, programmes: str) -> None:
        """Refuse another chain or contract, or a signature that is not the beneficiary's."""
        if self.chain_id != chain_id:
            raise OfflinePaymentRejected("chain", f"signed for chain id {self.chain_id}, this is chain id {chain_id}")
        if checksum_address(self.programmes) != checksum_address(programmes):
            raise OfflinePaymentRejected("contract", f"signed for programmes contract {self.programmes}, not {programmes}")
        try:
            signer = self.signer()
        except InvalidInput as exc:
            raise OfflinePaymentRejected("signature", str(exc)) from None
        if signer != checksum_address(self.authorization.beneficiary):
            raise OfflinePaymentRejected(
                "signature", f"the signature recovers to {signer}, not to the beneficiary: tampered or forged"
            )

    def encode(self) -> str:
        a, sig = self.authorization, self.signature
        return OFFLINE_FORMAT.encode(
            1, self.chain_id, bytes.fromhex(self.programmes[2:]), a.programme_id, bytes.fromhex(a.beneficiary[2:]),
            a.merchant_id, a.category_id, a.invoice_ref, to_tiyn(a.amount).to_bytes(16, "big"), a.valid_after,
            a.valid_before, sig.v, sig.r, sig.s,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        a = self.authorization
        return {
            "chainId": self.chain_id,
            "programmes": self.programmes,
            "programmeId": a.programme_id,
            "beneficiary": a.beneficiary,
            "merchantId": a.merchant_id,
            "categoryId": a.category_id,
            "invoiceRef": "0x" + a.invoice_ref.hex(),
            "amount": a.amount,
            "validAfter": a.valid_after,
            "validBefore": a.valid_before,
        }


def sign_spend(account: LocalAccount, domain: ContractDomain, authorization: SpendAuthorization) -> SignedSpend:
    """Sign ``authorization`` as its beneficiary (no connection needed)."""
    if checksum_address(authorization.beneficiary) != account.address:
        raise InvalidInput(f"only the beneficiary {authorization.beneficiary} can sign this spend")
    signed = account.sign_typed_data(domain.as_eip712(), SPEND_TYPES, authorization.message())
    return SignedSpend(domain.chain_id, checksum_address(domain.verifying_contract), authorization,
                       Signature.of(signed.v, signed.r, signed.s))  # fmt: skip


def decode_offline_spend(text: str, chain_id: int, programmes: str) -> SignedSpend:
    """Decode a ``dtpbm1:`` string and verify it for this chain and contract (nothing is sent)."""
    (_, chain, contract, pid, beneficiary, mid, cid, invoice, amount, after, before, v, r, s) = OFFLINE_FORMAT.decode(
        text
    )
    try:
        auth = SpendAuthorization(
            pid, to_checksum_address(beneficiary), mid, from_tiyn(int.from_bytes(amount, "big")), cid, invoice,
            after, before,
        )  # fmt: skip
    except InvalidInput as exc:
        raise OfflinePaymentRejected("fields", str(exc)) from None
    signed = SignedSpend(chain, to_checksum_address(contract), auth, Signature(v, r, s))
    signed.verify(chain_id, programmes)
    return signed


@dataclass(frozen=True)
class RewardClaim:
    """What the attester signs: ``beneficiary`` earned ``amount`` in ``period``, payable before ``valid_before``
    (unix seconds): an unsubmitted claim dies with its deadline, even if its attester is named again later."""

    pool_id: int
    beneficiary: str
    amount: Decimal
    period: int
    valid_before: int

    def __post_init__(self) -> None:
        _uint64(self.pool_id, "a pool id")
        _uint64(self.period, "a period")
        _uint64(self.valid_before, "validBefore")
        to_tiyn(self.amount, allow_zero=False)

    def message(self) -> dict[str, Any]:
        return {
            "poolId": self.pool_id,
            "beneficiary": checksum_address(self.beneficiary),
            "amount": to_tiyn(self.amount),
            "period": self.period,
            "validBefore": self.valid_before,
        }

    def as_tuple(self) -> tuple[Any, ...]:
        m = self.message()
        return (m["poolId"], m["beneficiary"], m["amount"], m["period"], m["validBefore"])


@dataclass(frozen=True)
class SignedClaim:
    claim: RewardClaim
    signature: Signature

    def signer(self, domain: ContractDomain) -> str:
        return _recover(encode_typed_data(domain.as_eip712(), CLAIM_TYPES, self.claim.message()), self.signature)

    def to_dict(self) -> dict[str, Any]:
        return {
            "poolId": self.claim.pool_id,
            "beneficiary": self.claim.beneficiary,
            "amount": str(self.claim.amount),
            "period": self.claim.period,
            "validBefore": self.claim.valid_before,
            "signature": "0x" + self.signature.to_bytes().hex(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SignedClaim":
        try:
            raw = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
            if len(raw) != 65:
                raise ValueError("a signature is 65 bytes")
            claim = RewardClaim(int(data["poolId"]), checksum_address(str(data["beneficiary"])),
                                Decimal(str(data["amount"])), int(data["period"]), int(data["validBefore"]))  # fmt: skip
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(f"not a signed reward claim: {exc}") from None
        return cls(claim, Signature.of(raw[64], raw[:32], raw[32:64]))


def sign_claim(attester: LocalAccount, domain: ContractDomain, claim: RewardClaim) -> SignedClaim:
    """Sign ``claim`` as the pool's attester (the app's backend key; no connection needed)."""
    signed = attester.sign_typed_data(domain.as_eip712(), CLAIM_TYPES, claim.message())
    return SignedClaim(claim, Signature.of(signed.v, signed.r, signed.s))
