"""`tenge index`, `tenge audit` and `tenge vat report` through the CLI: the default SQLite index beside the
deployment record, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from tenge.cli.main import cli
from tenge.index.db import open_index
from tenge.index.schema import table
from tenge.toolchain.anvil import dev_keys, free_port, start_anvil


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
    assert {c["record_key"] for c in reported["contracts"]} == {"DigitalTenge", "VatPayments", "PurposeBoundProgrammes", "RewardPools", "PvPSettlement"}
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


def test_a_restarted_devnet_is_refused_never_a_negative_block(index_world, records: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The old record and its index, and a devnet restarted from genesis at the same URL's place: `index sync`,
    `index status`, `audit` and `audit export` refuse as every other command does; nothing says block -1."""
    net = ["--network", "local", "--rpc-url", index_world.rpc_url]
    assert tenge(records, tmp_path, "index", "sync", *net).exit_code == 0
    with start_anvil() as restarted:
        fresh = ["--network", "local", "--rpc-url", restarted.rpc_url]
        for argv in (["index", "sync", *fresh], ["index", "status", *fresh], ["audit", *fresh], ["audit", "export", *fresh]):
            result = tenge(records, tmp_path, *argv)
            assert result.exit_code != 0, (argv, result.stdout)
            assert "no contract at 0x" in result.stderr and "devnet restarted?" in result.stderr, (argv, result.stderr)
            assert "block -1" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    status = tenge(records, tmp_path, "index", "status", *net)
    assert status.exit_code == 0 and "block -" not in status.stdout, status.stdout


def test_the_index_reaches_the_block_tx_status_calls_confirmed(index_world, records: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """One definition of final enough: a transaction `tenge tx status` calls confirmed is in the index and the audit."""
    net = ["--network", "local", "--rpc-url", index_world.rpc_url]
    sent = CliRunner(mix_stderr=False).invoke(cli, ["token", "transfer", *net, "--account", "dev:1", "--json", "--",
                                                    dev_keys(10)[2].address, "0.01"],
                                              env={"TENGE_DEPLOYMENTS_DIR": str(records), "TENGE_HOME": str(tmp_path)})  # fmt: skip
    assert sent.exit_code == 0, sent.stdout + sent.stderr
    tx_hash = json.loads(sent.stdout)["tx_hash"]
    status = tenge(records, tmp_path, "tx", "status", *net, "--json", tx_hash)
    assert status.exit_code == 0 and json.loads(status.stdout)["state"] == "confirmed", status.stdout
    block = json.loads(status.stdout)["block_number"]
    assert tenge(records, tmp_path, "index", "sync", *net).exit_code == 0
    synced = json.loads(tenge(records, tmp_path, "index", "status", *net, "--json").stdout)
    assert all(c["synced_to"] >= block for c in synced["contracts"]), (block, synced)
    audited = tenge(records, tmp_path, "audit", *net, "--json")
    assert json.loads(audited.stdout)["block"] >= block, audited.stdout


def test_audit_reads_like_money_and_records(index_world, records: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    net = ["--network", "local", "--rpc-url", index_world.rpc_url]
    audited = tenge(records, tmp_path, "audit", *net, "--json")
    report = json.loads(audited.stdout)
    keys = _all_keys(report)
    assert not [k for k in keys if " " in k or k != k.lower()], keys
    assert all(isinstance(row["vat_due"], str) and "." in row["vat_due"] for row in report["vat_due_by_merchant_and_period"])
    text = tenge(records, tmp_path, "audit", *net).stdout
    due_lines = [line for line in text.splitlines() if line.strip().startswith("merchant 2")]
    assert due_lines and all(line.rstrip().endswith(" KZT") for line in due_lines), due_lines
    assert any("," in line for line in due_lines), due_lines  # thousands separators
    out = tmp_path / "history.json"
    assert tenge(records, tmp_path, "audit", "export", *net, "--format", "json", "-o", str(out)).exit_code == 0
    rows = json.loads(out.read_text())
    paid = next(r for r in rows if r["event"] == "Paid")
    assert paid["fields"]["gross"].endswith(" KZT") and paid["raw_fields"]["gross"].isdigit()
    legal = [r for r in rows if r["legal_reference"]]
    assert legal and all(r["fields"]["legalReference"] == r["legal_reference"] and not r["legal_reference"].startswith("0x")
                         and r["raw_fields"]["legalReference"].startswith("0x") for r in legal), legal[:2]
    granted = next(r for r in rows if r["event"] == "RoleGranted")
    assert granted["fields"]["role"].endswith("ROLE") and granted["raw_fields"]["role"].startswith("0x")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", paid["block_time"])
    csv_out = tmp_path / "history.csv"
    assert tenge(records, tmp_path, "audit", "export", *net, "-o", str(csv_out)).exit_code == 0
    assert csv_out.read_text().splitlines()[0].endswith(",fields,raw_fields")


def _all_keys(data: object) -> list[str]:
    if isinstance(data, dict):
        return [k for k, v in data.items() for k in [k, *_all_keys(v)]]
    if isinstance(data, list):
        return [k for item in data for k in _all_keys(item)]
    return []


@pytest.mark.parametrize("argv", [
    ["vat", "report", "--format", "csv", "-o", "/nonexistent/dir/r.csv"],
    ["audit", "export", "-o", "/nonexistent/x.csv"],
    ["deployments", "export", "--format", "json", "--out", "/proc/x"],
])
def test_an_output_path_that_cannot_be_written_is_a_clean_error(index_world, records: Path, tmp_path: Path, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    net = ["--network", "local"] + ([] if argv[0] == "deployments" else ["--rpc-url", index_world.rpc_url])
    result = tenge(records, tmp_path, *argv[:2], *net, *argv[2:])
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert result.stderr.startswith("Error: cannot ") and argv[-1].split("/")[1] in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr and not isinstance(result.exception, OSError)


def test_index_status_columns_are_aligned(index_world, records: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    net = ["--network", "local", "--rpc-url", index_world.rpc_url]
    assert tenge(records, tmp_path, "index", "sync", *net).exit_code == 0
    lines = tenge(records, tmp_path, "index", "status", *net).stdout.splitlines()
    rows = [line for line in lines if "0x" in line]
    assert len(rows) >= 4 and len({line.index("0x") for line in rows}) == 1, lines
    assert len({line.index("block ") for line in rows}) == 1, lines
