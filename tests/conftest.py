"""Shared fixtures: a real anvil devnet per test session, the suite deployed on it, and per-test
isolation through anvil snapshots (each test starts from the freshly deployed suite).

Also the suite's parallel run (`make test` runs pytest-xdist: ``-n 2 --dist loadgroup``): every test is put in
an xdist group - the folder when it uses a package-scoped world (built once, on one worker), else its own file -
so a world is never built twice and tests added later are grouped without a word; and the gate figures counted
on the workers are printed by the controller (``gate_summary``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from gate_summary import export_counts, merge_counts, summary_lines

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


# --- parallel runs (pytest-xdist) ---


def _world_folders(item: pytest.Item) -> set[str]:
    """The folders whose package-scoped fixtures (worlds) ``item`` uses."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return set()
    return {defs[-1].baseid for defs in info.name2fixturedefs.values() if defs and defs[-1].scope == "package"}


def xdist_groups(items: list[pytest.Item]) -> dict[str, str]:
    """Each test's xdist group: the folder of the package world its file uses, else its file.

    A file goes where any of its tests goes (its module-scoped fixtures are then built once too)."""
    file_of = {item.nodeid: item.nodeid.split("::")[0] for item in items}
    worlds: dict[str, set[str]] = {}
    for item in items:
        worlds.setdefault(file_of[item.nodeid], set()).update(_world_folders(item))
    return {nodeid: min(worlds[file]) if worlds[file] else file for nodeid, file in file_of.items()}


def _start_order(items: list[pytest.Item], groups: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Each group's place in the queue, longest first so that no long group is left running alone at the end:
    groups holding a ``slow`` test (the whole pilot, the invariant fuzzing, mypy, slither), then the package worlds
    (a world's build, and the services its tests start), then single files; each by number of tests."""
    sizes: dict[str, int] = {}
    slow: set[str] = set()
    for item in items:
        group = groups[item.nodeid]
        sizes[group] = sizes.get(group, 0) + 1
        if item.get_closest_marker("slow"):
            slow.add(group)
    worlds = {group for item in items if (group := groups[item.nodeid]) != item.nodeid.split("::")[0]}
    return {group: (0 if group in slow else 1 if group in worlds else 2, -size) for group, size in sizes.items()}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup``: mark each test with its group (before xdist reads the marks) and queue the
    groups in :func:`_start_order` (xdist keeps this order with ``--no-loadscope-reorder``; a group's tests
    keep theirs)."""
    if not getattr(config.option, "loadgroup", False):  # set by xdist on its workers (the controller collects nothing)
        return
    groups = xdist_groups(items)
    order = _start_order(items, groups)
    items.sort(key=lambda item: (order[groups[item.nodeid]], groups[item.nodeid]))  # stable: a group keeps its order
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[item.nodeid]))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On an xdist worker: hand the gate figures counted here to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["gate_counts"] = export_counts()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """On the xdist controller: add up the gate figures of a worker that finished."""
    counts = getattr(node, "workeroutput", {}).get("gate_counts")
    if counts:
        merge_counts(counts)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    """One line per safety gate that ran (slither findings, invariant calls, matrix rows)."""
    lines = summary_lines()
    if lines:
        terminalreporter.write_sep("=", "safety gates")
        for line in lines:
            terminalreporter.write_line(line)
