"""Is an upgrade storage-safe? Compare the old implementation's storage layout with the new one's.

Layouts are solc's ``storageLayout`` format (``{"storage": [...], "types": {...}}``), extended by the compiler
with one entry per ERC-7201 namespace (label ``erc7201:<id>``, see :mod:`tenge.toolchain.namespaces`).
Refused: a variable or struct member removed, renamed, reordered, moved to another slot or offset, or
changed in type (a nested struct or array counts by its members and size). Allowed: new state variables after
the old ones, new members appended to a namespaced struct (or to a struct only reached through a mapping or a
dynamic array), new namespaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tenge.errors import UnsafeUpgrade
from tenge.toolchain.namespaces import NAMESPACE_PREFIX

if TYPE_CHECKING:
    from tenge.deploy.plan import DeployPlan
    from tenge.deploy.record import DeploymentRecord

Layout = dict[str, Any]


def _type_label(types: dict[str, Any], type_id: str) -> str:
    return str(types.get(type_id, {}).get("label", type_id))


class _Comparison:
    def __init__(self, old: Layout, new: Layout) -> None:
        self.old_types: dict[str, Any] = old.get("types") or {}
        self.new_types: dict[str, Any] = new.get("types") or {}
        self.clashes: list[str] = []

    def members(self, where: str, old: list[dict[str, Any]], new: list[dict[str, Any]], *, appendable: bool) -> None:
        """Old members must stay at their place, with their name and a compatible type; new ones only after them."""
        new_labels = [m["label"] for m in new]
        for index, member in enumerate(old):
            name = f"{where}{member['label']}"
            old_label = _type_label(self.old_types, member["type"])
            if index >= len(new):
                moved = "" if member["label"] not in new_labels else " (moved)"
                self.clashes.append(f"`{name}` ({old_label}) removed{moved}")
                continue
            other = new[index]
            if other["label"] != member["label"]:
                if member["label"] in new_labels:
                    self.clashes.append(f"`{name}` reordered: it was member {index + 1}, now "
                                        f"{new_labels.index(member['label']) + 1} (`{other['label']}` took its place)")
                else:
                    self.clashes.append(f"`{name}` ({old_label}) removed or renamed: `{other['label']}` now "
                                        f"at its place")  # fmt: skip
                continue
            if (str(other["slot"]), int(other["offset"])) != (str(member["slot"]), int(member["offset"])):
                self.clashes.append(f"`{name}` moved from slot {member['slot']} offset {member['offset']} to slot "
                                    f"{other['slot']} offset {other['offset']}")  # fmt: skip
                continue
            self.types(name, member["type"], other["type"], appendable=False)
        if not appendable and len(new) > len(old):
            extra = ", ".join(f"`{m['label']}`" for m in new[len(old):])
            self.clashes.append(f"`{where.rstrip('.')}` grew by {extra}: it is stored in place, the storage after it moves")

    def types(self, name: str, old_id: str, new_id: str, *, appendable: bool) -> None:
        old, new = self.old_types.get(old_id, {}), self.new_types.get(new_id, {})
        old_label, new_label = _type_label(self.old_types, old_id), _type_label(self.new_types, new_id)
        if "members" in old and "members" in new:
            # Storage does not know a struct's name: its members decide.
            self.members(f"{name}.", old.get("members") or [], new.get("members") or [], appendable=appendable)
            return
        if old_label != new_label or old.get("encoding") != new.get("encoding"):
            self.clashes.append(f"`{name}` changed type: {old_label} -> {new_label}")
            return
        if old.get("encoding") == "mapping":
            self.types(f"{name}[key]", old["key"], new["key"], appendable=False)
            self.types(f"{name}[]", old["value"], new["value"], appendable=True)
            return
        if "base" in old:
            dynamic = old.get("encoding") == "dynamic_array"
            self.types(f"{name}[]", old["base"], new["base"], appendable=dynamic)
        if old.get("numberOfBytes") != new.get("numberOfBytes"):
            self.clashes.append(f"`{name}` changed size: {old.get('numberOfBytes')} -> {new.get('numberOfBytes')} bytes")


def storage_clashes(old: Layout, new: Layout) -> list[str]:
    """Every way ``new`` would misread the storage ``old`` wrote; empty when the upgrade is storage-safe."""
    comparison = _Comparison(old, new)
    old_vars = [e for e in old.get("storage", []) if not str(e["label"]).startswith(NAMESPACE_PREFIX)]
    new_vars = [e for e in new.get("storage", []) if not str(e["label"]).startswith(NAMESPACE_PREFIX)]
    comparison.members("", old_vars, new_vars, appendable=True)
    new_spaces: dict[str, list[dict[str, Any]]] = {}
    for entry in new.get("storage", []):
        if str(entry["label"]).startswith(NAMESPACE_PREFIX):
            new_spaces.setdefault(str(entry["label"]), []).append(entry)
    for label, entries in new_spaces.items():
        if len(entries) > 1:
            owners = ", ".join(str(e.get("contract", "?")) for e in entries)
            comparison.clashes.append(f"namespace {label} is declared by {len(entries)} structs ({owners}): they overlap")
    for entry in old.get("storage", []):
        label = str(entry["label"])
        if not label.startswith(NAMESPACE_PREFIX):
            continue
        if label not in new_spaces:
            comparison.clashes.append(f"namespace {label} ({entry.get('contract', '?')}) removed: its storage is orphaned")
            continue
        for other in new_spaces[label]:
            name = str(other.get("contract") or label)
            comparison.types(name, entry["type"], other["type"], appendable=True)
    return comparison.clashes


def check_upgrades(plan: "DeployPlan", record: "DeploymentRecord") -> None:
    """Refuse (:class:`UnsafeUpgrade`, nothing sent) when the plan would upgrade a recorded proxy to an implementation
    whose storage layout clashes with the recorded one's, or when the record holds no layout to compare."""
    from tenge.contracts import load_artifact
    from tenge.deploy.plan import DeployContract, DeployProxy

    artifacts = {s.key: s.artifact for s in plan.steps if isinstance(s, DeployContract)}
    for step in plan.steps:
        if not isinstance(step, DeployProxy) or step.key not in record.contracts:
            continue
        old = record.contracts.get(step.implementation)
        if old is None or step.implementation not in artifacts:
            continue
        new_artifact = load_artifact(artifacts[step.implementation])
        if old.get("codeHash") == new_artifact.code_hash:
            continue  # the same code: no upgrade
        where = f"{step.key} ({record.contracts[step.key]['address']})"
        layout = old.get("storageLayout")
        if layout is None:
            raise UnsafeUpgrade(
                f"upgrade of {where} refused: the deployment record {record.path} holds no storage layout for its "
                f"implementation {old.get('artifact')} at {old.get('address')} (deployed before tenge recorded "
                "layouts), so the upgrade cannot be checked; compare the layouts yourself and re-run with "
                "--unsafe-skip-storage-check (nothing was sent)"
            )
        clashes = storage_clashes(layout, new_artifact.upgrade_layout or {"storage": [], "types": {}})
        if clashes:
            raise UnsafeUpgrade(
                f"upgrade of {where} from {old.get('artifact')} to {new_artifact.name} refused, its storage layout is "
                f"incompatible: {'; '.join(clashes)} (nothing was sent)"
            )
