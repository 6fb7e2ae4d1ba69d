"""`tenge bench` / `tenge bench all`: every section side by side, written as JSON and Markdown, each row's target
judged from the figures (an unmet target shows as unmet). Speeds are never asserted: the verdicts are checked
against figures the test controls, through the same code the measured figures go through."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tenge import paths
from tenge.bench import operations as ops
from tenge.bench.combined import SECTIONS
from tenge.bench.report import GasReport, RowPeer
from tenge.bench.rows import all_operations
from tenge.bench.scenarios import Measurement
from tenge.bench.summary import INDEX_EVENTS_PER_S, UNMET, build_summary
from tenge.cli.main import cli

COMMITTED = paths.project_root() / "benchmarks"


def _committed() -> dict[str, dict[str, Any] | None]:
    return {section: json.loads((COMMITTED / f"{section}.json").read_text()) for section in SECTIONS}


def _row(summary_json: dict[str, Any], section: str, starts: str) -> dict[str, Any]:
    rows = next(s for s in summary_json["sections"] if s["key"] == section)["rows"]
    return next(r for r in rows if r["name"].startswith(starts))


def test_summary_from_figures_writes_json_and_markdown_with_every_section(tmp_path: Path) -> None:
    source = tmp_path / "figures"
    shutil.copytree(COMMITTED, source)
    result = CliRunner().invoke(cli, ["bench", "summary", "--from", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "summary.json").read_text())
    markdown = (tmp_path / "out" / "summary.md").read_text()
    assert [s["key"] for s in data["sections"]] == list(SECTIONS)
    for section in data["sections"]:
        assert section["error"] is None and section["rows"], section["key"]
        assert f"## {section['title']}" in markdown and section["title"] in result.output
        for row in section["rows"]:
            assert row["name"] in markdown
            assert (row["target"] is None) == (row["met"] is None), row
    gas = next(s for s in data["sections"] if s["key"] == "gas")
    assert [r["name"] for r in gas["rows"]] == [op["label"] for op in _committed()["gas"]["operations"]]  # type: ignore[index]
    assert data["targetsJudged"] >= 15 and 0 <= data["targetsMet"] <= data["targetsJudged"]


def test_a_missing_benchmark_is_a_section_with_its_reason_and_exit_1(tmp_path: Path) -> None:
    source = tmp_path / "figures"
    shutil.copytree(COMMITTED, source)
    (source / "relayer.json").unlink()
    result = CliRunner(mix_stderr=False).invoke(cli, ["bench", "summary", "--from", str(source), "--json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "relayer" in result.stderr
    relayer = next(s for s in json.loads(result.stdout)["sections"] if s["key"] == "relayer")
    assert relayer["rows"] == [] and "relayer.json" in relayer["error"]


def _gas_report(ours_vat: int, naive_vat: int, extra: dict[str, RowPeer] | None = None,
                extra_ours: int | None = None) -> GasReport:  # fmt: skip
    figures: dict[str, dict[str, Measurement | None]] = {c.key: {} for c in ops.COLUMNS}
    figures[ops.OURS.key][ops.VAT_PAYMENT.key] = Measurement(ours_vat, "0x01")
    figures[ops.NAIVE.key][ops.VAT_PAYMENT.key] = Measurement(naive_vat, "0x02")
    figures[ops.OURS.key][ops.BRIDGE_SEND_HOME.key] = Measurement(ops.BRIDGE_SEND_HOME.target or 0, "0x03")
    operations = all_operations(())
    if extra is not None:
        operations = (*operations, EXTRA)
        figures[ops.OURS.key][EXTRA.key] = Measurement(extra_ours or 0, "0x04")
    return GasReport({}, figures, extra or {}, operations)


EXTRA = ops.Operation("settle_example", "an extra row with its own peer", 100_000)


def test_gas_target_met_and_unmet_follow_the_figures() -> None:
    for ours, peer, met in ((77_000, 77_854, True), (77_854, 77_854, True), (91_752, 77_854, False)):
        data = build_summary({"gas": _gas_report(ours, peer).to_json()}).to_json()
        vat = _row(data, "gas", ops.VAT_PAYMENT.label)
        assert vat["met"] is met and vat["figure"] == f"{ours:,}"
        assert vat["target"] == "≤ naive permissioned"
    summary = build_summary({"gas": _gas_report(91_752, 77_854).to_json()})
    line = next(line for line in summary.markdown().splitlines() if ops.VAT_PAYMENT.label in line)
    assert f"**{UNMET}**" in line
    # The bridge send at exactly its target is met; a row without a figure has no verdict.
    assert _row(summary.to_json(), "gas", ops.BRIDGE_SEND_HOME.label)["met"] is True
    assert _row(summary.to_json(), "gas", ops.PERMIT.label)["met"] is None


def test_an_extra_row_is_judged_against_its_own_peer_and_its_target() -> None:
    for ours, peer, met in ((90_000, 95_000, True), (96_000, 95_000, False), (101_000, 200_000, False)):
        own = {EXTRA.key: RowPeer("two ERC-20 transfers", Measurement(peer, "0x05"), is_target=True)}
        report = _gas_report(80_000, 77_854, own, ours)
        assert report.target_met(EXTRA) is met
        row = _row(build_summary({"gas": report.to_json()}).to_json(), "gas", EXTRA.label)
        assert row["met"] is met and row["peers"]["own peer"] == f"two ERC-20 transfers: {peer:,}"
        assert row["target"] == "≤ 100,000 and ≤ two ERC-20 transfers"
        assert "own peer" in report.table()


def test_service_targets_unmet_when_the_figures_miss_them() -> None:
    figures = _committed()
    index = dict(figures["index"] or {})
    for rate, met in ((INDEX_EVENTS_PER_S - 1, False), (INDEX_EVENTS_PER_S, True)):
        index["sync_events_per_second"] = rate
        assert _row(build_summary({"index": index}).to_json(), "index", "index sync")["met"] is met
    index["index_report_seconds"] = 1.0
    assert _row(build_summary({"index": index}).to_json(), "index", "VAT report")["met"] is False
    relayer = json.loads(json.dumps(figures["relayer"]))
    raw = relayer["raw_web3_pipelined"]["transfers_per_second"]
    for share, met in ((0.89, False), (0.91, True)):
        relayer["relayer_burst"]["transfers_per_second"] = raw * share
        assert _row(build_summary({"relayer": relayer}).to_json(), "relayer", "burst of")["met"] is met
    throughput = json.loads(json.dumps(figures["throughput"]))
    for figure in throughput["figures"]:
        if figure["way"] == "SDK single":
            figure["requestsPerWrite"] = 4.5
    row = _row(build_summary({"throughput": throughput}).to_json(), "throughput", "transfer: SDK single")
    assert row["met"] is False


def test_bench_all_runs_writes_and_names_what_it_did_not_run(tmp_path: Path) -> None:
    """The combined command end to end on the quickest real benchmark (a 200-payment index on its own anvil)."""
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["bench", "all", "--only", "index", "--payments", "200", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "summary.json").read_text())
    index = next(s for s in data["sections"] if s["key"] == "index")
    assert index["error"] is None and any("200 payments" in row["name"] for row in index["rows"])
    assert json.loads((out / "index.json").read_text())["reported_payments"] == 200
    for section in data["sections"]:
        if section["key"] != "index":
            assert section["error"] == "not run" and f"not measured:** not run" in (out / "summary.md").read_text()
