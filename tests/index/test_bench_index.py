"""`tenge bench index` in small: a history of real payments made by the bench payer contract, the report from
the index and from a scan on it (the 100,000-payment run is `tenge bench index`, not part of `make test`)."""

from __future__ import annotations

from click.testing import CliRunner

from tenge.bench.index_bench import run_index_bench
from tenge.cli.main import cli


def test_small_index_bench_reports_the_same_as_the_scan() -> None:
    result = run_index_bench(payments=450, per_transaction=200)
    assert result.reported_payments == 450, "every bench payment must be a real, reported payment"
    assert result.same_report
    assert result.events >= 3 * 450  # Paid plus the payer's and the merchant's Transfer per payment
    assert result.postgres_events == result.events, result.postgres_note  # the same history synced into PostgreSQL
    assert "index sync (PostgreSQL)" in result.table()
    assert "report from the index" in result.table() and "report from a scan" in result.table()


def test_cli_offers_bench_index() -> None:
    result = CliRunner().invoke(cli, ["bench", "index", "--help"])
    assert result.exit_code == 0, result.output
    assert "--payments" in result.output and "100000" in result.output and "--out" in result.output
