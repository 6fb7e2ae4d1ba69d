"""The README's cross-border example, run as written (the README block is extracted and executed)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from pvp_world import MERCHANT, World

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> str:
    section = README.read_text().split("## Cross-border payments", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's cross-border section has no python example"
    return match.group(1)


def test_the_cross_border_example_runs(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))
    code = _example().replace('Session.open("local", ', f'Session.open("local", rpc_url="{world.suite.rpc_url}", ')
    before = world.balances()
    scope = {"TENGE": world.tenge_address, "SOM": world.som_address, "MERCHANT": world.address(MERCHANT)}
    exec(compile(code, "README.md", "exec"), scope)
    after = world.balances()
    assert after["merchant:KGS"] - before["merchant:KGS"] == Decimal("174.31")
    assert before["payer:KZT"] - after["payer:KZT"] == Decimal("1000.01")
