"""Fixtures of the relayer tests: their own two anvils with the bridge deployed (built once for the package),
each test inside a snapshot of both chains, with five signing servers and the relayer processes it starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bridge_world import BNB, BNB_CHAIN, HOME, HOME_CHAIN, BridgeWorld, Chain, build_world, config_text, deploy
from chain_helpers import rpc
from relayer_world import RelayerWorld
from web3 import Web3

from tenge.toolchain.anvil import start_anvil


@pytest.fixture(scope="package")
def relayer_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeWorld]:
    folder = tmp_path_factory.mktemp("relayer-chains")
    records, config = folder / "deployments", folder / "tenge.toml"
    with start_anvil(chain_id=HOME_CHAIN) as home, start_anvil(chain_id=BNB_CHAIN) as bnb, pytest.MonkeyPatch.context() as env:
        config.write_text(config_text(home.rpc_url, bnb.rpc_url))
        env.setenv("TENGE_CONFIG", str(config))
        env.setenv("TENGE_DEPLOYMENTS_DIR", str(records))
        deploy(HOME)
        deploy(BNB)
        deploy(HOME)
        world = BridgeWorld(
            Chain(HOME, home, Web3(Web3.HTTPProvider(home.rpc_url))), Chain(BNB, bnb, Web3(Web3.HTTPProvider(bnb.rpc_url))), records, config
        )
        build_world(world)
        yield world


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
