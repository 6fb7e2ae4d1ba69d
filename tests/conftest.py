"""Shared fixtures: a real anvil devnet per test session, the suite deployed on it, and per-test
isolation through anvil snapshots (each test starts from the freshly deployed suite)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.session import Session
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil

# The CLI journals every transaction under $TENGE_HOME: test runs (and their subprocesses) keep theirs out of the
# user's home. Tests that look at keystores or the journal set a TENGE_HOME of their own.
os.environ["TENGE_HOME"] = tempfile.mkdtemp(prefix="tenge-test-home-")


@dataclass
class Suite:
    """The deployed suite on the test devnet, with sessions for the well-known dev accounts."""

    devnet: Devnet
    record_dir: Path
    keys: list[LocalAccount]

    @property
    def rpc_url(self) -> str:
        return self.devnet.rpc_url

    def session(self, index: int = 0) -> Session:
        """A session signing as dev account ``index`` (0 is the deployer and holds every role)."""
        return Session.open("local", account=f"dev:{index}", rpc_url=self.rpc_url, record_dir=self.record_dir)

    def address(self, index: int) -> str:
        return str(self.keys[index].address)


@pytest.fixture(scope="session")
def keys() -> list[LocalAccount]:
    return dev_keys(10)


@pytest.fixture(scope="session")
def devnet() -> Iterator[Devnet]:
    with start_anvil() as node:
        yield node


@pytest.fixture(scope="session")
def suite(devnet: Devnet, keys: list[LocalAccount], tmp_path_factory: pytest.TempPathFactory) -> Suite:
    record_dir = tmp_path_factory.mktemp("deployments")
    network = get_network("local")
    w3 = Web3(Web3.HTTPProvider(devnet.rpc_url))
    record = DeploymentRecord("local", w3.eth.chain_id, path=record_dir / "local.json")
    sender = TxSender(w3, keys[0], network)
    Deployer(sender, record).run(suite_plan(load_suite_config("local"), keys[0].address))
    return Suite(devnet, record_dir, keys)


@pytest.fixture
def fresh(suite: Suite) -> Iterator[Suite]:
    """The suite as freshly deployed: state changes of the test are rolled back afterwards."""
    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    yield suite
    reverted = w3.provider.make_request("evm_revert", [snapshot])["result"]  # type: ignore[arg-type]
    assert reverted, "anvil failed to roll back the test's state"
