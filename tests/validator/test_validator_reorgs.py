"""Reorgs: one before finality removes a transfer (never signed; its replacement at the same nonce is), one past
finality (the chain changes under a signature) halts the validator loudly and it refuses to restart."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from bridge_world import ALICE, BNB, BOB, CAROL, HOME, HOME_CHAIN, VALIDATORS, BridgeWorld
from chain_helpers import rpc
from validator_fleet import TENGE, ValidatorFleet
from validator_world import CONFIRMATIONS, make_fleet, mine, revert, wait_until

from tenge.toolchain.anvil import free_port


def test_a_transfer_reorged_out_before_finality_is_never_signed(world: BridgeWorld, fleets: list[ValidatorFleet], tmp_path: Path) -> None:
    fleet = make_fleet(fleets, world, tmp_path / "fleet", 3)
    fleet.start_all()
    w3 = world.home.w3
    world.token(HOME, ALICE).approve(world.bridge(HOME).address, "1000.00")  # so each send is one block
    snapshot = rpc(w3, "evm_snapshot")
    doomed = world.send(HOME, ALICE, BOB, "77.00").transfer
    block = int(w3.eth.block_number)
    mine(w3, CONFIRMATIONS - 2)  # one confirmation short: the validators are final up to the snapshot's block
    for index in range(3):
        fleet.wait_processed(index, HOME_CHAIN, block - 1)
    assert fleet.signed(doomed.id_hex) == []
    revert(world, w3, snapshot)  # the reorg: the transfer is gone
    replacement = world.send(HOME, ALICE, CAROL, "12.00").transfer
    assert replacement.id == doomed.id and replacement != doomed  # same nonce, another message
    mine(w3, CONFIRMATIONS + 2)
    signed = fleet.wait_signed(replacement.id_hex, 3)
    assert all(a.subject == replacement and a.is_genuine() for a in signed)
    for index in range(3):
        status = fleet.status(index)["chains"][str(HOME_CHAIN)]
        assert status["latest_signed_nonce"] == replacement.nonce and not status["halted"]


def test_a_reorg_past_what_was_signed_halts_loudly_and_blocks_a_restart(world: BridgeWorld, fleets: list[ValidatorFleet], tmp_path: Path) -> None:
    fleet = make_fleet(fleets, world, tmp_path / "fleet", 1, extra_args=("--halt-linger-seconds", "3"))
    fleet.start_all()
    w3 = world.home.w3
    snapshot = rpc(w3, "evm_snapshot")
    signed_one = world.send(HOME, ALICE, BOB, "40.00").transfer
    mine(w3, CONFIRMATIONS)
    [before] = fleet.wait_signed(signed_one.id_hex, 1)
    fleet.wait_processed(0, HOME_CHAIN, int(w3.eth.block_number) - CONFIRMATIONS + 1)
    # a "finalized" history replaced: revert, then another transfer at the same nonce and more blocks than before
    revert(world, w3, snapshot)
    world.send(HOME, ALICE, CAROL, "41.00")
    mine(w3, CONFIRMATIONS + 6)

    def halted() -> dict[str, Any] | None:
        code, body = fleet.validators[0].get("/v1/status")
        chain: dict[str, Any] = body["chains"][str(HOME_CHAIN)] if code == 200 else {}
        return chain if chain.get("halted") else None

    status = wait_until(halted, 20, "the halt flag in /v1/status")
    assert "reorg past finality" in status["reason"]
    process = fleet.validators[0].process
    assert process is not None and process.wait(20) == 3, fleet.tail(0)
    assert '"event": "halted"' in fleet.tail(0, 50)
    # it refuses to go on: a restart exits 3 at once, naming the halt; the one signature stays what it was
    fleet.start(0, "--halt-linger-seconds", "0", wait=False)
    restarted = fleet.validators[0].process
    assert restarted is not None and restarted.wait(30) == 3
    assert "Error: halted on chain 31337" in fleet.tail(0, 3)
    assert _signed(fleet.validators[0].database) == 1
    assert before.subject == signed_one


def test_bad_input_is_refused_in_one_line_and_signs_nothing(world: BridgeWorld, tmp_path: Path) -> None:
    closed = free_port()
    config = tmp_path / "tenge.toml"
    config.write_text(
        world.config.read_text()
        + f'\n[networks.dead-end]\nrpc_url = "http://127.0.0.1:{closed}"\nlocal = true\n'
        + f'\n[networks.wrong-id]\nrpc_url = "{world.home.devnet.rpc_url}"\nchain_id = 4242\nlocal = true\n'
    )
    fleet = ValidatorFleet(tmp_path / "fleet", config, world.records, VALIDATORS[:1])
    db = tmp_path / "v.db"
    cases = {
        "unknown network": (["--network", HOME, "--peer", "nowhere"], "unknown network 'nowhere'"),
        "wrong chain id": (["--network", "wrong-id", "--peer", BNB], "serves chain id 31337"),
        "unreachable RPC": (["--network", HOME, "--peer", "dead-end"], "unreachable"),
        "database down": (
            ["--network", HOME, "--peer", BNB, "--db", f"postgresql+psycopg://tenge:pw@127.0.0.1:{closed}/v"],
            "does not answer",
        ),
        "not a validator": (["--network", HOME, "--peer", BNB, "--account", "dev:3"], "is not a validator"),
        "peer is home": (["--network", BNB, "--peer", HOME], "holds a BNB-side bridge"),
        "bad listen": (["--network", HOME, "--peer", BNB, "--listen", "localhost"], "give HOST:PORT"),
    }
    for name, (args, expected) in cases.items():
        account = [] if "--account" in args else ["--account", "validator-0"]
        sqlite = [] if "--db" in args else ["--db", f"sqlite:///{db}"]
        listen = [] if "--listen" in args else ["--listen", f"127.0.0.1:{free_port()}"]
        command = [str(TENGE), "bridge", "validator", "run", *args, *account, *sqlite, *listen]
        result = subprocess.run(command, env=fleet.env, capture_output=True, text=True, timeout=60)
        assert result.returncode != 0, name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], (name, result.stderr)
        assert "pw@" not in result.stderr, "the database password is never shown"
    assert not db.exists() or _signed(db) + _signed(db, "EscrowAttestation") == 0


def _signed(db: Path, kind: str = "Transfer") -> int:
    import sqlite3

    with sqlite3.connect(db) as connection:
        query = "select count(*) from validator_attestations where kind = ?"
        return int(connection.execute(query, (kind,)).fetchone()[0])
