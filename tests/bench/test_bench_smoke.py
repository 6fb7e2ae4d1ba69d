"""Smoke test of the gas benchmark: one real run on its own anvil; structure and sanity, never figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tenge.bench import operations as ops
from tenge.bench import run_gas_benchmark
from tenge.bench.our_suite import OursBench
from tenge.bench.report import GasReport, write_report
from tenge.bench.rows import GasRow
from tenge.bench.scenarios import VAT_AMOUNT, VAT_GROSS, VAT_NET, Measurement
from tenge.cli.main import cli

#: Operations each peer does not have (shown as "—"); ours has every one.
#: The peers have no bridge (its reference, Circle CCTP v1, is quoted in operations.CCTP_V1_REFERENCE).
BRIDGE_ROWS = {operation.key for operation in ops.BRIDGE_OPERATIONS}
#: Programmes and rewards (issue #11) are ours only.
PROGRAMME_ROWS = {"programme_allocate", "programme_spend", "reward_claim"}
#: The VAT payment's own variants (first invoice of a book page, a payment by reference) are ours only.
VAT_VARIANTS = {ops.VAT_PAYMENT_PAGE_FIRST.key, ops.VAT_PAYMENT_BY_REFERENCE.key}
OURS_ONLY = {*BRIDGE_ROWS, *PROGRAMME_ROWS, *VAT_VARIANTS}
PEER_GAPS = {
    ops.OZ_PLAIN.key: {"transfer_with_authorization", "mint", "mint_reserve_gated", "batch_payout", *OURS_ONLY},
    ops.OZ_UUPS.key: {"transfer_with_authorization", "mint", "mint_reserve_gated", "batch_payout", *OURS_ONLY},
    ops.NAIVE.key: {"transfer_with_authorization", "mint_reserve_gated", "batch_payout", *OURS_ONLY},
}


def _second_transfer(bench: OursBench) -> Measurement | None:
    return bench.transfer_existing()


#: An extra row declared the way tenge.bench.rows.EXTRA_ROWS declares them: ours and its own peer, measured in the
#: same run (here both a real transfer on our token, so the peer is also the target and it is met).
EXTRA = GasRow(ops.Operation("extra_row_example", "extra row: a second transfer", 100_000), ours=_second_transfer,
               peer_label="the same transfer again", peer=_second_transfer, peer_is_target=True)  # fmt: skip


@pytest.fixture(scope="module")
def report() -> GasReport:
    return run_gas_benchmark(extra_rows=(EXTRA,))


def test_every_column_has_every_operation_row(report: GasReport) -> None:
    assert list(report.figures) == [column.key for column in ops.COLUMNS]
    assert report.operations == (*ops.OPERATIONS, EXTRA.operation)
    for figures in report.figures.values():
        assert list(figures) == [operation.key for operation in report.operations]


def test_an_extra_row_is_measured_with_its_own_peer(report: GasReport) -> None:
    ours = report.measurement(ops.OURS.key, EXTRA.operation.key)
    peer = report.row_peers[EXTRA.operation.key].measurement
    assert ours is not None and peer is not None and ours.tx_hash != peer.tx_hash
    assert ours.gas == peer.gas and report.target_met(EXTRA.operation) is True
    assert all(report.gas(c.key, EXTRA.operation.key) is None for c in ops.COLUMNS[1:])
    row = next(r for r in report.to_json()["operations"] if r["key"] == EXTRA.operation.key)
    assert row["peer"] == {"label": "the same transfer again", "gas": peer.gas, "isTarget": True}
    assert "the same transfer again" in report.table()


def test_measured_figures_are_positive_ints_and_gaps_are_where_expected(report: GasReport) -> None:
    for column, figures in report.figures.items():
        gaps = set() if column == ops.OURS.key else PEER_GAPS.get(column, set()) | {EXTRA.operation.key}
        for operation, measured in figures.items():
            if operation in gaps:
                assert measured is None, f"{column} has no {operation}"
                continue
            assert measured is not None, f"{column}: {operation} was not measured"
            assert type(measured.gas) is int and measured.gas > 0, (column, operation, measured.gas)
            assert all(type(v) is int for v in measured.detail.values())


def test_batch_detail_is_the_exact_total(report: GasReport) -> None:
    batch = report.measurement(ops.OURS.key, ops.BATCH_PAYOUT.key)
    assert batch is not None
    assert batch.detail["recipients"] > 1 and batch.detail["total_gas"] > batch.gas


@pytest.mark.parametrize("column", [c.key for c in ops.COLUMNS])
def test_vat_payment_really_split_100_and_16(report: GasReport, column: str) -> None:
    paid = report.measurement(column, ops.VAT_PAYMENT.key)
    assert paid is not None
    assert paid.detail == {"payer_paid": VAT_GROSS, "merchant_received": VAT_NET, "tax_received": VAT_AMOUNT}
    assert (VAT_GROSS, VAT_NET, VAT_AMOUNT) == (116_00, 100_00, 16_00)


def test_bridge_rows_grow_with_the_signatures(report: GasReport) -> None:
    for rows in (ops.BRIDGE_RECEIVE_REMOTE, ops.BRIDGE_RECEIVE_HOME):
        measured = [report.measurement(ops.OURS.key, row.key) for row in rows]
        assert all(m is not None for m in measured)
        assert [m.detail["signatures"] for m in measured if m] == [1, 3, 5]
        gas = [m.gas for m in measured if m]
        assert gas[0] < gas[1] < gas[2]


def test_json_and_table(report: GasReport, tmp_path: Path) -> None:
    out = tmp_path / "gas.json"
    write_report(report, out)
    data = json.loads(out.read_text())
    assert data["format"] == "tenge-gas-benchmark-1"
    assert data["environment"]["anvil"] and data["environment"]["hardfork"]
    assert data["environment"]["compiler"]["solc"].startswith("0.8.28")
    assert set(data["columns"]) == {c.key for c in ops.COLUMNS}
    assert [row["key"] for row in data["operations"]] == [o.key for o in report.operations]
    for row in data["operations"]:
        assert set(row["gas"]) == set(data["columns"])
        assert row["targetMet"] in (True, False, None)
        assert (row["targetText"] == "") == (row["targetMet"] is None)
    table = report.table()
    for operation in report.operations:
        assert operation.label in table


def test_cli_offers_bench_gas() -> None:
    result = CliRunner().invoke(cli, ["bench", "gas", "--help"])
    assert result.exit_code == 0, result.output
    assert "--json" in result.output and "--out" in result.output


def test_programme_spend_split_like_the_plain_vat_payment(report: GasReport) -> None:
    spent = report.measurement(ops.OURS.key, ops.PROGRAMME_SPEND.key)
    assert spent is not None
    assert spent.detail == {"payer_paid": VAT_GROSS, "merchant_received": VAT_NET, "tax_received": VAT_AMOUNT}
    allocation = report.measurement(ops.OURS.key, ops.PROGRAMME_ALLOCATE.key)
    assert allocation is not None and allocation.detail["recipients"] == 100
