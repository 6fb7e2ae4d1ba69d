"""A chunk of raw logs to table rows, decoded per event kind in one pass (the sync's hot path).

Every log is still decoded by eth-abi's own decoders for the types in the frozen event ABI; what this module
saves is the work eth-abi's generic entry point repeats for each log:

* the decoders, the column names and the value conversions of an event are looked up once per event kind
  (:func:`plan_for`), not once per log;
* an event whose topics and data are all one word each (addresses, integers, booleans, ``bytesN`` - the token's
  and the VAT contract's hot events) is decoded word after word from one buffer holding every such log of
  the chunk: ``TupleDecoder`` would first walk the whole tuple a second time to check offsets that a head
  of static words does not have;
* an address is checksummed straight from its 20 bytes (cached: a ledger has far fewer accounts than events),
  instead of eth-abi's hex normalisation followed by a second checksum pass.

A log whose shape does not match its ABI (a topic missing, data too short) and every event with a dynamic
field (strings, arrays, structs) go through :func:`tenge.index.decode.to_row`, which decodes one log at a time
and raises eth-abi's own errors - so the rows are the same as that path's, log for log
(``tests/index/test_batch_decode.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_abi.decoding import AddressDecoder, BaseDecoder, ContextFramesBytesIO
from eth_abi.registry import registry
from eth_utils.address import to_checksum_address

from tenge.index.abi_schema import EventSpec, canonical_type
from tenge.index.decode import RawLog, to_row

#: ABI types whose value is one 32-byte word, decoded here without the tuple machinery.
_ONE_WORD = re.compile(r"address|bool|u?int\d*|bytes([1-9]|[12]\d|3[0-2])")


@lru_cache(maxsize=262144)
def _checksum_bytes(raw: bytes) -> str:
    return str(to_checksum_address(raw))


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


@lru_cache(maxsize=None)
def _word_decoder(abi_type: str) -> BaseDecoder:
    if abi_type == "address":
        return AddressDecoder(decoder_fn=_checksum_bytes)  # type: ignore[no-untyped-call]
    return registry.get_decoder(abi_type, strict=False)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Word:
    column: str
    decoder: BaseDecoder
    convert: Callable[[Any], Any] | None


@dataclass(frozen=True)
class EventPlan:
    """How one event kind's logs become rows; ``words`` is None when the event has a dynamic field."""

    spec: EventSpec
    topics: int
    data_bytes: int
    words: tuple[_Word, ...] | None

    def fits(self, log: RawLog) -> bool:
        return self.words is not None and len(log.topics) == self.topics and len(log.data) == self.data_bytes


def _plan(spec: EventSpec) -> EventPlan:
    columns = spec.columns()
    inputs = spec.inputs
    indexed = [field for field in inputs if field.get("indexed")]
    plain = [field for field in inputs if not field.get("indexed")]
    kinds = [canonical_type(field) for field in indexed + plain]
    if not all(_ONE_WORD.fullmatch(kind) for kind in kinds):
        return EventPlan(spec, 1 + len(indexed), 0, None)
    words = tuple(
        _Word(columns[str(field["name"])], _word_decoder(kind), _hex if kind.startswith("bytes") else None)
        for field, kind in zip(indexed + plain, kinds)
    )
    return EventPlan(spec, 1 + len(indexed), 32 * len(plain), words)


_PLANS: dict[tuple[str, bytes], EventPlan] = {}


def plan_for(spec: EventSpec) -> EventPlan:
    key = (spec.prefix, spec.topic)
    plan = _PLANS.get(key)
    if plan is None or plan.spec.abi is not spec.abi:
        plan = _PLANS[key] = _plan(spec)
    return plan


def decode_rows(plan: EventPlan, logs: list[RawLog], stamps: list[int]) -> list[dict[str, Any]]:
    """The rows of ``logs`` (all of ``plan``'s event kind, ``stamps`` their block times), in their order."""
    if plan.words is None:
        return [to_row(plan.spec, log, stamp) for log, stamp in zip(logs, stamps)]
    fast = [plan.fits(log) for log in logs]
    stream = ContextFramesBytesIO(b"".join(_words(log) for log, fits in zip(logs, fast) if fits))  # type: ignore[no-untyped-call]
    rows: list[dict[str, Any]] = []
    for log, stamp, fits in zip(logs, stamps, fast):
        if not fits:
            rows.append(to_row(plan.spec, log, stamp))
            continue
        row: dict[str, Any] = {
            "block_number": log.block_number, "log_index": log.log_index, "tx_hash": log.tx_hash,
            "block_time": stamp, "contract": log.address,
        }  # fmt: skip
        for word in plan.words:
            value = word.decoder(stream)
            row[word.column] = value if word.convert is None else word.convert(value)
        rows.append(row)
    return rows


def _words(log: RawLog) -> bytes:
    return b"".join(log.topics[1:]) + log.data


def group(logs: Iterable[tuple[EventPlan, RawLog, int]]) -> dict[str, list[dict[str, Any]]]:
    """Rows per table for (plan, log, block time) triples: each event kind decoded in one batch."""
    batches: dict[int, tuple[EventPlan, list[RawLog], list[int]]] = {}
    for plan, log, stamp in logs:
        batch = batches.setdefault(id(plan), (plan, [], []))
        batch[1].append(log)
        batch[2].append(stamp)
    rows: dict[str, list[dict[str, Any]]] = {}
    for plan, batch_logs, batch_stamps in batches.values():
        rows.setdefault(plan.spec.table_name, []).extend(decode_rows(plan, batch_logs, batch_stamps))
    return rows
