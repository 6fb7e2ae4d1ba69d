"""`tenge offline settle --terminal`: the terminal's store is what settles.

- the payments the terminal accepted and has not settled go on chain in one batch, and are marked settled only
  after the receipt; a re-run submits nothing (and pays nothing);
- a real `tenge offline settle` process killed with SIGKILL between the receipt and the marking (the test holds the
  store's write lock, and the chain mines only once the lock is held, so the process is provably stuck there):
  the chain paid, the store still says unsettled; the re-run submits them again, the contract skips each as
  already settled, the merchant is paid nothing more and the store records them settled;
- revocations: the terminal learns a purse the bank revoked from the chain's events when it settles; the payment
  it accepted, signed before the revocation, is still paid; the device's next payment is refused offline.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from chain_helpers import rolled_back
from purse_chain_world import BANK, CENTRAL, SHOP_A, SHOP_A_ID, TERMINAL, World, build_world, rpc

from tenge.offline.terminal import PurseRevoked, Terminal, TerminalSettings


@pytest.fixture(scope="module")
def purse_world_base(suite: Any) -> Iterator[Any]:
    with rolled_back(suite.rpc_url, "the purse world"):
        build_world(suite)
        yield suite


@pytest.fixture
def world(purse_world_base: Any) -> Iterator[World]:
    with rolled_back(purse_world_base.rpc_url, "the test's state") as w3:
        yield World(purse_world_base, w3)


def shop_terminal(world: World, db: Path) -> Terminal:
    settings = TerminalSettings(world.address(SHOP_A), world.purses(CENTRAL).domain,
                                frozenset({world.address(BANK)}))  # fmt: skip
    return Terminal.open(db, settings, clock=world.block_time)


def accept_three(world: World, db: Path) -> tuple[Any, bytes]:
    cert, key = world.open_purse("3000.00")
    terminal = shop_terminal(world, db)
    try:
        terminal.accept(world.pay(cert, key, 1, "116.00", "116.00", SHOP_A))
        terminal.accept(world.pay(cert, key, 2, "58.00", "174.00", SHOP_A))
        terminal.accept(world.pay(cert, key, 3, "232.00", "406.00", SHOP_A))
    finally:
        terminal.close()
    return cert, key


def settle_argv(world: World, db: Path) -> list[str]:
    return ["offline", "settle", str(SHOP_A_ID), "--terminal", str(db), "--network", "local",
            "--rpc-url", world.suite.rpc_url, "--account", f"dev:{TERMINAL}", "--json"]  # fmt: skip


def settle(world: World, db: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from click.testing import CliRunner

    from tenge.cli.main import cli

    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))
    result = CliRunner(mix_stderr=False).invoke(cli, settle_argv(world, db))
    assert result.exit_code == 0, result.stdout + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def stored(db: Path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT sequence, settled_tx, outcome FROM offline_accepted_payments ORDER BY id").fetchall()


def test_settle_takes_the_unsettled_payments_of_the_store_and_a_rerun_submits_nothing(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "shop.sqlite"
    accept_three(world, db)
    shop_before = world.balance(SHOP_A)
    first = settle(world, db, monkeypatch)
    assert (first["settled"], first["gross"], first["vat"], first["replayed"]) == (3, "406.00", "56.00", 0)
    assert len(first["batches"]) == 1 and first["skipped"] == []
    assert world.balance(SHOP_A) - shop_before == Decimal("350.00")  # net of 16 % VAT
    rows = stored(db)
    assert [(seq, outcome) for seq, _, outcome in rows] == [("1", "settled"), ("2", "settled"), ("3", "settled")]
    assert {tx for _, tx, _ in rows} == {first["batches"][0]["tx"]}
    again = settle(world, db, monkeypatch)
    assert (again["settled"], again["batches"], again["gross"]) == (0, [], "0.00")
    assert world.balance(SHOP_A) - shop_before == Decimal("350.00")


def test_killed_between_submit_and_mark_the_rerun_pays_nothing_twice(world: World, tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite"
    accept_three(world, db)
    shop_before = world.balance(SHOP_A)
    env = {**os.environ, "TENGE_DEPLOYMENTS_DIR": str(world.suite.record_dir), "PYTHONUNBUFFERED": "1"}
    rpc(world.w3, "evm_setAutomine", [False])
    lock = sqlite3.connect(db, isolation_level=None, timeout=60)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "tenge.cli", *settle_argv(world, db)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            # The batch reaches the pool; the process waits for its receipt. Only now take the store's write lock,
            # then mine: the process gets the receipt and stops at the marking, which needs the lock.
            deadline = time.monotonic() + 120
            while int(rpc(world.w3, "txpool_status", [])["pending"], 16) == 0:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the settle process never submitted its batch"
                time.sleep(0.05)
            lock.execute("BEGIN IMMEDIATE")
            rpc(world.w3, "evm_mine", [])
            assert proc.stderr is not None
            line = proc.stderr.readline()
            while line and not line.startswith("submitted: "):  # the signer's progress lines come first
                line = proc.stderr.readline()
            assert line.startswith("submitted: "), "the settle process exited before reporting its receipt"
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
        lock.execute("ROLLBACK")
    finally:
        lock.close()
        rpc(world.w3, "evm_setAutomine", [True])
    assert world.balance(SHOP_A) - shop_before == Decimal("350.00")  # the chain paid
    assert [outcome for _, _, outcome in stored(db)] == [None, None, None]  # the store never heard of it

    rerun = subprocess.run([sys.executable, "-m", "tenge.cli", *settle_argv(world, db)], env=env,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    data = json.loads(rerun.stdout)
    assert (data["settled"], data["replayed"], data["gross"], data["skipped"]) == (0, 3, "0.00", [])
    assert world.balance(SHOP_A) - shop_before == Decimal("350.00")  # nothing paid twice
    # settled (settled_tx set), by the first run: the re-run says so
    assert [outcome for _, _, outcome in stored(db)] == ["already_settled"] * 3


def test_the_terminal_learns_revocations_and_the_payment_before_still_settles(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "shop.sqlite"
    cert, key = world.open_purse("1000.00")
    pid = cert.certificate.purse_id
    terminal = shop_terminal(world, db)
    terminal.accept(world.pay(cert, key, 1, "116.00", "116.00", SHOP_A))  # accepted offline, before revocation
    terminal.close()
    world.warp(world.block_time() + 60)
    world.purses(BANK).revoke(pid)  # a lost phone
    revoked_at = world.purses(BANK).status(pid).revoked_at
    shop_before = world.balance(SHOP_A)

    data = settle(world, db, monkeypatch)
    assert (data["settled"], data["gross"], data["revocations_learned"]) == (1, "116.00", 1)
    assert world.balance(SHOP_A) - shop_before == Decimal("100.00")  # honoured, net of VAT

    terminal = shop_terminal(world, db)
    try:
        later = world.pay(cert, key, 2, "50.00", "166.00", SHOP_A, time=revoked_at + 5)  # the thief pays
        with pytest.raises(PurseRevoked):
            terminal.accept(later)
    finally:
        terminal.close()
    assert settle(world, db, monkeypatch)["revocations_learned"] == 0  # learned once
