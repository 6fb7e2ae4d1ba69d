"""ape on the same project: `ape compile` offline, and `ape run deploy` through tenge's own deployer.

Everything runs in a temporary copy of the project (ape-config.yaml, contracts/, scripts/,
package files, node_modules linked), with ape's data folder, HOME, the tenge user folder and
the deployment records in temporary folders too, so nothing lands in the checkout or in ~/.ape.
Offline is enforced, not assumed: HTTP(S) proxies point at a closed port, so any attempt to
download a compiler or a package fails; only 127.0.0.1 (the test's anvil) is reachable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from tenge import paths
from tenge.ape_support import APE_NETWORKS, tenge_network
from tenge.chain import accounts
from tenge.contracts import artifact_names, load_artifact, strip_metadata
from tenge.errors import ToolchainMissing, UnknownNetwork
from tenge.toolchain import compiler
from tenge.toolchain.anvil import dev_keys, start_anvil

ROOT = paths.project_root()
APE = Path(sys.executable).parent / "ape"
CLOSED_PORT_PROXY = "http://127.0.0.1:9"
COMPILE_TIMEOUT = 240
RUN_TIMEOUT = 120
#: anvil's public dev key 1 (never a real key), imported into a throwaway keystore for bsc-testnet.
DEV_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"

pytestmark = pytest.mark.skipif(not APE.exists(), reason=f"eth-ape is not installed ({APE}); it is in the dev extra")


@dataclass
class ApeProject:
    root: Path
    env: dict[str, str]
    deployments: Path

    def run(self, *args: str, timeout: float = RUN_TIMEOUT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.root / "scripts" / "ape-env"), str(APE), *args],
            cwd=self.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.fixture(scope="module")
def ape_project(tmp_path_factory: pytest.TempPathFactory) -> ApeProject:
    base = tmp_path_factory.mktemp("ape")
    root = base / "project"
    root.mkdir()
    for name in ("ape-config.yaml", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, root / name)
    shutil.copytree(ROOT / "contracts", root / "contracts", ignore=shutil.ignore_patterns(".cache"))
    (root / "scripts").mkdir()
    for name in ("solc", "ape-env", "deploy.py"):
        shutil.copy2(ROOT / "scripts" / name, root / "scripts" / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENGE_", "APE_", "SOLCX_"))}
    env.update(
        HOME=str(base / "home"),
        APE_DATA_FOLDER=str(base / "ape-data"),
        TENGE_HOME=str(base / "tenge-home"),
        TENGE_DEPLOYMENTS_DIR=str(base / "deployments"),
        HTTP_PROXY=CLOSED_PORT_PROXY,
        HTTPS_PROXY=CLOSED_PORT_PROXY,
        http_proxy=CLOSED_PORT_PROXY,
        https_proxy=CLOSED_PORT_PROXY,
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    (base / "home").mkdir()
    return ApeProject(root, env, base / "deployments")


@pytest.fixture(scope="module")
def ape_compiled(ape_project: ApeProject) -> dict[str, Any]:
    """`ape compile` in the copy; returns ape's manifest (.build/__local__.json)."""
    started = time.monotonic()
    result = ape_project.run("compile", timeout=COMPILE_TIMEOUT)
    assert result.returncode == 0, f"ape compile failed:\n{_output(result)}"
    assert "SUCCESS" in result.stdout + result.stderr, _output(result)
    print(f"ape compile: {time.monotonic() - started:.1f}s")
    return json.loads((ape_project.root / ".build" / "__local__.json").read_text())


def _declared_contracts(root: Path) -> set[str]:
    pattern = re.compile(r"^\s*(?:abstract\s+)?(?:contract|interface|library)\s+(\w+)", re.MULTILINE)
    return {name for path in (root / "contracts").rglob("*.sol") for name in pattern.findall(path.read_text())}


# --- ape compile -------------------------------------------------------------------------------


def test_ape_compile_works_offline_on_the_project_sources(ape_project: ApeProject, ape_compiled: dict[str, Any]) -> None:
    types = ape_compiled["contractTypes"]
    assert {"IDigitalTenge", "IERC3009"} <= set(types)
    missing = _declared_contracts(ape_project.root) - set(types)
    assert not missing, f"ape compile did not produce {sorted(missing)}"
    for name in ("IDigitalTenge", "IERC3009"):
        assert types[name]["sourceId"].startswith("contracts/interfaces/")
    # The compiler came from the shim folder made by scripts/ape-env; nothing was installed elsewhere.
    assert (ape_project.root / ".build" / "solcx" / f"solc-v{compiler.SOLC_VERSION}").exists()
    assert not (Path(ape_project.env["HOME"]) / ".solcx").exists()
    # ape's unpacked dependency copies are gone, so contracts/ holds only the project's sources.
    assert not (ape_project.root / "contracts" / ".cache").exists()


def test_ape_compiles_with_the_pinned_compiler_and_settings(ape_compiled: dict[str, Any]) -> None:
    compilers = [c for c in ape_compiled["compilers"] if c["name"] == "solidity"]
    assert len(compilers) == 1, compilers
    used = compilers[0]
    assert used["version"].startswith(compiler.SOLC_VERSION + "+")
    assert used["settings"]["evmVersion"] == compiler.SETTINGS["evmVersion"]
    assert used["settings"]["optimizer"] == compiler.SETTINGS["optimizer"]
    assert used["settings"].get("viaIR", False) is compiler.SETTINGS["viaIR"]
    # OpenZeppelin comes from the npm dependencies, unpacked by ape under contracts/.cache/<name>/<version>.
    remappings = dict(r.split("=", 1) for r in used["settings"]["remappings"])
    assert remappings.get("@openzeppelin/contracts") == "contracts/.cache/openzeppelin/5.4.0"
    assert set(remappings) <= {"@openzeppelin/contracts", "@openzeppelin/contracts-upgradeable"}


def test_ape_bytecode_equals_the_packaged_artifacts(ape_project: ApeProject, ape_compiled: dict[str, Any]) -> None:
    """Same sources + same settings => the same runtime code (bar the metadata hash of source paths)."""
    if compiler.is_stale(root=ape_project.root):
        pytest.skip("src/tenge/artifacts are not built from the current contracts/ (test_compiler reports that)")
    types = ape_compiled["contractTypes"]
    common = sorted(set(types) & set(artifact_names()))
    assert "IDigitalTenge" in common
    differ = []
    for name in common:
        ours = strip_metadata(bytes.fromhex(load_artifact(name).deployed_bytecode.removeprefix("0x")))
        apes = strip_metadata(bytes.fromhex(types[name]["runtimeBytecode"]["bytecode"].removeprefix("0x")))
        if ours != apes:
            differ.append(name)
    assert not differ, f"ape and tenge compile produce different runtime code for {differ}"


# --- ape run deploy ----------------------------------------------------------------------------


def test_ape_networks_map_to_tenge_networks() -> None:
    assert tenge_network("ethereum", "local").name == "local"
    assert tenge_network("bsc", "testnet").chain_id == 97
    assert tenge_network("bsc", "mainnet").chain_id == 56
    assert tenge_network("bsc", "opbnb-testnet").chain_id == 5611
    assert tenge_network("bsc", "opbnb").chain_id == 204
    assert set(APE_NETWORKS.values()) == {"local", "bsc-testnet", "bsc", "opbnb-testnet", "opbnb"}
    with pytest.raises(UnknownNetwork, match="ethereum:sepolia has no Digital Tenge network"):
        tenge_network("ethereum", "sepolia")


@pytest.fixture
def token_artifact() -> None:
    try:
        load_artifact("DigitalTenge")
    except ToolchainMissing:
        pytest.skip("no DigitalTenge artifact yet (src/tenge/artifacts): nothing to deploy")


@pytest.fixture
def anvil() -> Iterator[Any]:
    with start_anvil() as node:
        yield node


@pytest.fixture
def anvil_97() -> Iterator[Any]:
    with start_anvil(chain_id=97) as node:
        yield node


def _record(project: ApeProject, network: str) -> dict[str, Any]:
    path = project.deployments / f"{network}.json"
    assert path.exists(), f"no deployment record {path}"
    return json.loads(path.read_text())


def test_ape_run_deploy_writes_the_record_and_a_second_run_sends_nothing(
    ape_project: ApeProject, token_artifact: None, anvil: Any
) -> None:
    network = f"ethereum:local:{anvil.rpc_url}"
    first = ape_project.run("run", "deploy", "--network", network)
    assert first.returncode == 0, _output(first)
    assert "-> network local" in first.stdout, _output(first)

    record = _record(ape_project, "local")
    assert record["chainId"] == anvil.chain_id
    token = record["contracts"]["DigitalTenge"]
    w3 = Web3(Web3.HTTPProvider(anvil.rpc_url))
    assert len(w3.eth.get_code(token["address"])) > 0
    assert token["implementation"] == record["contracts"]["DigitalTengeImplementation"]["address"]
    assert token["deployer"] == dev_keys(1)[0].address
    assert token["codeHash"] == load_artifact("ERC1967Proxy").code_hash

    deployer = dev_keys(1)[0].address
    nonce, block = w3.eth.get_transaction_count(deployer), w3.eth.block_number
    second = ape_project.run("run", "deploy", "--network", network)
    assert second.returncode == 0, _output(second)
    assert re.search(r"^0 transactions", second.stdout, re.MULTILINE), _output(second)
    assert (w3.eth.get_transaction_count(deployer), w3.eth.block_number) == (nonce, block)
    assert _record(ape_project, "local") == record


def test_ape_run_deploy_to_bsc_testnet_signs_with_a_keystore_and_sends_legacy_transactions(
    ape_project: ApeProject, token_artifact: None, anvil_97: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    network = f"bsc:testnet:{anvil_97.rpc_url}"
    monkeypatch.setenv("TENGE_HOME", ape_project.env["TENGE_HOME"])
    entry = accounts.import_account("ape-test-deployer", DEV_KEY_1, "pw")
    # anvil mines only on demand: one confirmation is all it will ever give (bsc-testnet wants 3).
    config = tmp_path / "tenge.toml"
    config.write_text("[networks.bsc-testnet]\nconfirmations = 1\n")
    done = ape_project.run(
        "run", "deploy", "--network", network, "--account", "ape-test-deployer",
        env={accounts.PASSWORD_ENV: "pw", "TENGE_CONFIG": str(config)},
    )  # fmt: skip
    assert done.returncode == 0, _output(done)
    record = _record(ape_project, "bsc-testnet")
    assert record["chainId"] == 97
    token = record["contracts"]["DigitalTenge"]
    assert token["deployer"] == entry.address
    w3 = Web3(Web3.HTTPProvider(anvil_97.rpc_url))
    assert len(w3.eth.get_code(token["address"])) > 0
    assert w3.eth.get_transaction(token["txHash"])["type"] == 0  # BSC: legacy gasPrice transactions
