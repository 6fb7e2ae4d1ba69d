"""``docs/api.md``: the public SDK's reference, generated from its docstrings and signatures.

Covers the session, results and pipelines, the token, VAT, bridge and programme clients, events and every error
(the SDK's own and each contract custom error of :mod:`tenge.contract_errors`). Deterministic: members in
alphabetical order, signatures from the annotations as written.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

HEADER = """# Python SDK reference

Generated from the docstrings by `python -m tenge.docs` - do not edit by hand; a test fails when this file is
stale. Amounts are `Decimal` tenge in and out; writes return a `TxResult`; a refused write raises the contract's
custom error as a named class of `tenge.errors` (listed at the end).
"""

#: (section title, module, public names in the order shown)
SECTIONS: list[tuple[str, str, list[str]]] = [
    ("Session", "tenge.session", ["Session"]),
    ("Results and pipelines", "tenge.chain.results", ["TxResult"]),
    ("Results and pipelines", "tenge.chain.pipeline", ["Pipeline", "PipelineReport", "PendingTx", "PipelineFailed"]),
    ("Token", "tenge.token.client", ["DigitalTengeClient"]),
    ("VAT payments", "tenge.payments.client", ["VatPaymentsClient"]),
    ("VAT payments", "tenge.payments.records", ["PaymentReceipt"]),
    ("VAT payments", "tenge.payments.invoices", ["invoice_ref", "hashed_invoice_ref", "describe_invoice_ref"]),
    ("Bridge", "tenge.bridge.client", ["BridgeClient", "SendResult", "InboundResult", "BucketState"]),
    ("Bridge", "tenge.bridge.status", ["transfer_status"]),
    ("Programmes and rewards", "tenge.programmes.client", ["ProgrammesClient"]),
    ("Programmes and rewards", "tenge.programmes.rewards", ["RewardsClient"]),
    ("Programmes and rewards", "tenge.programmes.records", ["Programme", "Allocation", "SpendReceipt", "RewardPool", "ClaimReceipt"]),
    ("Programmes and rewards", "tenge.programmes.report", ["ProgrammeReport"]),
    ("Events", "tenge.chain.events", ["DecodedEvent", "ContractEvents", "EventReader", "decode_log", "decode_logs"]),
]  # fmt: skip


def _doc(obj: Any) -> str:
    return inspect.cleandoc(inspect.getdoc(obj) or "*(no docstring)*")


def _annotation(value: Any) -> str:
    text = value if isinstance(value, str) else inspect.formatannotation(value)
    while len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


def _signature(obj: Any) -> str:
    """``(a: int, *, b: str = 'x') -> R`` with annotations as written (no quotes from postponed evaluation)."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    parts = []
    star_done = False
    for param in signature.parameters.values():
        if param.kind is param.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        if param.kind is param.VAR_POSITIONAL:
            star_done = True
        prefix = "*" if param.kind is param.VAR_POSITIONAL else "**" if param.kind is param.VAR_KEYWORD else ""
        text = prefix + param.name
        if param.annotation is not param.empty:
            text += f": {_annotation(param.annotation)}"
        if param.default is not param.empty:
            text += f" = {param.default!r}" if param.annotation is not param.empty else f"={param.default!r}"
        if param.kind is param.POSITIONAL_ONLY:
            text += ", /"
        parts.append(text)
    result = f"({', '.join(parts)})"
    if signature.return_annotation is not signature.empty:
        result += f" -> {_annotation(signature.return_annotation)}"
    return result


def _members(cls: type) -> list[tuple[str, Any]]:
    members = []
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or hasattr(object, name) or name in getattr(cls, "__dataclass_fields__", {}):
            continue
        if isinstance(member, property) or callable(member):
            members.append((name, member))
    return members


def _member_entry(cls: type, name: str, member: Any) -> str:
    raw = inspect.getattr_static(cls, name)
    if isinstance(member, property):
        head = f"`.{name}` *(property)*"
        target: Any = member.fget
    else:
        kind = " *(classmethod)*" if isinstance(raw, classmethod) else " *(staticmethod)*" if isinstance(raw, staticmethod) else ""
        signature = _signature(member)
        if not kind and signature.startswith("(self"):
            signature = "(" + signature[len("(self"):].lstrip(", ")
        head = f"`.{name}{signature}`{kind}"
        target = member
    return f"- {head}\n\n" + "\n".join(f"  {line}" if line else "" for line in _doc(target).splitlines()) + "\n"


def _fields(cls: type) -> str:
    fields = getattr(cls, "__dataclass_fields__", {})
    if not fields:
        return ""
    rows = ", ".join(f"`{name}: {_annotation(field.type)}`" for name, field in fields.items() if not name.startswith("_"))
    return f"Fields: {rows}.\n"


def _entry(module: str, name: str) -> str:
    obj = getattr(importlib.import_module(module), name)
    out = []
    if inspect.isclass(obj):
        init = "" if getattr(obj, "__dataclass_fields__", None) else _signature(obj.__init__).replace("(self, ", "(").replace("(self)", "()")
        init = init.removesuffix(" -> None")
        out.append(f"### `{module}.{name}`\n")
        out.append(f"```python\nclass {name}{init if init not in ('(*args, **kwargs)', '(...)') else ''}\n```\n")
        doc = _doc(obj)
        out.append((doc if not doc.startswith(f"{name}(") else "*(no docstring)*") + "\n")
        fields = _fields(obj)
        if fields:
            out.append(fields)
        entries = [_member_entry(obj, n, m) for n, m in _members(obj)]
        if entries:
            out.append("\n".join(entries))
    else:
        out.append(f"### `{module}.{name}`\n")
        out.append(f"```python\ndef {name}{_signature(obj)}\n```\n")
        out.append(_doc(obj) + "\n")
    return "\n".join(out)


def _sdk_errors() -> str:
    import tenge.errors as errors

    rows = ["| class | base | meaning |", "|---|---|---|"]
    generated = set(getattr(importlib.import_module("tenge.contract_errors"), "__all__"))
    names = [n for n, o in vars(errors).items()
             if inspect.isclass(o) and issubclass(o, errors.TengeError) and o.__name__ == n and n not in generated]  # fmt: skip
    for name in sorted(names):
        cls = getattr(errors, name)
        base = cls.__bases__[0].__name__ if cls.__bases__[0] is not Exception else "Exception"
        meaning = " ".join(_doc(cls).split()).replace("|", "\\|")
        rows.append(f"| `{name}` | `{base}` | {meaning} (exit code {cls.exit_code}) |")
    return "\n".join(rows) + "\n"


def _contract_errors() -> str:
    from tenge.docs.errors_module import collect
    from tenge.docs.targets import checkout_root

    rows = ["| error | Solidity signature | meaning | raised by |", "|---|---|---|---|"]
    for info in collect(checkout_root()):
        meaning = (info.doc or "").replace("|", "\\|")
        rows.append(f"| `{info.name}` | `{info.signature}` | {meaning} | {', '.join(info.raised_by)} |")
    return "\n".join(rows) + "\n"


def render() -> str:
    """The whole reference as Markdown."""
    out = [HEADER, "Contents: " + ", ".join(dict.fromkeys(t for t, _, _ in SECTIONS)) + ", Errors.\n"]
    section = ""
    for title, module, names in SECTIONS:
        if title != section:
            out.append(f"## {title}\n")
            section = title
        out.extend(_entry(module, name) for name in names)
    out.append("## Errors\n")
    out.append("Every error the SDK raises on purpose is a `tenge.errors.TengeError`; the CLI prints its message on one "
               "line and exits with its exit code.\n")  # fmt: skip
    out.append(_sdk_errors())
    out.append("### Contract errors\n")
    out.append("A revert decoded from one of the contracts raises the class named after the Solidity custom error, a "
               "subclass of `tenge.errors.ContractError` (alias of `ContractRevert`): `from tenge.errors import "
               "InsufficientSpendableBalance`. `error_args` holds the arguments by name, readable (amounts in Decimal "
               "tenge, roles by name); the message shows amounts as `1,250.00 KZT`.\n")  # fmt: skip
    out.append(_contract_errors())
    return "\n".join(out).rstrip() + "\n"
