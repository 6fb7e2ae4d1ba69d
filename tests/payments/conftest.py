"""Fixtures of the VAT payments tests: the deployed suite (token + VatPayments from the deploy plan)
plus approved payers with money, a treasury of its own and three merchants.

The world is built once for this package on top of the freshly deployed suite (and rolled back when
the package is done); each test runs inside its own anvil snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from vat_world import World, build_world, rpc
from web3 import Web3


@pytest.fixture(scope="package")
def vat_world_base(suite: Any) -> Iterator[Any]:
    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    clean = rpc(w3, "evm_snapshot")
    build_world(suite)
    yield suite
    assert rpc(w3, "evm_revert", [clean]), "anvil failed to roll back the VAT world"


@pytest.fixture
def world(vat_world_base: Any) -> Iterator[World]:
    """The VAT world as built: state changes of the test are rolled back afterwards."""
    w3 = Web3(Web3.HTTPProvider(vat_world_base.rpc_url))
    snapshot = rpc(w3, "evm_snapshot")
    yield World(vat_world_base, w3)
    assert rpc(w3, "evm_revert", [snapshot]), "anvil failed to roll back the test's state"
