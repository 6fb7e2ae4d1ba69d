"""Offline payments: an EIP-3009 ``transferWithAuthorization`` signed with no connection, carried as one
compact copy-and-paste / QR-friendly string, and checked before anything is sent.

The string is ``dtenge1:`` followed by the unpadded base64url of this fixed binary layout
(big-endian, 202 bytes, so the whole string is 278 characters):

======  ============  =====================================================
bytes   field         notes
======  ============  =====================================================
1       version       format version, currently 1
8       chainId       uint64
20      token         the token contract (EIP-712 verifying contract)
20      from          the payer (signer)
20      to            the payee
16      value         uint128, in tiyn (supply never comes near 2**128)
8       validAfter    uint64 unix seconds (valid when block time is above it)
8       validBefore   uint64 unix seconds (valid when block time is below it)
32      nonce         random, so authorizations never collide
1       v             27 or 28
32      r
32      s             lower half of the curve order (not malleable)
4       checksum      first 4 bytes of keccak256 over everything above
======  ============  =====================================================

The checksum catches transcription errors; the signature catches everything else: any change to
``to``, ``value``, the window or the nonce makes it recover to another address than ``from``.
Decoding rejects a bad prefix, version, length, encoding, checksum, chain or token, and a
signature that does not recover to ``from`` — each with :class:`OfflinePaymentRejected`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from eth_utils.address import to_checksum_address

from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidInput
# The shared framing; CHECKSUM_BYTES, CLOCK_SKEW_SECONDS, DEFAULT_VALID_FOR_SECONDS, MAX_UINT64 and
# OfflinePaymentRejected stay importable from here.
from tenge.offline_codec import (
    CHECKSUM_BYTES as CHECKSUM_BYTES,
    CLOCK_SKEW_SECONDS as CLOCK_SKEW_SECONDS,
    DEFAULT_VALID_FOR_SECONDS as DEFAULT_VALID_FOR_SECONDS,
    MAX_UINT64 as MAX_UINT64,
    OfflineFormat,
    OfflinePaymentRejected as OfflinePaymentRejected,
    check_chain_and_token,
    check_signer,
    validity_window,
)
from tenge.token.authorizations import (
    Signature,
    SignedAuthorization,
    TokenDomain,
    TransferAuthorization,
    sign_transfer_authorization,
)

if TYPE_CHECKING:
    from tenge.deploy.record import DeploymentRecord

PREFIX = "dtenge1:"
FORMAT_VERSION = 1
_BODY = struct.Struct(">BQ20s20s20s16sQQ32sB32s32s")
FORMAT = OfflineFormat(PREFIX, _BODY, "an offline payment", FORMAT_VERSION)
ENCODED_BYTES = FORMAT.encoded_bytes
MAX_VALUE_TIYN = 2**128 - 1


@dataclass(frozen=True)
class OfflinePayment:
    """A signed EIP-3009 transfer authorization and the chain and token it is for."""

    chain_id: int
    token: str
    signed: SignedAuthorization

    @property
    def authorization(self) -> TransferAuthorization:
        return self.signed.authorization

    @property
    def payer(self) -> str:
        return self.authorization.from_address

    @property
    def payee(self) -> str:
        return self.authorization.to

    @property
    def amount(self) -> Decimal:
        return self.authorization.value

    @property
    def nonce(self) -> bytes:
        return self.authorization.nonce

    def encode(self) -> str:
        return encode_offline_payment(self)

    def verify(self, domain: TokenDomain) -> None:
        """Check chain, token and signature against ``domain``; raise :class:`OfflinePaymentRejected`."""
        check_chain_and_token(self.chain_id, self.token, domain, here="this token")
        check_signer(self.signed, domain)

    def to_dict(self) -> dict[str, object]:
        return {
            "chainId": self.chain_id,
            "token": self.token,
            "from": self.payer,
            "to": self.payee,
            "amount": self.amount,
            "validAfter": self.authorization.valid_after,
            "validBefore": self.authorization.valid_before,
            "nonce": "0x" + self.nonce.hex(),
        }


def sign_offline_payment(
    payer: LocalAccount,
    domain: TokenDomain,
    *,
    to: str,
    amount: AmountLike,
    valid_for_seconds: int = DEFAULT_VALID_FOR_SECONDS,
    valid_after: int | None = None,
    now: int | None = None,
    nonce: bytes | None = None,
) -> OfflinePayment:
    """Sign a payment of ``amount`` tenge to ``to`` with no connection; the window opens
    ``CLOCK_SKEW_SECONDS`` before ``now`` (unless ``valid_after`` is given) and closes
    ``valid_for_seconds`` after ``now``."""
    start, end = validity_window(valid_for_seconds, valid_after, now)
    value = parse_tenge(amount, allow_zero=False)
    if to_tiyn(value) > MAX_VALUE_TIYN:
        raise InvalidInput(f"{value} is too large for an offline payment")
    signed = sign_transfer_authorization(
        payer, domain, to=to, value=value, valid_after=start, valid_before=end, nonce=nonce
    )
    return OfflinePayment(domain.chain_id, domain.verifying_contract, signed)


def encode_offline_payment(payment: OfflinePayment) -> str:
    auth = payment.authorization
    if auth.kind != "transfer":
        raise InvalidInput("only transferWithAuthorization payments travel as offline strings")
    return FORMAT.encode(
        FORMAT_VERSION,
        payment.chain_id,
        bytes.fromhex(payment.token[2:]),
        bytes.fromhex(auth.from_address[2:]),
        bytes.fromhex(auth.to[2:]),
        auth.value_tiyn.to_bytes(16, "big"),
        auth.valid_after,
        auth.valid_before,
        auth.nonce,
        payment.signed.signature.v,
        payment.signed.signature.r,
        payment.signed.signature.s,
    )


def parse_offline_payment(text: str) -> OfflinePayment:
    """Decode the string's structure (prefix, encoding, length, version, checksum) without checking
    chain, token or signature — for showing what a string says. Use :func:`decode_offline_payment`
    before acting on it."""
    (_, chain_id, token, payer, payee, value, valid_after, valid_before, nonce, v, r, s) = FORMAT.decode(text)
    try:
        authorization = TransferAuthorization(
            kind="transfer",
            from_address=to_checksum_address(payer),
            to=to_checksum_address(payee),
            value=from_tiyn(int.from_bytes(value, "big")),
            valid_after=valid_after,
            valid_before=valid_before,
            nonce=nonce,
        )
    except InvalidInput as exc:
        raise OfflinePaymentRejected("window", str(exc)) from None
    return OfflinePayment(chain_id, to_checksum_address(token), SignedAuthorization(authorization, Signature(v, r, s)))


def decode_offline_payment(text: str, domain: TokenDomain) -> OfflinePayment:
    """Decode and verify ``text`` for the token described by ``domain``; nothing is sent."""
    payment = parse_offline_payment(text)
    payment.verify(domain)
    return payment


def domain_from_record(record: "DeploymentRecord", key: str = "DigitalTenge") -> TokenDomain:
    """The token's EIP-712 domain from a deployment record alone (no connection): chain id, proxy
    address, and the name the proxy was initialised with."""
    from tenge.errors import DeploymentError

    entry = record.contracts.get(key)
    try:
        name = entry["initializer"]["args"][0] if entry else None
    except (KeyError, IndexError, TypeError):
        name = None
    if entry is None or not isinstance(name, str):
        raise DeploymentError(
            f"the deployment record for {record.network!r} has no initialised {key}; "
            "give --chain-id, --token and --token-name instead"
        )
    return TokenDomain(name, record.chain_id, entry["address"])
