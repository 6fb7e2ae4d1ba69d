"""One watched chain: its bridge, its finality head, bounded log reads and the receipt re-check before signing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import to_checksum_address
from eth_utils.abi import collapse_if_tuple, event_abi_to_log_topic
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract

from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer
from tenge.bridge.validator.settings import FINALIZED_TAG_CHAINS
from tenge.chain.networks import Network

#: the events a validator acts on (all from the bridge contract)
#: (a queued transfer the admin rejects: QueuedTransferRejected; an inbound one also emits TransferFailed, so the
#: validators sign its refund as for any failure)
WATCHED = (
    "TransferSent", "OutboundQueued", "TransferFailed", "OutboundCancelled", "TransferRefunded", "QueuedTransferRejected",
    "PayloadTransferSent",
)
#: home events after which `locked(remote)` may have changed: an escrow attestation is signed at their blocks
LOCK_EVENTS = frozenset(
    {"TransferSent", "PayloadTransferSent", "OutboundQueued", "OutboundCancelled", "TransferRefunded", "QueuedTransferRejected"}
)


def _named(item: Any, value: Any) -> Any:
    """An eth_abi value shaped as web3 gives it: a struct as a dict by field name, an address checksummed."""
    if item["type"] == "tuple":
        return {c["name"]: _named(c, v) for c, v in zip(item["components"], value)}
    if item["type"] == "address":
        return to_checksum_address(value)
    return value


@dataclass(frozen=True)
class Head:
    number: int
    hash: str


@dataclass(frozen=True)
class Event:
    name: str
    args: dict[str, Any]
    block_number: int
    block_hash: str
    tx_hash: str
    log_index: int

    @property
    def transfer(self) -> BridgeTransfer:
        return BridgeTransfer.from_struct(self.args["transfer"])

    @property
    def transfer_id(self) -> str:
        return "0x" + bytes(self.args["id"]).hex()


class WatchedChain:
    """A bridge end (home or BNB side) read at finality: ``confirmations`` blocks deep, and on BSC/opBNB no later
    than the node's ``finalized`` block."""

    def __init__(
        self, network: Network, bridge: BridgeClient, finalized_tag: bool | None, confirmations: int | None = None
    ) -> None:
        self.network = network
        self.client = bridge
        self.w3: Web3 = bridge.w3
        self.contract: Contract = bridge.contract
        self.address: str = bridge.address
        self.chain_id: int = bridge.chain_id
        self.confirmations = max(1, confirmations or network.confirmations)
        default = self.chain_id in FINALIZED_TAG_CHAINS and not network.local
        self.use_finalized_tag = default if finalized_tag is None else finalized_tag
        # A remote bridge emits no PayloadTransferSent (its ABI has the event: payloads go home -> BNB side only).
        self.topics = {self._topic(name): name for name in WATCHED}
        self._abis: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return self.network.name

    def _topic(self, name: str) -> str:
        return "0x" + bytes(event_abi_to_log_topic(self.contract.events[name].abi)).hex()

    def head(self) -> Head:
        """The highest block that counts as final: ``latest - confirmations + 1`` (a block in ``latest`` has one
        confirmation), capped by the ``finalized`` tag where the chain has one."""
        latest = int(self.w3.eth.block_number)
        number = latest - self.confirmations + 1
        if self.use_finalized_tag:
            number = min(number, int(self.w3.eth.get_block("finalized")["number"]))
        number = max(number, 0)
        return Head(number, self.block_hash(number) or "")

    def final_number(self) -> int:
        """:meth:`head`'s number alone (one eth_blockNumber; plus the ``finalized`` block where that tag counts)."""
        number = int(self.w3.eth.block_number) - self.confirmations + 1
        if self.use_finalized_tag:
            number = min(number, int(self.w3.eth.get_block("finalized")["number"]))
        return max(number, 0)

    def block_hash(self, number: int) -> str | None:
        """The hash of block ``number`` now, or None when the node does not have it."""
        try:
            block = self.w3.eth.get_block(number)
        except Exception as exc:  # web3's BlockNotFound, or an RPC error: the caller decides
            if type(exc).__name__ == "BlockNotFound":
                return None
            raise
        return HexBytes(block["hash"]).to_0x_hex()

    def events(self, start: int, end: int) -> list[Event]:
        """The watched events of blocks ``start..end``, in chain order (one eth_getLogs)."""
        logs = self.w3.eth.get_logs(
            {"address": Web3.to_checksum_address(self.address), "fromBlock": start, "toBlock": end, "topics": [list(self.topics)]}
        )
        result = []
        for log in logs:
            name = self.topics.get(HexBytes(log["topics"][0]).to_0x_hex())
            if name is None:
                continue
            result.append(
                Event(
                    name, self.decode(name, log), int(log["blockNumber"]), HexBytes(log["blockHash"]).to_0x_hex(),
                    HexBytes(log["transactionHash"]).to_0x_hex(), int(log["logIndex"]),
                )
            )  # fmt: skip
        return sorted(result, key=lambda e: (e.block_number, e.log_index))

    def decode(self, name: str, log: Any) -> dict[str, Any]:
        """The arguments of a watched event's log, decoded by eth_abi (web3's ``process_log`` costs ~8 ms of pure
        Python a log, and every validator decodes every log; a test pins the result equal to web3's): indexed ones
        from the topics, the rest from the data; addresses checksummed, structs as dicts by field name."""
        abi = self._abis.get(name)
        if abi is None:
            abi = self._abis[name] = self.contract.events[name]().abi
        indexed = [i for i in abi["inputs"] if i["indexed"]]
        plain = [i for i in abi["inputs"] if not i["indexed"]]
        args: dict[str, Any] = {}
        for item, topic in zip(indexed, log["topics"][1:]):
            args[item["name"]] = _named(item, abi_decode([item["type"]], bytes(HexBytes(topic)))[0])
        for item, value in zip(plain, abi_decode([collapse_if_tuple(i) for i in plain], bytes(HexBytes(log["data"])))):
            args[item["name"]] = _named(item, value)
        return {i["name"]: args[i["name"]] for i in abi["inputs"]}

    def confirm(self, event: Event) -> str | None:
        """Re-read the receipt: None when the event is still where the log said (same block hash, successful tx,
        the same log in it, the block still canonical); else why not."""
        try:
            receipt = self.w3.eth.get_transaction_receipt(HexBytes(event.tx_hash))
        except Exception as exc:
            if type(exc).__name__ == "TransactionNotFound":
                return "the transaction is gone (reorg)"
            raise
        return self._check(event, receipt, self.block_hash(event.block_number))

    def confirm_all(self, events: list[Event]) -> list[str | None]:
        """:meth:`confirm` for many events: the receipts in one JSON-RPC batch request, each block's hash read once.
        Any receipt the batch cannot give (a transaction gone, a node without batches) is re-read on its own."""
        if not events:
            return []
        hashes = {number: self.block_hash(number) for number in {e.block_number for e in events}}
        try:
            with self.w3.batch_requests() as batch:
                for event in events:
                    batch.add(self.w3.eth.get_transaction_receipt(HexBytes(event.tx_hash)))
                receipts: list[Any] = list(batch.execute())
        except Exception:  # one of them missing, or batches refused: one by one, which names the cause
            return [self.confirm(event) for event in events]
        return [
            self._check(event, receipt, hashes[event.block_number]) if isinstance(receipt, Mapping) else self.confirm(event)
            for event, receipt in zip(events, receipts)
        ]

    @staticmethod
    def _check(event: Event, receipt: Any, block_hash_now: str | None) -> str | None:
        if HexBytes(receipt["blockHash"]).to_0x_hex() != event.block_hash:
            return f"the transaction moved to block {HexBytes(receipt['blockHash']).to_0x_hex()}"
        if int(receipt["status"]) != 1:
            return "the transaction failed"
        if not any(int(log["logIndex"]) == event.log_index for log in receipt["logs"]):
            return "the log is not in the receipt"
        if block_hash_now != event.block_hash:
            return "the block is no longer canonical"
        return None

    def next_nonce_at(self, block: int) -> int:
        return int(self.contract.functions.nextNonce().call(block_identifier=block))

    def locked_at(self, remote_chain_id: int, block: int) -> int:
        return int(self.contract.functions.locked(remote_chain_id).call(block_identifier=block))

    def timestamp(self, block: int) -> int:
        return int(self.w3.eth.get_block(block)["timestamp"])

