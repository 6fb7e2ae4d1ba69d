"""Contract verification and deployment exports, against the suite deployed on a real anvil.

- `tenge verify --check` compiles the recorded standard-JSON input and finds every deployed contract's runtime code
  reproduced byte for byte (immutables masked); a tampered source, or tampered code on chain, is a mismatch (exit 3).
- `tenge verify` submits each contract through an Etherscan-style API: here a small real HTTP server on 127.0.0.1
  (the explorer's stand-in) that checks every form field against the chain (the constructor arguments must be the
  tail of the deploy transaction's input) and the build-info, answers "Pending in queue" once, then "Pass - Verified".
- `tenge deployments show|export` print and write the record for people, hardhat-deploy and frontends.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner, Result
from web3 import Web3

from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.cli.main import cli
from tenge.contracts import load_artifact
from tenge.deploy import verification
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.toolchain.anvil import Devnet, dev_keys, free_port, start_anvil
from tenge.toolchain.compiler import recorded_build_info

API_KEY = "TESTKEY-not-a-secret"


@dataclass
class Deployed:
    devnet: Devnet
    records: Path

    @property
    def url(self) -> str:
        return self.devnet.rpc_url

    def record(self) -> dict[str, Any]:
        return dict(json.loads((self.records / "local.json").read_text()))


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    records = tmp_path_factory.mktemp("deployments")
    with start_anvil() as node:
        w3 = Web3(Web3.HTTPProvider(node.rpc_url))
        key = dev_keys(1)[0]
        record = DeploymentRecord("local", w3.eth.chain_id, path=records / "local.json")
        Deployer(TxSender(w3, key, get_network("local")), record).run(suite_plan(load_suite_config("local"), key.address))
        yield Deployed(node, records)


@pytest.fixture(autouse=True)
def _records_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if "deployed" in request.fixturenames:
        monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(request.getfixturevalue("deployed").records))
    monkeypatch.setenv("TENGE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")


def run(*argv: str) -> Result:
    return CliRunner(mix_stderr=False).invoke(cli, list(argv))


# --- verify --check: the recorded input reproduces the deployed code ----------------------------------------------


def test_verify_check_reproduces_every_deployed_contract_from_the_recorded_input(deployed: Deployed) -> None:
    result = run("verify", "--check", "--network", "local", "--rpc-url", deployed.url, "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["matches"] is True
    checked = {c["key"]: c for c in report["contracts"]}
    assert set(checked) == set(deployed.record()["contracts"])
    assert checked["DigitalTenge"]["contract_name"] == "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy"
    assert checked["DigitalTengeImplementation"]["contract_name"] == "contracts/token/DigitalTenge.sol:DigitalTenge"
    # the token implementation has immutables (UUPS's own address, the EIP-712 domain): masked, not skipped
    assert re.search(r"bytes identical \([1-9]\d* immutables masked\)", checked["DigitalTengeImplementation"]["detail"])


def test_a_tampered_source_in_the_input_is_a_mismatch(
    deployed: Deployed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    info = copy.deepcopy(recorded_build_info())
    assert info is not None
    proxy_source = "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol"
    # One comment more: same code, but the metadata hash at the end of the runtime code covers every source's text.
    info["input"]["sources"][proxy_source]["content"] += "\n// tampered\n"
    monkeypatch.setattr(verification, "build_info", lambda: info)
    result = run("verify", "--check", "--network", "local", "--rpc-url", deployed.url, "--contract", "DigitalTenge")
    assert result.exit_code == 3, result.stdout + result.stderr
    assert re.search(r"MISMATCH\s+DigitalTenge\s+0x[0-9a-fA-F]{40}\s+.*ERC1967Proxy: differs from byte [\d,]+ of "
                     r"[\d,]+, in the metadata hash", result.stdout), result.stdout  # fmt: skip
    assert result.stderr == "the recorded input does not reproduce the deployed code of: DigitalTenge\n"
    assert "deployed from build" not in result.stdout  # the record says it was deployed from the current build

    # A record deployed from another build says so: the mismatch may be an old deploy, not a forgery.
    record = deployed.record()
    assert record["contracts"]["DigitalTenge"]["build"] == info["fingerprint"]
    record["contracts"]["DigitalTenge"]["build"] = "ab" * 32
    (tmp_path / "older").mkdir()
    (tmp_path / "older" / "local.json").write_text(json.dumps(record))
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(tmp_path / "older"))
    result = run("verify", "--check", "--network", "local", "--rpc-url", deployed.url, "--contract", "DigitalTenge")
    assert result.exit_code == 3
    assert f"it was deployed from build abababababab, the recorded input is build {info['fingerprint'][:12]}" in result.stdout


def test_tampered_code_on_chain_is_a_mismatch(deployed: Deployed) -> None:
    w3 = Web3(Web3.HTTPProvider(deployed.url))
    address = deployed.record()["contracts"]["VatPayments"]["address"]
    code = bytearray(w3.eth.get_code(address))
    original = bytes(code)
    code[40] ^= 0x01
    w3.provider.make_request("anvil_setCode", [address, "0x" + code.hex()])  # type: ignore[arg-type]
    try:
        result = run("verify", "--check", "--network", "local", "--rpc-url", deployed.url, "--contract", "VatPayments")
    finally:
        w3.provider.make_request("anvil_setCode", [address, "0x" + original.hex()])  # type: ignore[arg-type]
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "differs from byte 40 of" in result.stdout and "in the code" in result.stdout


# --- verify: submission to an Etherscan-style API -------------------------------------------------------------------


@dataclass
class FakeExplorer:
    """A real HTTP server speaking the Etherscan API shape; it checks what it receives against the chain."""

    w3: Web3
    record: dict[str, Any]
    submitted: list[dict[str, str]] = field(default_factory=list)
    linked: list[dict[str, str]] = field(default_factory=list)
    polls: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def check(self, form: dict[str, str]) -> str | None:
        """Why the submission would not verify, or None."""
        info = recorded_build_info() or {}
        entry = next((e for e in self.record["contracts"].values() if e["address"] == form.get("contractaddress")), None)
        if form.get("apikey") != API_KEY:
            return "Invalid API Key"
        if entry is None:
            return "no contract at that address"
        artifact = load_artifact(entry["artifact"])
        if form.get("codeformat") != "solidity-standard-json-input" or form.get("module") != "contract":
            return "bad codeformat/module"
        if not re.fullmatch(r"v0\.8\.28\+commit\.[0-9a-f]{8}", form.get("compilerversion", "")):
            return f"bad compiler version {form.get('compilerversion')!r}"
        if form.get("contractname") != f"{artifact.source_name}:{artifact.name}":
            return f"bad contract name {form.get('contractname')!r}"
        source = json.loads(form["sourceCode"])
        if source.get("language") != "Solidity" or source.get("settings") != info["settings"]:
            return "bad standard-JSON settings"
        if artifact.source_name not in source["sources"] or not source["sources"][artifact.source_name].get("content"):
            return "the contract's source is missing"
        tx_input = bytes(self.w3.eth.get_transaction(entry["txHash"])["input"]).hex()
        if tx_input != artifact.bytecode.removeprefix("0x") + form.get("constructorArguements", "-"):
            return "Fail - Unable to verify: constructor arguments do not match the deploy transaction"
        return None

    def handle(self, method: str, form: dict[str, str]) -> dict[str, Any]:
        action = form.get("action")
        if method == "POST" and action == "verifysourcecode":
            problem = self.check(form)
            if problem:
                self.problems.append(problem)
                return {"status": "0", "message": "NOTOK", "result": problem}
            self.submitted.append(form)
            return {"status": "1", "message": "OK", "result": f"guid-{len(self.submitted)}"}
        if method == "POST" and action == "verifyproxycontract":
            proxy = next(e for e in self.record["contracts"].values() if e["address"] == form.get("address"))
            if proxy.get("implementation") != form.get("expectedimplementation"):
                return {"status": "0", "message": "NOTOK", "result": "implementation mismatch"}
            self.linked.append(form)
            return {"status": "1", "message": "OK", "result": f"proxy-guid-{len(self.linked)}"}
        if method == "GET" and action in ("checkverifystatus", "checkproxyverification"):
            guid = form["guid"]
            self.polls[guid] = self.polls.get(guid, 0) + 1
            if self.polls[guid] == 1:
                return {"status": "0", "message": "NOTOK", "result": "Pending in queue"}
            return {"status": "1", "message": "OK", "result": "Pass - Verified"}
        return {"status": "0", "message": "NOTOK", "result": f"unknown action {action}"}


@pytest.fixture
def explorer(deployed: Deployed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeExplorer, str]]:
    state = FakeExplorer(Web3(Web3.HTTPProvider(deployed.url)), deployed.record())

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str, form: dict[str, str]) -> None:
            body = json.dumps(state.handle(method, form)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            self._answer("GET", {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers["Content-Length"])
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
            self._answer("POST", form)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api"
    config = tmp_path / "tenge.toml"
    config.write_text(f'[networks.local]\nexplorer_api_url = "{url}"\nexplorer_api_key_env = "TENGE_BSCSCAN_API_KEY"\n')
    monkeypatch.setenv("TENGE_CONFIG", str(config))
    monkeypatch.setenv("TENGE_BSCSCAN_API_KEY", API_KEY)
    try:
        yield state, url
    finally:
        server.shutdown()
        server.server_close()


def test_verify_submits_every_contract_and_links_the_proxy(deployed: Deployed, explorer: tuple[FakeExplorer, str]) -> None:
    state, url = explorer
    result = run("verify", "--network", "local", "--poll-interval", "0", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr + str(state.problems)
    assert state.problems == []
    record = deployed.record()["contracts"]
    assert sorted(f["contractaddress"] for f in state.submitted) == sorted(e["address"] for e in record.values())
    # the implementation is submitted before its proxy, and the proxy is then linked to it
    order = [f["contractaddress"] for f in state.submitted]
    assert order.index(record["DigitalTengeImplementation"]["address"]) < order.index(record["DigitalTenge"]["address"])
    assert [(f["address"], f["expectedimplementation"]) for f in state.linked] == [
        (record["DigitalTenge"]["address"], record["DigitalTengeImplementation"]["address"])
    ]
    proxy_args = next(f for f in state.submitted if f["contractaddress"] == record["DigitalTenge"]["address"])
    assert proxy_args["constructorArguements"] != ""  # implementation and initializer call
    report = json.loads(result.stdout)
    assert report["explorer"] == url
    assert {c["status"] for c in report["contracts"]} == {"verified", "proxy-linked"}
    assert all(state.polls[g] == 2 for g in state.polls), "each verdict is polled until it leaves the queue"


def test_verify_without_api_key_or_with_the_explorer_down_is_a_one_line_error(
    deployed: Deployed, explorer: tuple[FakeExplorer, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    state, _ = explorer
    monkeypatch.delenv("TENGE_BSCSCAN_API_KEY")
    result = run("verify", "--network", "local")
    assert result.exit_code == 2
    assert result.stderr == "Error: no explorer API key: set $TENGE_BSCSCAN_API_KEY (the key of " \
        f"{_url(tmp_path)}); nothing was submitted\n"

    monkeypatch.setenv("TENGE_BSCSCAN_API_KEY", API_KEY)
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(tmp_path / "no-records"))
    result = run("verify", "--network", "local")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no deployment record for network 'local'") and result.stderr.count("\n") == 1
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(deployed.records))

    closed = f"http://127.0.0.1:{free_port()}/api"
    (tmp_path / "tenge.toml").write_text(f'[networks.local]\nexplorer_api_url = "{closed}"\n'
                                         'explorer_api_key_env = "TENGE_BSCSCAN_API_KEY"\n')  # fmt: skip
    result = run("verify", "--network", "local")
    assert result.exit_code == 1
    progress, error = result.stderr.splitlines()
    assert progress.startswith("submitting DigitalTengeImplementation")
    assert error == f"Error: explorer API {closed} is unreachable or failed (ConnectionError); nothing more was submitted"
    assert API_KEY not in result.stderr and "Traceback" not in result.stderr
    assert state.submitted == []


def _url(tmp_path: Path) -> str:
    match = re.search(r'explorer_api_url = "([^"]+)"', (tmp_path / "tenge.toml").read_text())
    assert match
    return match.group(1)


def test_config_refuses_a_bad_explorer_key_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[networks.local]\nexplorer_api_key_env = "my key"\n')
    monkeypatch.setenv("TENGE_CONFIG", str(config))
    result = run("verify", "--network", "local")
    assert result.exit_code == 2
    assert "networks.local.explorer_api_key_env: String should match pattern" in result.stderr


# --- deployments show | export ----------------------------------------------------------------------------------------


def test_deployments_show_lists_every_contract_with_block_tx_and_implementation(deployed: Deployed) -> None:
    record = deployed.record()["contracts"]
    result = run("deployments", "show", "--network", "local")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["contract", "address", "block", "tx", "implementation"]
    token = next(line for line in lines if line.startswith("DigitalTenge "))
    entry = record["DigitalTenge"]
    assert token.split() == ["DigitalTenge", entry["address"], f"{entry['blockNumber']:,}", entry["txHash"],
                             entry["implementation"]]  # fmt: skip
    assert len(lines) == 2 + len(record)
    shown = json.loads(run("deployments", "show", "--network", "local", "--json").stdout)
    assert {c["contract"] for c in shown["contracts"]} == set(record)


def test_deployments_export_hardhat_and_json(deployed: Deployed, tmp_path: Path) -> None:
    record = deployed.record()
    result = run("deployments", "export", "--network", "local", "--format", "hardhat", "--out", str(tmp_path / "hh"))
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "hh" / "local"
    assert (folder / ".chainId").read_text() == "31337"
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted(record["contracts"])
    token = json.loads((folder / "DigitalTenge.json").read_text())
    entry = record["contracts"]["DigitalTenge"]
    assert token["address"] == entry["address"] and token["transactionHash"] == entry["txHash"]
    assert token["abi"] == load_artifact("DigitalTenge").abi, "a proxy is exported with its implementation's ABI"
    assert token["implementation"] == entry["implementation"]
    assert token["receipt"]["blockNumber"] == entry["blockNumber"] and token["receipt"]["contractAddress"] == entry["address"]
    assert token["args"] == entry["args"] and token["bytecode"] == load_artifact("ERC1967Proxy").bytecode
    w3 = Web3(Web3.HTTPProvider(deployed.url))
    assert w3.eth.get_transaction_receipt(token["transactionHash"])["contractAddress"] == token["address"]

    result = run("deployments", "export", "--network", "local", "--format", "json")
    assert result.exit_code == 0, result.stderr
    exported = json.loads(result.stdout)
    assert exported["chainId"] == 31337
    assert exported["contracts"]["VatPayments"] == {"address": record["contracts"]["VatPayments"]["address"],
                                                    "abi": load_artifact("VatPayments").abi}  # fmt: skip
    result = run("deployments", "export", "--network", "local", "--format", "json", "--out", str(tmp_path / "js"))
    assert json.loads((tmp_path / "js" / "local.contracts.json").read_text()) == exported


def test_deployments_without_a_record_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(tmp_path / "empty"))
    for argv in (["deployments", "show"], ["deployments", "export", "--format", "json"]):
        result = run(*argv, "--network", "local")
        assert result.exit_code == 1, argv
        assert result.stderr.startswith("Error: no deployment record for network 'local'") and result.stderr.count("\n") == 1


def test_verify_check_of_an_unknown_contract_is_an_error_not_a_vacuous_pass(deployed: Deployed) -> None:
    result = run("verify", "--check", "--network", "local", "--rpc-url", deployed.url, "--contract", "DigitalTengo")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: not in the deployment record of 'local': DigitalTengo; recorded: ")
