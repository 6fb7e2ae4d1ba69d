"""Turn revert data into Python exceptions named after the Solidity custom errors.

``error_args`` hold readable values (:mod:`tenge.chain.readable`): amounts in Decimal tenge, roles by name,
addresses checksummed; the message shows amounts as ``1,250.00 KZT``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from eth_abi import decode
from eth_abi.exceptions import DecodingError
from eth_utils import function_signature_to_4byte_selector

from tenge.chain.readable import readable_value, shown
from tenge.contracts import artifact_names, load_artifact
from tenge.errors import ContractRevert, revert_class

_PANIC_REASONS = {
    0x01: "assertion failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division by zero",
    0x21: "invalid enum value",
    0x31: "pop on empty array",
    0x32: "array index out of bounds",
    0x41: "out of memory",
    0x51: "call to a zero-initialised function",
}


@lru_cache(maxsize=1)
def _error_abis() -> dict[bytes, tuple[str, list[str], list[str]]]:
    """selector -> (name, argument names, argument types), from every packaged ABI."""
    table: dict[bytes, tuple[str, list[str], list[str]]] = {
        function_signature_to_4byte_selector("Error(string)"): ("Error", ["reason"], ["string"]),
        function_signature_to_4byte_selector("Panic(uint256)"): ("Panic", ["code"], ["uint256"]),
    }
    for name in artifact_names():
        for item in load_artifact(name).abi:
            if item.get("type") != "error":
                continue
            types = [_abi_type(i) for i in item["inputs"]]
            signature = f"{item['name']}({','.join(types)})"
            table[function_signature_to_4byte_selector(signature)] = (
                item["name"],
                [i["name"] or f"arg{n}" for n, i in enumerate(item["inputs"])],
                types,
            )
    return table


def _abi_type(item: dict[str, Any]) -> str:
    if item["type"].startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in item["components"])
        return f"({inner}){item['type'][len('tuple'):]}"
    return str(item["type"])


def known_error_names() -> set[str]:
    return {name for name, _, _ in _error_abis().values()}


def decode_revert(
    data: bytes | str | None, *, context: str = "", currency: str = "KZT", currencies: Mapping[str, str] | None = None
) -> ContractRevert:
    """An exception for revert ``data``: the custom error by name with its arguments, readable.

    Amounts are shown in ``currency``, or per argument name in ``currencies`` (a PvP refusal: the sold currency's
    amounts in its code, the bought one's in its own); ``currencies["reason"]`` is the currency of a wrapped
    refusal (the refusing token's)."""
    per_arg = dict(currencies or {})
    raw = bytes.fromhex(data.removeprefix("0x")) if isinstance(data, str) else (data or b"")
    prefix = f"{context}: " if context else ""
    if len(raw) < 4:
        return ContractRevert(f"{prefix}reverted without a reason", data=raw)
    entry = _error_abis().get(raw[:4])
    if entry is None:
        return ContractRevert(f"{prefix}reverted with unknown error 0x{raw[:4].hex()}", data=raw)
    name, arg_names, types = entry
    try:
        values = decode(types, raw[4:])
    except DecodingError:
        return ContractRevert(f"{prefix}reverted with malformed {name} data", data=raw)
    args = {n: readable_value(n, t, v) for n, v, t in zip(arg_names, values, types)}
    if name == "Error":
        return revert_class("Error")(f"{prefix}reverted: {args['reason']}", args, raw)
    if name == "Panic":
        reason = _PANIC_REASONS.get(int(args["code"]), f"code 0x{int(args['code']):02x}")
        return revert_class("Panic")(f"{prefix}panicked: {reason}", args, raw)
    for key, abi_type in zip(arg_names, types):
        if abi_type == "bytes" and key == "reason":
            # A wrapped refusal (PvPSettlement's LegRefused / ForwardRefused): the refusing contract's own error.
            inner = per_arg.get(key, currency)
            args[key] = str(decode_revert(bytes(values[arg_names.index(key)]), currency=inner))
    if name == "LegRefused":
        args["leg"] = ("sell", "buy")[int(args["leg"])] if int(args["leg"]) < 2 else args["leg"]
    text = ", ".join(f"{k}={shown(v, per_arg.get(k, currency))}" for k, v in args.items())
    return revert_class(name)(f"{prefix}{name}({text})", args, raw)
