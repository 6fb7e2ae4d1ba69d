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
from chain_helpers import rolled_back
from token_world import World, build_world


@pytest.fixture(scope="package")
def world_base(suite: Any) -> Iterator[Any]:
    with rolled_back(suite.rpc_url, "the token world"):
        build_world(suite)
        yield suite


@pytest.fixture
def world(world_base: Any) -> Iterator[World]:
    """The token world as built: state changes of the test are rolled back afterwards."""
    with rolled_back(world_base.rpc_url, "the test's state") as w3:
        yield World(world_base, w3)
