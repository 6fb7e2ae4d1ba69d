"""Fixtures of the programme and reward tests: the deployed suite plus a city sponsor with money, pupils,
a school canteen (VAT category "school meals") and a shop outside the purpose.

Built once for this package on the freshly deployed suite (rolled back when the package is done); each test
runs inside its own anvil snapshot.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from chain_helpers import rolled_back, rpc
from programme_world import World, build_world
from web3 import Web3


@pytest.fixture(scope="package")
def programme_world_base(suite: Any) -> Iterator[Any]:
    with rolled_back(suite.rpc_url, "the programme world"):
        build_world(suite)
        yield suite
    _resync_clock(suite.rpc_url)


@pytest.fixture
def world(programme_world_base: Any) -> Iterator[World]:
    with rolled_back(programme_world_base.rpc_url, "the test's state") as w3:
        yield World(programme_world_base, w3)
    _resync_clock(programme_world_base.rpc_url)  # each revert sets the clock back by the test's duration


def _resync_clock(rpc_url: str) -> None:
    """anvil's evm_revert puts the clock back to the snapshot's block time and keeps it running from there, so
    after this package the chain would lag the wall clock by the package's duration; later packages sign with
    the wall clock (offline payments) and expect the chain within minutes of it. Put the clock back in step."""
    w3 = Web3(Web3.HTTPProvider(rpc_url))
    now = int(time.time())
    if int(w3.eth.get_block("latest")["timestamp"]) < now:
        rpc(w3, "evm_setTime", [now])
