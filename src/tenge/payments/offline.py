"""Offline VAT payments: the payer signs with no connection, the merchant (or anyone) submits later.

The signature is the token's EIP-3009 ``ReceiveWithAuthorization`` (signed by
:mod:`tenge.token.authorizations`), to the VatPayments contract, for the gross amount, with the nonce
``keccak256(abi.encode(vatPayments, merchantId, categoryId, invoiceRef))``. The token's own offline
string (``dtenge1:``) carries a plain transfer to a payee and has no room for merchant, category and
invoice, so a VAT payment travels as a sibling string:

``dtvat1:`` followed by the unpadded base64url of this fixed layout (big-endian, 211 bytes, so the
whole string is 289 characters):

======  ============  =====================================================
bytes   field         notes
======  ============  =====================================================
1       version       format version, currently 1
8       chainId       uint64
20      token         the token contract (EIP-712 verifying contract)
20      vatPayments   the VatPayments contract (the authorization's ``to``)
20      payer         the signer (the authorization's ``from``)
8       merchantId    uint64
1       categoryId    uint8 (0: the merchant's default category)
32      invoiceRef    bytes32
16      gross         uint128, in tiyn
8       validAfter    uint64 unix seconds
8       validBefore   uint64 unix seconds
1       v             27 or 28
32      r
32      s             lower half of the curve order (not malleable)
4       checksum      first 4 bytes of keccak256 over everything above
======  ============  =====================================================

The nonce is not carried: it is derived from the fields, so changing merchant, category or invoice
changes the nonce and the signature no longer recovers to the payer - in the SDK before sending,
and in the token if someone submits by hand. Decoding rejects (with :class:`OfflinePaymentRejected`
and its ``reason``) a bad ``prefix``, ``encoding``, ``length``, ``version``, ``checksum``,
``invoice``, ``amount``, ``window``, ``chain``, ``token``, ``contract`` or ``signature``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidInput
# The shared framing; CHECKSUM_BYTES, CLOCK_SKEW_SECONDS, MAX_UINT64 stay importable from here.
from tenge.offline_codec import (
    CHECKSUM_BYTES,
    CLOCK_SKEW_SECONDS,
    DEFAULT_VALID_FOR_SECONDS,
    MAX_UINT64,
    OfflineFormat,
    OfflinePaymentRejected,
    check_chain_and_token,
    check_signer,
    validity_window,
)
from tenge.payments.ids import authorization_nonce, category_id, merchant_id, payment_id
from tenge.payments.invoices import describe_invoice_ref
from tenge.token.authorizations import (
    Signature,
    SignedAuthorization,
    TokenDomain,
    TransferAuthorization,
    sign_transfer_authorization,
)

PREFIX = "dtvat1:"
FORMAT_VERSION = 1
_BODY = struct.Struct(">BQ20s20s20sQB32s16sQQB32s32s")
FORMAT = OfflineFormat(PREFIX, _BODY, "an offline VAT payment", FORMAT_VERSION)
ENCODED_BYTES = FORMAT.encoded_bytes
MAX_GROSS_TIYN = 2**96 - 1  # what a payment record holds


@dataclass(frozen=True)
class OfflineVatPayment:
    """A payer's signed authorization to pay merchant ``merchant_id`` ``gross`` for ``invoice_ref``."""

    chain_id: int
    token: str
    vat_payments: str
    merchant_id: int
    category_id: int
    invoice_ref: bytes
    signed: SignedAuthorization

    @property
    def authorization(self) -> TransferAuthorization:
        return self.signed.authorization

    @property
    def payer(self) -> str:
        return self.authorization.from_address

    @property
    def gross(self) -> Decimal:
        return self.authorization.value

    @property
    def payment_id(self) -> bytes:
        return payment_id(self.merchant_id, self.payer, self.invoice_ref)

    def encode(self) -> str:
        auth, sig = self.authorization, self.signed.signature
        return FORMAT.encode(
            FORMAT_VERSION,
            self.chain_id,
            bytes.fromhex(self.token[2:]),
            bytes.fromhex(self.vat_payments[2:]),
            bytes.fromhex(auth.from_address[2:]),
            self.merchant_id,
            self.category_id,
            self.invoice_ref,
            auth.value_tiyn.to_bytes(16, "big"),
            auth.valid_after,
            auth.valid_before,
            sig.v,
            sig.r,
            sig.s,
        )

    def verify(self, domain: TokenDomain, vat_payments: str) -> None:
        """Check chain, token, contract and signature; raise :class:`OfflinePaymentRejected`."""
        check_chain_and_token(self.chain_id, self.token, domain, here="this deployment")
        expected = checksum_address(vat_payments)
        if self.vat_payments != expected:
            raise OfflinePaymentRejected(
                "contract", f"signed for VatPayments {self.vat_payments}, not for this deployment's {expected}"
            )
        check_signer(self.signed, domain)

    def to_dict(self) -> dict[str, Any]:
        auth = self.authorization
        return {
            "chainId": self.chain_id,
            "token": self.token,
            "vatPayments": self.vat_payments,
            "payer": self.payer,
            "merchantId": self.merchant_id,
            "categoryId": self.category_id,
            "invoiceRef": describe_invoice_ref(self.invoice_ref),
            "gross": self.gross,
            "validAfter": auth.valid_after,
            "validBefore": auth.valid_before,
            "paymentId": "0x" + self.payment_id.hex(),
        }


def _authorization(
    payer: str, vat_payments: str, gross_tiyn: int, valid_after: int, valid_before: int, nonce: bytes
) -> TransferAuthorization:
    return TransferAuthorization(
        kind="receive",
        from_address=payer,
        to=vat_payments,
        value=from_tiyn(gross_tiyn),
        valid_after=valid_after,
        valid_before=valid_before,
        nonce=nonce,
    )


def sign_offline_vat_payment(
    payer: LocalAccount,
    domain: TokenDomain,
    *,
    vat_payments: str,
    merchant: int,
    gross: AmountLike,
    invoice_ref: bytes,
    category: int = 0,
    valid_for_seconds: int = DEFAULT_VALID_FOR_SECONDS,
    valid_after: int | None = None,
    now: int | None = None,
) -> OfflineVatPayment:
    """Sign, with no connection, the payment of ``gross`` tenge to merchant ``merchant`` for ``invoice_ref``.

    The window opens ``CLOCK_SKEW_SECONDS`` before ``now`` (unless ``valid_after`` is given) and closes
    ``valid_for_seconds`` after it. The VAT split is decided when the payment is submitted, at the rate
    in force then.
    """
    if valid_for_seconds <= 0:
        raise InvalidInput(f"validity must be positive, not {valid_for_seconds} seconds")
    if len(invoice_ref) != 32 or bytes(invoice_ref) == bytes(32):
        raise InvalidInput("an offline VAT payment needs a non-zero 32-byte invoice reference (see invoice_ref())")
    value = parse_tenge(gross, allow_zero=False)
    if to_tiyn(value) > MAX_GROSS_TIYN:
        raise InvalidInput(f"{value} is above what a payment can hold (2^96 - 1 tiyn)")
    start, end = validity_window(valid_for_seconds, valid_after, now)
    contract = checksum_address(vat_payments)
    merchant, category = merchant_id(merchant), category_id(category)
    signed = sign_transfer_authorization(
        payer,
        domain,
        to=contract,
        value=value,
        valid_after=start,
        valid_before=end,
        nonce=authorization_nonce(contract, merchant, category, invoice_ref),
        kind="receive",
    )
    return OfflineVatPayment(domain.chain_id, domain.verifying_contract, contract, merchant, category, bytes(invoice_ref), signed)


def parse_offline_vat_payment(text: str) -> OfflineVatPayment:
    """Decode the string's structure (prefix, encoding, length, version, checksum, window) without
    checking chain, token, contract or signature; use :func:`decode_offline_vat_payment` before acting."""
    (_, chain_id, token, contract, payer, merchant, category, invoice, gross, after, before, v, r, s) = FORMAT.decode(text)
    contract_address = to_checksum_address(contract)
    if invoice == bytes(32):
        raise OfflinePaymentRejected("invoice", "the invoice reference is zero")
    if int.from_bytes(gross, "big") == 0:
        raise OfflinePaymentRejected("amount", "the gross amount is zero")
    try:
        authorization = _authorization(
            to_checksum_address(payer),
            contract_address,
            int.from_bytes(gross, "big"),
            after,
            before,
            authorization_nonce(contract_address, merchant, category, invoice),
        )
    except InvalidInput as exc:
        raise OfflinePaymentRejected("window", str(exc)) from None
    return OfflineVatPayment(
        chain_id,
        to_checksum_address(token),
        contract_address,
        merchant,
        category,
        invoice,
        SignedAuthorization(authorization, Signature(v, r, s)),
    )


def decode_offline_vat_payment(text: str, domain: TokenDomain, vat_payments: str) -> OfflineVatPayment:
    """Decode and verify ``text`` for this token and VatPayments contract; nothing is sent."""
    payment = parse_offline_vat_payment(text)
    payment.verify(domain, vat_payments)
    return payment
