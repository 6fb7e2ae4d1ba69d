"""The validator tests' world: the bridge test world of tests/bridge (two anvils, home 31337 and BNB side 97, the
suite and the bridge deployed by `tenge deploy`), with a confirmation depth of 3 on both chains and the BNB side
read at its node's `finalized` block (anvil: latest - 64), built once; each test runs in its own snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bridge_world import BridgeWorld, two_chain_world
from chain_helpers import rpc
from validator_fleet import ValidatorFleet
from validator_world import validator_config


@pytest.fixture(scope="package")
def validator_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeWorld]:
    yield from two_chain_world(tmp_path_factory, "validator", validator_config)


@pytest.fixture
def world(validator_base: BridgeWorld) -> Iterator[BridgeWorld]:
    snapshots = {c.name: rpc(c.w3, "evm_snapshot") for c in (validator_base.home, validator_base.bnb)}
    view = BridgeWorld(validator_base.home, validator_base.bnb, validator_base.records, validator_base.config)
    yield view
    for chain in (validator_base.home, validator_base.bnb):
        assert rpc(chain.w3, "evm_revert", [snapshots[chain.name]]), f"anvil failed to roll back {chain.name}"


@pytest.fixture
def fleets(world: BridgeWorld, tmp_path: Path) -> Iterator[list[ValidatorFleet]]:
    """Make fleets with ``ValidatorFleet(...)`` and append them here: every process is stopped at the end."""
    fleets: list[ValidatorFleet] = []
    yield fleets
    for fleet in fleets:
        fleet.stop_all()
