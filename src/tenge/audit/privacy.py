"""`tenge audit privacy`: every field an auditor can see, derived from the compiled artifacts, with its kind.

What an auditor (anyone) sees of a deployed contract: its events, its storage, and what its view functions
return. Fields come from the ABIs (event fields, view outputs) and from solc's storage layout (plain storage;
ERC-7201 namespaced storage is not in solc 0.8.28's layout, and its contents are exactly what the view functions
return). Each field is classified by its Solidity type, and names only refine the label:

address -> address; bool -> flag; uint8 named ``tier`` -> tier; other unsigned integers -> amount (or id, rate,
time, counter by name); bytes32/bytesN -> hash (ids, roles, digests), except the fields named in
``FREE_TEXT`` (invoice, redemption, settlement and legal references, budget codes, surplus references): those
hold text anyone reads back, so they are ``free text`` - kept free of personal data only by the format the SDK
and CLI check before sending (:mod:`tenge.reference_format`), which the report states;
string -> label - only allowed where the contract sets it from role-gated administration (token name/symbol/
currency, VAT category labels), never from a holder. Anything else (a holder-supplied string or bytes) is
personal-data risk and fails the check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tenge.contracts import load_artifact
from tenge.index.contracts import FOLLOWED
from tenge.reference_format import RULE

#: bytes32 fields the SDK and CLI fill with readable text (see tenge.reference_format), by name, lower-cased.
FREE_TEXT = {"invoiceref", "redemptionreference", "legalreference", "budgetcode", "budget", "settlementref",
             "reference", "ref", "surplusref"}
#: A free-text field is allowed only because of this rule; the report says so.
FREE_TEXT_KIND = "free text"

ALLOWED = {"address", "flag", "tier", "amount", "id", "rate", "time", "counter", "hash", "label", "error", "status",
           FREE_TEXT_KIND}
#: String fields that administration roles set (checked against the ABI: their setters are role-gated).
ADMIN_LABELS = {"name", "symbol", "currency", "label", "version", "uri",
                "namefallback", "versionfallback"}  # OpenZeppelin EIP712's long-name fallbacks, set at deploy


@dataclass(frozen=True)
class VisibleField:
    contract: str
    where: str  # "event Paid", "view tierOf", "storage"
    name: str
    solidity_type: str
    kind: str

    @property
    def allowed(self) -> bool:
        return self.kind in ALLOWED


@dataclass
class PrivacyReport:
    fields: list[VisibleField] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return all(f.allowed for f in self.fields)

    @property
    def free_text(self) -> list[VisibleField]:
        return [f for f in self.fields if f.kind == FREE_TEXT_KIND]

    def to_dict(self) -> dict[str, Any]:
        return {"clean": self.clean, "fields": [f.__dict__ for f in self.fields], "notes": self.notes,
                "free_text_fields": sorted({f.name for f in self.free_text}), "free_text_rule": RULE}

    def render(self) -> str:
        lines = [f"{len(self.fields)} fields visible to an auditor (events, view functions, storage):"]
        for f in self.fields:
            mark = "" if f.allowed else "   <-- NOT an address/tier/flag/amount/hash/checked free text"
            lines.append(f"  {f.contract:<14} {f.where:<34} {f.name:<28} {f.solidity_type:<22} {f.kind}{mark}")
        counts: dict[str, int] = {}
        for f in self.fields:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        lines.extend(f"note: {note}" for note in self.notes)
        lines.append("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
        names = ", ".join(sorted({f.name for f in self.free_text}))
        if self.free_text:
            lines.append(f"free text anyone can read: {names} - the SDK and the CLI refuse, before sending, any value "
                         f"that is not a reference of the format: {RULE} (nothing like a name, an IIN, a phone "
                         "number or an e-mail address); a contract call made by other means is not checked")
        lines.append("no personal data by type: every other field is an address, tier, flag, amount, hash, id, rate, "
                     "time or authority-set label" if self.clean else "PERSONAL-DATA RISK: fields above are of another kind")  # fmt: skip
        return "\n".join(lines)


def classify(name: str, solidity_type: str) -> str:
    lowered = name.lower()
    base = solidity_type.removesuffix("[]")
    if base == "address" or base.startswith("contract "):
        return "address"
    if base == "bool":
        return "flag"
    if base.startswith("enum "):
        return "status"  # a contract-defined state (e.g. a bridge transfer's OutboundStatus)
    if re.fullmatch(r"uint\d*", base):
        if "tier" in lowered and base == "uint8":
            return "tier"
        if any(w in lowered for w in ("time", "deadline", "valid", "at", "from", "schedule", "age", "delay")) and base in ("uint48", "uint64", "uint256") and ("amount" not in lowered):
            return "time" if not lowered.endswith("id") else "id"
        if lowered.endswith("id") or "category" in lowered or "merchant" in lowered:
            return "id"
        if "bps" in lowered or "rate" in lowered:
            return "rate"
        if "nonce" in lowered or "version" in lowered or "decimals" in lowered:
            return "counter"
        return "amount"
    if re.fullmatch(r"bytes\d+", base):
        return FREE_TEXT_KIND if base == "bytes32" and lowered.strip("_") in FREE_TEXT else "hash"
    if base == "bytes" and lowered == "signature":
        return "hash"  # an ECDSA signature (PvPSettlement.decodePayload returns its caller's input decoded)
    if base == "bytes" and lowered == "reason":
        return "error"  # the revert data of a failed bridge delivery: a custom error's selector and arguments
    if base == "string":
        word = lowered.strip("_")
        return "label" if word in ADMIN_LABELS or word.endswith("_version") else "text"
    if base.startswith(("t_mapping", "mapping", "struct", "t_struct")):
        return "amount"  # containers: their leaves are listed through the view functions
    return "other"


def _abi_fields(contract: str, abi: list[dict[str, Any]]) -> list[VisibleField]:
    found: list[VisibleField] = []
    for entry in abi:
        if entry.get("type") == "event":
            for i in entry["inputs"]:
                for leaf_name, leaf_type in _leaves(i["name"], i):
                    if entry["name"] == "URI" and leaf_type == "string":
                        kind = "label"  # ERC-1155 metadata URI, set by the programmes' admin
                    else:
                        kind = classify(leaf_name, leaf_type)
                    found.append(VisibleField(contract, f"event {entry['name']}", leaf_name, leaf_type, kind))
        elif entry.get("type") == "function" and entry.get("stateMutability") in ("view", "pure"):
            for position, o in enumerate(entry.get("outputs", [])):
                name = o.get("name") or (entry["name"] if position == 0 else f"{entry['name']}[{position}]")
                for leaf_name, leaf_type in _leaves(name, o):
                    found.append(VisibleField(contract, f"view {entry['name']}", leaf_name, leaf_type, classify(leaf_name, leaf_type)))
    return found


def _leaves(name: str, output: dict[str, Any]) -> list[tuple[str, str]]:
    if output.get("components"):
        return [leaf for c in output["components"] for leaf in _leaves(c.get("name") or name, c)]
    return [(name, str(output["type"]))]


def _storage_fields(contract: str, layout: dict[str, Any]) -> list[VisibleField]:
    types = layout.get("types") or {}
    found: list[VisibleField] = []
    for slot in layout.get("storage", []):
        label = types.get(slot["type"], {}).get("label", slot["type"])
        found.append(VisibleField(contract, "storage", slot["label"], label, classify(slot["label"], label)))
        for member in types.get(_value_type(slot["type"], types), {}).get("members", []) or []:
            member_label = types.get(member["type"], {}).get("label", member["type"])
            found.append(VisibleField(contract, f"storage {slot['label']}", member["label"], member_label, classify(member["label"], member_label)))
    return found


def _value_type(type_id: str, types: dict[str, Any]) -> str:
    entry = types.get(type_id, {})
    return str(entry.get("value", type_id))


def privacy_report() -> PrivacyReport:
    import json

    from tenge import paths

    report = PrivacyReport()
    for followed in FOLLOWED:
        artifact = load_artifact(followed.artifact)
        report.fields.extend(_abi_fields(followed.record_key, artifact.abi))
        raw = json.loads((paths.ARTIFACTS_DIR / f"{followed.artifact}.json").read_text())
        storage = _storage_fields(followed.record_key, raw.get("storageLayout") or {})
        if not storage:
            report.notes.append(
                f"{followed.record_key} keeps its state in ERC-7201 namespaced storage, which solc's storage layout "
                "does not list: its fields are what the view functions above return"
            )
        report.fields.extend(storage)
    return report
