"""Compiled contract artifacts shipped with the package: ABI, bytecode, code hashes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eth_utils import keccak

from tenge import paths
from tenge.errors import ToolchainMissing


@dataclass(frozen=True)
class Artifact:
    name: str
    source_name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    #: state variables and ERC-7201 namespaces as solc lays them out (None: no storage, or an older artifact)
    upgrade_layout: dict[str, Any] | None = None

    @property
    def code_hash(self) -> str:
        """keccak256 of the runtime code without the metadata trailer, to tell code changes apart."""
        code = bytes.fromhex(self.deployed_bytecode.removeprefix("0x"))
        return "0x" + keccak(strip_metadata(code)).hex()


def strip_metadata(code: bytes) -> bytes:
    """Drop solc's CBOR metadata trailer (its length is in the last two bytes)."""
    if len(code) < 2:
        return code
    trailer = int.from_bytes(code[-2:], "big") + 2
    return code[:-trailer] if trailer <= len(code) else code


@lru_cache(maxsize=None)
def load_artifact(name: str, artifacts_dir: Path | None = None) -> Artifact:
    path = (artifacts_dir or paths.ARTIFACTS_DIR) / f"{name}.json"
    if not path.exists():
        raise ToolchainMissing(f"no compiled artifact for {name} (looked for {path}); run `tenge compile`")
    data = json.loads(path.read_text())
    return Artifact(
        name=data["contractName"],
        source_name=data["sourceName"],
        abi=data["abi"],
        bytecode=data["bytecode"],
        deployed_bytecode=data["deployedBytecode"],
        upgrade_layout=data.get("upgradeLayout"),
    )


def artifact_names(artifacts_dir: Path | None = None) -> list[str]:
    folder = artifacts_dir or paths.ARTIFACTS_DIR
    return sorted(p.stem for p in folder.glob("*.json") if p.name != "build-info.json")
