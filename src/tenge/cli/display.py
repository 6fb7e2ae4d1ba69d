"""How every ``tenge`` command presents data: one key style, amounts, dates, errors.

* ``--json``: keys in snake_case (``payment_id``, ``total_supply``); amounts as decimal strings with 2 places
  (``"1300.00"``); dates as ISO 8601 strings in the configured time zone; stdout carries exactly one JSON
  document - the result, or ``{"error": {"code": ..., "message": ..., "exit_code": ...}}`` with the same
  non-zero exit code as without ``--json``. Progress lines and hashes go to stderr.
* Text: amounts with thousands separators, 2 decimals and the currency code (``1,300.00 KZT``); dates ISO 8601
  in the configured time zone.

The time zone is ``[display] timezone`` of the configuration file (an IANA name such as ``Asia/Almaty``),
default UTC. Keys that are data, not names (addresses, numbers, role constants), are left as they are.

Kept free of heavy imports: ``tenge --help`` must stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

import click

#: Keys (snake_case) whose integer values are unix seconds; shown as ISO 8601 dates.
TIME_KEYS = frozenset({
    "attested_at", "reserve_attested_at", "effective_from", "pending_from", "valid_after", "valid_before",
    "valid_from", "deadline", "expiry", "expires_at", "timestamp", "final_at", "updated_at",
})  # fmt: skip
#: Keys whose values are ISO 8601 text in another zone (the journal's UTC ``time``): shown in the configured zone.
ISO_TEXT_KEYS = frozenset({"time"})
#: Keys whose Decimal values are not tenge (a fee in the network's coin): shown as they are.
NOT_TENGE_KEYS = frozenset({"fee"})
#: ctx.meta keys: whether the command line asked for JSON; how to learn the token's currency code.
JSON_META = "tenge.json"
CURRENCY_META = "tenge.currency"
DEFAULT_CURRENCY = "KZT"

_IDENTIFIER = re.compile(r"^[a-z][a-zA-Z0-9]*$")
_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: Keys that are data rather than field names: addresses/hashes, numbers, role and error constants.
_DATA_KEY = re.compile(r"^(0x[0-9a-fA-F]+|\d+|[A-Z][A-Z0-9_]*)$")
SNAKE_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def snake_key(key: str) -> str:
    """``paymentId`` -> ``payment_id``, ``maxFeePerGas`` -> ``max_fee_per_gas``; anything else unchanged."""
    if not _IDENTIFIER.match(key):
        return key
    return _HUMP.sub("_", key).lower()


def is_data_key(key: str) -> bool:
    """Whether a JSON key is data (an address, a number, a role or error constant) rather than a field name."""
    return bool(_DATA_KEY.match(key))


def display_timezone() -> tzinfo:
    """``[display] timezone`` of the configuration file, else UTC (cached for the command)."""
    ctx = click.get_current_context(silent=True)
    cached = ctx.meta.get("tenge.timezone") if ctx is not None else None
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from tenge.config import configured_timezone

    zone = configured_timezone()
    if ctx is not None:
        ctx.meta["tenge.timezone"] = zone
    return zone


def iso_time(unix: int, zone: tzinfo | None = None) -> str:
    """Unix seconds as ISO 8601 in ``zone`` (default: the configured one): ``2026-11-30T15:20:53+05:00``."""
    return datetime.fromtimestamp(int(unix), zone or display_timezone()).isoformat()


def _time_value(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return iso_time(value) if value > 0 else None
    return _rezoned(value)


def _rezoned(value: Any) -> Any:
    """ISO 8601 text with an offset, moved to the configured zone (the same instant); anything else as is."""
    if not isinstance(value, str):
        return value
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    return when.astimezone(display_timezone()).isoformat() if when.tzinfo is not None else value


def json_ready(data: Any, key: str | None = None) -> Any:
    """``data`` as ``--json`` prints it: snake_case keys, ISO dates, Decimal amounts as strings, bytes as hex."""
    if isinstance(data, Mapping):
        out = {}
        for k, v in data.items():
            name = snake_key(str(k))
            out[name] = json_ready(v, name)
        return out
    if isinstance(data, (list, tuple)):
        return [json_ready(item, key) for item in data]
    if key in TIME_KEYS:
        return _time_value(data)
    if key in ISO_TEXT_KEYS:
        return _rezoned(data)
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, (bytes, bytearray)):
        return "0x" + bytes(data).hex()
    return data


def set_currency(source: Callable[[], str]) -> None:
    """Tell the text output how to learn the currency code (asked only when an amount is printed)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[CURRENCY_META] = source


def currency_code() -> str:
    """The currency code amounts are printed with: the token's, when a command opened one, else KZT."""
    ctx = click.get_current_context(silent=True)
    source = ctx.meta.get(CURRENCY_META) if ctx is not None else None
    if source is None:
        return DEFAULT_CURRENCY
    if isinstance(source, str):
        return source
    code = str(source())
    if ctx is not None:
        ctx.meta[CURRENCY_META] = code
    return code


def amount_text(amount: Decimal) -> str:
    """``1,300.00 KZT``: thousands separators, 2 decimals, the currency code."""
    from tenge.amounts import format_tenge

    return format_tenge(amount, currency_code())


def text_value(key: str | None, value: Any) -> str:
    """One value as text output shows it: amounts ``1,300.00 KZT``, dates ISO 8601, None as ``-``."""
    name = snake_key(key) if key is not None else None
    if name in TIME_KEYS:
        value = _time_value(value)
    elif name in ISO_TEXT_KEYS:
        value = _rezoned(value)
    if value is None:
        return "-"
    if isinstance(value, Decimal) and name not in NOT_TENGE_KEYS:
        return amount_text(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(text_value(key, v) for v in value) or "-"
    if isinstance(value, Mapping):
        return ", ".join(f"{snake_key(str(k))}={text_value(str(k), v)}" for k, v in value.items())
    return str(value)


def plain(data: Any) -> str:
    """A dict as aligned ``key  value`` lines (keys in snake_case), a list one item per line, else ``str``."""
    if isinstance(data, Mapping):
        keys = {k: snake_key(str(k)) for k in data}
        width = max((len(k) for k in keys.values()), default=0)
        return "\n".join(f"{keys[k].ljust(width)}  {text_value(str(k), v)}" for k, v in data.items())
    if isinstance(data, (list, tuple)):
        return "\n".join(plain(item) if isinstance(item, Mapping) else text_value(None, item) for item in data)
    return text_value(None, data)


def error_document(exc: BaseException, exit_code: int) -> dict[str, Any]:
    """``{"error": {"code": ..., "message": ..., "exit_code": ...}}`` for ``--json`` (code: the error's class
    name, e.g. ``InsufficientSpendableBalance``, ``InvalidAmount``, ``BadParameter``)."""
    if isinstance(exc, click.ClickException):
        message = exc.format_message()
    else:
        message = str(exc)
    error: dict[str, Any] = {"code": getattr(exc, "error_name", None) or type(exc).__name__,
                             "message": message, "exit_code": exit_code}  # fmt: skip
    args = getattr(exc, "error_args", None)
    if args:
        error["args"] = args
    tx_hash = getattr(exc, "tx_hash", None)
    if tx_hash:
        error["tx_hash"] = tx_hash
    return {"error": json_ready(error)}


def wants_json(args: list[str]) -> bool:
    """Whether a command line asks for JSON output (``--json``; ``--format json`` of an export is a file format,
    its errors stay one line on stderr)."""
    words = args[: args.index("--")] if "--" in args else args
    return "--json" in words
