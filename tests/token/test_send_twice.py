"""A write re-run while the first is still pending must not happen twice (issue 19, "Sending twice").

The adversary is the operator's own habit: with automine off (a slow chain), `tenge token mint CITY 7.77` ends
with exit 4 "sent, not yet mined"; run six times, it used to mint 46.62. Now every re-run is refused, naming
the pending hash and `tenge tx status`, until the user says --again (a second one) or --replace (the same nonce,
a higher fee: only one lands). Real CLI processes against the test devnet; the SDK raises the same refusal.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from chain_helpers import rpc
from token_world import BANK, CAROL, World

from tenge.chain.journal import TxJournal
from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.errors import DuplicateTransaction

HASH = re.compile(r"0x[0-9a-f]{64}")


@pytest.fixture
def slow(world: World, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The world with automine off (a transaction waits in the mempool until a block is mined), a journal of
    its own; the environment of a `tenge` process."""
    env = {**os.environ, "TENGE_HOME": str(tmp_path / "home"), "TENGE_DEPLOYMENTS_DIR": str(world.suite.record_dir)}
    env.pop("TENGE_TX_TIMEOUT", None)
    rpc(world.w3, "evm_setAutomine", [False])
    try:
        yield env
    finally:
        rpc(world.w3, "anvil_dropAllTransactions")
        rpc(world.w3, "evm_setAutomine", [True])


def mint(world: World, env: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tenge.cli", "token", "mint", world.address(CAROL), "7.77",
               "-a", f"dev:{BANK}", "--rpc-url", world.suite.rpc_url, "--timeout", "1", *options]  # fmt: skip
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def sent_hash(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("sent ")]
    assert len(lines) == 1, stderr
    found = HASH.search(lines[0])
    assert found, stderr
    return found.group(0)


def supply(world: World) -> Decimal:
    return world.token(0).total_supply()


def test_re_running_a_pending_mint_six_times_mints_once(world: World, slow: dict[str, str]) -> None:
    before = supply(world)
    first = mint(world, slow)
    assert first.returncode == 4, first.stderr
    tx_hash = sent_hash(first.stderr)
    bank = world.address(BANK)
    for _ in range(5):
        again = mint(world, slow)
        assert again.returncode == 1, again.stderr
        assert not [line for line in again.stderr.splitlines() if line.startswith("sent ")], "nothing may be sent"
        assert f"an identical transaction from {bank} is still pending (sent, not yet mined): {tx_hash}" in again.stderr
        assert f"`tenge tx status {tx_hash} --network local`" in again.stderr
        assert "nothing was sent" in again.stderr and "--again" in again.stderr and "--replace" in again.stderr
        assert "Traceback" not in again.stderr
    assert world.nonce(BANK) == int(world.w3.eth.get_transaction(tx_hash)["nonce"]), "one transaction pending"  # type: ignore[arg-type]
    rpc(world.w3, "evm_mine")
    assert supply(world) == before + Decimal("7.77"), "six runs, one mint"

    # Mined, but no run reported it: a re-run is still refused, now naming the block.
    block = int(world.w3.eth.get_transaction_receipt(tx_hash)["blockNumber"])  # type: ignore[arg-type]
    mined = mint(world, slow)
    assert mined.returncode == 1 and f"was mined in block {block}: {tx_hash}" in mined.stderr, mined.stderr
    assert "--replace" not in mined.stderr, "a mined transaction cannot be replaced"
    # Once `tenge tx status` has told the outcome, a new run is a deliberate second mint.
    status = subprocess.run([sys.executable, "-m", "tenge.cli", "tx", "status", tx_hash, "--rpc-url",
                             world.suite.rpc_url], env=slow, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert status.returncode == 0 and "confirmed" in status.stdout, status.stdout + status.stderr
    second = mint(world, slow)
    assert second.returncode == 4, second.stderr
    rpc(world.w3, "evm_mine")
    assert supply(world) == before + Decimal("15.54")


def test_again_sends_a_second_one_and_replace_keeps_the_nonce(world: World, slow: dict[str, str]) -> None:
    before = supply(world)
    first = sent_hash(mint(world, slow).stderr)
    again = mint(world, slow, "--again")
    assert again.returncode == 4, again.stderr
    second = sent_hash(again.stderr)
    nonce = int(world.w3.eth.get_transaction(second)["nonce"])  # type: ignore[arg-type]
    assert nonce == int(world.w3.eth.get_transaction(first)["nonce"]) + 1  # type: ignore[arg-type]

    replaced = mint(world, slow, "--replace")
    assert replaced.returncode == 4, replaced.stderr
    third = sent_hash(replaced.stderr)
    assert f"(nonce {nonce})" in replaced.stderr, replaced.stderr
    assert int(world.w3.eth.get_transaction(third)["nonce"]) == nonce  # type: ignore[arg-type]
    assert TxJournal(Path(slow["TENGE_HOME"]) / "journal.jsonl").find(second).state == "replaced"  # type: ignore[union-attr]

    both = mint(world, slow, "--again", "--replace")
    assert both.returncode == 2 and "--again and --replace exclude each other" in both.stderr, both.stderr
    rpc(world.w3, "evm_mine")
    assert supply(world) == before + Decimal("15.54"), "--again minted a second time; --replace did not add a third"
    assert world.w3.eth.get_transaction_receipt(third)["status"] == 1  # type: ignore[arg-type]


def test_the_sdk_raises_duplicate_transaction_unless_told_again(world: World, slow: dict[str, str]) -> None:
    journal = TxJournal(Path(slow["TENGE_HOME"]) / "sdk-journal.jsonl")
    network = get_network("local")
    token = world.token(BANK).contract

    def sender() -> TxSender:
        return TxSender(world.w3, world.suite.keys[BANK], network, timeout=0.5, journal=journal)

    call = token.functions.mint(world.address(CAROL), 777)
    pending = sender().submit(call, description="mint 7.77")[0]
    with pytest.raises(DuplicateTransaction) as caught:
        sender().submit(call, description="mint 7.77")
    assert (caught.value.tx_hash, caught.value.state) == (pending, "pending")
    assert f"tenge tx status {pending}" in str(caught.value)
    one = sender()
    one.submit(token.functions.mint(world.address(CAROL), 1), description="another amount is another write")
    one.submit(token.functions.mint(world.address(CAROL), 1), description="the same sender may repeat itself")
    told = sender()
    told.duplicates = "again"
    told.submit(call, description="mint 7.77 again")
    assert len(rpc(world.w3, "eth_getBlockByNumber", ["pending", False])["transactions"]) == 4
