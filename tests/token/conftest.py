"""Fixtures of the token tests: the deployed suite plus a bank, approved holders and some money.

The world is built once for this package on top of the freshly deployed suite (and rolled back
when the package is done, so other packages see the suite as deployed); each test then runs
inside its own anvil snapshot, like ``fresh``. Sessions are opened per test: nonces are tracked
per TxSender and a rollback rewinds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from token_world import World, build_world, rpc
from web3 import Web3


@pytest.fixture(scope="package")
def world_base(suite: Any) -> Iterator[Any]:
    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    clean = rpc(w3, "evm_snapshot")
    build_world(suite)
    yield suite
    assert rpc(w3, "evm_revert", [clean]), "anvil failed to roll back the token world"


@pytest.fixture
def world(world_base: Any) -> Iterator[World]:
    """The token world as built: state changes of the test are rolled back afterwards."""
    w3 = Web3(Web3.HTTPProvider(world_base.rpc_url))
    snapshot = rpc(w3, "evm_snapshot")
    yield World(world_base, w3)
    assert rpc(w3, "evm_revert", [snapshot]), "anvil failed to roll back the test's state"


