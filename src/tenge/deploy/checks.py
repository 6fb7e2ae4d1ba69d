"""Configuration drift: read a step's value back from the chain and compare it with the configuration.

A :class:`~tenge.deploy.plan.Check` calls a view and compares its result; a
:class:`~tenge.deploy.plan.RateCheck` compares a VAT category's schedule as it applies at the chain's
current time; a :class:`~tenge.deploy.plan.LabelCheck` reads a category's latest label event. Each
returns None when the chain matches (or, for labels, when the node refuses the log query), else one
line saying what differs.
"""

from __future__ import annotations

from typing import Any, Callable

from web3 import Web3
from web3.contract import Contract

from web3.exceptions import Web3Exception

from tenge.deploy.plan import Check, LabelCheck, RateCheck


def normalize(value: Any) -> Any:
    """Compare like with like: tuples as lists, bytes as 0x-hex, addresses checksummed."""
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, str) and Web3.is_address(value) and value.startswith("0x") and len(value) == 42:
        return Web3.to_checksum_address(value)
    return value


def _shown(value: Any) -> str:
    value = normalize(value)
    if isinstance(value, list):
        return "(" + ", ".join(_shown(v) for v in value) + ")"
    return repr(value) if isinstance(value, str) and not value.startswith("0x") else str(value)


def check_drift(
    contract: Contract,
    check: Check | RateCheck | LabelCheck,
    resolve: Callable[[Any], Any],
    now: Callable[[], int],
    from_block: int = 0,
) -> str | None:
    """None when the chain holds what ``check`` expects, else "<what>: on chain X, configured Y".

    ``from_block`` (the contract's deploy block) bounds the log query of a label check."""
    if isinstance(check, RateCheck):
        return _rate_drift(contract, check, now)
    if isinstance(check, LabelCheck):
        return _label_drift(contract, check, from_block)
    args = [resolve(a) for a in check.args]
    actual = normalize(contract.functions[check.function](*args).call())
    expected = normalize(resolve(check.expected))
    if actual == expected:
        return None
    what = check.what or f"{check.function}({', '.join(_shown(a) for a in args)})"
    show = _tenge if check.amount else _shown
    return f"{what}: on chain {show(actual)}, configured {show(expected)}"


def _tenge(value: Any) -> str:
    from tenge.amounts import MAX_TIYN, from_tiyn

    return "unlimited" if value == MAX_TIYN else f"{from_tiyn(int(value))} tenge"


def _rate_drift(contract: Contract, check: RateCheck, now: Callable[[], int]) -> str | None:
    timestamp = now()
    if check.superseded_from is not None and check.superseded_from <= timestamp:
        return None  # a later entry of the schedule is in force: this one no longer shows on chain
    has_current, current, has_pending, pending, pending_from = contract.functions.rateSchedule(check.category).call()
    what = f"VAT category {check.category}"
    if check.effective_from <= timestamp:
        if has_current and current == check.rate_bps:
            return None
        on_chain = f"{current} bp" if has_current else "no rate"
        return f"{what} rate in force: on chain {on_chain}, configured {check.rate_bps} bp"
    if has_pending and pending == check.rate_bps and pending_from == check.effective_from:
        return None
    on_chain = f"{pending} bp from {pending_from}" if has_pending else "none"
    return f"{what} pending change: on chain {on_chain}, configured {check.rate_bps} bp from {check.effective_from}"


def _label_drift(contract: Contract, check: LabelCheck, from_block: int) -> str | None:
    try:
        logs = contract.events.CategoryLabelled().get_logs(
            from_block=from_block, argument_filters={"categoryId": check.category}
        )
    except (Web3Exception, ValueError, OSError):
        return None  # a node that limits log queries: the label is compared with the record only
    labels = [str(log["args"]["label"]) for log in sorted(logs, key=lambda g: (g["blockNumber"], g["logIndex"]))]
    actual = labels[-1] if labels else None
    if actual == check.label:
        return None
    shown = repr(actual) if actual is not None else "no label"
    return f"VAT category {check.category} label: on chain {shown}, configured {check.label!r}"
