"""`tenge index`, `tenge audit` and `tenge vat report` through the CLI: the default SQLite index beside the
deployment record, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from tenge.cli.main import cli
from tenge.index.db import open_index
from tenge.index.schema import table
from tenge.toolchain.anvil import free_port


@pytest.fixture
def records(index_world, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the deployment record, so the default index file beside it belongs to this test alone."""
    folder = tmp_path / "deployments"
    folder.mkdir()
    shutil.copy(index_world.record_dir / "local.json", folder / "local.json")
    return folder


def tenge(records: Path, home: Path, *argv: str) -> Result:
    env = {"TENGE_DEPLOYMENTS_DIR": str(records), "TENGE_HOME": str(home), "TENGE_INDEX_URL": None}
    return CliRunner(mix_stderr=False).invoke(cli, list(argv), env=env)  # type: ignore[dict-item]


def test_sync_audit_report_export_through_the_cli(index_world, records: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    net = ["--network", "local", "--rpc-url", index_world.rpc_url]
    first = tenge(records, tmp_path, "index", "sync", *net, "--chunk-blocks", "25")
    assert first.exit_code == 0, first.stderr
    assert (records / "local.index.sqlite").exists(), "the default index lives beside the deployment record"
    assert "... blocks" in first.stderr and "events in" in first.stdout
    again = tenge(records, tmp_path, "index", "sync", *net, "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["events"] == 0
    status = tenge(records, tmp_path, "index", "status", *net, "--json")
    assert status.exit_code == 0, status.stderr
    reported = json.loads(status.stdout)
    assert {c["record_key"] for c in reported["contracts"]} == {"DigitalTenge", "VatPayments", "PurposeBoundProgrammes", "RewardPools"}
    assert reported["events"] == json.loads(first_json(records, tmp_path, net))["events"]

    clean = tenge(records, tmp_path, "audit", *net)
    assert clean.exit_code == 0, clean.stdout + clean.stderr
    assert "no difference" in clean.stdout and "VAT due per merchant and period" in clean.stdout
    assert "privacy: " in clean.stdout and "no personal data" in clean.stdout

    auto = tenge(records, tmp_path, "vat", "report", *net, "--json")  # the index exists: the report reads it
    scan = tenge(records, tmp_path, "vat", "report", *net, "--json", "--source", "scan")
    assert auto.exit_code == 0 and scan.exit_code == 0
    assert json.loads(auto.stdout) == json.loads(scan.stdout)

    exported = tenge(records, tmp_path, "audit", "export", *net, "--format", "json", "-o", str(tmp_path / "h.json"))
    assert exported.exit_code == 0, exported.stderr
    assert any(row["legal_reference"] for row in json.loads((tmp_path / "h.json").read_text()))

    engine = open_index(f"sqlite:///{records / 'local.index.sqlite'}")
    transfer = table("token_transfer")
    with engine.begin() as db:
        zero = "0x" + "0" * 40
        row = db.execute(select(transfer).where((transfer.c.from_address != transfer.c.to_address)
                                                & (transfer.c.from_address != zero) & (transfer.c.to_address != zero))
                         .order_by(transfer.c.block_number.desc()).limit(1)).one()  # fmt: skip
        db.execute(update(transfer).where((transfer.c.block_number == row.block_number) & (transfer.c.log_index == row.log_index))
                   .values(to_address=row.from_address))  # fmt: skip
    engine.dispose()
    broken = tenge(records, tmp_path, "audit", *net)
    assert broken.exit_code == 3, broken.stdout
    assert f"index row token_transfer (block_number={row.block_number}, log_index={row.log_index}" in broken.stdout
    assert f"to={row.from_address!r} (chain: {row.to_address!r})" in broken.stdout


def first_json(records: Path, home: Path, net: list[str]) -> str:
    """A fresh sync of the same history into a second file: how many events the history holds."""
    result = tenge(records, home, "index", "sync", *net, "--json", "--db", f"sqlite:///{home / 'second.sqlite'}")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_unreachable_postgresql_is_one_line_error(index_world, records: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/index"
    result = tenge(records, tmp_path, "index", "sync", "--network", "local", "--rpc-url", index_world.rpc_url, "--db", url)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot open the index database") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stdout + result.stderr
