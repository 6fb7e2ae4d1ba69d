"""Chain faults with REAL processes: five `tenge bridge validator run` processes (3 of 5) and the relayer process on
two anvils of their own (each with anvil's `--state` file, so it can be stopped and restarted where it was).

1. An RPC outage of either chain while transfers are in flight: the anvil is stopped (it dumps its state), stays
   down a seeded while with the services running, and restarts from its state on the same port; every transfer is
   then delivered by exactly one deliver transaction (counted on chain) and conservation holds.
2. A reorg on the source before finality (anvil snapshot/revert): the removed transfer is never signed, submitted
   or minted; its replacement at the same outbound nonce is delivered once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path

import pytest
from bridge_world import (
    ALICE, BNB, BNB_CHAIN, BOB, CAROL, HOME, HOME_CHAIN, VALIDATORS, BridgeWorld, Chain, build_world, config_text, deploy,
)  # fmt: skip
from chain_helpers import rpc
from relayer_world import RelayerWorld
from test_relayer_faults import all_done
from test_relayer_flow import send
from validator_fleet import ValidatorFleet
from validator_world import align_clocks, mine
from web3 import Web3

from tenge.bridge.attestations import Attestation
from tenge.toolchain.anvil import Devnet, start_anvil

HOME_DEPTH = 3  # home transfers are final 3 blocks deep: room for a reorg before finality


def fault_config(home_url: str, bnb_url: str) -> str:
    return config_text(home_url, bnb_url) + f'\n[validator.confirmations]\n"{HOME}" = {HOME_DEPTH}\n"{BNB}" = 1\n'


def _port_open(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Outages:
    """Stops a chain's anvil (waiting until it has dumped its state and let go of the port) and restarts it."""

    def __init__(self, world: BridgeWorld, states: dict[str, Path], stack: ExitStack) -> None:
        self.world, self.states, self.stack = world, states, stack

    def stop(self, name: str) -> None:
        chain = self.world.chain(name)
        state = self.states[name]
        state.unlink(missing_ok=True)
        chain.devnet.stop()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if not _port_open(chain.devnet.info.port) and state.exists() and state.stat().st_size > 0:
                return
            time.sleep(0.1)
        pytest.fail(f"anvil of {name} did not dump its state and release its port")

    def restart(self, name: str) -> None:
        chain = self.world.chain(name)
        info = chain.devnet.info
        devnet: Devnet = self.stack.enter_context(start_anvil(port=info.port, chain_id=info.chain_id, state_file=self.states[name]))
        chain.devnet = devnet


@pytest.fixture(scope="module")
def chain_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BridgeWorld, Outages, Path]]:
    folder = tmp_path_factory.mktemp("relayer-chain-faults")
    records, config_file = folder / "deployments", folder / "tenge.toml"
    states = {HOME: folder / "home-state.json", BNB: folder / "bnb-state.json"}
    with ExitStack() as stack, pytest.MonkeyPatch.context() as env:
        home = stack.enter_context(start_anvil(chain_id=HOME_CHAIN, state_file=states[HOME]))
        bnb = stack.enter_context(start_anvil(chain_id=BNB_CHAIN, state_file=states[BNB]))
        config_file.write_text(fault_config(home.rpc_url, bnb.rpc_url))
        env.setenv("TENGE_CONFIG", str(config_file))
        env.setenv("TENGE_DEPLOYMENTS_DIR", str(records))
        deploy(HOME)
        deploy(BNB)
        deploy(HOME)
        world = BridgeWorld(
            Chain(HOME, home, Web3(Web3.HTTPProvider(home.rpc_url))),
            Chain(BNB, bnb, Web3(Web3.HTTPProvider(bnb.rpc_url))),
            records,
            config_file,
        )
        build_world(world)
        yield world, Outages(world, states, stack), folder


@pytest.fixture(scope="module")
def chain_fleet(chain_world: tuple[BridgeWorld, Outages, Path]) -> Iterator[ValidatorFleet]:
    world, _, folder = chain_world
    fleet = ValidatorFleet(folder / "validators", world.config, world.records, VALIDATORS)
    fleet.start_all()
    try:
        yield fleet
    finally:
        fleet.stop_all()


@pytest.fixture
def cworld(chain_world: tuple[BridgeWorld, Outages, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RelayerWorld]:
    world = chain_world[0]
    monkeypatch.setenv("TENGE_CONFIG", str(world.config))
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.records))
    world.transfers.clear()
    world._clients.clear()
    rw = RelayerWorld(world, tmp_path)
    try:
        yield rw
    finally:
        rw.stop_all()
    world._clients.clear()
    world.assert_conserved()


def _wait_started(cworld: RelayerWorld) -> None:
    """The outage must hit a running relayer (one that cannot reach a chain at start-up refuses to start)."""
    deadline = time.monotonic() + 30
    while "relayer started" not in cworld.relayers[-1].log.read_text():
        assert cworld.relayers[-1].alive() and time.monotonic() < deadline, cworld.relayers[-1].log.read_text()[-2000:]
        time.sleep(0.1)


def _starts(world: BridgeWorld) -> tuple[int, int]:
    return int(world.home.w3.eth.block_number) + 1, int(world.bnb.w3.eth.block_number) + 1


def test_a_reorg_before_finality_removes_a_transfer_nothing_minted_replacement_delivered_once(
    cworld: RelayerWorld, chain_fleet: ValidatorFleet
) -> None:
    world = cworld.bridge
    home_start, bnb_start = _starts(world)
    cworld.relayer("r1", 4, f"sqlite:///{cworld.tmp / 'relayer.sqlite'}", *[a for u in chain_fleet.urls for a in ("--validator", u)])
    supply_before = world.token(BNB).total_supply()
    snapshot = rpc(world.home.w3, "evm_snapshot")
    send(cworld, HOME, ALICE, BOB, "41.17")  # the transfer the reorg removes
    removed = world.transfers.pop()
    # no block on top: the send (and its approval, one block before) stay short of HOME_DEPTH confirmations
    time.sleep(3.0)  # validators and relayer keep polling: the transfer is seen, not final, so not signed
    assert all(v.get(f"/v1/transfers/{removed.id_hex}")[0] == 404 for v in chain_fleet.validators)
    assert rpc(world.home.w3, "evm_revert", [snapshot]), "anvil failed to revert"  # the reorg
    world._clients.clear()  # forget local nonces of the removed history
    send(cworld, HOME, ALICE, CAROL, "7.03")  # the replacement, at the same outbound nonce (so the same id)
    replacement = world.transfers[-1]
    assert replacement.nonce == removed.nonce and (replacement.recipient, replacement.amount) != (removed.recipient, removed.amount)
    bob, carol = world.balance(BNB, BOB), world.balance(BNB, CAROL)
    mine(world.home.w3, HOME_DEPTH)
    align_clocks(world)
    state = cworld.wait_for(all_done, 60, "the replacement delivered")
    assert state == {replacement.id_hex: "delivered"}
    calls = cworld.deliver_calls(BNB_CHAIN, bnb_start) + cworld.deliver_calls(HOME_CHAIN, home_start)
    assert dict(calls) == {replacement.id_hex: 1}, f"deliveries: {dict(calls)}"
    # what was signed and minted is the replacement, never the removed transfer
    signed = 0
    for v in chain_fleet.validators:
        status, body = v.get(f"/v1/transfers/{replacement.id_hex}")
        if status == 200:
            signed += 1
            assert Attestation.from_dict(body).subject == replacement, f"validator {v.index} signed the removed transfer"
    assert signed >= 3, f"only {signed} validators serve the replacement's signature"
    assert world.balance(BNB, BOB) == bob, "something was minted for the removed transfer"
    assert world.balance(BNB, CAROL) == carol + replacement.amount
    assert world.token(BNB).total_supply() == supply_before + replacement.amount
    world.assert_conserved()


def test_an_rpc_outage_of_either_chain_mid_stream_catches_up_without_doubles(
    cworld: RelayerWorld, chain_fleet: ValidatorFleet, chain_world: tuple[BridgeWorld, Outages, Path]
) -> None:
    rng = random.Random(9710)
    world, outages = cworld.bridge, chain_world[1]
    home_start, bnb_start = _starts(world)
    cworld.relayer("r1", 4, f"sqlite:///{cworld.tmp / 'relayer.sqlite'}", *[a for u in chain_fleet.urls for a in ("--validator", u)])
    _wait_started(cworld)

    # home -> BNB: a first batch under way, then the BNB side (the destination) goes away at a random moment;
    # a second batch becomes final at home and is signed while it is down (surely in flight), then it comes back
    def batch(count: int) -> None:
        for _ in range(count):
            send(cworld, HOME, ALICE, rng.choice([BOB, CAROL]), f"{rng.randint(1, 60)}.{rng.randint(0, 99):02d}")

    batch(5)
    mine(world.home.w3, HOME_DEPTH)
    align_clocks(world)
    time.sleep(rng.uniform(0.2, 1.5))
    outages.stop(BNB)
    batch(5)
    mine(world.home.w3, HOME_DEPTH)
    time.sleep(rng.uniform(2.0, 4.0))
    outages.restart(BNB)
    align_clocks(world)
    cworld.wait_for(all_done, 60, "home -> BNB after an outage of the BNB side")

    # BNB -> home: one transfer per holder under way, the home chain (destination here, source of the escrow
    # figures) goes away at a random moment, one more per holder is sent while it is down, then it comes back
    holders = [h for h in (BOB, CAROL) if world.balance(BNB, h) > 0]
    for holder in holders:
        send(cworld, BNB, holder, ALICE, str((world.balance(BNB, holder) / 3).quantize(Decimal("0.01"))))
    time.sleep(rng.uniform(0.2, 1.0))
    outages.stop(HOME)
    for holder in holders:
        send(cworld, BNB, holder, ALICE, str((world.balance(BNB, holder) / 4).quantize(Decimal("0.01"))))
    time.sleep(rng.uniform(2.0, 4.0))
    outages.restart(HOME)
    state = cworld.wait_for(all_done, 60, "BNB -> home after an outage of the home chain")

    assert len(state) == 10 + 2 * len(holders) and holders
    log = cworld.relayers[0].log.read_text()
    assert '"msg": "chain error"' in log, "the outages never reached the relayer"
    assert set(state.values()) == {"delivered"}
    calls = cworld.deliver_calls(BNB_CHAIN, bnb_start) + cworld.deliver_calls(HOME_CHAIN, home_start)
    assert set(calls) == {t.id_hex for t in world.transfers}, "a transfer was never submitted"
    assert max(calls.values()) == 1, f"submitted twice: {calls.most_common(3)}"
    assert all(v.alive() for v in chain_fleet.validators), "a validator died in the outage"
    assert all(r.alive() for r in cworld.relayers), "the relayer died in the outage"
    world.assert_conserved()
