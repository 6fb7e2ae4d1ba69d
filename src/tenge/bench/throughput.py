"""`tenge bench throughput`: writes per second from one account, through the SDK and through raw web3.py.

On one anvil in one run (the suite deployed by its deploy plan, holders prepared as in the gas bench), the
ways take turns in rounds, so the load of a shared machine falls on each alike:

- **SDK single**: ``token.transfer`` / ``vat.pay`` one after another, each waiting for its receipt;
- **SDK pipelined**: the same writes inside ``session.pipeline()`` (VAT payments submitted as calls to it);
- **raw web3.py pipelined**: what an integrator writes by hand: chain id and fees read once, nonces counted
  locally, ``build_transaction`` (web3 estimates the gas), ``sign_transaction``, ``send_raw_transaction``
  without waiting, then ``wait_for_transaction_receipt`` for each;
- **raw web3.py tuned**: the same without web3's validation middleware (which asks ``eth_chainId`` on every
  estimate and send): the stricter baseline the ratio is taken against.

JSON-RPC requests are counted by the HTTP provider (:mod:`tenge.bench.rpc_counter`; a batch is one request).
Each session writes once before it is measured, so per-session costs (code check, chain id, fees) are
reported apart from the steady-state requests per write.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3
from web3.contract import Contract

from tenge.amounts import from_tiyn, to_tiyn
from tenge.bench.cast import SIGNERS, Cast
from tenge.bench.chain import BenchChain, bench_network
from tenge.bench.our_suite import MERCHANT_ID, OursBench, OurSuite, bench_suite_config
from tenge.bench.rpc_counter import CountingProvider, counting_web3
from tenge.bench.runner import BENCH_CHAIN_TIME
from tenge.contracts import load_artifact
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import TOKEN, VAT, suite_plan
from tenge.payments.invoices import invoice_ref
from tenge.session import Session
from tenge.toolchain.anvil import start_anvil
from tenge.toolchain.compiler import compile_project

Progress = Callable[[str], None]
#: Writes per measured scenario, in this many rounds taking turns between the ways.
DEFAULT_WRITES = 200
ROUNDS = 5
TRANSFER = "1.00"
VAT_GROSS = "116.00"
#: Dev-key index of the payer (the cast's alice) and of the receiving holder (bob).
PAYER_DEV_KEY = 2
#: Targets of issue 13: pipelined SDK at least this share of raw web3.py; a single write at most this many requests.
TARGET_RATIO = 0.9
RAW = "raw web3.py pipelined"
RAW_TUNED = "raw web3.py tuned"
TARGET_REQUESTS_PER_WRITE = 4


@dataclass(frozen=True)
class Figure:
    """One scenario: ``writes`` in ``seconds``, with ``requests`` JSON-RPC requests."""

    operation: str
    way: str
    writes: int
    seconds: float
    requests: int
    methods: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.writes / self.seconds if self.seconds > 0 else 0.0

    @property
    def requests_per_write(self) -> float:
        return self.requests / self.writes if self.writes else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"operation": self.operation, "way": self.way, "writes": self.writes,
                "seconds": round(self.seconds, 3), "perSecond": round(self.per_second, 1),
                "requests": self.requests, "requestsPerWrite": round(self.requests_per_write, 2),
                "methods": self.methods}  # fmt: skip


class Stand:
    """The deployed suite and the payer's handles: an SDK session and a raw web3.py connection, both counted."""

    def __init__(self, rpc_url: str, record_dir: Path, cast: Cast, suite: OurSuite) -> None:
        self.rpc_url, self.record_dir, self.cast, self.suite = rpc_url, record_dir, cast, suite

    def session(self) -> tuple[Session, CountingProvider]:
        session = Session.open(bench_network(self.rpc_url), account=f"dev:{PAYER_DEV_KEY}", record_dir=self.record_dir)
        session.w3, provider = counting_web3(self.rpc_url)
        return session, provider


#: Runs writes number ``start`` .. ``start + count - 1`` of a scenario.
Round = Callable[[int, int], None]


@dataclass
class Way:
    """One way of writing, measured over interleaved rounds (so the machine's load hits every way alike)."""

    operation: str
    name: str
    provider: CountingProvider
    run: Round
    first_write_requests: int = 0
    seconds: float = 0.0
    requests: int = 0
    writes: int = 0
    methods: dict[str, int] = field(default_factory=dict)

    def round(self, count: int) -> None:
        self.provider.reset()
        start = time.perf_counter()
        self.run(self.writes, count)
        self.seconds += time.perf_counter() - start
        self.requests += self.provider.count
        self.writes += count
        for method, n in self.provider.methods.items():
            self.methods[method] = self.methods.get(method, 0) + n

    def figure(self) -> Figure:
        return Figure(self.operation, self.name, self.writes, self.seconds, self.requests, self.methods)


def _invoice(way: str, n: int) -> str:
    return f"{way.replace(' ', '-')[:8]}-{n}"


def sdk_transfers(stand: Stand, *, pipelined: bool) -> Way:
    session, provider = stand.session()
    token, to = session.token(), stand.cast.bob.address
    token.transfer(to, TRANSFER)  # warm-up: code check, chain id, fees

    def run(_start: int, count: int) -> None:
        if pipelined:
            with session.pipeline():
                for _ in range(count):
                    token.transfer(to, TRANSFER)
        else:
            for _ in range(count):
                token.transfer(to, TRANSFER)

    return Way("transfer", "SDK pipelined" if pipelined else "SDK single", provider, run, provider.count)


def sdk_vat_payments(stand: Stand, *, pipelined: bool) -> Way:
    session, provider = stand.session()
    vat = session.payments()
    way = "SDK pipelined" if pipelined else "SDK single"
    vat.pay(MERCHANT_ID, VAT_GROSS, _invoice(way, -1))

    def run(start: int, count: int) -> None:
        if pipelined:
            with session.pipeline() as pipeline:
                for n in range(start, start + count):
                    call = vat.contract.functions.pay(MERCHANT_ID, to_tiyn(VAT_GROSS), 0, invoice_ref(_invoice(way, n)))
                    pipeline.submit(call, description=f"VAT payment {n}")
        else:
            for n in range(start, start + count):
                vat.pay(MERCHANT_ID, VAT_GROSS, _invoice(way, n))

    return Way("VAT payment", way, provider, run, provider.count)


def raw_pipelined(stand: Stand, operation: str, *, tuned: bool = False) -> Way:
    """Hand-written web3.py: sign locally, send without waiting, then wait for each receipt. ``tuned`` also
    removes web3's validation middleware, which asks ``eth_chainId`` on every estimate and send."""
    w3, provider = counting_web3(stand.rpc_url, sdk=False)
    if tuned:
        w3.middleware_onion.remove("validation")
    payer: LocalAccount = stand.cast.alice
    token = w3.eth.contract(address=stand.suite.token.address, abi=load_artifact("DigitalTenge").abi)
    vat = w3.eth.contract(address=stand.suite.vat_payments.address, abi=load_artifact("VatPayments").abi)

    def call(n: int) -> Any:
        if operation == "transfer":
            return token.functions.transfer(stand.cast.bob.address, 100)
        return vat.functions.pay(MERCHANT_ID, 116_00, 0, keccak(text=f"raw invoice {tuned} {n}"))

    def run(start: int, count: int) -> None:
        chain_id = w3.eth.chain_id
        base_fee = int(w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        tip = int(w3.eth.max_priority_fee)
        nonce = w3.eth.get_transaction_count(payer.address, "pending")
        hashes = []
        for n in range(count):
            tx = call(start + n).build_transaction({"from": payer.address, "nonce": nonce + n, "chainId": chain_id,
                                                    "maxFeePerGas": 2 * base_fee + tip, "maxPriorityFeePerGas": tip})  # fmt: skip
            hashes.append(w3.eth.send_raw_transaction(payer.sign_transaction(tx).raw_transaction))
        for tx_hash in hashes:
            if w3.eth.wait_for_transaction_receipt(tx_hash)["status"] != 1:
                raise RuntimeError(f"raw {operation} {tx_hash.hex()} reverted")

    return Way(operation, RAW_TUNED if tuned else RAW, provider, run)


def prepare(chain: BenchChain, cast: Cast, record_dir: Path, writes: int) -> OurSuite:
    """Deploy by the suite's plan (record kept for the SDK sessions), prepare holders, fund the payer."""
    config = bench_suite_config(cast)
    record = DeploymentRecord("bench", chain.w3.eth.chain_id, path=DeploymentRecord.path_for("bench", record_dir))
    Deployer(chain.sender(cast.admin), record).run(suite_plan(config, cast.admin.address))
    token = chain.at(record.address(TOKEN), load_artifact("DigitalTenge"))
    addresses = {key: str(entry["address"]) for key, entry in record.contracts.items() if entry.get("address")}
    suite = OurSuite(config, token, chain.at(record.address(VAT), load_artifact("VatPayments")), addresses)
    OursBench(chain, cast, suite).prepare()
    needed = 10 * writes * 116_00
    chain.send(cast.bank, token.functions.mint(cast.alice.address, needed), "fund the payer")
    chain.send(cast.alice, token.functions.approve(suite.vat_payments.address, needed), "approve VAT payments")
    return suite


@dataclass
class ThroughputReport:
    figures: list[Figure]
    first_write_requests: dict[str, int]
    environment: dict[str, Any]

    def figure(self, operation: str, way: str) -> Figure:
        return next(f for f in self.figures if f.operation == operation and f.way == way)

    def ratio(self, operation: str, raw: str = RAW_TUNED) -> float:
        """SDK pipelined over a raw way (by default the faster, tuned one)."""
        base = self.figure(operation, raw).per_second
        return self.figure(operation, "SDK pipelined").per_second / base if base else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"environment": self.environment, "figures": [f.to_dict() for f in self.figures],
                "firstWriteRequests": self.first_write_requests,
                "ratios": {op: {"overRaw": round(self.ratio(op, RAW), 3), "overRawTuned": round(self.ratio(op), 3)}
                           for op in ("transfer", "VAT payment")},
                "targets": {"pipelinedOverRaw": TARGET_RATIO, "requestsPerSingleWrite": TARGET_REQUESTS_PER_WRITE}}  # fmt: skip

    def table(self) -> str:
        lines = [f"{'operation':<12} {'way':<22} {'writes':>6} {'writes/s':>9} {'requests/write':>15}"]
        for f in self.figures:
            lines.append(f"{f.operation:<12} {f.way:<22} {f.writes:>6} {f.per_second:>9.1f} {f.requests_per_write:>15.2f}")
        for op in ("transfer", "VAT payment"):
            for raw in (RAW, RAW_TUNED):
                ratio = self.ratio(op, raw)
                verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
                lines.append(f"{op}: SDK pipelined / {raw} = {ratio:.3f} ({verdict} the target {TARGET_RATIO})")
            single = self.figure(op, "SDK single").requests_per_write
            verdict = "meets" if single <= TARGET_REQUESTS_PER_WRITE else "MISSES"
            lines.append(f"{op}: a single SDK write = {single:.2f} JSON-RPC requests ({verdict} the target "
                         f"<= {TARGET_REQUESTS_PER_WRITE}); a session's first write: {self.first_write_requests[op]}")  # fmt: skip
        return "\n".join(lines)


def run_throughput_benchmark(*, writes: int = DEFAULT_WRITES, progress: Progress | None = None) -> ThroughputReport:
    """Deploy on a fresh anvil (always stopped afterwards) and measure every scenario in one run."""
    from tenge.bench.environment import describe_environment

    say = progress or (lambda _message: None)
    say("compiling (cached when nothing changed)")
    compile_project()
    with start_anvil(accounts=SIGNERS) as devnet, tempfile.TemporaryDirectory(prefix="tenge-bench-") as scratch:
        chain = BenchChain.connect(devnet.rpc_url)
        chain.pin_clock(BENCH_CHAIN_TIME)
        cast = Cast.from_dev_keys()
        say(f"anvil on {devnet.rpc_url}: deploying the suite and preparing holders")
        stand = Stand(devnet.rpc_url, Path(scratch), cast, prepare(chain, cast, Path(scratch), writes))
        figures, first = [], {}
        for operation, sdk in (("transfer", sdk_transfers), ("VAT payment", sdk_vat_payments)):
            ways = [sdk(stand, pipelined=False), sdk(stand, pipelined=True), raw_pipelined(stand, operation),
                    raw_pipelined(stand, operation, tuned=True)]  # fmt: skip
            first[operation] = ways[0].first_write_requests
            size = max(1, writes // ROUNDS)
            for number in range(ROUNDS):
                say(f"{operation}: round {number + 1}/{ROUNDS}, {size} writes each way")
                for way in ways:
                    way.round(size)
            figures += [way.figure() for way in ways]
        environment = {**describe_environment(chain.w3), "writesPerScenario": writes,
                       "transferAmount": str(Decimal(TRANSFER)), "vatGross": str(from_tiyn(116_00))}  # fmt: skip
        return ThroughputReport(figures, first, environment)
