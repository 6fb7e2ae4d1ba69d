"""`tenge bench gas`: exact gas of our token and VAT payments beside OpenZeppelin peers and ERC20FeeProxy;
`tenge bench throughput`: writes per second and JSON-RPC requests per write, SDK beside raw web3.py;
`tenge bench relayer`, `tenge bench index`; `tenge bench` / `tenge bench all`: every one of them, side by side
with targets (:mod:`tenge.cli.bench_all_cmds`)."""

from __future__ import annotations

from pathlib import Path

import click

from tenge.cli.common import emit, json_option

DEFAULT_OUT = Path("benchmarks") / "gas.json"
INDEX_OUT = Path("benchmarks") / "index.json"
THROUGHPUT_OUT = Path("benchmarks") / "throughput.json"
RELAYER_OUT = Path("benchmarks") / "relayer.json"
OFFLINE_OUT = Path("benchmarks") / "offline.json"


@click.group("bench", invoke_without_command=True)
@click.pass_context
def bench_group(ctx: click.Context) -> None:
    """Benchmarks, each on its own throw-away anvil. Without a subcommand: `tenge bench all` (quick sizes)."""
    if ctx.invoked_subcommand is None:
        from tenge.cli.bench_all_cmds import all_cmd

        ctx.invoke(all_cmd)


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


@bench_group.command("index")
@json_option
@click.option("--payments", type=click.IntRange(1), default=100_000, show_default=True, help="Payments in the history.")
@click.option("--per-tx", type=click.IntRange(1, 2000), default=1000, show_default=True, help="Payments per bench transaction.")
@click.option("--postgres-url", default=None, envvar="TENGE_BENCH_POSTGRES_URL",
              help="PostgreSQL server for the PostgreSQL sync (a fresh database is made on it); default: a throw-away "
                   "embedded server (the dev extra).")  # fmt: skip
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help=f"Where to write the figures as JSON (default: {INDEX_OUT} in the project checkout).",
)
def index_cmd(as_json: bool, payments: int, per_tx: int, postgres_url: str | None, out: Path | None) -> None:
    """VAT report time from the event index versus a scan of every event, on one history of real payments;
    the index's sync rate into SQLite and into PostgreSQL."""
    import json

    from tenge import paths
    from tenge.bench.index_bench import run_index_bench

    progress = None if as_json else (lambda message: click.echo(f"... {message}", err=True))
    result = run_index_bench(payments, per_tx, progress=progress, postgres_url=postgres_url)
    path = out or paths.project_root() / INDEX_OUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_dict(), indent=2) + "\n")
    emit(as_json, result.to_dict(), f"{result.table()}\nfigures written to {path}")


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


@bench_group.command("relayer")
@json_option
@click.option("--transfers", type=click.IntRange(10, 5000), default=300, show_default=True,
              help="Transfers of the burst (and of the raw web3.py peer).")
@click.option("--steady-rate", type=click.FloatRange(0.5, 100), default=10.0, show_default=True,
              help="Transfers a second offered in the steady-rate run.")
@click.option("--steady-transfers", type=click.IntRange(10, 5000), default=100, show_default=True,
              help="Transfers of the steady-rate run.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help=f"Where to write the figures as JSON (default: {RELAYER_OUT} in the project checkout).",
)
def relayer_cmd(as_json: bool, transfers: int, steady_rate: float, steady_transfers: int, out: Path | None) -> None:
    """Relayer latency (finality -> delivery, p50/p95) and transfers/s - a burst (saturation) and a steady rate -
    beside raw web3.py pipelined deliveries on the same chains."""
    from tenge.bench.relayer_bench import run_relayer_bench

    progress = None if as_json else (lambda message: click.echo(f"... {message}", err=True))
    import json

    from tenge import paths

    result = run_relayer_bench(transfers, progress=progress, steady_rate=steady_rate, steady_count=steady_transfers)
    path = out or paths.project_root() / RELAYER_OUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_dict(), indent=2) + "\n")
    emit(as_json, result.to_dict(), f"{result.table()}\nfigures written to {path}")


@bench_group.command("offline")
@click.option("--full", is_flag=True,
              help="The issue's size: 1,000 purses, 200 merchants, 20,000 payments (default: 200 / 50 / 4,000).")
@click.option("--purses", type=click.IntRange(min=1), default=None, help="Purses (overrides the size).")
@click.option("--merchants", type=click.IntRange(min=2), default=None, help="Merchants (overrides the size).")
@click.option("--payments", type=click.IntRange(min=1), default=None, help="Payments (overrides the size).")
@click.option("--seed", type=int, default=22, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the figures (JSON); default benchmarks/offline.json.")
@json_option
def offline_cmd(full: bool, purses: int | None, merchants: int | None, payments: int | None, seed: int,
                out: Path | None, as_json: bool) -> None:  # fmt: skip
    """Simulate a week of offline purse payments (cloned devices, random connectivity) with the real device and
    terminal code, settled on a throw-away anvil by the real OfflinePurses contract."""
    import json

    from tenge import paths
    from tenge.bench.offline_report import offline_summary
    from tenge.bench.offline_sim import SimParams, run

    size = (1_000, 200, 20_000) if full else (200, 50, 4_000)
    params = SimParams(purses=purses or size[0], merchants=merchants or size[1], payments=payments or size[2], seed=seed)
    data = run(params).to_dict()
    path = out or paths.project_root() / OFFLINE_OUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    emit(as_json, data, f"{offline_summary(data).text()}\nfigures written to {path}")


def _register() -> None:
    from tenge.cli.bench_all_cmds import all_cmd, summary_cmd

    bench_group.add_command(all_cmd)
    bench_group.add_command(summary_cmd)


_register()
