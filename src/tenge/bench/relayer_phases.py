"""The relayer bench's steady-rate run, over the phases of the two chains' blocks.

Two real chains tick independently: the BNB block after a transfer's finality point comes anywhere from 0 to 1 block
time later. A relayer that needs ``s`` seconds to hand a delivery to the BNB node catches the first BNB block more
than ``s`` after the finality point, so over all phases its latency is spread evenly over ``[s, s + 1 block)`` and
its median is ``s`` + half a block. Both devnets mining in phase (blocks a few milliseconds apart) is one point of
that spread, the worst but one: every delivery then lands exactly one block after its finality point, whatever
``s``.

So the steady run is split into equal segments, one per phase: before each, the BNB devnet's interval mining is
restarted (``evm_setIntervalMining`` mines at once and then every second from that moment) ``offset`` after a home
block was seen, for offsets 0, 1/k, 2/k... of a block; each segment's transfers are delivered before the next phase
is set. Besides the latency, each delivery's own share is taken from outside the relayer: from the finality point to
the moment its delivery transaction was first seen in the BNB node's pool (:class:`PoolClock`).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from tenge.bench.relayer_timing import (
    BlockClock,
    Figures,
    PoolClock,
    await_delivery_txs,
    figures,
    percentile,
    rpc,
    send_transfers,
)
from tenge.bridge.client import BridgeClient


@dataclass
class PhaseRun:
    """The steady run over ``phases`` BNB block phases."""

    steady: Figures
    rate: float
    #: finality point -> delivery transaction first seen in the BNB node's pool (p50, p95), over every delivery seen
    share_p50: float
    share_p95: float
    #: deliveries whose transaction was mined before the pool poller saw it (no share taken)
    unseen: int
    #: per phase: the offset asked, the offset measured (BNB block seen - home block seen, mod 1 s), its p50 latency
    phases: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**self.steady.to_dict(), "offered_rate_per_second": self.rate, "phases": len(self.phases),
                "relayer_share_p50_s": round(self.share_p50, 3), "relayer_share_p95_s": round(self.share_p95, 3),
                "relayer_share_unseen": self.unseen, "by_phase": self.phases}  # fmt: skip


def _rephase(bnb: Web3, home_clock: BlockClock, bnb_clock: BlockClock, offset: float) -> float:
    """Restart the BNB devnet's 1-second interval mining ``offset`` seconds after the next home block is seen; the
    phase measured from the pollers (the BNB block seen after it - the home block seen, mod 1)."""
    home_seen = home_clock.next_block()
    time.sleep(max(0.0, home_seen + offset - time.time()))
    rpc(bnb, "evm_setIntervalMining", [1])
    bnb_seen = bnb_clock.next_block()
    return (bnb_seen - home_seen) % 1.0


def steady_over_phases(
    home: BridgeClient, bnb: BridgeClient, hw3: Web3, bw3: Web3, sender: LocalAccount, recipient: str, dest_chain: int,
    relayer: str, clocks: tuple[BlockClock, BlockClock], count: int, rate: float, phases: int,
) -> PhaseRun:  # fmt: skip
    """``count`` transfers at ``rate`` a second, in ``phases`` equal segments, each with the BNB blocks at another
    offset from the home blocks."""
    home_clock, bnb_clock = clocks
    per = max(1, count // phases)
    pool = PoolClock(bw3, relayer)
    finals: list[float] = []
    delivered: list[float] = []
    shares: list[float] = []
    unseen = 0
    by_phase: list[dict[str, float]] = []
    try:
        for k in range(phases):
            offset = k / phases
            measured = _rephase(bw3, home_clock, bnb_clock, offset)
            since = int(bw3.eth.block_number)
            sent = send_transfers(home, hw3, sender, recipient, dest_chain, per, rate)
            final = [home_clock.at(block + 1) for _, block in sent]
            got = await_delivery_txs(bnb, [t.id_hex for t, _ in sent], bnb_clock, since)
            latencies = [at - f for f, (at, _) in zip(final, got)]
            for f, (_, tx_hash) in zip(final, got):
                seen = pool.seen.get(tx_hash.lower())
                if seen is None:
                    unseen += 1
                else:
                    shares.append(seen - f)
            finals += final
            delivered += [at for at, _ in got]
            by_phase.append({"offset_s": round(offset, 3), "offset_measured_s": round(measured, 3),
                             "latency_p50_s": round(statistics.median(latencies), 3)})  # fmt: skip
    finally:
        pool.stop()
    steady = figures(finals, delivered)
    steady.per_second = rate
    share_p50 = statistics.median(shares) if shares else float("nan")
    share_p95 = percentile(shares, 0.95) if shares else float("nan")
    return PhaseRun(steady, rate, share_p50, share_p95, unseen, by_phase)
