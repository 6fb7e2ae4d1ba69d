"""Signed authorizations for the token: EIP-2612 ``permit`` and EIP-3009 transfer authorizations.

All EIP-712 hashing and signing is eth_account's (``encode_typed_data`` / ``sign_typed_data``);
this module only knows the token's message types. Signing needs no connection: the domain
(name, version, chain id, token address) comes from the caller.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_keys.exceptions import BadSignature

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, parse_tenge, to_tiyn
from tenge.errors import InvalidInput

#: The EIP-712 domain version of DigitalTenge (OpenZeppelin's ERC20Permit default).
EIP712_VERSION = "1"
#: secp256k1 group order; signatures with s above half of it are malleable and refused (as OpenZeppelin does).
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
NONCE_BYTES = 32

AuthorizationKind = Literal["transfer", "receive"]

PERMIT_TYPES: dict[str, list[dict[str, str]]] = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}

_AUTHORIZATION_FIELDS = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "validAfter", "type": "uint256"},
    {"name": "validBefore", "type": "uint256"},
    {"name": "nonce", "type": "bytes32"},
]
AUTHORIZATION_TYPES: dict[AuthorizationKind, dict[str, list[dict[str, str]]]] = {
    "transfer": {"TransferWithAuthorization": _AUTHORIZATION_FIELDS},
    "receive": {"ReceiveWithAuthorization": _AUTHORIZATION_FIELDS},
}
CANCEL_TYPES: dict[str, list[dict[str, str]]] = {
    "CancelAuthorization": [
        {"name": "authorizer", "type": "address"},
        {"name": "nonce", "type": "bytes32"},
    ]
}


@dataclass(frozen=True)
class TokenDomain:
    """The token's EIP-712 domain: what a signature is bound to."""

    name: str
    chain_id: int
    verifying_contract: str
    version: str = EIP712_VERSION

    def __post_init__(self) -> None:
        object.__setattr__(self, "verifying_contract", checksum_address(self.verifying_contract))
        if self.chain_id <= 0:
            raise InvalidInput(f"chain id must be positive, not {self.chain_id}")

    def as_eip712(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "chainId": self.chain_id,
            "verifyingContract": self.verifying_contract,
        }

    def separator(self) -> bytes:
        """The domain separator (compare with the contract's ``DOMAIN_SEPARATOR()``).

        eth_account puts it in the ``header`` of any message it encodes for this domain.
        """
        return bytes(encode_typed_data(self.as_eip712(), CANCEL_TYPES, {"authorizer": _ZERO, "nonce": bytes(32)}).header)


_ZERO = "0x" + "00" * 20


@dataclass(frozen=True)
class Signature:
    v: int
    r: bytes
    s: bytes

    @classmethod
    def of(cls, v: int, r: int | bytes, s: int | bytes) -> "Signature":
        return cls(int(v), _word(r), _word(s))

    def to_bytes(self) -> bytes:
        """The 65-byte ``r || s || v`` form (for the ``bytes signature`` variants)."""
        return self.r + self.s + bytes([self.v])

    def check_canonical(self) -> None:
        """Refuse what OpenZeppelin's ECDSA refuses: v not 27/28, malleable high s."""
        if self.v not in (27, 28):
            raise InvalidInput(f"signature v must be 27 or 28, not {self.v}")
        if len(self.r) != 32 or len(self.s) != 32:
            raise InvalidInput("signature r and s must be 32 bytes each")
        if int.from_bytes(self.s, "big") > SECP256K1_N // 2:
            raise InvalidInput("signature s is in the upper half of the curve order (malleable); refused")


def _word(value: int | bytes) -> bytes:
    return bytes(value) if isinstance(value, bytes) else int(value).to_bytes(32, "big")


def random_nonce() -> bytes:
    """A fresh random 32-byte EIP-3009 nonce."""
    return secrets.token_bytes(NONCE_BYTES)


def _recover(message: SignableMessage, signature: Signature) -> str:
    signature.check_canonical()
    try:
        return str(Account.recover_message(message, vrs=(signature.v, signature.r, signature.s)))
    except (BadSignature, ValueError):
        raise InvalidInput("the signature is not a valid secp256k1 signature") from None


# --- EIP-2612 permit ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Permit:
    owner: str
    spender: str
    value: Decimal
    nonce: int
    deadline: int

    def message(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "spender": self.spender,
            "value": to_tiyn(self.value),
            "nonce": self.nonce,
            "deadline": self.deadline,
        }

    def signable(self, domain: TokenDomain) -> SignableMessage:
        return encode_typed_data(domain.as_eip712(), PERMIT_TYPES, self.message())


@dataclass(frozen=True)
class SignedPermit:
    permit: Permit
    signature: Signature


def sign_permit(
    owner: LocalAccount,
    domain: TokenDomain,
    *,
    spender: str,
    value: AmountLike,
    nonce: int,
    deadline: int,
) -> SignedPermit:
    """``owner`` lets ``spender`` spend ``value`` tenge, until ``deadline`` (unix seconds)."""
    permit = Permit(owner.address, checksum_address(spender), parse_tenge(value), int(nonce), int(deadline))
    signed = owner.sign_typed_data(domain.as_eip712(), PERMIT_TYPES, permit.message())
    return SignedPermit(permit, Signature.of(signed.v, signed.r, signed.s))


def permit_signer(domain: TokenDomain, signed: SignedPermit) -> str:
    return _recover(signed.permit.signable(domain), signed.signature)


# --- EIP-3009 transfer / receive authorizations -------------------------------------------------


@dataclass(frozen=True)
class TransferAuthorization:
    """``from_address`` authorizes moving ``value`` tenge to ``to`` while validAfter < now < validBefore."""

    kind: AuthorizationKind
    from_address: str
    to: str
    value: Decimal
    valid_after: int
    valid_before: int
    nonce: bytes

    def __post_init__(self) -> None:
        if len(self.nonce) != NONCE_BYTES:
            raise InvalidInput(f"an authorization nonce is {NONCE_BYTES} bytes, not {len(self.nonce)}")
        if self.valid_after < 0 or self.valid_before <= self.valid_after:
            raise InvalidInput(
                f"validity window is empty: validAfter {self.valid_after} must be below validBefore {self.valid_before}"
            )

    @property
    def value_tiyn(self) -> int:
        return to_tiyn(self.value)

    def message(self) -> dict[str, Any]:
        return {
            "from": self.from_address,
            "to": self.to,
            "value": self.value_tiyn,
            "validAfter": self.valid_after,
            "validBefore": self.valid_before,
            "nonce": self.nonce,
        }

    def signable(self, domain: TokenDomain) -> SignableMessage:
        return encode_typed_data(domain.as_eip712(), AUTHORIZATION_TYPES[self.kind], self.message())


@dataclass(frozen=True)
class SignedAuthorization:
    authorization: TransferAuthorization
    signature: Signature

    def signer(self, domain: TokenDomain) -> str:
        """The address the signature recovers to under ``domain``."""
        return _recover(self.authorization.signable(domain), self.signature)


def sign_transfer_authorization(
    payer: LocalAccount,
    domain: TokenDomain,
    *,
    to: str,
    value: AmountLike,
    valid_after: int,
    valid_before: int,
    nonce: bytes | None = None,
    kind: AuthorizationKind = "transfer",
) -> SignedAuthorization:
    """Sign an EIP-3009 authorization (no connection needed). ``kind="receive"`` makes it payee-submitted."""
    if kind not in AUTHORIZATION_TYPES:
        raise InvalidInput(f"authorization kind must be 'transfer' or 'receive', not {kind!r}")
    authorization = TransferAuthorization(
        kind=kind,
        from_address=payer.address,
        to=checksum_address(to),
        value=parse_tenge(value, allow_zero=False),
        valid_after=int(valid_after),
        valid_before=int(valid_before),
        nonce=random_nonce() if nonce is None else bytes(nonce),
    )
    signed = payer.sign_typed_data(domain.as_eip712(), AUTHORIZATION_TYPES[kind], authorization.message())
    return SignedAuthorization(authorization, Signature.of(signed.v, signed.r, signed.s))


@dataclass(frozen=True)
class SignedCancellation:
    authorizer: str
    nonce: bytes
    signature: Signature


def sign_cancel_authorization(authorizer: LocalAccount, domain: TokenDomain, nonce: bytes) -> SignedCancellation:
    """Sign the cancellation of an unused authorization ``nonce``."""
    if len(nonce) != NONCE_BYTES:
        raise InvalidInput(f"an authorization nonce is {NONCE_BYTES} bytes, not {len(nonce)}")
    message = {"authorizer": authorizer.address, "nonce": bytes(nonce)}
    signed = authorizer.sign_typed_data(domain.as_eip712(), CANCEL_TYPES, message)
    return SignedCancellation(authorizer.address, bytes(nonce), Signature.of(signed.v, signed.r, signed.s))


__all__ = [
    "AUTHORIZATION_TYPES",
    "CANCEL_TYPES",
    "EIP712_VERSION",
    "PERMIT_TYPES",
    "Permit",
    "Signature",
    "SignedAuthorization",
    "SignedCancellation",
    "SignedPermit",
    "TokenDomain",
    "TransferAuthorization",
    "random_nonce",
    "permit_signer",
    "sign_cancel_authorization",
    "sign_permit",
    "sign_transfer_authorization",
]
