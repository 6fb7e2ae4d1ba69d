"""The README's school-lunch example, run as written (the README block is extracted and executed)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from programme_world import CANTEEN_ID, CITY, COURIER, DAY, PUPIL, SCHOOL_MEALS, World

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> str:
    text = README.read_text()
    section = text.split("## Purpose-bound programmes and rewards", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's programmes section has no python example"
    return match.group(1)


def test_the_school_lunch_example_runs(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))
    code = _example().replace('Session.open("local", ', f'Session.open("local", rpc_url="{world.suite.rpc_url}", ')
    scope = {"SCHOOL_MEALS": SCHOOL_MEALS, "CANTEEN_ID": CANTEEN_ID, "pupil": world.address(PUPIL),
             "expiry": world.block_time() + 30 * DAY, "Decimal": Decimal}  # fmt: skip
    exec(compile(code, "README.md", "exec"), scope)
    assert scope["offline"].startswith("dtpbm1:")
    # The offline lunch, submitted by the canteen the next day (one lunch a day).
    world.warp(world.block_time() + DAY)
    receipt = world.programmes(COURIER).submit_spend(world.programmes(COURIER).decode_offline_spend(scope["offline"]))
    assert receipt.beneficiary == world.address(PUPIL)
    assert world.programmes(CITY).report(scope["lunches"]).reconciled
