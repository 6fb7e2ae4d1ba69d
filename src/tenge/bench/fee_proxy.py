"""Request Network's ERC20FeeProxy, loaded from the pinned npm package at bench time (never committed here).

``@requestnetwork/smart-contracts`` ships no Solidity sources: the ABI is a JSON artifact under
``dist/src/lib/artifacts/ERC20FeeProxy/`` and the creation bytecode lives only in the generated
TypeChain factory (``types/factories/src/contracts/ERC20FeeProxy__factory.js``, ``const _bytecode``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tenge import paths
from tenge.contracts import Artifact
from tenge.errors import ToolchainMissing

PACKAGE = Path("node_modules") / "@requestnetwork" / "smart-contracts"
ABI_FILE = PACKAGE / "dist" / "src" / "lib" / "artifacts" / "ERC20FeeProxy" / "0.1.0.json"
FACTORY_FILE = PACKAGE / "types" / "factories" / "src" / "contracts" / "ERC20FeeProxy__factory.js"
ARTIFACT_VERSION = "0.1.0"

_BYTECODE = re.compile(r'const _bytecode\s*=\s*"(0x[0-9a-fA-F]+)"')


def package_version(root: Path | None = None) -> str:
    manifest = (root or paths.project_root()) / PACKAGE / "package.json"
    return str(json.loads(manifest.read_text())["version"]) if manifest.exists() else "missing"


def load_fee_proxy_artifact(root: Path | None = None) -> Artifact:
    """The ERC20FeeProxy ABI and creation bytecode as an :class:`Artifact` the TxSender can deploy."""
    root = root or paths.project_root()
    abi_path, factory_path = root / ABI_FILE, root / FACTORY_FILE
    if not abi_path.exists() or not factory_path.exists():
        raise ToolchainMissing(
            f"@requestnetwork/smart-contracts is not installed ({abi_path} or {factory_path} missing): "
            "run `make bootstrap` (npm ci)"
        )
    match = _BYTECODE.search(factory_path.read_text())
    if match is None:
        raise ToolchainMissing(f"no creation bytecode (`const _bytecode = \"0x...\"`) found in {factory_path}")
    return Artifact(
        name="ERC20FeeProxy",
        source_name=f"@requestnetwork/smart-contracts@{package_version(root)} (ERC20FeeProxy {ARTIFACT_VERSION})",
        abi=json.loads(abi_path.read_text())["abi"],
        bytecode=match.group(1),
        deployed_bytecode="0x",
    )
