"""`make demo`'s scenario, then `tenge audit` on its chain (the demo runs it before stopping its devnet)."""

from __future__ import annotations

from tenge.demo import run_demo


def test_demo_scenario_audits_without_difference() -> None:
    lines: list[str] = []
    summary = run_demo(say=lines.append)
    assert summary.facts["audit"] == "no difference", "\n".join(lines)
    assert any(line.startswith("audit: ") and "no difference" in line for line in lines)
