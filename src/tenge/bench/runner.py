"""One benchmark run: compile (cached), start anvil, deploy ours and the peers, prepare, measure, stop anvil."""

from __future__ import annotations

from collections.abc import Callable

from tenge.bench import operations as ops
from tenge.bench.cast import SIGNERS, Cast
from tenge.bench.chain import BenchChain
from tenge.bench.environment import describe_environment
from tenge.bench.our_suite import OursBench, deploy_our_suite
from tenge.bench.peers import deploy_peers
from tenge.bench.report import GasReport
from tenge.bench.scenarios import NaiveBench, PlainBench, TokenBench
from tenge.toolchain.anvil import start_anvil
from tenge.toolchain.compiler import compile_project

Progress = Callable[[str], None]

#: The bench chain's clock at the start: 2026-07-01T00:00:00Z, after Kazakhstan's 16% VAT took effect
#: (the shipped rate schedule), whatever the machine's date.
BENCH_CHAIN_TIME = 1_782_864_000


def run_gas_benchmark(*, progress: Progress | None = None) -> GasReport:
    """Measure every operation on every token, on a fresh anvil that is always stopped afterwards."""
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
        return GasReport({**describe_environment(chain.w3), "chainClockStart": BENCH_CHAIN_TIME}, figures)


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
