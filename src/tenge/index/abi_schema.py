"""Tables generated from contract event ABIs: one table per event kind, one typed column per event field.

Every event table has the same leading columns - where the event happened - then the event's fields in ABI
order, renamed to snake_case (``paymentId`` -> ``payment_id``; ``from``/``to`` -> ``from_address``/
``to_address``, which are SQL keywords):

==============  ======================  ============================================================
column          type                    meaning
==============  ======================  ============================================================
block_number    BIGINT (primary key)    block of the log
log_index       INTEGER (primary key)   position of the log in its block
tx_hash         VARCHAR(66)             0x-hex transaction hash
block_time      BIGINT                  the block's timestamp, unix seconds (UTC)
contract        VARCHAR(42)             the emitting contract, EIP-55 checksummed
==============  ======================  ============================================================

Field types: ``address`` -> VARCHAR(42) checksummed; ``bool`` -> BOOLEAN; ``uint8..uint32`` -> INTEGER;
wider integers (amounts in tiyn, ids, timestamps) -> :class:`Uint` (NUMERIC(78,0): exact integers on both
backends); ``bytes32`` (hashes, references) -> VARCHAR(66) 0x-hex; ``string``/``bytes`` -> TEXT; arrays (e.g. a
merchant's ``uint8[]`` categories) -> TEXT holding a JSON array of the elements. A struct (tuple) field is
flattened into one typed column per member, named ``<field>_<member>`` (the bridge's ``Transfer transfer`` ->
``transfer_nonce``, ``transfer_amount``, ...; nested structs recurse); an indexed struct is only its hash in the
topic and is kept as that hash (VARCHAR(66)).
Indexed event fields get a database index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eth_utils.abi import event_abi_to_log_topic
from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, Numeric, String, Table, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

#: Columns every event table starts with.
POSITION_COLUMNS = ("block_number", "log_index", "tx_hash", "block_time", "contract")
_RENAMES = {"from": "from_address", "to": "to_address"}
_INT64_MAX = 2**63 - 1


class _SqliteNumeric(UserDefinedType[int]):
    """SQLite's side of :class:`Uint`: declared NUMERIC(78, 0), stored as INTEGER (64-bit)."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "NUMERIC(78, 0)"


class Uint(TypeDecorator[int]):
    """An unsigned integer of up to 256 bits, exact.

    PostgreSQL: NUMERIC(78, 0). SQLite: an INTEGER in a NUMERIC(78, 0) column; the rare value above 2^63 - 1
    (an unlimited ERC-20 approval, 2^256 - 1) is stored as 0x-hex text, which SQLite keeps as text, and read
    back exactly. Token amounts are capped at 2^96 - 1 tiyn by the contract, and every amount a real ledger
    holds fits 64 bits many times over, so sums stay exact.
    """

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteNumeric())
        return dialect.type_descriptor(Numeric(78, 0, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = int(value)
        if dialect.name == "sqlite" and number > _INT64_MAX:
            return hex(number)
        return number if dialect.name == "sqlite" else Decimal(number)

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, str):
            return int(value, 16) if value.startswith("0x") else int(value)
        return int(value)


def snake(name: str) -> str:
    """``paymentId`` -> ``payment_id``; ``from`` -> ``from_address``."""
    if name in _RENAMES:
        return _RENAMES[name]
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def column_type(abi_type: str) -> TypeEngine[Any]:
    if abi_type.endswith("]"):
        return Text()  # a JSON array
    if abi_type == "address":
        return String(42)
    if abi_type == "bool":
        return Boolean()
    match = re.fullmatch(r"u?int(\d*)", abi_type)
    if match:
        bits = int(match.group(1) or 256)
        return Integer() if bits <= 32 else Uint()
    if abi_type == "bytes32":
        return String(66)
    return Text()


def canonical_type(field: dict[str, Any]) -> str:
    """The ABI type string eth-abi decodes: ``tuple`` -> ``(uint64,address,...)``, arrays kept."""
    kind = str(field["type"])
    if kind.startswith("tuple"):
        return "(" + ",".join(canonical_type(c) for c in field["components"]) + ")" + kind[len("tuple"):]
    return kind


@dataclass(frozen=True)
class FlatField:
    """One column of an event table: ``name`` is the ABI path (``transfer.nonce``), ``column`` its column."""

    name: str
    column: str
    abi_type: str
    indexed: bool


def flatten(field: dict[str, Any], name: str = "", column: str = "") -> list[FlatField]:
    """The columns of one event field: a non-indexed struct (not an array of structs) recurses into its members."""
    kind = str(field["type"])
    name = name + str(field["name"])
    column = column + snake(str(field["name"]))
    if kind == "tuple" and not field.get("indexed"):
        found: list[FlatField] = []
        for member in field["components"]:
            found += flatten(member, name + ".", column + "_")
        return found
    if kind.startswith("tuple") and field.get("indexed"):
        return [FlatField(name, column, "bytes32", True)]  # only its hash is in the topic
    return [FlatField(name, column, canonical_type(field), bool(field.get("indexed")))]


@dataclass(frozen=True)
class EventSpec:
    """One event of one contract kind, and its table."""

    prefix: str
    abi: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.abi["name"])

    @property
    def table_name(self) -> str:
        return f"{self.prefix}_{snake(self.name)}"

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return list(self.abi["inputs"])

    @property
    def topic(self) -> bytes:
        return bytes(event_abi_to_log_topic(self.abi))  # type: ignore[arg-type]

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(canonical_type(i) for i in self.inputs)})"

    def fields(self) -> list[FlatField]:
        """The event's columns after the position columns, structs flattened."""
        return [flat for i in self.inputs for flat in flatten(i)]

    def columns(self) -> dict[str, str]:
        """ABI field name (``transfer.nonce`` for a struct's member) -> column name."""
        return {flat.name: flat.column for flat in self.fields()}


def event_specs(prefix: str, abi: list[dict[str, Any]]) -> list[EventSpec]:
    """The events of an ABI, one spec per distinct signature, in name order."""
    seen: dict[str, EventSpec] = {}
    for entry in abi:
        if entry.get("type") == "event" and not entry.get("anonymous"):
            spec = EventSpec(prefix, entry)
            seen.setdefault(spec.signature, spec)
    return sorted(seen.values(), key=lambda s: s.table_name)


def event_table(metadata: MetaData, spec: EventSpec) -> Table:
    columns: list[Any] = [
        Column("block_number", BigInteger, primary_key=True, autoincrement=False),
        Column("log_index", Integer, primary_key=True, autoincrement=False),
        Column("tx_hash", String(66), nullable=False),
        Column("block_time", BigInteger, nullable=False),
        Column("contract", String(42), nullable=False),
    ]
    indexes: list[Index] = []
    for field in spec.fields():
        column_name = field.column
        columns.append(Column(column_name, column_type(field.abi_type), nullable=False))
        if field.indexed:
            indexes.append(Index(f"ix_{spec.table_name}_{column_name}", column_name))
    return Table(spec.table_name, metadata, *columns, *indexes, comment=f"{spec.prefix} event {spec.signature}")
