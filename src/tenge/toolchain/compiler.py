"""Compile ``contracts/`` with the pinned solcjs (through py-solc-x and the shim) into packaged artifacts.

Output, inside the Python package so the SDK works without Node or solc:
``tenge/artifacts/<ContractName>.json`` in Hardhat format and ``tenge/artifacts/build-info.json``
with the compiler version, the settings, a fingerprint of every input and the complete standard-JSON
``input`` (every source unit solc read, with its content, and the settings): what an explorer's verifier
compiles to reproduce the bytecode (``tenge verify``). A compile whose fingerprint matches the build-info
returns at once without starting solc. Each artifact with storage carries an ``upgradeLayout`` (state
variables and ERC-7201 namespaces, see :mod:`tenge.toolchain.namespaces`) for the upgrade check.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenge import paths
from tenge.errors import CompileError, ToolchainMissing
from tenge.toolchain.namespaces import (
    SYNTHETIC_CONTRACT,
    SYNTHETIC_SOURCE,
    find_namespaces,
    synthetic_source,
    upgrade_layouts,
)

SOLC_VERSION = "0.8.28"

#: Pinned and recorded: cancun runs on BSC and opBNB. Runs: as high as keeps DigitalTenge under
#: EIP-170's 24,576-byte limit (BSC enforces it) — 500 gives ~23.6 KB; 1,000 already gives ~25.8 KB.
#: Runtime gas differs by only tens of gas per call between 500 and 10,000 runs for this code.
SETTINGS: dict[str, Any] = {
    "evmVersion": "cancun",
    "optimizer": {"enabled": True, "runs": 500},
    "viaIR": False,
    "metadata": {"bytecodeHash": "ipfs"},
    "outputSelection": {
        "*": {
            "*": [
                "abi",
                "evm.bytecode.object",
                "evm.bytecode.linkReferences",
                "evm.deployedBytecode.object",
                "evm.deployedBytecode.linkReferences",
                # Masked when `tenge verify --check` compares compiled with deployed code.
                "evm.deployedBytecode.immutableReferences",
                "evm.methodIdentifiers",
                # Read by `tenge audit privacy`: every storage field an auditor can see, with its type.
                "storageLayout",
            ]
        }
    },
}

#: Library contracts the deploy needs artifacts for, though they live in node_modules.
LIBRARY_SOURCES = ("@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",)

BUILD_INFO = "build-info.json"


@dataclass
class CompileResult:
    fingerprint: str
    contracts: list[str]
    cached: bool
    warnings: list[str] = field(default_factory=list)


def project_sources(root: Path | None = None) -> dict[str, Path]:
    """Source unit name (``contracts/...sol``) -> file, for every Solidity file under contracts/."""
    root = root or paths.project_root()
    folder = root / "contracts"
    # Dot-folders are tools' scratch space (ape-solidity unpacks OpenZeppelin into contracts/.cache).
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(folder.rglob("*.sol"))
        if not any(part.startswith(".") for part in path.relative_to(folder).parts)
    }


def fingerprint(root: Path | None = None) -> str:
    """A hash over everything that decides the output: compiler, settings, sources, pinned packages."""
    root = root or paths.project_root()
    digest = hashlib.sha256()
    digest.update(SOLC_VERSION.encode())
    digest.update(json.dumps(SETTINGS, sort_keys=True).encode())
    for name, path in project_sources(root).items():
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    lock = root / "package-lock.json"
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def recorded_build_info(artifacts_dir: Path | None = None) -> dict[str, Any] | None:
    info = (artifacts_dir or paths.ARTIFACTS_DIR) / BUILD_INFO
    return json.loads(info.read_text()) if info.exists() else None


def is_stale(root: Path | None = None, artifacts_dir: Path | None = None) -> bool:
    """True when the packaged artifacts were not built from the current sources."""
    info = recorded_build_info(artifacts_dir)
    return info is None or info.get("fingerprint") != fingerprint(root)


def compile_project(*, force: bool = False, artifacts_dir: Path | None = None) -> CompileResult:
    root = paths.project_root()
    out_dir = artifacts_dir or paths.ARTIFACTS_DIR
    current = fingerprint(root)
    info = recorded_build_info(out_dir)
    if not force and info is not None and info.get("fingerprint") == current:
        return CompileResult(current, sorted(info["contracts"]), cached=True)

    output = _run_solc(root)
    warnings = [e["formattedMessage"] for e in output.get("errors", []) if e.get("severity") != "error"]
    sources = {name: {"content": _read_source(root, name)} for name in sorted(output.get("sources", {}))}
    layouts = _upgrade_layouts(root, output, sources)
    artifacts = _hardhat_artifacts(output, layouts)
    standard_input = {"language": "Solidity", "sources": sources, "settings": SETTINGS}
    _write(out_dir, artifacts, current, standard_input)
    return CompileResult(current, sorted(artifacts), cached=False, warnings=warnings)


def _read_source(root: Path, name: str) -> str:
    """A source unit's content: ``contracts/...`` from the checkout, packages from node_modules."""
    local = root / name
    path = local if name.startswith("contracts/") and local.is_file() else root / "node_modules" / name
    return path.read_text()


def _upgrade_layouts(
    root: Path, output: dict[str, Any], sources: dict[str, dict[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Every contract's storage: its state variables and the ERC-7201 namespaces it inherits, laid out by solc
    (a second, analysis-only solc run over a synthetic contract holding one variable of each namespaced struct)."""
    namespaces, bases = find_namespaces(output.get("sources", {}))
    synthetic: dict[str, Any] = {}
    if namespaces:
        layout_input = {
            "language": "Solidity",
            "sources": {**sources, SYNTHETIC_SOURCE: {"content": synthetic_source(namespaces)}},
            "settings": {**SETTINGS, "outputSelection": {SYNTHETIC_SOURCE: {SYNTHETIC_CONTRACT: ["storageLayout"]}}},
        }
        laid_out = compile_standard(layout_input, allow_paths=[str(root)])
        synthetic = laid_out["contracts"][SYNTHETIC_SOURCE][SYNTHETIC_CONTRACT]["storageLayout"]
    return upgrade_layouts(output.get("contracts", {}), namespaces, bases, synthetic)


def _solc_binary() -> Path:
    shim = paths.solc_shim()
    solcjs = paths.project_root() / "node_modules" / "solc" / "package.json"
    if not shim.exists() or not solcjs.exists():
        raise ToolchainMissing(
            f"the Solidity compiler is not installed ({solcjs} missing): run `make bootstrap` "
            "(npm ci) in the project checkout; the SDK itself needs no compiler"
        )
    return shim


def _run_solc(root: Path) -> dict[str, Any]:
    sources: dict[str, dict[str, str]] = {
        name: {"content": path.read_text()} for name, path in project_sources(root).items()
    }
    for library in LIBRARY_SOURCES:
        sources[library] = {"content": (root / "node_modules" / library).read_text()}
    # The AST (not recorded, and no influence on the bytecode) shows the ERC-7201 namespaced structs.
    selection = {**SETTINGS["outputSelection"], "*": {**SETTINGS["outputSelection"]["*"], "": ["ast"]}}
    standard_input = {"language": "Solidity", "sources": sources, "settings": {**SETTINGS, "outputSelection": selection}}
    return compile_standard(standard_input, allow_paths=[str(root)])


def compile_standard(standard_input: dict[str, Any], *, allow_paths: list[str] | None = None) -> dict[str, Any]:
    """Run the pinned solc on a standard-JSON input; solc's errors become one :class:`CompileError`."""
    # Imported here: a cached compile must answer in well under a second, without solcx's imports.
    import solcx
    from solcx.exceptions import SolcError

    try:
        output: dict[str, Any] = solcx.compile_standard(
            standard_input, solc_binary=_solc_binary(), allow_paths=allow_paths
        )
    except SolcError as exc:
        raise CompileError(_solc_messages(exc)) from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise ToolchainMissing(f"could not run the solc shim: {exc}") from None
    return output


def _solc_messages(exc: Any) -> str:
    try:
        errors = json.loads(exc.stdout_data).get("errors", [])
        text = "\n".join(e["formattedMessage"].rstrip() for e in errors if e.get("severity") == "error")
        if text:
            return text
    except (ValueError, TypeError, AttributeError):
        pass
    return str(exc)


def _hardhat_artifacts(
    output: dict[str, Any], layouts: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    wanted_sources = {name for name in output.get("contracts", {}) if name.startswith("contracts/")}
    wanted_sources.update(LIBRARY_SOURCES)
    artifacts: dict[str, dict[str, Any]] = {}
    for source_name in sorted(wanted_sources):
        for contract_name, compiled in output["contracts"].get(source_name, {}).items():
            if contract_name in artifacts:
                raise CompileError(
                    f"two contracts are named {contract_name}: {artifacts[contract_name]['sourceName']} "
                    f"and {source_name}; artifact names must be unique"
                )
            evm = compiled["evm"]
            artifacts[contract_name] = {
                "_format": "hh-sol-artifact-1",
                "contractName": contract_name,
                "sourceName": source_name,
                "abi": compiled["abi"],
                "bytecode": _hex(evm["bytecode"]["object"]),
                "deployedBytecode": _hex(evm["deployedBytecode"]["object"]),
                "linkReferences": evm["bytecode"].get("linkReferences", {}),
                "deployedLinkReferences": evm["deployedBytecode"].get("linkReferences", {}),
                "storageLayout": compiled.get("storageLayout", {}),
                "immutableReferences": evm["deployedBytecode"].get("immutableReferences", {}),
            }
            if (source_name, contract_name) in layouts:
                artifacts[contract_name]["upgradeLayout"] = layouts[(source_name, contract_name)]
    return artifacts


def _hex(code: str) -> str:
    return code if code.startswith("0x") else "0x" + code


def _write(out_dir: Path, artifacts: dict[str, dict[str, Any]], current: str, standard_input: dict[str, Any]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        if old.stem not in artifacts and old.name != BUILD_INFO:
            old.unlink()
    for name, artifact in artifacts.items():
        (out_dir / f"{name}.json").write_text(json.dumps(artifact, indent=1, sort_keys=True) + "\n")
    build_info = {
        "_format": "tenge-build-info-1",
        "solcVersion": SOLC_VERSION,
        "solcLongVersion": _long_version(),
        "settings": SETTINGS,
        "fingerprint": current,
        "contracts": sorted(artifacts),
        #: the standard-JSON input: what `tenge verify` submits and `tenge verify --check` recompiles
        "input": standard_input,
    }
    (out_dir / BUILD_INFO).write_text(json.dumps(build_info, indent=1, sort_keys=True) + "\n")


def _long_version() -> str:
    text = subprocess.run(
        [str(_solc_binary()), "--version"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return text.strip().splitlines()[-1].removeprefix("Version: ")
