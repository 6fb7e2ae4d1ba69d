"""The typed payload of a transfer with a payload: a cross-border payment order (``ITengeBridge.PaymentOrder``).

The home bridge takes and emits the order as typed fields only — the LP's FX quote (addresses, rate, amount,
times, nonce), its 65-byte signature as ``v``, ``r``, ``s``, the merchant and the least amount it must receive — so
no free-form bytes (where a name or an IIN could hide) ever reach the chain. What the validators sign
(EIP-712 ``PayloadTransfer``) and the BNB-side handler gets is the order's canonical ABI encoding,
``abi.encode(quote, bytes signature, address merchant, uint256 minBuyAmount)`` (``signature`` = ``r‖s‖v``):
:func:`order_struct` turns such a payload into the typed struct for ``sendWithPayload`` (refusing one that is
not exactly a canonical order), :func:`payload_of_order` rebuilds it from the ``PayloadTransferSent`` event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eth_abi import decode, encode
from eth_utils import to_checksum_address

from tenge.errors import InvalidInput

QUOTE_FIELDS = ("lp", "sellToken", "buyToken", "rate", "maxAmount", "taker", "validAfter", "validBefore", "nonce")
QUOTE_TUPLE = "(address,address,address,uint256,uint256,address,uint64,uint64,uint256)"
#: The canonical payload: (quote, signature r‖s‖v, merchant, minBuyAmount).
ORDER_PAYLOAD_TYPES = [QUOTE_TUPLE, "bytes", "address", "uint256"]


def order_struct(payload: bytes) -> tuple[Any, ...]:
    """The ``PaymentOrder`` struct (quote, v, r, s, merchant, minBuyAmount) of a canonical order payload; anything
    else (free-form bytes, a trailing byte, a signature that is not 65 bytes) is refused."""
    try:
        quote, signature, merchant, minimum = decode(ORDER_PAYLOAD_TYPES, bytes(payload))
    except Exception:  # eth-abi raises several decoding errors
        raise InvalidInput("a payload is a payment order (quote, 65-byte signature, merchant, minimum received), "
                           f"ABI-encoded; these {len(payload)} bytes are not one: nothing was sent") from None
    if len(signature) != 65 or signature[64] not in (27, 28):
        raise InvalidInput("a payment order's signature is 65 bytes r‖s‖v with v 27 or 28: nothing was sent")
    if int(merchant, 16) == 0:
        raise InvalidInput("a payment order names a merchant (not the zero address): nothing was sent")
    if encode(ORDER_PAYLOAD_TYPES, [quote, signature, merchant, minimum]) != bytes(payload):
        raise InvalidInput("a payload must be a payment order's canonical encoding (nothing hidden in it): "
                           "nothing was sent")
    fields = tuple(to_checksum_address(v) if i in (0, 1, 2, 5) else v for i, v in enumerate(quote))  # web3 wants checksums
    return (fields, signature[64], signature[:32], signature[32:64], to_checksum_address(merchant), minimum)


def payload_of_order(order: Mapping[str, Any]) -> bytes:
    """The canonical payload of a ``PaymentOrder`` as web3 decodes it from ``PayloadTransferSent``."""
    quote = order["quote"]
    signature = bytes(order["r"]) + bytes(order["s"]) + bytes([int(order["v"])])
    return encode(ORDER_PAYLOAD_TYPES, [tuple(quote[name] for name in QUOTE_FIELDS), signature,
                                        order["merchant"], int(order["minBuyAmount"])])
