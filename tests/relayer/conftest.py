"""Fixtures of the relayer tests: their own two anvils with the bridge deployed (built once for the package),
each test inside a snapshot of both chains, with five signing servers and the relayer processes it starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bridge_world import BridgeWorld, two_chain_world
from chain_helpers import rpc
from relayer_world import RelayerWorld


@pytest.fixture(scope="package")
def relayer_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeWorld]:
    yield from two_chain_world(tmp_path_factory, "relayer-chains")


@pytest.fixture
def rworld(relayer_base: BridgeWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RelayerWorld]:
    monkeypatch.setenv("TENGE_CONFIG", str(relayer_base.config))
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(relayer_base.records))
    snapshots = {c.name: rpc(c.w3, "evm_snapshot") for c in (relayer_base.home, relayer_base.bnb)}
    view = BridgeWorld(relayer_base.home, relayer_base.bnb, relayer_base.records, relayer_base.config)
    world = RelayerWorld(view, tmp_path)
    try:
        yield world
    finally:
        world.stop_all()
    view.assert_conserved()
    for chain in (relayer_base.home, relayer_base.bnb):
        assert rpc(chain.w3, "evm_revert", [snapshots[chain.name]]), f"anvil failed to roll back {chain.name}"
