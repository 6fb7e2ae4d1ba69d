"""The transaction lifecycle on a bsc-testnet stand-in (anvil, chain id 97, 3 confirmations) that produces no
block unless asked: a write prints its hash as soon as it is sent; a mined but unconfirmed transaction is reported
as exactly that (exit 5, ``NotYetConfirmed``), a sent but unmined one as that (exit 4, ``NotYetMined``), never as
a failure; both are in the journal, and ``tenge tx status|wait`` tell later whether they landed. Ctrl-C while
waiting names the pending hash.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from web3 import Web3

from tenge.chain import accounts
from tenge.chain.journal import TxJournal
from tenge.chain.lifecycle import TxState, TxWatcher
from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.cli.main import cli
from tenge.contracts import load_artifact
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.errors import NotYetConfirmed, NotYetMined
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil

PASSWORD = "testnet-pw"
KEYS = dev_keys(6)
HASH = re.compile(r"0x[0-9a-f]{64}")


@dataclass
class Stand:
    """The suite deployed on an anvil with chain id 97, a keystore 'ops' (dev key 0, the deployer)."""

    node: Devnet
    home: Path
    records: Path
    w3: Web3

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        return self.w3.provider.make_request(method, params or [])["result"]  # type: ignore[arg-type]

    def tier(self, index: int) -> int:
        token = self.w3.eth.contract(address=self.token_address, abi=load_artifact("DigitalTenge").abi)
        return int(token.functions.tierOf(KEYS[index].address).call())

    @property
    def token_address(self) -> str:
        record = json.loads((self.records / "bsc-testnet.json").read_text())
        return str(record["contracts"]["DigitalTenge"]["address"])


@pytest.fixture(scope="module")
def stand(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stand]:
    base = tmp_path_factory.mktemp("lifecycle")
    home, records = base / "home", base / "deployments"
    with start_anvil(chain_id=97) as node:
        w3 = Web3(Web3.HTTPProvider(node.rpc_url))
        network = replace(get_network("bsc-testnet"), rpc_url=node.rpc_url)
        record = DeploymentRecord("bsc-testnet", 97, path=records / "bsc-testnet.json")
        sender = TxSender(w3, KEYS[0], network, confirmations=1, journal=TxJournal(base / "setup-journal.jsonl"))
        Deployer(sender, record).run(suite_plan(load_suite_config("bsc-testnet"), KEYS[0].address))
        yield Stand(node, home, records, w3)


@pytest.fixture
def env(stand: Stand, monkeypatch: pytest.MonkeyPatch) -> Stand:
    monkeypatch.setenv("TENGE_HOME", str(stand.home))
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(stand.records))
    monkeypatch.setenv("TENGE_RPC_BSC_TESTNET", stand.node.rpc_url)
    monkeypatch.setenv(accounts.PASSWORD_ENV, PASSWORD)
    monkeypatch.delenv("TENGE_CONFIG", raising=False)
    monkeypatch.delenv("TENGE_TX_TIMEOUT", raising=False)
    if not (stand.home / "keystores" / "ops.json").exists():
        accounts.import_account("ops", KEYS[0].key.to_0x_hex(), PASSWORD)
    stand.rpc("evm_setAutomine", [True])
    return stand


def tenge(*argv: str) -> Result:
    return CliRunner(mix_stderr=False).invoke(cli, list(argv))


def set_tier(index: int, tier: int, *options: str) -> Result:
    return tenge("token", "tier", "set", KEYS[index].address, str(tier), "-n", "bsc-testnet", "-a", "ops", *options)


def sent_hash(stderr: str) -> str:
    """The hash of the 'sent ...: tx 0x...' progress line: printed as soon as the transaction was sent."""
    lines = [line for line in stderr.splitlines() if line.startswith("sent ")]
    assert len(lines) == 1, stderr
    found = HASH.search(lines[0])
    assert found, stderr
    return found.group(0)


def test_a_mined_but_unconfirmed_write_says_so_with_its_hash_and_exit_5(env: Stand) -> None:
    """The chain mines the transaction and then no further block: 1 of 3 confirmations when the wait ends."""
    result = set_tier(1, 2, "--timeout", "2")
    assert result.exit_code == 5, result.stdout + result.stderr
    tx_hash = sent_hash(result.stderr)
    block = env.w3.eth.get_transaction_receipt(tx_hash)["blockNumber"]  # type: ignore[arg-type]
    assert f"transaction {tx_hash} mined in block {block}, 1 of 3 confirmations" in result.stderr
    assert "do not resend" in result.stderr and f"tenge tx status {tx_hash}" in result.stderr
    assert env.tier(1) == 2, "the write happened: it must not be reported as failed"

    entry = TxJournal.default().find(tx_hash)
    assert entry is not None, "the hash must be in the journal"
    assert entry.state == "not-confirmed" and entry.data["block"] == block and entry.network == "bsc-testnet"
    assert entry.data["from"] == KEYS[0].address and entry.data["nonce"] >= 0 and entry.data["description"] == f"set tier of {KEYS[1].address} to 2"

    status = tenge("tx", "status", tx_hash, "-n", "bsc-testnet", "--json")
    assert status.exit_code == 5, status.stderr
    assert json.loads(status.stdout) == {"tx_hash": tx_hash, "state": "mined", "block_number": block,
                                         "confirmations": 1, "required": 3}  # fmt: skip
    env.rpc("anvil_mine", [2])
    confirmed = tenge("tx", "status", tx_hash, "-n", "bsc-testnet")
    assert confirmed.exit_code == 0 and "confirmed" in confirmed.stdout, confirmed.stdout + confirmed.stderr
    journal = tenge("tx", "journal", "-n", "bsc-testnet", "--json")
    assert [e for e in json.loads(journal.stdout) if e["hash"] == tx_hash][0]["state"] == "confirmed"


def test_a_sent_but_unmined_write_exits_4_and_can_be_waited_for_later(env: Stand) -> None:
    env.rpc("evm_setAutomine", [False])
    result = set_tier(2, 1, "--timeout", "1")
    assert result.exit_code == 4, result.stdout + result.stderr
    tx_hash = sent_hash(result.stderr)
    assert f"transaction {tx_hash} was sent but is not mined after 1s; do not resend" in result.stderr
    assert TxJournal.default().find(tx_hash).state == "not-mined"  # type: ignore[union-attr]

    still = tenge("tx", "wait", tx_hash, "-n", "bsc-testnet", "--timeout", "0.5")
    assert still.exit_code == 4, still.stderr
    env.rpc("evm_mine")
    done = tenge("tx", "wait", tx_hash, "-n", "bsc-testnet", "--confirmations", "1", "--json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "confirmed"
    assert env.tier(2) == 1


def test_a_status_with_more_confirmations_than_required_reads_plainly(env: Stand) -> None:
    """Issue 19: `confirmed (mined in block N, 2 of 1 confirmations)`."""
    result = set_tier(4, 1, "--confirmations", "1")
    assert result.exit_code == 0, result.stderr
    tx_hash = sent_hash(result.stderr)
    block = env.w3.eth.get_transaction_receipt(tx_hash)["blockNumber"]  # type: ignore[arg-type]
    env.rpc("anvil_mine", [1])
    status = tenge("tx", "status", tx_hash, "-n", "bsc-testnet", "--confirmations", "1")
    assert status.exit_code == 0, status.stderr
    assert f"confirmed (mined in block {block}, 2 confirmations, 1 required)" in status.stdout, status.stdout
    assert "2 of 1" not in status.stdout


def test_json_output_stays_json_while_progress_goes_to_stderr(env: Stand) -> None:
    result = set_tier(3, 1, "--confirmations", "1", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["tx_hash"] == sent_hash(result.stderr)


def test_the_sdk_raises_not_yet_confirmed_and_resumes_waiting_by_hash(env: Stand) -> None:
    network = replace(get_network("bsc-testnet"), rpc_url=env.node.rpc_url)
    seen: list[str] = []
    sender = TxSender(env.w3, KEYS[0], network, timeout=1, listener=lambda e: seen.append(e.kind))
    token = env.w3.eth.contract(address=env.token_address, abi=load_artifact("DigitalTenge").abi)
    with pytest.raises(NotYetConfirmed) as caught:
        sender.send(token.functions.setTier(KEYS[4].address, 1), description="tier")
    pending = caught.value
    assert (pending.confirmations, pending.required, pending.exit_code) == (1, 3, 5)
    assert seen[:2] == ["sent", "mined"]
    watcher = TxWatcher(env.w3, network)
    assert watcher.status(pending.tx_hash).state is TxState.MINED
    assert sender.journal is not None and sender.journal.find(pending.tx_hash) is not None, "public networks journal"
    env.rpc("anvil_mine", [2])
    assert sender.wait(pending.tx_hash, description="tier").block_number == pending.block_number
    assert watcher.status(pending.tx_hash).state is TxState.CONFIRMED

    env.rpc("evm_setAutomine", [False])
    with pytest.raises(NotYetMined) as unmined:
        sender.send(token.functions.setTier(KEYS[5].address, 1), description="tier")
    assert watcher.status(unmined.value.tx_hash).state is TxState.SENT
    assert unmined.value.exit_code == 4


def test_ctrl_c_while_waiting_names_the_pending_hash(env: Stand) -> None:
    env.rpc("evm_setAutomine", [False])
    command = [sys.executable, "-m", "tenge.cli", "token", "tier", "set", KEYS[1].address, "3", "-n", "bsc-testnet",
               "-a", "ops", "--timeout", "120"]  # fmt: skip
    process = subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        first = process.stderr.readline()  # the 'sent' line: the transaction is out, the command waits
        tx_hash = sent_hash(first)
        process.send_signal(signal.SIGINT)
        rest = process.stderr.read()
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 130, rest
    assert "Aborted!" not in rest and "Traceback" not in rest, rest
    assert f"transaction {tx_hash} was sent and may still be mined; do not resend it" in rest
    assert f"tenge tx status {tx_hash} --network bsc-testnet" in rest
    assert TxJournal.default().find(tx_hash) is not None


def interrupt_after(command: list[str], lines: int, env: dict[str, str] | None = None) -> tuple[list[str], str, str, int]:
    """Run ``tenge`` in a process, send it a real SIGINT after ``lines`` lines of stderr; (those lines, the rest
    of stderr, stdout, exit code)."""
    process = subprocess.Popen([sys.executable, "-m", "tenge.cli", *command], env=env or dict(os.environ),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert process.stderr is not None and process.stdout is not None
        seen = [process.stderr.readline() for _ in range(lines)]
        process.send_signal(signal.SIGINT)
        rest, out = process.stderr.read(), process.stdout.read()
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    return seen, rest, out, code


def test_ctrl_c_with_json_prints_the_error_as_a_json_document(env: Stand) -> None:
    env.rpc("evm_setAutomine", [False])
    seen, rest, out, code = interrupt_after(["token", "tier", "set", KEYS[3].address, "2", "-n", "bsc-testnet",
                                             "-a", "ops", "--timeout", "120", "--json"], 1)  # fmt: skip
    assert code == 130, rest
    tx_hash = sent_hash(seen[0])
    error = json.loads(out)["error"]
    assert (error["code"], error["exit_code"]) == ("Interrupted", 130)
    assert error["pending"] == [{"tx_hash": tx_hash, "description": f"set tier of {KEYS[3].address} to 2",
                                 "state": "sent", "block_number": None}]  # fmt: skip
    assert f"transaction {tx_hash} was sent and may still be mined" in error["message"]
    assert "Traceback" not in rest


def test_ctrl_c_after_the_transaction_was_mined_says_it_happened(env: Stand) -> None:
    """Automine on, 3 confirmations asked: the command has seen the block (1 of 3) when it is interrupted."""
    seen, rest, _, code = interrupt_after(["token", "tier", "set", KEYS[4].address, "2", "-n", "bsc-testnet",
                                           "-a", "ops", "--timeout", "120"], 2)  # fmt: skip
    assert code == 130, rest
    tx_hash = sent_hash(seen[0])
    block = env.w3.eth.get_transaction_receipt(tx_hash)["blockNumber"]  # type: ignore[arg-type]
    assert f"mined in block {block}: 1 of 3 confirmations" in seen[1]
    assert f"transaction {tx_hash} was mined in block {block} (1 of 3 confirmations): it happened" in rest, rest
    assert "may still be mined" not in rest


def test_ctrl_c_during_a_first_deploy_names_the_record_file(env: Stand, tmp_path: Path) -> None:
    env.rpc("evm_setAutomine", [False])
    environment = {**os.environ, "TENGE_DEPLOYMENTS_DIR": str(tmp_path)}
    try:
        seen, rest, _, code = interrupt_after(["deploy", "-n", "bsc-testnet", "-a", "ops", "--timeout", "120"], 1,
                                              environment)  # fmt: skip
    finally:
        env.rpc("anvil_dropAllTransactions")
    assert code == 130, rest
    assert "Step in progress:" in rest and "The record None" not in rest, rest
    assert f"The record {tmp_path / 'bsc-testnet.json'} notes every sent transaction" in rest, rest


def test_every_exit_code_is_documented_in_the_help_and_the_readme() -> None:
    from tenge import paths
    from tenge.cli.exit_codes import EXIT_CODES

    shown = tenge("--help").stdout
    readme = (paths.project_root() / "README.md").read_text()
    for code in EXIT_CODES:
        assert re.search(rf"^\s+{code}  \S", shown, re.MULTILINE), f"exit code {code} is not in `tenge --help`"
        assert f"| {code} | " in readme, f"exit code {code} is not in the README's table"
