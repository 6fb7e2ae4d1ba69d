"""`tenge bench gas`: exact gas of our token and VAT payments beside OpenZeppelin peers and ERC20FeeProxy;
`tenge bench throughput`: writes per second and JSON-RPC requests per write, SDK beside raw web3.py;
`tenge bench`: both."""

from __future__ import annotations

from pathlib import Path

import click

from tenge.cli.common import emit, json_option

DEFAULT_OUT = Path("benchmarks") / "gas.json"
THROUGHPUT_OUT = Path("benchmarks") / "throughput.json"


@click.group("bench", invoke_without_command=True)
@click.pass_context
def bench_group(ctx: click.Context) -> None:
    """Benchmarks, each on its own throw-away anvil."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(gas_cmd, as_json=False, out=None)
        ctx.invoke(throughput_cmd, as_json=False, out=None, writes=None)


@bench_group.command("gas")
@json_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help=f"Where to write the figures as JSON (default: {DEFAULT_OUT} in the project checkout).",
)
def gas_cmd(as_json: bool, out: Path | None) -> None:
    """Deploy ours and the peers on a fresh anvil, measure each operation's gasUsed, print the table."""
    from tenge import paths
    from tenge.bench.report import write_report
    from tenge.bench.runner import run_gas_benchmark

    progress = None if as_json else (lambda message: click.echo(f"... {message}", err=True))
    report = run_gas_benchmark(progress=progress)
    path = out or paths.project_root() / DEFAULT_OUT
    write_report(report, path)
    emit(as_json, report.to_json(), f"{report.table()}\nfigures written to {path}")


@bench_group.command("throughput")
@json_option
@click.option("--writes", type=click.IntRange(10, 100_000), default=None,
              help="Writes per scenario (default 200).")  # fmt: skip
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help=f"Where to write the figures as JSON (default: {THROUGHPUT_OUT} in the project checkout).",
)
def throughput_cmd(as_json: bool, out: Path | None, writes: int | None) -> None:
    """Transfers/s and VAT payments/s through the SDK (single, pipelined) beside raw web3.py, and requests per write."""
    import json

    from tenge import paths
    from tenge.bench.throughput import DEFAULT_WRITES, run_throughput_benchmark

    progress = None if as_json else (lambda message: click.echo(f"... {message}", err=True))
    report = run_throughput_benchmark(writes=writes or DEFAULT_WRITES, progress=progress)
    path = out or paths.project_root() / THROUGHPUT_OUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n")
    emit(as_json, report.to_json(), f"{report.table()}\nfigures written to {path}")
