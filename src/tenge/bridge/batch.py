"""Batch delivery: many transfers in one ``deliverBatch`` transaction (one call, one 21,000-gas base, one nonce).

The contract delivers each item exactly as ``deliver`` would (credited, queued, deferred or marked Failed) and skips
an item already processed there with ``DeliverySkipped`` instead of reverting, so relayers racing each other never
make a whole batch fail; a "not yet" of the reserve defers that item alone (``DeliveryDeferred``); any other refusal
of any item reverts the batch with that item's custom error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from eth_abi import encode as abi_encode
from eth_utils import function_abi_to_4byte_selector
from eth_utils.abi import collapse_if_tuple
from web3.contract.contract import ContractFunction
from web3.logs import DISCARD
from web3.types import TxParams, TxReceipt

from tenge.bridge.attestations import Attestation
from tenge.bridge.messages import BridgeTransfer

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient

#: What ``deliverBatch`` may hold (the contract's ``MAX_BATCH``; it refuses more with ``BatchTooLarge``).
MAX_BATCH = 100
#: Inbound statuses by the contract's enum index.
INBOUND = ("None", "Delivered", "Queued", "Failed", "Deferred")
#: Each event a delivery emits and the inbound status it means.
OUTCOME_EVENTS = (
    ("TransferDelivered", "Delivered"), ("InboundQueued", "Queued"), ("TransferFailed", "Failed"),
    # the token said "not yet" (the BNB-side reserve): deliver again later; Failed after the deferral timeout
    ("DeliveryDeferred", "Deferred"),
)  # fmt: skip

Items = Sequence[tuple[BridgeTransfer, Sequence[Attestation]]]


def batch_call(bridge: BridgeClient, items: Items) -> ContractFunction:
    """``deliverBatch`` of ``items`` (each transfer with its validators' ``Transfer`` signatures) on ``bridge``.

    Each item's signatures are checked to be for that message and this bridge (``AttestationError`` otherwise);
    the count is the contract's to refuse (``EmptyBatch``, ``BatchTooLarge``), decoded by the estimate."""
    deliveries: list[tuple[Any, list[str], list[bytes]]] = []
    for transfer, attestations in items:
        signers, signatures = bridge._signatures(list(attestations), "Transfer", transfer)
        deliveries.append((transfer.as_struct(), signers, signatures))
    return bridge.contract.functions.deliverBatch(deliveries)


def batch_tx(call: ContractFunction) -> TxParams:
    """``to`` and ``data`` of a ``deliverBatch`` call from :func:`batch_call`, encoded once by eth_abi from the ABI
    entry the call resolved. Its arguments are ABI-ready already (tuples, bytes, checksummed addresses), so web3's
    normalizing pass - ~130 ms of pure Python for 100 items, against ~14 ms here - adds nothing; the bytes are the
    same (a test pins it). Estimating and signing then reuse the data instead of encoding the batch again."""
    abi = cast(Any, call.abi)
    data = function_abi_to_4byte_selector(abi) + abi_encode([collapse_if_tuple(i) for i in abi["inputs"]], list(call.args))
    return cast(TxParams, {"to": call.address, "data": "0x" + data.hex()})


def batch_outcomes(bridge: BridgeClient, receipt: TxReceipt) -> dict[str, tuple[str, bool]]:
    """What a mined ``deliverBatch`` did to each transfer: id (0x hex) -> (inbound status, skipped). A skipped one
    had been processed before (by another relayer); its status is the one the contract reported."""
    found: dict[str, tuple[str, bool]] = {}
    for event, status in OUTCOME_EVENTS:
        for entry in bridge.contract.events[event]().process_receipt(receipt, errors=DISCARD):
            found["0x" + bytes(entry["args"]["id"]).hex()] = (status, False)
    for entry in bridge.contract.events.DeliverySkipped().process_receipt(receipt, errors=DISCARD):
        found["0x" + bytes(entry["args"]["id"]).hex()] = (INBOUND[int(entry["args"]["status"])], True)
    return found
