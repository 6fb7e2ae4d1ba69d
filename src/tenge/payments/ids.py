"""Ids the contract derives, computed locally (no call needed, works offline)."""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak

from tenge.addresses import checksum_address
from tenge.errors import InvalidInput

MAX_MERCHANT_ID = 2**64 - 1
MAX_CATEGORY_ID = 255


def merchant_id(value: int) -> int:
    """A merchant id: a whole number that fits ``uint64``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MERCHANT_ID:
        raise InvalidInput(f"a merchant id is a whole number from 0 to {MAX_MERCHANT_ID}, not {value!r}")
    return value


def category_id(value: int) -> int:
    """A VAT category id, 0-255 (0 in a payment means the merchant's default category)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CATEGORY_ID:
        raise InvalidInput(f"a VAT category is a whole number from 0 to {MAX_CATEGORY_ID}, not {value!r}")
    return value


def _ref(invoice: bytes) -> bytes:
    if len(invoice) != 32:
        raise InvalidInput(f"an invoice reference is 32 bytes, not {len(invoice)}")
    return bytes(invoice)


def payment_id(merchant: int, payer: str, invoice: bytes) -> bytes:
    """``keccak256(abi.encode(merchantId, payer, invoiceRef))``: the contract's payment id."""
    return bytes(
        keccak(encode(["uint64", "address", "bytes32"], [merchant_id(merchant), checksum_address(payer), _ref(invoice)]))
    )


def authorization_nonce(vat_payments: str, merchant: int, category: int, invoice: bytes) -> bytes:
    """``keccak256(abi.encode(vatPayments, merchantId, categoryId, invoiceRef))``: the EIP-3009 nonce a
    payer signs for ``payWithAuthorization``; it binds the signature to this merchant, category and invoice."""
    return bytes(
        keccak(
            encode(
                ["address", "uint64", "uint8", "bytes32"],
                [checksum_address(vat_payments), merchant_id(merchant), category_id(category), _ref(invoice)],
            )
        )
    )
