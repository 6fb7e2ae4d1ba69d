"""Timing of the relayer benchmark: when blocks appear, how transfers are sent, and the figures taken from both.

Finality point of a transfer mined in home block N (confirmation depth 2): the moment block N + 1 - the block at
depth 2 over it - was first seen on the home chain by a poller asking ``eth_blockNumber`` every 20 ms. Delivery:
the moment the BNB-side block holding its delivery was first seen by the same kind of poller. Latency = delivery -
finality point; throughput = transfers / (last delivery - first finality point).
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.logs import DISCARD
from web3.types import TxParams

from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer


def rpc(w3: Web3, method: str, params: list[Any]) -> Any:
    """A devnet's own JSON-RPC method (``evm_*``, ``txpool_*``): the node's whole answer."""
    return w3.provider.make_request(cast(Any, method), params)


@dataclass
class Figures:
    transfers: int
    p50: float
    p95: float
    per_second: float

    def to_dict(self) -> dict[str, Any]:
        return {"transfers": self.transfers, "latency_p50_s": round(self.p50, 3), "latency_p95_s": round(self.p95, 3),
                "transfers_per_second": round(self.per_second, 1)}  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def figures(final: list[float], delivered: list[float]) -> Figures:
    latencies = [d - f for f, d in zip(final, delivered)]
    span = max(delivered) - min(final)
    return Figures(len(latencies), statistics.median(latencies), percentile(latencies, 0.95), len(latencies) / span)


class BlockClock:
    """When each block of a chain was first seen (polled every 20 ms)."""

    def __init__(self, w3: Web3) -> None:
        self.w3, self._stop = w3, threading.Event()
        self.seen: dict[int, float] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last = int(self.w3.eth.block_number)
        while not self._stop.wait(0.02):
            now = int(self.w3.eth.block_number)
            for number in range(last + 1, now + 1):
                self.seen[number] = time.time()
            last = max(last, now)

    def at(self, number: int, timeout: float = 120) -> float:
        deadline = time.time() + timeout
        while number not in self.seen:
            if time.time() > deadline:
                raise TimeoutError(f"block {number} not seen")
            time.sleep(0.02)
        return self.seen[number]

    def next_block(self, timeout: float = 30) -> float:
        """Wait for the next block and return when it was first seen."""
        known = max(self.seen, default=-1)
        deadline = time.time() + timeout
        while max(self.seen, default=-1) == known:
            if time.time() > deadline:
                raise TimeoutError("no new block")
            time.sleep(0.005)
        return self.seen[max(self.seen)]

    def stop(self) -> None:
        self._stop.set()


def send_transfers(
    home: BridgeClient, w3: Web3, sender: LocalAccount, recipient: str, dest_chain: int, count: int, rate: float | None = None
) -> list[tuple[BridgeTransfer, int]]:  # fmt: skip
    """``count`` sends of 1.00 signed locally and sent without waiting - all at once, or ``rate`` a second - then
    each transfer and the block it was mined in."""
    nonce = int(w3.eth.get_transaction_count(sender.address, "pending"))
    chain_id = int(w3.eth.chain_id)
    hashes = []
    gas_price = int(w3.eth.gas_price) * 2
    started = time.time()
    for i in range(count):
        if rate:
            time.sleep(max(0.0, started + i / rate - time.time()))
        call = home.contract.functions.send(dest_chain, recipient, 100)
        fields = {"from": sender.address, "nonce": nonce + i, "gas": 150_000, "maxFeePerGas": gas_price,
                  "maxPriorityFeePerGas": 1, "chainId": chain_id}  # fmt: skip
        tx = call.build_transaction(cast(TxParams, fields))
        hashes.append(w3.eth.send_raw_transaction(sender.sign_transaction(cast(Any, tx)).raw_transaction))
    result = []
    for tx_hash in hashes:
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120)
        event = home.contract.events.TransferSent().process_receipt(receipt, errors=DISCARD)[0]
        result.append((BridgeTransfer.from_struct(event["args"]["transfer"]), int(receipt["blockNumber"])))
    return result


def await_deliveries(
    bnb: BridgeClient, ids: list[str], clock: BlockClock, since: int, timeout: float = 300
) -> list[float]:  # fmt: skip
    """When the block delivering each of ``ids`` (from BNB block ``since`` on) was first seen."""
    return [at for at, _ in await_delivery_txs(bnb, ids, clock, since, timeout)]


def await_delivery_txs(
    bnb: BridgeClient, ids: list[str], clock: BlockClock, since: int, timeout: float = 300
) -> list[tuple[float, str]]:  # fmt: skip
    """When the block delivering each of ``ids`` (from BNB block ``since`` on) was first seen, and the hash of the
    transaction that delivered it."""
    wanted, found = set(ids), dict[str, tuple[int, str]]()
    deadline = time.time() + timeout
    while len(found) < len(wanted):
        if time.time() > deadline:
            raise TimeoutError(f"{len(wanted) - len(found)} of {len(wanted)} transfers not delivered in {timeout}s")
        for entry in bnb.contract.events.TransferDelivered().get_logs(from_block=max(since, 0), to_block="latest"):
            transfer_id = "0x" + bytes(entry["args"]["id"]).hex()
            if transfer_id in wanted:  # deliveries of earlier runs may land after `since` too
                found.setdefault(transfer_id, (int(entry["blockNumber"]), "0x" + bytes(entry["transactionHash"]).hex()))
        time.sleep(0.2)
    return [(clock.at(found[i][0]), found[i][1]) for i in ids]


class PoolClock:
    """When each transaction ``sender`` sent was first seen in a node's pool (``txpool_content`` polled every
    20 ms): the moment the relayer handed a delivery to the destination chain, seen from outside the relayer."""

    def __init__(self, w3: Web3, sender: str) -> None:
        self.w3, self.sender, self._stop = w3, sender.lower(), threading.Event()
        self.seen: dict[str, float] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            now = time.time()
            answer = rpc(self.w3, "txpool_content", [])
            pool = answer.get("result") or {}
            for group in ("pending", "queued"):
                for sender, txs in (pool.get(group) or {}).items():
                    if sender.lower() == self.sender:
                        for tx in txs.values():
                            self.seen.setdefault(str(tx["hash"]).lower(), now)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


class CpuWatch:
    """The machine's context during a measurement: cores, load average, and the CPU seconds the given processes
    (the relayer, the validators) used meanwhile (from /proc; None where it cannot be read)."""

    def __init__(self, pids: dict[str, list[int]]) -> None:
        self.pids = pids
        self.started = time.time()
        self.before = {name: self._cpu(p) for name, p in pids.items()}

    @staticmethod
    def _cpu(pids: list[int]) -> float | None:
        total = 0.0
        try:
            for pid in pids:
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None
        return total

    def report(self) -> dict[str, Any]:
        wall = time.time() - self.started
        used: dict[str, Any] = {}
        for name, pids in self.pids.items():
            before, after = self.before[name], self._cpu(pids)
            used[name] = None if before is None or after is None else round((after - before) / wall, 2)
        return {"cores": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 1), "wall_s": round(wall, 1),
                "cores_busy": used}  # fmt: skip
