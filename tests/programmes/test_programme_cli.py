"""`tenge programme ...` and `tenge rewards ...` end to end through click's CliRunner against the test devnet."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from programme_world import ATTESTER, CANTEEN, CANTEEN_ID, CITY, COURIER, DAY, PUPIL, PUPIL_B, SCHOOL_MEALS, SHOP_ID, World

from tenge.cli.main import cli
from tenge.deploy.record import DeploymentRecord
from tenge.programmes.client import domain_from_record
from tenge.toolchain.anvil import free_port


class Tenge:
    def __init__(self, world: World) -> None:
        self.world = world

    def __call__(self, *args: str, account: int | None = CITY) -> Result:
        argv = [*args, "--network", "local", "--rpc-url", self.world.suite.rpc_url]
        if account is not None:
            argv += ["--account", f"dev:{account}"]
        return CliRunner(mix_stderr=False).invoke(cli, argv)  # progress lines (hashes) go to stderr

    def json(self, *args: str, account: int | None = CITY) -> Any:
        result = self(*args, "--json", account=account)
        assert result.exit_code == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    def refused(self, *args: str, account: int = CITY, message: str) -> Result:
        before = self.world.nonce(account)
        result = self(*args, account=account)
        text = result.stdout + result.stderr
        assert result.exit_code != 0, text
        assert message in text, text
        assert "Traceback" not in text
        assert [line.startswith("Error:") for line in text.splitlines()].count(True) == 1, text
        assert self.world.nonce(account) == before, "a refused command must send nothing"
        return result


@pytest.fixture
def tenge(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tenge]:
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))
    yield Tenge(world)


def test_programme_life_cycle_from_the_command_line(tenge: Tenge, world: World, tmp_path: Path) -> None:
    expires = str(world.block_time() + 10 * DAY)
    created = tenge.json("programme", "create", "--purpose", str(SCHOOL_MEALS), "--expires", expires,
                         "--daily-limit", "1200", "--budget-code", "ALMATY-LUNCH")  # fmt: skip
    pid = str(created["programme_id"])
    assert created["purpose"] == [SCHOOL_MEALS] and created["transferable"] is False
    tenge.json("programme", "fund", pid, "5000.00")
    csv = tmp_path / "pupils.csv"
    csv.write_text(f"address,amount\n{world.address(PUPIL)},2400.00\n{world.address(PUPIL_B)},2400\n")
    allocated = tenge.json("programme", "allocate", pid, str(csv))
    assert allocated["beneficiaries"] == 2 and Decimal(allocated["total"]) == Decimal("4800.00")
    spent = tenge.json("programme", "spend", pid, str(CANTEEN_ID), "1200", "LUNCH-1", account=PUPIL)
    assert (spent["net"], spent["vat"]) == ("1034.48", "165.52")
    offline = tenge("programme", "spend", pid, str(CANTEEN_ID), "1200", "LUNCH-2", "--offline", account=PUPIL_B)
    assert offline.exit_code == 0 and offline.output.startswith("dtpbm1:")
    submitted = tenge.json("programme", "submit", offline.output.strip(), account=COURIER)
    assert submitted["beneficiary"] == world.address(PUPIL_B)
    status = tenge.json("programme", "status", pid, "--holder", world.address(PUPIL), account=None)
    assert status["report"]["reconciled"] is True and status["report"]["spent"] == "2400.00"
    assert status["holder"]["spendable_today"] == "0.00" and status["holder"]["balance"] == "1200.00"
    assert world.balance(CANTEEN) == Decimal("2068.96")
    tenge.refused("programme", "reclaim", pid, message="reclaim after")
    world.warp(int(expires))
    reclaimed = tenge.json("programme", "reclaim", pid)
    assert reclaimed["amount"] == "2600.00"


def test_offline_spend_is_signed_with_no_connection_and_submitted_online(tenge: Tenge, world: World) -> None:
    pid = world.lunch_programme()
    world.programmes(CITY).allocate(pid, [(world.address(PUPIL), "2400.00")])
    # The domain the CLI takes from the record alone is the one the deployed contract reports (ERC-5267).
    record = DeploymentRecord.load("local")
    assert record is not None
    _, name, version, chain_id, contract, _, _ = world.programmes(CITY).contract.functions.eip712Domain().call()
    recorded = domain_from_record(record)
    assert recorded.as_eip712() == {"name": name, "version": version, "chainId": chain_id, "verifyingContract": contract}
    nothing_listens = f"http://127.0.0.1:{free_port()}"  # the pupil's card: no connection at all
    argv = ["programme", "spend", str(pid), str(CANTEEN_ID), "1200", "CARD-1", "--offline", "--json",
            "--network", "local", "--rpc-url", nothing_listens, "--account", f"dev:{PUPIL}"]  # fmt: skip
    pupil_nonce = world.nonce(PUPIL)
    signed = CliRunner(mix_stderr=False).invoke(cli, argv)
    assert signed.exit_code == 0, signed.stdout + signed.stderr
    offline = json.loads(signed.stdout)["offline"]
    assert offline.startswith("dtpbm1:") and world.nonce(PUPIL) == pupil_nonce  # signed only, nothing sent
    # The canteen submits it later (the chain clock catches up with the card's wall clock).
    world.warp(max(world.block_time() + 1, int(time.time()) + 1))
    before = world.balance(CANTEEN)
    submitted = tenge.json("programme", "submit", offline, account=COURIER)
    assert submitted["beneficiary"] == world.address(PUPIL) and (submitted["net"], submitted["vat"]) == ("1034.48", "165.52")
    assert world.balance(CANTEEN) - before == Decimal("1034.48")
    assert world.programmes(CITY).balance_of(pid, world.address(PUPIL)) == Decimal("1200.00")


def test_programme_bad_input_is_one_line_and_sends_nothing(tenge: Tenge, world: World, tmp_path: Path) -> None:
    pid = str(world.lunch_programme())
    world.programmes(CITY).allocate(int(pid), [(world.address(PUPIL), "2400.00")])
    tenge.refused("programme", "spend", pid, str(SHOP_ID), "100", "X-1", account=PUPIL, message="outside the purpose")
    tenge.refused("programme", "spend", pid, str(CANTEEN_ID), "1200.01", "X-2", account=PUPIL, message="today")
    tenge.refused("programme", "spend", pid, str(CANTEEN_ID), "0", "X-3", account=PUPIL, message="greater than zero")
    tenge.refused("programme", "spend", pid, str(CANTEEN_ID), "1.001", "X-3", account=PUPIL, message="decimals")
    tenge.refused("programme", "fund", "99", "1", message="no programme 99")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{world.address(PUPIL)},12.345\n")
    tenge.refused("programme", "allocate", pid, str(bad), message="line 1")
    tenge.refused("programme", "allocate", pid, str(tmp_path / "missing.csv"), message="cannot read")
    tenge.refused("programme", "submit", "dtpbm1:garbage", account=COURIER, message="offline payment rejected")
    tenge.refused("programme", "create", "--purpose", "5", "--expires", "2000-01-01", "--budget-code", "X",
                  message="expiry")  # fmt: skip


def test_rewards_from_the_command_line(tenge: Tenge, world: World, tmp_path: Path) -> None:
    created = tenge.json("rewards", "create", "--attester", world.address(ATTESTER), "--max-per-claim", "500",
                         "--period-cap", "1000", "--budget-code", "STEPS")  # fmt: skip
    pool = str(created["pool_id"])
    tenge.json("rewards", "fund", pool, "800")
    signed = tenge("rewards", "sign-claim", pool, world.address(PUPIL), "120.50", "20260301", account=ATTESTER)
    assert signed.exit_code == 0, signed.output
    assert json.loads(signed.output)["validBefore"] == world.block_time() + 7 * DAY  # the default validity
    hour = tenge("rewards", "sign-claim", pool, world.address(PUPIL_B), "10", "20260301", "--valid-for", "1h",
                 account=ATTESTER).output  # fmt: skip
    world.warp(json.loads(hour)["validBefore"])
    tenge.refused("rewards", "claim", hour.strip(), account=COURIER, message="ClaimExpired")
    tenge.refused("rewards", "sign-claim", pool, world.address(PUPIL_B), "10", "20260301", "--valid-for", "0",
                  account=ATTESTER, message="not a positive duration")  # fmt: skip
    claim_file = tmp_path / "claim.json"
    claim_file.write_text(signed.output)
    paid = tenge.json("rewards", "claim", str(claim_file), account=COURIER)
    assert paid["amount"] == "120.50" and paid["beneficiary"] == world.address(PUPIL)
    tenge.refused("rewards", "claim", signed.output.strip(), account=COURIER, message="already paid")
    forged = tenge("rewards", "sign-claim", pool, world.address(PUPIL_B), "10", "20260301", account=PUPIL_B).output
    tenge.refused("rewards", "claim", forged.strip(), account=COURIER, message="not signed by the attester")
    tenge.refused("rewards", "claim", "{not json", account=COURIER, message="not valid JSON")
    status = tenge.json("rewards", "status", pool, "--period", "20260301", account=None)
    assert status["balance"] == "679.50" and status["paid_in_period"] == "120.50"
    closed = tenge.json("rewards", "close", pool)
    assert closed["remainder"] == "679.50"
