"""`tenge bench all` (also plain `tenge bench`): every benchmark, then one summary - each row beside its peer
measured in the same run, with its target and whether it is met - printed and written as JSON and Markdown;
`tenge bench summary --from DIR`: the same summary from figures written earlier."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tenge.cli.common import emit, json_option

DEFAULT_OUT = Path("bench-report")
SECTION_CHOICE = click.Choice(["gas", "throughput", "relayer", "index"])



@click.command("all")
@json_option
@click.option("--full", is_flag=True, help="The issues' sizes (100,000 payments, 300-transfer burst, 200 writes): "
              "tens of minutes. Default: quick sizes, a few minutes.")  # fmt: skip
@click.option("--only", "only", type=SECTION_CHOICE, multiple=True, help="Run only this benchmark (repeatable).")
@click.option("--writes", type=click.IntRange(10, 100_000), default=None, help="Throughput: writes per way.")
@click.option("--transfers", type=click.IntRange(10, 5000), default=None, help="Relayer: transfers of the burst.")
@click.option("--steady-transfers", type=click.IntRange(10, 5000), default=None, help="Relayer: steady-run transfers.")
@click.option("--payments", type=click.IntRange(1), default=None, help="Index: payments in the history.")
@click.option("--out", type=click.Path(file_okay=False, writable=True, path_type=Path), default=None,
              help=f"Folder for every benchmark's JSON, summary.json and summary.md (default: {DEFAULT_OUT}/ in the "
              "project checkout; `--full --out benchmarks` refreshes the committed figures).")  # fmt: skip
def all_cmd(as_json: bool = False, full: bool = False, only: tuple[str, ...] = (), writes: int | None = None,
            transfers: int | None = None, steady_transfers: int | None = None, payments: int | None = None,
            out: Path | None = None) -> None:  # fmt: skip
    """Every benchmark (gas, SDK throughput, relayer, index), each on its own devnets, then every table side by
    side with its peers, targets and whether each is met. Exit 1 when a benchmark could not run."""
    from dataclasses import replace

    from tenge import paths
    from tenge.bench.combined import FULL, QUICK, SECTIONS, run_all, summarise, write_all

    sizes = FULL if full else QUICK
    sizes = replace(
        sizes,
        throughput_writes=writes or sizes.throughput_writes,
        relayer_transfers=transfers or sizes.relayer_transfers,
        relayer_steady_transfers=steady_transfers or sizes.relayer_steady_transfers,
        index_payments=payments or sizes.index_payments,
    )
    say = None if as_json else (lambda message: click.echo(f"... {message}", err=True))
    sections = tuple(s for s in SECTIONS if not only or s in only)
    figures, errors = run_all(sizes, sections, progress=say)
    summary = summarise(figures, errors, sizes)
    folder = out or paths.project_root() / DEFAULT_OUT
    written = write_all(folder, figures, summary)
    emit(as_json, summary.to_json(), f"{summary.text()}\n\nwritten: {', '.join(str(p) for p in written)}")
    if errors:
        click.echo(f"error: not measured: {', '.join(errors)} (see the sections above)", err=True)
        sys.exit(1)


@click.command("summary")
@json_option
@click.option("--from", "source", type=click.Path(file_okay=False, exists=True, path_type=Path), required=True,
              help="A folder with gas.json, throughput.json, relayer.json and index.json (e.g. benchmarks).")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, writable=True, path_type=Path), default=None,
              help="Write summary.json and summary.md here (default: print only).")  # fmt: skip
def summary_cmd(as_json: bool, source: Path, out: Path | None) -> None:
    """Every table side by side from figures measured earlier (no benchmark runs). Exit 1 when one is missing."""
    from tenge.bench.combined import SUMMARY_JSON, SUMMARY_MD, load_figures, summarise

    figures, errors = load_figures(source)
    summary = summarise(figures, errors, None)
    text = summary.text()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / SUMMARY_JSON).write_text(json_dumps(summary.to_json()))
        (out / SUMMARY_MD).write_text(summary.markdown())
        text += f"\n\nwritten: {out / SUMMARY_JSON}, {out / SUMMARY_MD}"
    emit(as_json, summary.to_json(), text)
    if errors:
        click.echo(f"error: no figures for {', '.join(errors)} in {source}", err=True)
        sys.exit(1)


def json_dumps(data: object) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
