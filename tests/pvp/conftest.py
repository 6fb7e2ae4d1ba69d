"""Fixtures of the PvP tests: tenge and som on one anvil with the suite's settlement contract (see pvp_world)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chain_helpers import rolled_back
from pvp_world import World, build_world, deploy_som


@pytest.fixture(scope="package")
def pvp_base(suite: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    with rolled_back(suite.rpc_url, "the PvP world") as w3:
        som = deploy_som(suite, tmp_path_factory.mktemp("som-deployments"))
        build_world(suite, w3, som)
        yield suite, som


@pytest.fixture
def world(pvp_base: tuple[Any, str]) -> Iterator[World]:
    suite, som = pvp_base
    with rolled_back(suite.rpc_url, "the test's state") as w3:
        yield World(suite, w3, som)
