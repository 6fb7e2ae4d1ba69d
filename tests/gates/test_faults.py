"""Faults: an RPC outage in the middle of a deploy, and a transaction that passes estimation but reverts
when mined.

(a) The devnet runs with anvil's ``--state`` file; a ``tenge deploy`` subprocess is cut off by stopping
    the devnet once two contracts are recorded; the devnet restarts from its state on the same port and
    the deploy is run again: it resumes from its record, nothing is deployed twice (the deployer's nonce is
    the number of transactions in the record) and nothing is lost (every recorded contract has code).
(b) With automine off, a pause, a transfer (estimated before the pause) and an unpause are mined in one
    block in that order: the transfer reverts, and TxSender names the error (EnforcedPause) although
    replaying it before or after the block would pass.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from web3 import Web3
from web3.types import TxParams

import tenge.errors
from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.cli.main import cli
from tenge.contracts import load_artifact
from tenge.toolchain.anvil import Devnet, dev_keys, free_port, start_anvil

Suite = Any  # the root conftest's Suite
GWEI = 10**9


# --- (a) an RPC outage during a deploy ---------------------------------------------------------------------


def _record(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return {}


def _port_open(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop_for_good(node: Devnet, state_file: Path) -> None:
    """Stop the devnet and wait until anvil has dumped its state and let go of the port.

    The npm wrapper re-raises SIGTERM on itself as soon as it has forwarded it, so its exit does not mean
    the anvil binary behind it is done dumping.
    """
    node.stop()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not _port_open(node.info.port) and _record(state_file):
            return
        time.sleep(0.1)
    pytest.fail(f"anvil did not dump its state to {state_file} and release port {node.info.port}")


@pytest.fixture
def outage(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A port and a state file for a devnet that the test stops and restarts; anvil is always stopped."""
    yield free_port(), tmp_path / "anvil-state.json"


def test_a_deploy_cut_off_by_an_rpc_outage_resumes_from_its_record(outage: tuple[int, Path], tmp_path: Path) -> None:
    port, state_file = outage
    records = tmp_path / "deployments"
    record_file = records / "local.json"
    deployer = dev_keys(1)[0].address
    env = {**os.environ, "TENGE_DEPLOYMENTS_DIR": str(records)}

    with start_anvil(port=port, state_file=state_file) as node:
        url = node.rpc_url
        command = [sys.executable, "-m", "tenge.cli", "deploy", "--network", "local", "--rpc-url", url]
        deploy = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and deploy.poll() is None:
                if len(_record(record_file).get("contracts", {})) >= 2:
                    break
                time.sleep(0.02)
            assert deploy.poll() is None, f"the deploy ended before the outage: {deploy.communicate()}"
            _stop_for_good(node, state_file)  # the outage, in the middle of the deploy
            _, stderr = deploy.communicate(timeout=60)
        finally:
            if deploy.poll() is None:
                deploy.kill()
                deploy.wait()
    interrupted = _record(record_file)
    assert deploy.returncode != 0, "the deploy did not notice the outage"
    assert "Traceback" not in stderr, f"the outage ended the deploy with a traceback:\n{stderr}"
    assert url in stderr and "unreachable" in stderr, stderr
    assert 2 <= len(interrupted["contracts"]), interrupted

    with start_anvil(port=port, state_file=state_file) as node:
        w3 = Web3(Web3.HTTPProvider(node.rpc_url))
        for key, entry in interrupted["contracts"].items():
            assert w3.eth.get_code(entry["address"]), f"{key} was lost with the outage"
        result = CliRunner(mix_stderr=False).invoke(
            cli, ["deploy", "--network", "local", "--rpc-url", node.rpc_url, "--json"], env={"TENGE_DEPLOYMENTS_DIR": str(records)}
        )
        assert result.exit_code == 0, result.stdout + result.stderr
        resumed = json.loads(result.stdout)
        final = _record(record_file)
        for key, entry in interrupted["contracts"].items():
            assert final["contracts"][key]["address"] == entry["address"], f"{key} was deployed twice"
        recorded_transactions = len(final["contracts"]) + len(final["calls"])
        assert w3.eth.get_transaction_count(deployer) == recorded_transactions, "a step was sent twice (or lost)"
        for key, entry in final["contracts"].items():
            assert w3.eth.get_code(entry["address"]), f"{key} has no code on chain"
        assert final["pending"] == {}
        assert 0 < resumed["transactions"] < recorded_transactions
        assert {s["action"] for s in resumed["steps"]} >= {"unchanged"}
        _assert_the_suite_answers(w3, final)


def _assert_the_suite_answers(w3: Web3, record: dict[str, Any]) -> None:
    token = w3.eth.contract(address=record["contracts"]["DigitalTenge"]["address"], abi=load_artifact("DigitalTenge").abi)
    vat = w3.eth.contract(address=record["contracts"]["VatPayments"]["address"], abi=load_artifact("VatPayments").abi)
    assert token.functions.decimals().call() == 2
    assert vat.functions.token().call() == token.address


# --- (b) a revert on chain after estimation ---------------------------------------------------------------


def _rpc(w3: Web3, method: str, params: list[Any] | None = None) -> Any:
    reply = w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
    assert "error" not in reply, reply
    return reply["result"]


def _signed_with_tip(sender: TxSender, tx: TxParams, tip_gwei: int, nonce: int) -> bytes:
    """``tx`` with a priority fee of its own (anvil orders a block by tip) and an explicit nonce."""
    base_fee = int(sender.w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
    tx = {**tx, "maxPriorityFeePerGas": tip_gwei * GWEI, "maxFeePerGas": 2 * base_fee + tip_gwei * GWEI, "nonce": nonce}  # type: ignore[typeddict-item]
    return bytes(sender.account.sign_transaction(tx).raw_transaction)  # type: ignore[arg-type]


def test_a_transaction_that_reverts_when_mined_is_reported_with_its_decoded_error(fresh: Suite) -> None:
    admin, holder = fresh.session(0), fresh.session(1)
    token, w3 = admin.token(), admin.w3
    token.grant_role("MINTER_ROLE", admin.signer.address)
    token.set_minter_allowance(admin.signer.address, "100.00")
    for index in (1, 2):
        token.set_tier(fresh.address(index), 1)
    token.mint(fresh.address(1), "10.00")

    contract = token.contract.functions
    payer = holder.signer
    transfer = payer.build(contract.transfer(fresh.address(2), 500), description="transfer 5.00")  # estimation passes
    pause = admin.signer.build(contract.pause(), description="pause")
    unpause: TxParams = {**pause, "data": token.contract.encode_abi("unpause", [])}  # type: ignore[typeddict-item]
    pauser_nonce = w3.eth.get_transaction_count(admin.signer.address)
    _rpc(w3, "evm_setAutomine", [False])
    try:
        hashes = [
            w3.eth.send_raw_transaction(_signed_with_tip(admin.signer, pause, 3, pauser_nonce)),
            w3.eth.send_raw_transaction(_signed_with_tip(payer, transfer, 2, w3.eth.get_transaction_count(payer.address))),
            # unpause in the same block: the token is not paused before the block nor after it
            w3.eth.send_raw_transaction(_signed_with_tip(admin.signer, unpause, 1, pauser_nonce + 1)),
        ]
        _rpc(w3, "evm_mine")
    finally:
        _rpc(w3, "evm_setAutomine", [True])
    receipts = [w3.eth.get_transaction_receipt(h) for h in hashes]
    assert len({r["blockNumber"] for r in receipts}) == 1, "the three transactions must share a block"
    assert [r["transactionIndex"] for r in receipts] == [0, 1, 2], "pause, transfer, unpause in that order"
    assert [r["status"] for r in receipts] == [1, 0, 1]

    block = int(receipts[1]["blockNumber"])
    replay: TxParams = {"from": transfer["from"], "to": transfer["to"], "data": transfer["data"]}
    for at in (block - 1, block):
        w3.eth.call(replay, block_identifier=at)  # passes: only the trace sees the pause

    with pytest.raises(tenge.errors.EnforcedPause, match="reverted on chain") as caught:
        TxSender(w3, payer.account, get_network("local")).wait(hashes[1], transfer, description="transfer 5.00")
    assert hashes[1].to_0x_hex() in str(caught.value)
    assert token.balance_of(fresh.address(1)) == 10
