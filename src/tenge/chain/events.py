"""Events of our contracts, decoded into typed, readable records: amounts in Decimal tenge, roles by name,
references as text (:mod:`tenge.chain.readable`).

:func:`decode_logs` reads a receipt's logs; :class:`EventReader` scans a contract's past events in block
chunks and follows new ones as they are mined::

    for event in token.events("Redeemed", from_block=0):
        event.args["amount"], event.args["redemptionReference"]     # Decimal('100.00'), 'PAY-2026-0042'
    for event in token.follow("Redeemed"):                          # blocks; yields each new one
        ...
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_utils.abi import event_abi_to_log_topic
from web3 import Web3
from web3._utils.events import get_event_data
from web3.exceptions import LogTopicError, MismatchedABI

from tenge.chain.readable import EVENT_AMOUNT_NAMES, readable_value
from tenge.contracts import artifact_names, load_artifact
from tenge.errors import InvalidInput

#: Blocks per eth_getLogs request (public RPCs cap the range).
DEFAULT_CHUNK_BLOCKS = 5_000
#: How often :meth:`EventReader.follow` asks for new blocks.
FOLLOW_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class DecodedEvent:
    """One event: its name, readable arguments and where it was emitted."""

    name: str
    args: dict[str, Any]
    address: str
    block_number: int
    tx_hash: str
    log_index: int

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {"event": self.name, "args": self.args, "address": self.address, "blockNumber": self.block_number,
                "txHash": self.tx_hash, "logIndex": self.log_index}  # fmt: skip


@lru_cache(maxsize=1)
def _event_abis() -> dict[bytes, list[dict[str, Any]]]:
    """topic0 -> the event ABIs with that signature in our artifacts (indexed layouts may differ)."""
    table: dict[bytes, list[dict[str, Any]]] = {}
    for name in artifact_names():
        for item in load_artifact(name).abi:
            if item.get("type") == "event" and not item.get("anonymous"):
                variants = table.setdefault(bytes(_topic0(item)), [])
                layout = [bool(i.get("indexed")) for i in item["inputs"]]
                if all([bool(i.get("indexed")) for i in v["inputs"]] != layout for v in variants):
                    variants.append(item)
    return table


def decode_log(w3: Web3, log: Any) -> DecodedEvent | None:
    """``log`` decoded by our ABIs, or None when none of our events has its signature."""
    topics = log.get("topics") or []
    if not topics:
        return None
    for abi in _event_abis().get(bytes(topics[0]), []):
        try:
            data = get_event_data(w3.codec, abi, log)
        except (MismatchedABI, LogTopicError, ValueError, TypeError):
            continue
        types = {i["name"]: i["type"] for i in abi["inputs"]}
        args = {k: readable_value(k, types.get(k, ""), v, amounts=EVENT_AMOUNT_NAMES) for k, v in data["args"].items()}
        return DecodedEvent(str(data["event"]), args, Web3.to_checksum_address(log["address"]),
                            int(log["blockNumber"]), _hex(log["transactionHash"]), int(log["logIndex"]))  # fmt: skip
    return None


def decode_logs(w3: Web3, logs: Sequence[Any]) -> tuple[DecodedEvent, ...]:
    """Every log of ``logs`` that is one of our events, decoded, in order."""
    return tuple(event for event in (decode_log(w3, log) for log in logs) if event is not None)


class EventReader:
    """The events of one contract: past ones in block chunks, and new ones as they are mined."""

    def __init__(self, w3: Web3, address: str, abi: list[dict[str, Any]], *, start_block: int = 0) -> None:
        self.w3 = w3
        self.address = Web3.to_checksum_address(address)
        self.names = {str(i["name"]) for i in abi if i.get("type") == "event"}
        self.start_block = start_block

    def _topic(self, name: str | None) -> list[Any]:
        if name is None:
            return []
        if name not in self.names:
            raise InvalidInput(f"no event {name!r} on this contract; events are: {', '.join(sorted(self.names))}")
        signatures = [abi for variants in _event_abis().values() for abi in variants if abi["name"] == name]
        return [["0x" + _topic0(a).hex() for a in signatures]]

    def events(
        self, name: str | None = None, *, from_block: int | None = None, to_block: int | None = None,
        chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
    ) -> list[DecodedEvent]:  # fmt: skip
        """Every ``name`` event (all our events when None) from ``from_block`` (default: the deployment's
        block) to ``to_block`` (default: the latest), oldest first."""
        start = self.start_block if from_block is None else int(from_block)
        end = int(self.w3.eth.block_number) if to_block is None else int(to_block)
        if start < 0 or end < start - 1:
            raise InvalidInput(f"block range {start}..{end} is empty or negative")
        return list(self._scan(self._topic(name), start, end, chunk_blocks))

    def _scan(self, topics: list[Any], start: int, end: int, chunk: int) -> Iterator[DecodedEvent]:
        for low in range(start, end + 1, max(1, chunk)):
            high = min(end, low + chunk - 1)
            query: dict[str, Any] = {"address": self.address, "fromBlock": low, "toBlock": high}
            if topics:
                query["topics"] = topics
            for log in self.w3.eth.get_logs(query):  # type: ignore[arg-type]
                event = decode_log(self.w3, log)
                if event is not None:
                    yield event

    def follow(
        self, name: str | None = None, *, from_block: int | None = None, poll_seconds: float = FOLLOW_POLL_SECONDS,
        confirmations: int = 1, stop_after: float | None = None,
    ) -> Iterator[DecodedEvent]:  # fmt: skip
        """Yield each ``name`` event as it is mined (with ``confirmations``), from ``from_block`` (default: the
        next block); runs until the caller stops iterating, or for ``stop_after`` seconds."""
        topics = self._topic(name)
        next_block = int(self.w3.eth.block_number) + 1 if from_block is None else int(from_block)
        deadline = None if stop_after is None else time.monotonic() + stop_after
        while deadline is None or time.monotonic() < deadline:
            safe_head = int(self.w3.eth.block_number) - max(1, confirmations) + 1
            if safe_head >= next_block:
                yield from self._scan(topics, next_block, safe_head, DEFAULT_CHUNK_BLOCKS)
                next_block = safe_head + 1
            else:
                time.sleep(poll_seconds if deadline is None else min(poll_seconds, max(0.0, deadline - time.monotonic())))


def _topic0(abi: dict[str, Any]) -> bytes:
    return bytes(event_abi_to_log_topic(abi))  # type: ignore[arg-type]


def _hex(value: Any) -> str:
    return "0x" + bytes(value).hex() if isinstance(value, (bytes, bytearray)) else str(value)


class ContractEvents:
    """``events(...)`` and ``follow(...)`` for an SDK client with ``w3`` and ``contract`` (mixed into the clients)."""

    w3: Web3
    contract: Any

    def _events_start_block(self) -> int:
        """Where a scan starts when ``from_block`` is not given (the deployment's block where known)."""
        return 0

    def _event_reader(self) -> EventReader:
        return EventReader(self.w3, str(self.contract.address), list(self.contract.abi), start_block=self._events_start_block())

    def events(
        self, name: str | None = None, *, from_block: int | None = None, to_block: int | None = None,
        chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
    ) -> list[DecodedEvent]:  # fmt: skip
        """This contract's ``name`` events (all when None), decoded: amounts in Decimal tenge, roles by name,
        references as text; ``from_block`` defaults to the deployment's block, ``to_block`` to the latest."""
        return self._event_reader().events(name, from_block=from_block, to_block=to_block, chunk_blocks=chunk_blocks)

    def follow(
        self, name: str | None = None, *, from_block: int | None = None, poll_seconds: float = FOLLOW_POLL_SECONDS,
        confirmations: int = 1, stop_after: float | None = None,
    ) -> Iterator[DecodedEvent]:  # fmt: skip
        """Yield this contract's ``name`` events as they are mined (from the next block unless ``from_block``),
        each once it has ``confirmations``; stops when the caller does, or after ``stop_after`` seconds."""
        return self._event_reader().follow(name, from_block=from_block, poll_seconds=poll_seconds,
                                           confirmations=confirmations, stop_after=stop_after)  # fmt: skip
