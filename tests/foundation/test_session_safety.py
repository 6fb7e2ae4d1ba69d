"""A session refuses a deployment record the chain no longer matches, checks the account before any
password prompt, never echoes a key-shaped --account, and unlocks a keystore only to sign."""

from __future__ import annotations

import json
import re
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import pytest
from click.testing import CliRunner
from web3 import Web3

from tenge.chain import accounts
from tenge.chain.code_check import CodeCheck
from tenge.chain.connection import connect
from tenge.chain.networks import get_network
from tenge.cli.main import cli
from tenge.deploy.record import DeploymentRecord
from tenge.errors import KeystoreError, StaleRecord
from tenge.session import Session
from tenge.toolchain.anvil import dev_keys, start_anvil

Suite = Any  # the root conftest's Suite

PASSWORD = "correct horse battery staple"
OPS = dev_keys(8)[7]
OPS_KEY = "0x" + bytes(OPS.key).hex()
PAYEE = dev_keys(4)[3].address
MNEMONIC = "test test test test test test test test test test test junk"
STALE = r"no contract at 0x[0-9a-fA-F]{40} \(DigitalTenge in .*local\.json\) — devnet restarted\? run `tenge deploy"


def _invoke(argv: list[str], env: Mapping[str, str | None] | None = None, stdin: str = "") -> Any:
    result = CliRunner(mix_stderr=False).invoke(cli, argv, env=env, input=stdin)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _nonces(url: str) -> list[int]:
    w3 = Web3(Web3.HTTPProvider(url))
    return [w3.eth.get_transaction_count(k.address) for k in dev_keys(10)]


# --- stale records -----------------------------------------------------------------------------------------


def test_a_restarted_devnet_is_refused_before_anything_is_sent(
    suite: Suite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`devnet down && devnet up` leaves the record naming addresses with no code: writes used to "succeed"."""
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(suite.record_dir))
    monkeypatch.delenv("TENGE_CONFIG", raising=False)
    with start_anvil() as restarted:
        local = ["--network", "local", "--rpc-url", restarted.rpc_url, "--account", "dev:0"]
        writes = [
            ["token", "pause", *local],
            ["token", "tier", "set", *local, PAYEE, "2"],
            ["token", "role", "grant", *local, "pauser", PAYEE],
            ["vat", "merchant", "register", *local, "9001", PAYEE],
        ]
        reads = [["token", "balance", *local, PAYEE], ["token", "role", "list", *local, PAYEE]]
        for argv in writes + reads:
            result = _invoke(argv)
            assert result.exit_code == 1, f"{argv}: {result.stdout}{result.stderr}"
            stale = STALE.replace("DigitalTenge", "VatPayments") if argv[0] == "vat" else STALE
            assert result.stderr.count("\n") == 1 and re.search(stale, result.stderr), result.stderr
        assert _nonces(restarted.rpc_url) == [0] * 10, "a transaction reached the restarted devnet"
        with pytest.raises(StaleRecord, match=STALE):
            Session.open("local", account="dev:0", rpc_url=restarted.rpc_url, record_dir=suite.record_dir).token()


def test_a_record_naming_other_code_is_refused_distinctly(suite: Suite, tmp_path: Path) -> None:
    record = json.loads((suite.record_dir / "local.json").read_text())
    record["contracts"]["DigitalTenge"]["address"] = record["contracts"]["VatPayments"]["address"]
    (tmp_path / "local.json").write_text(json.dumps(record))
    session = Session.open("local", account="dev:0", rpc_url=suite.rpc_url, record_dir=tmp_path)
    with pytest.raises(StaleRecord, match=r"the code at 0x[0-9a-fA-F]{40} \(DigitalTenge in .*\) is not the code the record names \(ERC1967Proxy"):
        session.token()


def test_the_tester_network_refuses_a_record_of_an_earlier_session(suite: Suite, tmp_path: Path) -> None:
    """Every `tester` session is a new in-process chain: a record written by an earlier one names nothing."""
    chain_id = connect(get_network("tester")).eth.chain_id
    record = json.loads((suite.record_dir / "local.json").read_text())
    (tmp_path / "tester.json").write_text(json.dumps({**record, "network": "tester", "chainId": chain_id}))
    with pytest.raises(StaleRecord, match=r"no contract at 0x[0-9a-fA-F]{40} \(VatPayments in .*tester\.json\) — devnet restarted\?"):
        Session.open("tester", account="dev:0", record_dir=tmp_path).payments()
    result = _invoke(["token", "pause", "--network", "tester", "--account", "dev:0"], env={"TENGE_DEPLOYMENTS_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "no contract at" in result.stderr and "run `tenge deploy --network tester`" in result.stderr


def test_every_recorded_contract_matches_once_per_session_in_one_batched_request(suite: Suite) -> None:
    """Implementations with immutables (UUPS `__self`, VatPayments' token) match their recorded hash."""
    session = Session.open("local", account="dev:0", rpc_url=suite.rpc_url, record_dir=suite.record_dir)
    calls: list[str] = []
    provider = session.w3.provider
    single, batch = provider.make_request, provider.make_batch_request  # type: ignore[attr-defined]

    def counted_single(method: Any, params: Any) -> Any:
        calls.append(str(method))
        return single(method, params)

    def counted_batch(requests: Any) -> Any:
        calls.append("batch:" + ",".join(sorted({str(m) for m, _ in requests})))
        return batch(requests)

    provider.make_request, provider.make_batch_request = counted_single, counted_batch  # type: ignore[method-assign, attr-defined]
    session.token()
    session.payments()
    session.token()
    assert calls.count("batch:eth_getCode") == 1 and "eth_getCode" not in calls, calls
    record = DeploymentRecord.require("local", session.w3.eth.chain_id, suite.record_dir)
    check = CodeCheck(session.w3, record)
    for key in record.contracts:
        check.require(key)


# --- accounts: validate first, never echo a key, unlock only to sign ---------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TENGE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(accounts.PASSWORD_ENV, raising=False)
    monkeypatch.delenv(accounts.RAW_KEY_ENV, raising=False)
    monkeypatch.delenv("TENGE_CONFIG", raising=False)
    accounts.import_account("ops", OPS_KEY, PASSWORD)
    return tmp_path / "home"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--network", "mars", "--account", "ops"], "unknown network 'mars'"),
        (["--network", "local", "--account", "nobody"], "no account 'nobody'"),
        (["--network", "local", "--account", OPS_KEY], r"looks like a private key \(not shown\)"),
        (["--network", "local", "--account", OPS_KEY[2:]], r"looks like a private key \(not shown\)"),
        (["--network", "bsc-testnet", "--account", "dev:0"], "dev keys are local-only"),
        (["--network", "local", "--account", OPS_KEY[:-1]], r"no account \(not shown\)"),
        (["--network", "local", "--account", MNEMONIC], r"account alias \(not shown\) must be letters"),
    ],
    ids=["unknown network", "alias with no keystore", "pasted key", "pasted key without 0x", "dev key on bsc-testnet",
         "pasted key missing a digit", "pasted mnemonic"],
)
def test_the_account_is_checked_before_any_password_prompt(home: Path, suite: Suite, argv: list[str], message: str) -> None:
    result = _invoke(["token", "transfer", *argv, "--rpc-url", suite.rpc_url, PAYEE, "1.00"], stdin="typed-password\n")
    output = result.stdout + result.stderr
    assert result.exit_code != 0
    assert "Password" not in output, "a password was asked for before the input was checked"
    assert re.search(message, result.stderr), output
    assert OPS_KEY[2:-1] not in output.lower() and "junk" not in output, "a secret-shaped --account was echoed"


def test_reads_never_unlock_the_key_and_the_first_write_does(home: Path, suite: Suite) -> None:
    local = ["--network", "local", "--rpc-url", suite.rpc_url, "--account", "ops"]
    env = {"TENGE_DEPLOYMENTS_DIR": str(suite.record_dir)}
    for argv in (["token", "balance", *local, "--json"], ["token", "role", "list", *local], ["vat", "merchant", "list", *local]):
        result = _invoke(argv, env=env)  # no password in the environment and none typed
        assert result.exit_code == 0, f"{argv}: {result.stdout}{result.stderr}"
        assert "Password" not in result.stdout + result.stderr
    assert json.loads(_invoke(["token", "balance", *local, "--json"], env=env).stdout)["address"] == OPS.address
    session = Session.open("local", account="ops", rpc_url=suite.rpc_url, record_dir=suite.record_dir)
    assert session.address == OPS.address and session.token().me == OPS.address
    with pytest.raises(KeystoreError, match="no password for account 'ops'"):
        session.signer
    asked: list[str] = []

    def prompt(alias: str) -> str:
        asked.append(alias)
        return PASSWORD

    prompted = Session.open("local", account="ops", rpc_url=suite.rpc_url, record_dir=suite.record_dir, password_prompt=prompt)
    assert prompted.signer.address == OPS.address and prompted.signer.address == OPS.address
    assert asked == ["ops"], "the password is asked for once, when the first transaction is signed"


def test_a_contract_changed_since_its_deploy_is_still_found_by_its_code(suite: Suite, tmp_path: Path) -> None:
    """A recompiled, not yet redeployed contract: its old placeholders are unknown, so only presence counts."""
    record = json.loads((suite.record_dir / "local.json").read_text())
    record["contracts"]["VatPayments"]["codeHash"] = "0x" + "ab" * 32
    (tmp_path / "local.json").write_text(json.dumps(record))
    session = Session.open("local", account="dev:0", rpc_url=suite.rpc_url, record_dir=tmp_path)
    assert session.payments().address == record["contracts"]["VatPayments"]["address"]
