"""``src/tenge/contract_errors.py``: one exception class per Solidity custom error of the packaged ABIs.

Each class says what the error means (its NatSpec, read from the Solidity source that declares it: ours under
``contracts/``, OpenZeppelin's under ``node_modules/@openzeppelin``) and its Solidity signature. A test fails when
an ABI error has no class (run ``python -m tenge.docs``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenge.contracts import artifact_names, load_artifact

HEADER = '''"""Every custom error of the suite's contracts as a named exception class (generated, do not edit).

Generated from the compiled ABIs and the errors' NatSpec by ``python -m tenge.docs``; a test fails when an ABI
error has no class here. Import them from :mod:`tenge.errors` (``from tenge.errors import TierCapExceeded``,
``except tenge.errors.ContractError``). ``error_args`` hold the arguments by name, readable: amounts in Decimal
tenge, roles by name.
"""

# ruff: noqa: D101, E501, N818
from __future__ import annotations

from tenge.errors import ContractRevert

'''

_DECL = re.compile(r"((?:[ \t]*///[^\n]*\n)+|[ \t]*/\*\*(?:(?!\*/).)*\*/[ \t]*\n)?[ \t]*error\s+(\w+)\s*\(", re.S)


@dataclass
class ErrorInfo:
    """A custom error: its Solidity signature, the contracts whose ABI holds it and its NatSpec text."""

    name: str
    signature: str
    contracts: list[str] = field(default_factory=list)
    doc: str = ""
    deployed: list[str] = field(default_factory=list)

    @property
    def raised_by(self) -> list[str]:
        """The suite's deployable contracts that can raise it (else every ABI holding it: mocks, peers)."""
        return self.deployed or self.contracts


def _natspec(comment: str) -> str:
    lines = []
    for line in comment.splitlines():
        line = line.strip().removeprefix("///").removeprefix("/**").removesuffix("*/").strip().removeprefix("*").strip()
        lines.append(line)
    text = " ".join(line for line in lines if line)
    text = re.sub(r"@(notice|dev)\s*", "", text)
    text = re.sub(r"@param\s+(\w+)\s*", r"\1: ", text)
    return " ".join(text.split())


def _source_docs(root: Path) -> dict[str, str]:
    """error name -> NatSpec, from our contracts first, then OpenZeppelin's."""
    docs: dict[str, str] = {}
    folders = [root / "contracts", root / "node_modules" / "@openzeppelin" / "contracts",
               root / "node_modules" / "@openzeppelin" / "contracts-upgradeable"]  # fmt: skip
    for folder in folders:
        for path in sorted(folder.rglob("*.sol")):
            for match in _DECL.finditer(path.read_text()):
                if match.group(1) and match.group(2) not in docs:
                    docs[match.group(2)] = _natspec(match.group(1))
    return docs


def _signature(item: dict[str, Any]) -> str:
    args = ", ".join(f"{i['type']} {i['name']}".strip() for i in item["inputs"])
    return f"{item['name']}({args})"


def _deployable(contract: str) -> bool:
    artifact = load_artifact(contract)
    return len(artifact.bytecode) > 2 and not any(f"/{kind}/" in artifact.source_name for kind in ("mocks", "bench"))


def collect(root: Path | None) -> list[ErrorInfo]:
    """Every custom error of the packaged ABIs (sorted by name), with NatSpec when ``root`` (the checkout) is given."""
    found: dict[str, ErrorInfo] = {}
    for contract in sorted(artifact_names()):
        for item in load_artifact(contract).abi:
            if item.get("type") == "error":
                info = found.setdefault(item["name"], ErrorInfo(item["name"], _signature(item)))
                info.contracts.append(contract)
                if _deployable(contract):
                    info.deployed.append(contract)
    docs = _source_docs(root) if root is not None else {}
    for info in found.values():
        info.doc = docs.get(info.name, "")
    return [found[name] for name in sorted(found)]


def _docstring(info: ErrorInfo) -> str:
    text = info.doc or f"The contract reverted with {info.name}."
    text = text.replace("\\", "\\\\").replace('"""', "'''")
    if not text.endswith("."):
        text += "."
    return f"{text} Solidity: ``{info.signature}``."


def _wrapped(words: list[str], width: int = 116) -> str:
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append("    " + word)
    return "".join(line + "\n" for line in lines)


def render(root: Path) -> str:
    """The generated module's source."""
    out = [HEADER]
    for info in collect(root):
        out.append(f"\nclass {info.name}(ContractRevert):\n    \"\"\"{_docstring(info)}\"\"\"\n")
    out.append("\n__all__ = [\n" + _wrapped([f'"{info.name}",' for info in collect(None)]) + "]\n")
    out.append("\n# Shown (in tracebacks, reprs) and pickled as tenge.errors.<Name>, where they are imported from.\n"
               "for _name in __all__:\n    globals()[_name].__module__ = \"tenge.errors\"\n")
    return "".join(out)
