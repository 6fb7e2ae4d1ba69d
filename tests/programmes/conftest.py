"""Fixtures of the programme and reward tests: the deployed suite plus a city sponsor with money, pupils,
a school canteen (VAT category "school meals") and a shop outside the purpose.

Built once for this package on the freshly deployed suite (rolled back when the package is done); each test
runs inside its own anvil snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chain_helpers import rolled_back
from programme_world import World, build_world


@pytest.fixture(scope="package")
def programme_world_base(suite: Any) -> Iterator[Any]:
    with rolled_back(suite.rpc_url, "the programme world"):
        build_world(suite)
        yield suite


@pytest.fixture
def world(programme_world_base: Any) -> Iterator[World]:
    with rolled_back(programme_world_base.rpc_url, "the test's state") as w3:
        yield World(programme_world_base, w3)

