"""Fixtures of the bridge tests: two anvils with the suite and the bridge deployed by `tenge deploy` (home,
then the BNB side, then home again to register the remote), built once for the package; each test runs inside
its own snapshot on BOTH chains and ends with the conservation check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bridge_world import BNB, HOME, BridgeWorld, two_chain_world
from chain_helpers import rpc


@pytest.fixture(scope="package")
def bridge_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeWorld]:
    yield from two_chain_world(tmp_path_factory, "bridge")


@pytest.fixture
def world(bridge_base: BridgeWorld) -> Iterator[BridgeWorld]:
    """A fresh view of the world; both chains are rolled back afterwards."""
    snapshots = {c.name: rpc(c.w3, "evm_snapshot") for c in (bridge_base.home, bridge_base.bnb)}
    view = BridgeWorld(bridge_base.home, bridge_base.bnb, bridge_base.records, bridge_base.config)
    try:
        yield view
        view.assert_conserved()
    finally:  # rolled back even when the test or its conservation check failed: the next test starts clean
        for chain in (bridge_base.home, bridge_base.bnb):
            assert rpc(chain.w3, "evm_revert", [snapshots[chain.name]]), f"anvil failed to roll back {chain.name}"


@pytest.fixture
def records(bridge_base: BridgeWorld) -> Path:
    return bridge_base.records


__all__ = ["BNB", "HOME"]
