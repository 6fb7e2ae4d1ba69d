"""Reading a contract's events over a block range in chunks, and finding blocks by time.

Public RPC endpoints cap ``eth_getLogs`` ranges (BSC's at a few thousand blocks): the range is
walked in chunks, and a chunk the node refuses as too large is halved and retried.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from eth_utils import event_abi_to_log_topic
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import Web3RPCError
from web3.types import EventData, LogReceipt

from tenge.errors import TengeError

#: Blocks per eth_getLogs request (BSC's public endpoints accept a few thousand).
DEFAULT_CHUNK_BLOCKS = 2_000
MIN_CHUNK_BLOCKS = 1


@dataclass(frozen=True)
class EventLog:
    """One decoded event with where it happened."""

    name: str
    args: dict[str, Any]
    block_number: int
    log_index: int
    tx_hash: str

    @property
    def position(self) -> tuple[int, int]:
        return (self.block_number, self.log_index)


def event_topics(contract: Contract, names: Iterable[str]) -> dict[bytes, str]:
    """topic0 -> event name, for the events ``names`` of ``contract``'s ABI."""
    wanted = set(names)
    topics: dict[bytes, str] = {}
    for item in contract.abi:
        entry = cast(dict[str, Any], item)
        if entry.get("type") == "event" and entry.get("name") in wanted:
            topics[bytes(event_abi_to_log_topic(cast(Any, entry)))] = str(entry["name"])
    missing = wanted - set(topics.values())
    if missing:
        raise TengeError(f"the ABI of {contract.address} has no event(s) {sorted(missing)}")
    return topics


def _raw_logs(
    w3: Web3, address: str, topics: list[bytes], start: int, end: int, chunk: int, first_args: list[bytes] | None = None
) -> Iterator[LogReceipt]:
    block = start
    wanted: list[Any] = [["0x" + t.hex() for t in topics]]
    if first_args is not None:
        wanted.append(["0x" + t.hex() for t in first_args])
    size = max(chunk, MIN_CHUNK_BLOCKS)
    while block <= end:
        last = min(end, block + size - 1)
        try:
            logs = w3.eth.get_logs(
                {"address": address, "fromBlock": block, "toBlock": last, "topics": wanted}  # type: ignore[typeddict-item]
            )
        except Web3RPCError as exc:
            if size > MIN_CHUNK_BLOCKS:
                size = max(MIN_CHUNK_BLOCKS, size // 2)  # the node refused the range: try a smaller one
                continue
            raise TengeError(f"the node refused eth_getLogs for blocks {block}-{last}: {exc}") from None
        yield from logs
        block = last + 1


def scan_events(
    contract: Contract,
    names: Iterable[str],
    from_block: int,
    to_block: int,
    *,
    chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
    first_args: Iterable[bytes] | None = None,
) -> list[EventLog]:
    """Events ``names`` of ``contract`` in blocks ``from_block..to_block`` (inclusive), in chain order; with
    ``first_args``, only those whose first indexed argument (topic 1) is one of them."""
    topics = event_topics(contract, names)
    events: list[EventLog] = []
    if to_block < from_block:
        return events
    selected = None if first_args is None else [bytes(t) for t in first_args]
    for log in _raw_logs(contract.w3, str(contract.address), list(topics), from_block, to_block, chunk_blocks, selected):
        name = topics.get(bytes(log["topics"][0]))
        if name is None:  # pragma: no cover - the node filtered by topic
            continue
        decoded: EventData = contract.events[name]().process_log(log)
        events.append(
            EventLog(
                name=name,
                args=dict(decoded["args"]),
                block_number=int(log["blockNumber"]),
                log_index=int(log["logIndex"]),
                tx_hash="0x" + bytes(log["transactionHash"]).hex(),
            )
        )
    events.sort(key=lambda e: e.position)
    return events


def block_timestamp(w3: Web3, block_number: int) -> int:
    return int(w3.eth.get_block(block_number)["timestamp"])


def first_block_at_or_after(w3: Web3, timestamp: int, low: int = 0, high: int | None = None) -> int:
    """The first block in ``low..high`` whose timestamp is at least ``timestamp``; ``high + 1`` if none.

    Block timestamps never decrease, so a binary search finds it in about log2(blocks) requests.
    """
    high = int(w3.eth.block_number) if high is None else high
    if low > high or block_timestamp(w3, high) < timestamp:
        return high + 1
    while low < high:
        middle = (low + high) // 2
        if block_timestamp(w3, middle) >= timestamp:
            high = middle
        else:
            low = middle + 1
    return low
