"""Smoke test of the relayer benchmark: one small real run (two anvils, five validator processes, a relayer
process); structure, counts and the block-grid shape of the steady run's latencies - never speeds (those are
printed by `tenge bench relayer` and compared within a run, not asserted)."""

from __future__ import annotations

import json

import pytest

from tenge.bench.relayer_bench import PHASES, RelayerBench, run_relayer_bench


@pytest.fixture(scope="module")
def bench() -> RelayerBench:
    return run_relayer_bench(10, steady_count=PHASES)


def test_every_row_delivered_every_transfer(bench: RelayerBench) -> None:
    data = json.loads(json.dumps(bench.to_dict()))
    assert data["relayer_burst"]["transfers"] == 10 and data["raw_web3_pipelined"]["transfers"] == 10
    steady = data["relayer_steady"]
    assert steady["transfers"] == PHASES and steady["phases"] == PHASES
    assert [p["offset_s"] for p in steady["by_phase"]] == [round(k / PHASES, 3) for k in range(PHASES)]
    for row in (data["relayer_burst"], steady, data["raw_web3_pipelined"]):
        assert 0 < row["latency_p50_s"] <= row["latency_p95_s"] and row["transfers_per_second"] > 0


def test_steady_deliveries_land_on_the_bnb_block_grid(bench: RelayerBench) -> None:
    # Each phase's BNB blocks tick `offset_measured` after the home blocks, so a latency from a home block (the
    # finality point) to a BNB block is that offset plus whole blocks - up to the two 20 ms pollers' jitter.
    for phase in bench.steady.phases:
        off_grid = (phase["latency_p50_s"] - phase["offset_measured_s"]) % 1.0
        assert min(off_grid, 1.0 - off_grid) < 0.2, phase


def test_the_relayer_share_precedes_the_delivery(bench: RelayerBench) -> None:
    steady = bench.steady
    assert steady.unseen < PHASES  # the pool poller saw the delivery transactions
    assert 0 < steady.share_p50 <= steady.share_p95 <= steady.steady.p95


def test_the_table_names_every_row(bench: RelayerBench) -> None:
    table = bench.table()
    for row in ("burst of 10", f"steady 10/s ({PHASES}, {PHASES} phases)", "its own share", "raw web3.py pipelined",
                "steady p50 by BNB block offset"):  # fmt: skip
        assert row in table, row
