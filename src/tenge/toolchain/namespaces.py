"""The storage layout of ERC-7201 namespaced structs, as solc itself lays them out.

solc's ``storageLayout`` lists state variables only, and our upgradeable contracts keep every field in
ERC-7201 namespaced structs (``/// @custom:storage-location erc7201:<id>``), so their ``storageLayout`` is
empty. Like OpenZeppelin's upgrades plugin, the compiler finds each namespaced struct in the AST and has
solc lay it out as a state variable of a synthetic contract; the struct's members (slot, offset, type)
then come from solc's own ``storageLayout`` output. An artifact gets an ``upgradeLayout``: its state
variables plus one entry per namespace (label ``erc7201:<id>``), with the types they use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

SYNTHETIC_SOURCE = "tenge-namespaced-layouts.sol"
SYNTHETIC_CONTRACT = "TengeNamespacedLayouts"
NAMESPACE_PREFIX = "erc7201:"
_LOCATION = re.compile(r"@custom:storage-location\s+erc7201:(\S+)")


@dataclass(frozen=True)
class Namespace:
    namespace_id: str
    source: str
    #: ``TengeERC20.TokenStorage``
    canonical_name: str
    #: id of the contract declaring it
    scope: int


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "nodeType" in node:
            yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def find_namespaces(sources_output: dict[str, Any]) -> tuple[list[Namespace], dict[tuple[str, str], list[int]]]:
    """Every namespaced struct in the ASTs, and (source, contract name) -> linearized base contract ids."""
    namespaces: list[Namespace] = []
    bases: dict[tuple[str, str], list[int]] = {}
    for source, unit in sources_output.items():
        for node in _nodes(unit.get("ast", {})):
            if node["nodeType"] == "ContractDefinition":
                bases[(source, node["name"])] = list(node.get("linearizedBaseContracts", []))
            elif node["nodeType"] == "StructDefinition":
                doc = node.get("documentation") or {}
                text = doc.get("text", "") if isinstance(doc, dict) else str(doc)
                match = _LOCATION.search(text)
                if match:
                    namespaces.append(Namespace(match.group(1), source, node["canonicalName"], int(node["scope"])))
    return namespaces, bases


def synthetic_source(namespaces: list[Namespace]) -> str:
    """A contract with one state variable of each namespaced struct type (never deployed, only laid out)."""
    units = sorted({ns.source for ns in namespaces})
    alias = {source: f"U{i}" for i, source in enumerate(units)}
    lines = ["// SPDX-License-Identifier: MIT", "pragma solidity ^0.8.20;"]
    lines += [f'import "{source}" as {alias[source]};' for source in units]
    lines.append(f"contract {SYNTHETIC_CONTRACT} {{")
    lines += [f"    {alias[ns.source]}.{ns.canonical_name} internal ns{i};" for i, ns in enumerate(namespaces)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _reachable(type_id: str, types: dict[str, Any], into: dict[str, Any]) -> None:
    if type_id in into or type_id not in types:
        return
    entry = types[type_id]
    into[type_id] = entry
    for member in entry.get("members") or []:
        _reachable(member["type"], types, into)
    for key in ("key", "value", "base"):
        if key in entry:
            _reachable(entry[key], types, into)


def upgrade_layouts(
    compiled: dict[str, dict[str, Any]],
    namespaces: list[Namespace],
    bases: dict[tuple[str, str], list[int]],
    synthetic_layout: dict[str, Any],
) -> dict[tuple[str, str], dict[str, Any]]:
    """(source, contract) -> {"storage": [...state variables, ...namespaces], "types": {...}} for every
    compiled contract that has storage (state variables or namespaces in its inheritance)."""
    ns_types = synthetic_layout.get("types") or {}
    ns_entries = {entry["label"]: entry for entry in synthetic_layout.get("storage", [])}
    result: dict[tuple[str, str], dict[str, Any]] = {}
    for (source, name), contract_bases in bases.items():
        own = compiled.get(source, {}).get(name)
        if own is None:
            continue
        layout = own.get("storageLayout") or {}
        storage = list(layout.get("storage") or [])
        types = dict(layout.get("types") or {})
        for i, ns in enumerate(namespaces):
            if ns.scope not in contract_bases:
                continue
            entry = ns_entries[f"ns{i}"]
            storage.append({"label": NAMESPACE_PREFIX + ns.namespace_id, "contract": ns.canonical_name,
                            "slot": "0", "offset": 0, "type": entry["type"]})  # fmt: skip
            _reachable(entry["type"], ns_types, types)
        if storage:
            result[(source, name)] = {"storage": storage, "types": types}
    return result
