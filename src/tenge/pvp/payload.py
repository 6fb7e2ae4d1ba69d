"""The bridge payment payload: what a payer sends over the tenge bridge with its transfer so that the BNB-side
settlement contract (``onBridgeDelivery``) pays the LP and sends the som on to the merchant.

Encoding (the contract's ``decodePayload``): ``abi.encode(Quote quote, bytes signature, address merchant,
uint256 minBuyAmount)`` with eth-abi; ``merchant`` is the merchant's address on the som home ledger and
``minBuyAmount`` the least som (smallest unit) the payer accepts.
"""

from __future__ import annotations

from typing import Any

from eth_abi import decode, encode

from tenge.addresses import checksum_address
from tenge.errors import InvalidInput
from tenge.pvp.quotes import Quote, SignedQuote

QUOTE_TUPLE = "(address,address,address,uint256,uint256,address,uint64,uint64,uint256)"
PAYLOAD_TYPES = [QUOTE_TUPLE, "bytes", "address", "uint256"]


def encode_payload(signed: SignedQuote, merchant: str, min_buy_amount: int) -> bytes:
    """The payload for a bridge payment to ``merchant`` on ``signed``'s quote."""
    if min_buy_amount < 0:
        raise InvalidInput("the minimum amount received cannot be negative")
    return encode(PAYLOAD_TYPES, [signed.quote.as_tuple(), signed.signature, checksum_address(merchant), min_buy_amount])


def decode_payload(payload: bytes) -> tuple[SignedQuote, str, int]:
    """(signed quote, merchant, minimum amount received) from a payload (:func:`encode_payload`'s inverse)."""
    try:
        quote, signature, merchant, minimum = decode(PAYLOAD_TYPES, payload)
    except Exception as exc:  # eth-abi raises several decoding errors
        raise InvalidInput(f"not a PvP bridge payment payload: {exc}") from None
    fields: list[Any] = list(quote)
    names = ("lp", "sellToken", "buyToken", "rate", "maxAmount", "taker", "validAfter", "validBefore", "nonce")
    return SignedQuote(Quote.from_message(dict(zip(names, fields))), bytes(signature)), checksum_address(merchant), int(minimum)
