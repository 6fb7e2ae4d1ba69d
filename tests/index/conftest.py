"""The index tests' world: an anvil of their own (reorgs by snapshot/revert must not touch other packages), the
suite deployed on it, and a seeded random history of a few thousand token and VAT transactions.

Every index test runs against SQLite and against a real PostgreSQL server (``index_url`` is parametrised).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from index_history import History
from postgres_server import create_database, postgres_server
from web3 import Web3

from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.session import Session
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil

TRANSACTIONS = 2_000


@dataclass
class IndexWorld:
    devnet: Devnet
    record_dir: Path
    sent: int
    seconds: float

    @property
    def rpc_url(self) -> str:
        return self.devnet.rpc_url

    def session(self) -> Session:
        return Session.open("local", read_only=True, rpc_url=self.rpc_url, record_dir=self.record_dir)


@pytest.fixture(scope="package")
def index_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexWorld]:
    keys = dev_keys(10)
    record_dir = tmp_path_factory.mktemp("index-deployments")
    with start_anvil() as devnet:
        w3 = Web3(Web3.HTTPProvider(devnet.rpc_url))
        record = DeploymentRecord("local", w3.eth.chain_id, path=record_dir / "local.json")
        Deployer(TxSender(w3, keys[0], get_network("local")), record).run(suite_plan(load_suite_config("local"), keys[0].address))
        session = Session.open("local", read_only=True, rpc_url=devnet.rpc_url, record_dir=record_dir)
        started = time.monotonic()
        history = History(w3, keys, session.contract("DigitalTenge"), session.contract("VatPayments"))
        sent = history.run(TRANSACTIONS)
        yield IndexWorld(devnet, record_dir, sent, time.monotonic() - started)


@pytest.fixture(scope="package")
def postgres() -> Iterator[str]:
    with postgres_server() as url:
        yield url


_counter = iter(range(10**6))


@pytest.fixture(params=["sqlite", "postgresql"])
def index_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty index database: a SQLite file, or a new database on the test's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.sqlite'}"
    server: str = request.getfixturevalue("postgres")
    return create_database(server, f"index_{next(_counter)}")
