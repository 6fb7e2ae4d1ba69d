"""One benchmark run: compile (cached), start anvil, deploy ours and the peers, prepare, measure, stop anvil."""

from __future__ import annotations

from collections.abc import Callable

from tenge.bench import operations as ops
from tenge.bench.cast import SIGNERS, Cast
from tenge.bench.chain import BenchChain
from tenge.bench.environment import describe_environment
from tenge.bench.our_suite import OursBench, deploy_our_suite
from tenge.bench.peers import deploy_peers
from tenge.bench.report import GasReport, RowPeer
from tenge.bench.rows import EXTRA_ROWS, GasRow, all_operations
from tenge.bench.scenarios import NaiveBench, PlainBench, TokenBench
from tenge.toolchain.anvil import start_anvil
from tenge.toolchain.compiler import compile_project

Progress = Callable[[str], None]

#: The bench chain's clock at the start: 2026-07-01T00:00:00Z, after Kazakhstan's 16% VAT took effect
#: (the shipped rate schedule), whatever the machine's date.
BENCH_CHAIN_TIME = 1_782_864_000


def run_gas_benchmark(*, progress: Progress | None = None, extra_rows: tuple[GasRow, ...] | None = None) -> GasReport:
    """Measure every operation on every token, then the extra rows (ours and their own peers), on a fresh anvil
    that is always stopped afterwards."""
    extra = EXTRA_ROWS if extra_rows is None else extra_rows
    say = progress or (lambda _message: None)
    say("compiling (cached when nothing changed)")
    compile_project()
    with start_anvil(accounts=SIGNERS) as devnet:
        chain = BenchChain.connect(devnet.rpc_url)
        chain.pin_clock(BENCH_CHAIN_TIME)
        cast = Cast.from_dev_keys()
        say(f"anvil on {devnet.rpc_url}: deploying our suite and the peers")
        benches = build_benches(chain, cast)
        figures = {}
        for bench in benches:
            say(f"{bench.column.label}: preparing holders")
            bench.prepare()
            say(f"{bench.column.label}: measuring")
            figures[bench.column.key] = bench.measure()
        ours = next(bench for bench in benches if isinstance(bench, OursBench))
        row_peers: dict[str, RowPeer] = {}
        for row in extra:
            say(f"{row.operation.label}: measuring ours" + (f" and its peer ({row.peer_label})" if row.peer else ""))
            for column in figures:
                figures[column][row.operation.key] = None
            figures[ops.OURS.key][row.operation.key] = row.ours(ours)
            if row.peer is not None and row.peer_label is not None:
                row_peers[row.operation.key] = RowPeer(row.peer_label, row.peer(ours), row.peer_is_target)
        environment = {**describe_environment(chain.w3), "chainClockStart": BENCH_CHAIN_TIME}
        return GasReport(environment, figures, row_peers, all_operations(extra))


def build_benches(chain: BenchChain, cast: Cast) -> list[TokenBench]:
    """Deploy everything and wrap each token in its bench, in the table's column order."""
    suite = deploy_our_suite(chain, cast)
    peers = deploy_peers(chain, cast)
    benches: list[TokenBench] = [
        OursBench(chain, cast, suite),
        PlainBench(chain, cast, peers.plain, peers.fee_proxy, ops.OZ_PLAIN),
        PlainBench(chain, cast, peers.uups, peers.fee_proxy, ops.OZ_UUPS),
        NaiveBench(chain, cast, peers.naive, peers.fee_proxy),
    ]
    assert [b.column for b in benches] == list(ops.COLUMNS)
    return benches
