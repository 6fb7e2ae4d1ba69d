"""Smoke test of the throughput benchmark: one small real run on its own anvil; structure and request counts
(deterministic), never speeds (those are compared within a run by `tenge bench throughput`, not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tenge.bench.throughput import TARGET_REQUESTS_PER_WRITE, ThroughputReport, run_throughput_benchmark
from tenge.cli.main import cli

WAYS = ["SDK single", "SDK pipelined", "raw web3.py pipelined", "raw web3.py tuned"]


@pytest.fixture(scope="module")
def report() -> ThroughputReport:
    return run_throughput_benchmark(writes=10)


def test_every_operation_is_measured_every_way(report: ThroughputReport) -> None:
    assert [(f.operation, f.way) for f in report.figures] == [(op, way) for op in ("transfer", "VAT payment") for way in WAYS]
    for figure in report.figures:
        assert figure.writes == 10 and figure.seconds > 0 and figure.requests > 0


def test_a_single_sdk_write_stays_within_the_request_target(report: ThroughputReport) -> None:
    for operation in ("transfer", "VAT payment"):
        single = report.figure(operation, "SDK single")
        assert single.requests_per_write <= TARGET_REQUESTS_PER_WRITE, single.methods
        assert single.methods["eth_sendRawTransaction"] == 10
        # pipelined: receipts come in batches, never one request per write
        assert report.figure(operation, "SDK pipelined").methods.get("eth_getTransactionReceipt", 0) == 0


def test_the_table_and_json_name_ratios_and_targets(report: ThroughputReport) -> None:
    table = report.table()
    assert "SDK pipelined / raw web3.py" in table and "JSON-RPC requests" in table
    data = json.loads(json.dumps(report.to_json()))
    assert set(data["ratios"]) == {"transfer", "VAT payment"} and data["targets"]["pipelinedOverRaw"] == 0.9
    assert set(data["ratios"]["transfer"]) == {"overRaw", "overRawTuned"}


def test_the_cli_writes_the_figures(tmp_path: Path) -> None:
    out = tmp_path / "throughput.json"
    result = CliRunner().invoke(cli, ["bench", "throughput", "--writes", "10", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["figures"]) == 8
