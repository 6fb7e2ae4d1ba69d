"""`tenge demo`: the digital-tenge pilot across two local chains with real services (what `make demo` runs)."""

from __future__ import annotations

from pathlib import Path

import click

from tenge.cli.common import emit, json_option


@click.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("pilot-report"),
              show_default=True, help="Folder the report is written to (pilot-report.json, pilot-report.html).")  # fmt: skip
@json_option
def demo_cmd(out_dir: Path, as_json: bool) -> None:
    """Play the digital-tenge pilot on two local chains with five validators and a relayer; write the report.

    Starts two anvils (the home ledger and a BNB-side chain, id 97, 1-second blocks), deploys the suite on both the
    way `tenge deploy` does, runs five validators and a relayer as processes with SQLite stores, plays the pilot
    (KYC, issuance, school lunches with VAT, bridge both ways, rewards, gold and som, a freeze, audits), prints a
    summary and writes it as JSON and as an HTML page with figures. Everything started is stopped on exit, also
    on an error or Ctrl-C.
    """
    from tenge.pilot.run import run_pilot

    result = run_pilot(out_dir, say=(lambda line: None) if as_json else click.echo)
    emit(as_json, result.report, f"open {result.html_path} in a browser (no network needed)")
