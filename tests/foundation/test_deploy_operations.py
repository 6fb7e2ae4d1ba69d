"""Deploying on a real network, as an operator meets it: dry runs on a chain-97 stand-in with 1-second blocks,
`--dry-run --upgrade`, an unaffordable dry run, configuration drift read from the chain, another account than the
deployer, changed code left unapplied (exit 3), and Ctrl-C in the middle of a deploy.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from web3 import Web3

from tenge.chain import accounts
from tenge.cli.main import cli
from tenge.contracts import load_artifact
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil

KEYS = dev_keys(2)
DEPLOYER = KEYS[0].address
PASSWORD = "testnet-pw"
HASH = re.compile(r"0x[0-9a-f]{64}")
#: A key no devnet funds (not one of anvil's dev keys).
UNFUNDED_KEY = "0x" + "42" * 32


@pytest.fixture
def records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "deployments"
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(folder))
    monkeypatch.setenv("TENGE_HOME", str(tmp_path / "home"))
    for name in ("TENGE_CONFIG", accounts.PASSWORD_ENV, accounts.RAW_KEY_ENV, "TENGE_TX_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return folder


def tenge(*argv: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(mix_stderr=False).invoke(cli, list(argv), env=env)


def deploy(url: str, *options: str, account: str = "dev:0") -> Result:
    return tenge("deploy", "--network", "local", "--rpc-url", url, "--account", account, *options)


def steps(result: Result) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in json.loads(result.stdout)["steps"]}


def nonce(url: str, address: str = DEPLOYER) -> int:
    return Web3(Web3.HTTPProvider(url)).eth.get_transaction_count(address)


def contract(url: str, records: Path, key: str, abi: str) -> Any:
    record = json.loads((records / "local.json").read_text())
    w3 = Web3(Web3.HTTPProvider(url))
    return w3.eth.contract(address=record["contracts"][key]["address"], abi=load_artifact(abi).abi)


# --- the done-when of issue 8: chain 97, 1-second blocks -------------------------------------------------------


def test_chain_97_with_1s_blocks_dry_run_finishes_without_a_password_and_deploy_shows_each_hash(
    records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bsc-testnet as configured (3 confirmations): the dry run needs one confirmation on its fork; it reads the
    deployer's address from the keystore file, so no password is asked for (stdin is closed: a prompt would fail)."""
    accounts.import_account("deployer", KEYS[0].key.to_0x_hex(), PASSWORD)
    with start_anvil(chain_id=97, block_time=1) as bsc:
        env = {**os.environ, "TENGE_RPC_BSC_TESTNET": bsc.rpc_url}
        command = [sys.executable, "-m", "tenge.cli", "deploy", "-n", "bsc-testnet", "-a", "deployer", "--dry-run", "--json"]
        started = time.monotonic()
        dry = subprocess.run(command, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        elapsed = time.monotonic() - started
        print(f"dry run on the chain-97 stand-in with 1-second blocks: {elapsed:.1f} s wall time")
        assert dry.returncode == 0, dry.stderr
        report = json.loads(dry.stdout)
        assert report["gas"] > 1_000_000 and report["affordable"] is True and report["deployer"] == DEPLOYER
        assert nonce(bsc.rpc_url) == 0, "a dry run sent a transaction"

        monkeypatch.setenv("TENGE_RPC_BSC_TESTNET", bsc.rpc_url)
        monkeypatch.setenv(accounts.PASSWORD_ENV, PASSWORD)
        done = tenge("deploy", "-n", "bsc-testnet", "-a", "deployer", "--confirmations", "1", "--json")
        assert done.exit_code == 0, done.stderr
        sent = [HASH.search(line).group(0) for line in done.stderr.splitlines() if line.startswith("sent ")]  # type: ignore[union-attr]
        summary = json.loads(done.stdout)
        assert len(sent) == summary["transactions"] == nonce(bsc.rpc_url) > 0
        assert sent == [s["tx_hash"] for s in summary["steps"] if s["tx_hash"]], "each hash is printed as it is sent"
        assert summary["gas"] == report["gas"], "the dry run on a fork predicts the real gas exactly"


# --- dry runs ----------------------------------------------------------------------------------------------------


def test_dry_run_upgrade_prices_the_upgrade_and_changed_code_left_alone_exits_3(chain: Devnet, records: Path) -> None:
    assert deploy(chain.rpc_url).exit_code == 0
    record_file = records / "local.json"
    record = json.loads(record_file.read_text())
    record["contracts"]["DigitalTengeImplementation"]["codeHash"] = "0x" + "00" * 32  # as if the code had changed
    record_file.write_text(json.dumps(record))
    sent_before = nonce(chain.rpc_url)

    unapplied = deploy(chain.rpc_url, "--dry-run", "--json")
    assert unapplied.exit_code == 3, unapplied.stderr
    assert steps(unapplied)["DigitalTengeImplementation"]["action"] == "changed"
    assert "changed but not applied: DigitalTengeImplementation" in unapplied.stderr

    priced = deploy(chain.rpc_url, "--dry-run", "--upgrade", "--json")
    assert priced.exit_code == 0, priced.stderr
    outcome = steps(priced)
    assert outcome["DigitalTengeImplementation"]["action"] == "deployed"
    assert outcome["DigitalTenge"]["action"] == "upgraded" and outcome["DigitalTenge"]["gas_used"] > 0
    assert json.loads(priced.stdout)["gas"] > 1_000_000
    assert nonce(chain.rpc_url) == sent_before, "a dry run sent a transaction"

    real = deploy(chain.rpc_url)
    assert real.exit_code == 3 and "--upgrade" in real.stderr, "changed code not applied must fail CI"
    assert nonce(chain.rpc_url) == sent_before


def test_an_unaffordable_dry_run_exits_non_zero_saying_what_is_needed_and_held(chain: Devnet, records: Path) -> None:
    result = tenge("deploy", "--network", "local", "--rpc-url", chain.rpc_url, "--dry-run",
                   env={accounts.RAW_KEY_ENV: UNFUNDED_KEY})  # fmt: skip
    assert result.exit_code == 1, result.stdout + result.stderr
    assert re.search(r"the deploy needs [0-9.]+ ETH \([0-9,]+ gas at [0-9.]+ gwei\) but 0x[0-9a-fA-F]{40} holds 0 ETH",
                     result.stderr), result.stderr  # fmt: skip
    assert "nothing was sent" in result.stderr and "Traceback" not in result.stderr


# --- configuration drift ------------------------------------------------------------------------------------------


def test_configuration_drift_is_read_from_the_chain_reported_and_applied_when_asked(
    chain: Devnet, records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert deploy(chain.rpc_url).exit_code == 0
    token = contract(chain.rpc_url, records, "DigitalTenge", "DigitalTenge")
    vat = contract(chain.rpc_url, records, "VatPayments", "VatPayments")
    w3 = token.w3
    pauser = Web3.keccak(text="PAUSER_ROLE")
    # Changed on chain behind the configuration's back: a role revoked, the VAT reserve and a category's label.
    w3.eth.send_transaction({"from": DEPLOYER, "to": token.address,
                             "data": token.encode_abi("revokeRole", [pauser, DEPLOYER])})  # fmt: skip
    w3.eth.send_transaction({"from": DEPLOYER, "to": vat.address, "data": vat.encode_abi("setVatReserve", [12345])})
    w3.eth.send_transaction({"from": DEPLOYER, "to": vat.address, "data": vat.encode_abi("labelCategory", [2, "luxury"])})
    # ... and the configuration changed: tier 1 capped at 100.00.
    config = tmp_path / "tenge.toml"
    config.write_text('[suite.token.tier_caps]\n1 = "100.00"\n')
    monkeypatch.setenv("TENGE_CONFIG", str(config))
    sent_before = nonce(chain.rpc_url)

    reported = deploy(chain.rpc_url, "--json")
    assert reported.exit_code == 3, reported.stderr
    changed = {k: s["detail"] for k, s in steps(reported).items() if s["action"] == "changed"}
    assert changed.keys() == {"tierCap:1", f"grant:PAUSER_ROLE:{DEPLOYER}", "vat:reserve", "vat:label:2"}, changed
    assert "tier 1 cap: on chain 500000.00 tenge, configured 100.00 tenge" in changed["tierCap:1"]
    assert f"PAUSER_ROLE of {DEPLOYER} on DigitalTenge: on chain False, configured True" in changed[f"grant:PAUSER_ROLE:{DEPLOYER}"]
    assert "VAT reserve: on chain 123.45 tenge, configured 0.00 tenge" in changed["vat:reserve"]
    assert "VAT category 2 label: on chain 'luxury', configured 'reduced: medicines'" in changed["vat:label:2"]
    assert nonce(chain.rpc_url) == sent_before, "drift is applied only when asked"

    applied = deploy(chain.rpc_url, "--apply-config", "--json")
    assert applied.exit_code == 0, applied.stderr
    assert json.loads(applied.stdout)["transactions"] == 4
    assert token.functions.tierCap(1).call() == 10_000 and token.functions.hasRole(pauser, DEPLOYER).call()
    assert vat.functions.vatReserve().call() == 0

    again = deploy(chain.rpc_url, "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["transactions"] == 0, again.stderr


def test_a_changed_currency_needs_a_redeploy_and_says_so_with_exit_6(
    chain: Devnet, records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert deploy(chain.rpc_url).exit_code == 0
    config = tmp_path / "tenge.toml"
    config.write_text('[suite.currency]\nname = "Digital Som"\nsymbol = "DKGS"\ncode = "KGS"\n')
    monkeypatch.setenv("TENGE_CONFIG", str(config))
    sent_before = nonce(chain.rpc_url)
    for options in ((), ("--apply-config",)):
        result = deploy(chain.rpc_url, *options, "--json")
        assert result.exit_code == 6, result.stderr
        detail = steps(result)["DigitalTenge"]["detail"]
        assert "token name: on chain 'Digital Tenge', configured 'Digital Som'" in detail
        assert "token symbol: on chain 'DKZT', configured 'DKGS'" in detail
        assert "token currency code: on chain 'KZT', configured 'KGS'" in detail
        assert "needs a redeploy: DigitalTenge" in result.stderr
    assert nonce(chain.rpc_url) == sent_before


# --- another account, Ctrl-C ------------------------------------------------------------------------------------------


def test_another_account_than_the_deployer_is_refused_up_front(chain: Devnet, records: Path) -> None:
    assert deploy(chain.rpc_url).exit_code == 0
    other = deploy(chain.rpc_url, account="dev:1")
    assert other.exit_code == 1, other.stdout + other.stderr
    assert f"was deployed by {DEPLOYER}" in other.stderr
    assert f"the current account {KEYS[1].address} lacks DEFAULT_ADMIN_ROLE on DigitalTenge" in other.stderr
    assert "AccessControlUnauthorizedAccount" not in other.stderr
    assert nonce(chain.rpc_url, KEYS[1].address) == 0


def test_ctrl_c_during_a_deploy_says_what_was_pending_and_the_re_run_resumes(chain: Devnet, records: Path) -> None:
    w3 = Web3(Web3.HTTPProvider(chain.rpc_url))
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    command = [sys.executable, "-m", "tenge.cli", "deploy", "--network", "local", "--rpc-url", chain.rpc_url]
    process = subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        first = process.stderr.readline()  # "sent DigitalTengeImplementation: deploy ..." - then it waits for a block
        found = HASH.search(first)
        assert found and first.startswith("sent DigitalTengeImplementation: deploy DigitalTenge: tx"), first
        process.send_signal(signal.SIGINT)
        rest = process.stderr.read()
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    tx_hash = found.group(0)
    assert code == 130, rest
    assert "Aborted!" not in rest and "Traceback" not in rest, rest
    assert "Step in progress: DigitalTengeImplementation." in rest
    assert f"transaction {tx_hash} was sent and may still be mined; do not resend it" in rest
    assert "re-run the same `tenge deploy` command to resume" in rest

    w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    resumed = deploy(chain.rpc_url, "--json")
    assert resumed.exit_code == 0, resumed.stderr
    record = json.loads((records / "local.json").read_text())
    assert record["contracts"]["DigitalTengeImplementation"]["txHash"] == tx_hash, "the pending deploy was picked up"
    assert steps(resumed)["DigitalTengeImplementation"]["action"] == "resumed"
    assert nonce(chain.rpc_url) == len(record["contracts"]) + len(record["calls"]), "a step was sent twice"


def test_apply_config_takes_back_a_renounced_setup_role_for_the_run_and_renounces_it_again(
    chain: Devnet, records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deployer is not a compliance officer in this configuration: the deploy renounced COMPLIANCE_ROLE, which
    a tier cap change needs. --apply-config grants it to the (admin) deployer, applies, and renounces it again."""
    config = tmp_path / "tenge.toml"
    config.write_text("[suite.roles]\nCOMPLIANCE_ROLE = []\n")
    monkeypatch.setenv("TENGE_CONFIG", str(config))
    assert deploy(chain.rpc_url).exit_code == 0
    token = contract(chain.rpc_url, records, "DigitalTenge", "DigitalTenge")
    compliance = Web3.keccak(text="COMPLIANCE_ROLE")
    assert not token.functions.hasRole(compliance, DEPLOYER).call()

    config.write_text('[suite.roles]\nCOMPLIANCE_ROLE = []\n[suite.token.tier_caps]\n2 = "7000000.00"\n')
    assert deploy(chain.rpc_url).exit_code == 3
    sent_before = nonce(chain.rpc_url)
    applied = deploy(chain.rpc_url, "--apply-config", "--json")
    assert applied.exit_code == 0, applied.stderr
    assert "grant COMPLIANCE_ROLE to the deployer" in applied.stderr and "renounce COMPLIANCE_ROLE" in applied.stderr
    assert token.functions.tierCap(2).call() == 700_000_000
    assert not token.functions.hasRole(compliance, DEPLOYER).call(), "the role taken for the run was renounced"
    assert json.loads(applied.stdout)["transactions"] == nonce(chain.rpc_url) - sent_before == 3
