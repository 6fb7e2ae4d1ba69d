"""Raw ``eth_getLogs`` entries to table rows: decoded with eth-abi against the frozen event ABIs.

The sync reads logs with the provider's raw ``make_request`` and decodes them here: web3's result formatters
and ``process_log`` cost more than the whole rest of the sync on a long history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_abi.decoding import ContextFramesBytesIO, TupleDecoder
from eth_abi.registry import registry
from eth_utils.address import to_checksum_address

from tenge.index.abi_schema import EventSpec, canonical_type


@dataclass(frozen=True)
class RawLog:
    address: str
    topics: tuple[bytes, ...]
    data: bytes
    block_number: int
    block_hash: str
    log_index: int
    tx_hash: str
    #: Some nodes (anvil, recent geth) put the block's timestamp in the log; None when not.
    block_time: int | None

    @classmethod
    def from_rpc(cls, entry: dict[str, Any]) -> "RawLog":
        stamp = entry.get("blockTimestamp")
        return cls(
            address=checksum(str(entry["address"])),
            topics=tuple(bytes.fromhex(str(t)[2:]) for t in entry["topics"]),
            data=bytes.fromhex(str(entry["data"])[2:]),
            block_number=int(entry["blockNumber"], 16),
            block_hash=str(entry["blockHash"]),
            log_index=int(entry["logIndex"], 16),
            tx_hash=str(entry["transactionHash"]),
            block_time=None if stamp is None else int(stamp, 16),
        )


@lru_cache(maxsize=65536)
def checksum(address: str) -> str:
    return str(to_checksum_address(address))


def _value(abi_type: str, value: Any) -> Any:
    if abi_type.endswith("]"):  # arrays: a JSON array of the elements, each as its own column type would hold it
        element = abi_type[: abi_type.rindex("[")]
        return json.dumps([_json_safe(_value(element, item)) for item in value])
    if abi_type == "address":
        return checksum(str(value))
    if abi_type.startswith("bytes"):
        return "0x" + bytes(value).hex()
    return value


def _json_safe(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53 else value


def _dynamic(abi_type: str) -> bool:
    return abi_type in ("string", "bytes") or abi_type.endswith("]") or abi_type.startswith("(")


@lru_cache(maxsize=None)
def _tuple_decoder(types: tuple[str, ...]) -> TupleDecoder:
    """eth-abi's decoder for ``types``, built once (``eth_abi.decode`` rebuilds it on every call)."""
    return TupleDecoder(decoders=tuple(registry.get_decoder(t, strict=False) for t in types))  # type: ignore[no-untyped-call]


def _decode(types: tuple[str, ...], data: bytes) -> tuple[Any, ...]:
    return tuple(_tuple_decoder(types)(ContextFramesBytesIO(data)))  # type: ignore[no-untyped-call]


def _flat(field: dict[str, Any], value: Any, into: dict[str, Any], path: str = "") -> None:
    """Store ``value`` of ``field`` under its name; a struct's members under ``field.member`` (recursively)."""
    name = path + str(field["name"])
    if str(field["type"]) == "tuple":
        for member, item in zip(field["components"], value):
            _flat(member, item, into, name + ".")
        return
    into[name] = _value(canonical_type(field), value)


def decode_args(spec: EventSpec, log: RawLog) -> dict[str, Any]:
    """Field name -> value (a struct flattened to ``field.member``): addresses checksummed, bytesN as 0x-hex,
    integers as int, arrays as JSON text."""
    inputs = spec.inputs
    plain = [i for i in inputs if not i.get("indexed")]
    values = _decode(tuple(canonical_type(i) for i in plain), log.data) if plain else ()
    by_field: dict[str, dict[str, Any]] = {}
    for i, v in zip(plain, values):
        by_field[str(i["name"])] = {}
        _flat(i, v, by_field[str(i["name"])])
    topics = iter(log.topics[1:])
    for field in inputs:
        if field.get("indexed"):
            topic = next(topics)
            kind = canonical_type(field)
            # An indexed dynamic value (or struct) is only its keccak256 in the topic: kept as that hash.
            value = "0x" + topic.hex() if _dynamic(kind) else _value(kind, _decode((kind,), topic)[0])
            by_field[str(field["name"])] = {str(field["name"]): value}
    return {name: value for i in inputs for name, value in by_field[str(i["name"])].items()}


def to_row(spec: EventSpec, log: RawLog, block_time: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "block_number": log.block_number,
        "log_index": log.log_index,
        "tx_hash": log.tx_hash,
        "block_time": block_time,
        "contract": log.address,
    }
    columns = spec.columns()
    for name, value in decode_args(spec, log).items():
        row[columns[name]] = value
    return row


def unknown_row(log: RawLog, block_time: int) -> dict[str, Any]:
    return {
        "block_number": log.block_number,
        "log_index": log.log_index,
        "tx_hash": log.tx_hash,
        "block_time": block_time,
        "contract": log.address,
        "topics": ",".join("0x" + t.hex() for t in log.topics),
        "data": "0x" + log.data.hex(),
    }
