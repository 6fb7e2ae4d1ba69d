"""What the figures depend on, recorded beside them: node, hardfork, compiler and pinned packages."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from web3 import Web3

from tenge import paths
from tenge.toolchain.anvil import anvil_binary
from tenge.toolchain.compiler import SETTINGS, SOLC_VERSION, recorded_build_info

#: npm packages whose versions decide the figures.
PINNED_PACKAGES = (
    "@foundry-rs/anvil-linux-amd64",
    "solc",
    "@openzeppelin/contracts",
    "@openzeppelin/contracts-upgradeable",
    "@requestnetwork/smart-contracts",
)


def anvil_version() -> str:
    """First line of ``anvil --version`` (e.g. ``anvil Version: 1.7.1``) and its commit."""
    text = subprocess.run(
        [str(anvil_binary()), "--version"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    version = lines[0].removeprefix("anvil Version: ") if lines else "unknown"
    commit = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("Commit SHA")), "")
    return f"{version} ({commit[:10]})" if commit else version


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PINNED_PACKAGES:
        manifest = paths.project_root() / "node_modules" / name / "package.json"
        versions[name] = json.loads(manifest.read_text())["version"] if manifest.exists() else "missing"
    return versions


def compiler_settings() -> dict[str, Any]:
    info = recorded_build_info() or {}
    settings = info.get("settings", SETTINGS)
    return {
        "solc": info.get("solcLongVersion", SOLC_VERSION),
        "evmVersion": settings.get("evmVersion"),
        "optimizer": settings.get("optimizer"),
        "viaIR": settings.get("viaIR", False),
    }


def describe_environment(w3: Web3) -> dict[str, Any]:
    node_info: dict[str, Any] = w3.provider.make_request("anvil_nodeInfo", [])["result"]  # type: ignore[arg-type]
    return {
        "anvil": anvil_version(),
        "hardfork": node_info.get("hardFork"),
        "chainId": w3.eth.chain_id,
        "compiler": compiler_settings(),
        "packages": package_versions(),
    }
