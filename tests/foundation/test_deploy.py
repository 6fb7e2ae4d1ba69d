"""Deploy: records, idempotent re-runs, resuming a killed deploy, dry runs, the bsc-testnet path."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from web3 import Web3

from tenge.cli.main import cli
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil

DEPLOYER = dev_keys(1)[0].address


def _nonce(url: str, address: str = DEPLOYER) -> int:
    return Web3(Web3.HTTPProvider(url)).eth.get_transaction_count(address)


def _deploy(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner(mix_stderr=False).invoke(cli, ["deploy", *args, "--json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)  # progress (each hash as it is sent) goes to stderr


def test_deploy_twice_second_sends_nothing(chain: Devnet, records: Path) -> None:
    first = _deploy("--network", "local", "--rpc-url", chain.rpc_url)
    assert first["transactions"] > 0
    assert _nonce(chain.rpc_url) == first["transactions"]
    record = json.loads((records / "local.json").read_text())
    assert record["chainId"] == 31337
    token = record["contracts"]["DigitalTenge"]
    for field in ("address", "txHash", "blockNumber", "args", "codeHash", "compiler", "deployer"):
        assert token[field], field
    assert token["implementation"] == record["contracts"]["DigitalTengeImplementation"]["address"]
    assert token["compiler"].startswith("0.8.28")
    assert record["pending"] == {}

    second = _deploy("--network", "local", "--rpc-url", chain.rpc_url)
    assert second["transactions"] == 0
    assert {s["action"] for s in second["steps"]} == {"unchanged"}
    assert _nonce(chain.rpc_url) == first["transactions"]
    assert second["contracts"] == first["contracts"]


def test_killed_deploy_resumes_without_redeploying(chain: Devnet, records: Path) -> None:
    env = {**os.environ, "TENGE_DEPLOYMENTS_DIR": str(records)}
    command = [sys.executable, "-m", "tenge.cli", "deploy", "--network", "local", "--rpc-url", chain.rpc_url]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    record_file = records / "local.json"
    deadline = time.monotonic() + 60
    seen: dict = {}  # type: ignore[type-arg]
    while time.monotonic() < deadline and process.poll() is None:
        if record_file.exists():
            try:
                seen = json.loads(record_file.read_text())
            except ValueError:
                seen = {}
            if len(seen.get("contracts", {})) >= 2:
                break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(seen.get("contracts", {})) >= 2, "the deploy finished or failed before it could be interrupted"
    interrupted = json.loads(record_file.read_text())

    resumed = _deploy("--network", "local", "--rpc-url", chain.rpc_url)
    final = json.loads(record_file.read_text())
    for key, entry in interrupted["contracts"].items():
        assert final["contracts"][key]["address"] == entry["address"], f"{key} was redeployed"
    sent_total = len(final["contracts"]) + len(final["calls"])
    assert _nonce(chain.rpc_url) == sent_total, "some step was sent twice"
    assert final["pending"] == {}
    assert resumed["transactions"] < sent_total


def test_foreign_record_is_refused(chain: Devnet, records: Path) -> None:
    records.mkdir(parents=True)
    (records / "local.json").write_text(json.dumps({"network": "local", "chainId": 5, "contracts": {}}))
    result = CliRunner().invoke(cli, ["deploy", "--network", "local", "--rpc-url", chain.rpc_url])
    assert result.exit_code != 0
    assert "chain id 5" in result.output and "31337" in result.output
    assert _nonce(chain.rpc_url) == 0


def test_bsc_testnet_path_end_to_end(bsc_testnet_deployer: str, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bsc-testnet network (chain 97, legacy gasPrice, keystore signer) against an anvil on chain id 97."""
    with start_anvil(chain_id=97) as bsc:
        monkeypatch.setenv("TENGE_RPC_BSC_TESTNET", bsc.rpc_url)

        dry = _deploy("--network", "bsc-testnet", "--account", "deployer", "--dry-run")
        assert dry["gas"] > 1_000_000 and dry["affordable"] is True
        assert _nonce(bsc.rpc_url) == 0, "a dry run sent a transaction"
        assert not (records / "bsc-testnet.json").exists()

        done = _deploy("--network", "bsc-testnet", "--account", "deployer")
        assert done["chain_id"] == 97 and done["transactions"] == _nonce(bsc.rpc_url) > 0
        assert done["gas"] == dry["gas"], "the dry run on a fork must predict the real gas exactly"
        w3 = Web3(Web3.HTTPProvider(bsc.rpc_url))
        record = json.loads((records / "bsc-testnet.json").read_text())
        tx = w3.eth.get_transaction(record["contracts"]["DigitalTenge"]["txHash"])
        assert tx["type"] == 0 and "gasPrice" in tx, "BSC takes legacy gasPrice transactions"
        token = w3.eth.contract(address=record["contracts"]["DigitalTenge"]["address"], abi=_abi("DigitalTenge"))
        assert token.functions.reserveGating().call()[0] is True, "bsc-testnet deploys the reserve-gated stablecoin"

        dev_key_on_testnet = CliRunner().invoke(cli, ["deploy", "--network", "bsc-testnet", "--account", "dev:0"])
        assert dev_key_on_testnet.exit_code != 0 and "local-only" in dev_key_on_testnet.output


def _abi(name: str) -> list:  # type: ignore[type-arg]
    from tenge.contracts import load_artifact

    return load_artifact(name).abi
