"""Audit values as people read them: amounts in tenge with the currency, times in ISO 8601 with the zone,
references decoded, roles by name. The raw values stay alongside for machines (see :mod:`tenge.audit.export`)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tenge.amounts import format_tenge, from_tiyn
from tenge.chain.readable import EVENT_AMOUNT_NAMES, readable_value
from tenge.index.schema import specs

#: Event fields holding an amount in tiyn beyond the ABI-wide list (tenge.chain.readable).
EXTRA_AMOUNTS = frozenset({"dailyLimit"})
#: Event fields holding a point in time (Unix seconds); 0 means "none" and stays 0.
TIME_NAMES = frozenset({"attestedAt", "effectiveFrom", "expiry", "timestamp", "validFrom", "validAfter", "validBefore",
                        "deadline", "acceptSchedule", "effectSchedule"})  # fmt: skip
#: bytes32 fields holding a text reference that tenge.chain.readable does not list.
EXTRA_REFERENCES = frozenset({"budgetCode", "surplusRef"})


def iso_time(seconds: int) -> str:
    """Unix seconds as ISO 8601 in UTC, the zone written out: ``2026-11-30T07:00:00Z``."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(tiyn: int, currency: str = "KZT") -> str:
    """``1,300.00 KZT`` from tiyn."""
    return format_tenge(from_tiyn(tiyn), currency)


@lru_cache(maxsize=1)
def _types() -> dict[tuple[str, str], dict[str, str]]:
    found: dict[tuple[str, str], dict[str, str]] = {}
    for spec in specs():
        found.setdefault((spec.prefix, spec.name), {}).update({f.name: f.abi_type for f in spec.fields()})
    return found


def readable_field(name: str, abi_type: str, value: Any, currency: str = "KZT") -> str:
    """One stored event field as text (see the module)."""
    leaf = name.rsplit(".", 1)[-1]
    if isinstance(value, int) and not isinstance(value, bool) and abi_type.startswith("uint"):
        if leaf in EVENT_AMOUNT_NAMES or leaf in EXTRA_AMOUNTS:
            return money(value, currency)
        if leaf in TIME_NAMES and value > 0:
            return iso_time(value)
        return str(value)
    if abi_type == "bytes32" and isinstance(value, (str, bytes)):
        if leaf in EXTRA_REFERENCES:
            return str(readable_value("legalReference", "bytes32", value))
        return str(readable_value(leaf, "bytes32", value))
    if isinstance(value, Decimal):
        return format_tenge(value, currency)
    return str(value)


def readable_args(prefix: str, event: str, args: dict[str, Any], currency: str = "KZT") -> dict[str, str]:
    """Every field of one stored event as text, in ABI order."""
    types = _types().get((prefix, event), {})
    return {name: readable_field(name, types.get(name, ""), value, currency) for name, value in args.items()}
