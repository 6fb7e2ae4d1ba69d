"""Helpers of the validator tests (imported by name): the world's configuration, fleets, mining."""

from __future__ import annotations

from pathlib import Path

from bridge_world import BNB, HOME, VALIDATORS, BridgeWorld, config_text
from chain_helpers import rpc
from validator_fleet import ValidatorFleet
from web3 import Web3

CONFIRMATIONS = 3


def validator_config(home_url: str, bnb_url: str) -> str:
    """The bridge world's configuration; validators wait for CONFIRMATIONS blocks on both chains (the networks keep
    1, so the test's own transactions do not wait) and, on the BNB side, for the node's `finalized` block."""
    depth = f'[validator.confirmations]\n"{HOME}" = {CONFIRMATIONS}\n"{BNB}" = {CONFIRMATIONS}\n'
    return config_text(home_url, bnb_url) + f'\n[validator.finalized_tag]\n"{BNB}" = true\n\n' + depth


def make_fleet(fleets: list[ValidatorFleet], world: BridgeWorld, folder: Path, count: int, **options: object) -> ValidatorFleet:
    fleet = ValidatorFleet(folder, world.config, world.records, VALIDATORS[:count], **options)  # type: ignore[arg-type]
    fleets.append(fleet)
    return fleet


def mine(w3: Web3, blocks: int) -> int:
    """Mine ``blocks`` empty blocks without moving the clock (anvil_mine's default adds 1 s per block, which would
    put this chain's time ahead of the other's); the new latest block number."""
    rpc(w3, "anvil_mine", [blocks, 0])
    return int(w3.eth.block_number)


def align_clocks(world: BridgeWorld) -> None:
    """Bring the BNB side's clock up to the home chain's: the test world's home anvil runs ahead of real time
    (every block of the deployment took at least a second), and the BNB-side token refuses an escrow attestation
    whose home timestamp is later than its own block time (InvalidAttestationTime)."""
    home = int(world.home.w3.eth.get_block("latest")["timestamp"])
    bnb = int(world.bnb.w3.eth.get_block("latest")["timestamp"])
    if home >= bnb:
        rpc(world.bnb.w3, "evm_increaseTime", [home - bnb + 1])
        rpc(world.bnb.w3, "evm_mine")
