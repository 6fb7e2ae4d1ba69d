"""Reading ``TransferSent`` logs cheaply: one ``eth_getLogs`` and eth_abi decoding of each log's data.

web3's event decoding spends ~8 ms of pure Python a log (normalizers, an AttributeDict per field): a burst of a few
hundred transfers in one home block kept the relayer from its deliveries for seconds. Here the request asks the node
for the bridge's ``TransferSent`` topic only and eth_abi decodes the ``Transfer`` struct (a test pins the result equal
to web3's decoding); addresses are checksummed as web3 returns them, so the stored message compares equal to the one
the validators signed.
"""

from __future__ import annotations

from typing import Any, cast

from eth_abi import decode as abi_decode
from eth_utils import event_abi_to_log_topic, to_checksum_address
from eth_utils.abi import collapse_if_tuple

from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer, PayloadTransfer
from tenge.bridge.orders import payload_of_order


def transfers_sent(source: BridgeClient, start: int, end: int) -> list[BridgeTransfer]:
    """Every transfer ``source`` emitted ``TransferSent`` for in blocks ``start..end``, in log order."""
    abi = cast(Any, source.contract.events.TransferSent().abi)
    data_types = [collapse_if_tuple(i) for i in abi["inputs"] if not i["indexed"]]
    params = {"address": source.address, "fromBlock": hex(start), "toBlock": hex(end),
              "topics": ["0x" + event_abi_to_log_topic(abi).hex()]}  # fmt: skip
    logs = cast(Any, source.w3.provider).make_request("eth_getLogs", [params])
    if "error" in logs or not isinstance(logs.get("result"), list):
        raise ValueError(f"eth_getLogs refused by the node: {str(logs.get('error', logs))[:200]}")
    found = []
    for entry in logs["result"]:
        if entry.get("removed"):
            continue
        data = entry["data"]
        (struct,) = abi_decode(data_types, bytes.fromhex(data[2:] if data.startswith("0x") else data))
        source_chain, source_bridge, dest_chain, dest_bridge, nonce, sender, recipient, amount = struct
        found.append(BridgeTransfer.from_struct((source_chain, to_checksum_address(source_bridge), dest_chain,
                     to_checksum_address(dest_bridge), nonce, to_checksum_address(sender), to_checksum_address(recipient), amount)))  # fmt: skip
    return found


def payloads_sent(source: BridgeClient, start: int, end: int) -> list[PayloadTransfer]:
    """Every transfer with a payload ``source`` sent (``PayloadTransferSent``) in blocks ``start..end``, in log order
    (few: web3's decoding is fine here). Only a home bridge emits them."""
    if source.role != "home":
        return []
    logs = source.contract.events.PayloadTransferSent().get_logs(from_block=start, to_block=end)
    return [PayloadTransfer(BridgeTransfer.from_struct(e["args"]["transfer"]), payload_of_order(e["args"]["order"]))
            for e in logs]


def payload_of(body: dict[str, Any]) -> PayloadTransfer | None:
    """The transfer with its payload a relayer row's body holds (None: a plain transfer)."""
    return PayloadTransfer.from_dict(body) if "payload" in body else None
