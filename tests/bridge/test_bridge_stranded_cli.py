"""`tenge bridge reserve`, `tenge bridge sign release`, `tenge bridge release-stranded`, `tenge audit --bridge-peer`
and `tenge bridge deferral-timeout` end to end on the two anvils, with --json; refusals are one-line errors with
a non-zero exit and nothing sent."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from bridge_world import ADMIN, ALICE, BANK, BNB, BNB_CHAIN, BOB, HOME, THRESHOLD, VALIDATORS, BridgeWorld
from test_bridge_cli import fails, ok, tenge


def test_a_wipe_is_reported_and_its_escrow_released_by_the_cli(world: BridgeWorld, tmp_path: Path) -> None:
    transfer = world.send(HOME, ALICE, BOB, "100.00").transfer
    assert world.deliver(transfer) == "Delivered"
    world.token(BNB).freeze(world.address(BOB), "30.00")
    world.token(BNB).wipe(world.address(BOB), "30.00", "COURT-ORDER-7")
    world.stranded = Decimal("30.00")
    report = ok("bridge", "reserve", "--network", HOME, "--peer-network", BNB)
    assert (report["stranded"], report["burned_outside_bridge"], report["released"]) == ("30.00", "30.00", "0.00")
    assert report["supply_within_escrow"] is True and report["attestation_gap"] == "0.00"
    assert ok("bridge", "reserve", "--network", BNB, "--peer-network", HOME) == report  # either end first
    audited = ok("audit", "--network", BNB, "--db", f"sqlite:///{tmp_path / 'bnb.sqlite'}", "--bridge-peer", HOME)
    assert audited["bridge_reserve"] == report and audited["differences"] == []
    # a validator refuses to sign more than is stranded; nothing is written
    too_much = tenge("bridge", "sign", "release", "--network", HOME, "--peer-network", BNB, "--to", world.address(BANK),
                     "--amount", "30.01", "--out", str(tmp_path / "no"), key=VALIDATORS[0])  # fmt: skip
    assert too_much.exit_code != 0 and "more than the 30.00 KZT stranded" in too_much.stderr, too_much.stderr
    assert not (tmp_path / "no").exists()
    folder = tmp_path / "release"
    for validator in VALIDATORS[:THRESHOLD]:
        ok("bridge", "sign", "release", "--network", HOME, "--peer-network", BNB, "--to", world.address(BANK),
           "--amount", "30.00", "--out", str(folder), key=validator)  # fmt: skip
    fails(world, "AccessControlUnauthorizedAccount", "bridge", "release-stranded", str(folder), "--network", HOME, "--account", f"dev:{BOB}")
    bank_before = world.balance(HOME, BANK)
    done = ok("bridge", "release-stranded", str(folder), "--network", HOME, "--account", f"dev:{ADMIN}")
    world.stranded = Decimal("0.00")
    assert (done["amount"], done["sequence"], done["chain"]) == ("30.00", 1, BNB_CHAIN)
    assert world.balance(HOME, BANK) == bank_before + Decimal("30.00")
    fails(world, "StaleStrandedRelease", "bridge", "release-stranded", str(folder), "--network", HOME, "--account", f"dev:{ADMIN}")
    after = ok("bridge", "reserve", "--network", HOME, "--peer-network", BNB)
    assert (after["stranded"], after["released"], after["release_sequence"]) == ("0.00", "30.00", 1)


def test_deferral_timeout_is_set_by_the_cli(world: BridgeWorld) -> None:
    done = ok("bridge", "deferral-timeout", "7200", "--network", BNB, "--account", f"dev:{ADMIN}")
    assert done["seconds"] == 7200 and world.bridge(BNB).deferral_timeout() == 7200
    fails(world, "InvalidDeferralTimeout", "bridge", "deferral-timeout", "60", "--network", BNB, "--account", f"dev:{ADMIN}")
    fails(world, "AccessControlUnauthorizedAccount", "bridge", "deferral-timeout", "7200", "--network", BNB, "--account", f"dev:{BOB}")
