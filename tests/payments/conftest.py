"""Fixtures of the VAT payments tests: the deployed suite (token + VatPayments from the deploy plan)
plus approved payers with money, a treasury of its own and three merchants.

The world is built once for this package on top of the freshly deployed suite (and rolled back when
the package is done); each test runs inside its own anvil snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chain_helpers import rolled_back
from vat_world import World, build_world


@pytest.fixture(scope="package")
def vat_world_base(suite: Any) -> Iterator[Any]:
    with rolled_back(suite.rpc_url, "the VAT world"):
        build_world(suite)
        yield suite


@pytest.fixture
def world(vat_world_base: Any) -> Iterator[World]:
    """The VAT world as built: state changes of the test are rolled back afterwards."""
    with rolled_back(vat_world_base.rpc_url, "the test's state") as w3:
        yield World(vat_world_base, w3)
