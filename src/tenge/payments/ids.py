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


MAX_INVOICE_NO = 2**64 - 1
#: Invoices per page of a merchant's invoice book (one storage word: 32 paid bits and a 224-bit chain head).
BOOK_PAGE_SIZE = 32
_BOOK_ID_TAG = 0xB00C << 240
_HEAD_MASK = (1 << 224) - 1


def invoice_number(value: int) -> int:
    """An invoice number of a merchant's invoice book: a whole number that fits ``uint64``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INVOICE_NO:
        raise InvalidInput(f"an invoice number is a whole number from 0 to {MAX_INVOICE_NO}, not {value!r}")
    return value


def book_payment_id(merchant: int, invoice_no: int) -> bytes:
    """``IInvoiceBooks.bookPaymentId``: ``0xb00c`` in the top 16 bits, the merchant id in bits 64..127 and the
    invoice number in bits 0..63 - the id of a book payment in events and receipts."""
    return (_BOOK_ID_TAG | (merchant_id(merchant) << 64) | invoice_number(invoice_no)).to_bytes(32, "big")


def book_invoice_of(payment_id: bytes) -> tuple[int, int] | None:
    """(merchant id, invoice number) of a book payment id; None for a payment by reference."""
    value = int.from_bytes(bytes(payment_id), "big")
    if value >> 128 != _BOOK_ID_TAG >> 128:
        return None
    return (value >> 64) & MAX_MERCHANT_ID, value & MAX_INVOICE_NO


def book_link(head: int, invoice_no: int, payer: str, gross_tiyn: int, rate_bps: int) -> int:
    """One step of a book page's chain: ``uint224(keccak256(abi.encode(head, invoiceNo, payer, gross, rateBps)))``."""
    encoded = encode(
        ["uint256", "uint64", "address", "uint256", "uint256"],
        [head, invoice_number(invoice_no), checksum_address(payer), gross_tiyn, rate_bps],
    )
    return int.from_bytes(keccak(encoded), "big") & _HEAD_MASK
