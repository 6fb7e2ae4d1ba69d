"""The [bridge] configuration: every mistake refused with the key at fault named, before anything is deployed;
and the deploy plan a network gets from it (home, remote, none)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bridge_world import BNB, BNB_CHAIN, HOME, VALIDATORS, BridgeWorld, deploy

from tenge.deploy.bridge_config import BridgeConfigError, parse_bridge_config
from tenge.deploy.bridge_steps import HOME_BRIDGE, REMOTE_BRIDGE
from tenge.deploy.plan import Call, DeployContract
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config

ADDRESSES = [v.address for v in VALIDATORS]
BUCKET = {"capacity": "1000.00", "refill_per_second": "1.00"}


def config(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "home": "ledger", "validators": ADDRESSES, "threshold": 3,
        "limits": {"inbound": dict(BUCKET), "outbound": dict(BUCKET)},
        "remotes": {"bsc-testnet": {"chain_id": 97}}, "roles": {"PAUSER_ROLE": ["deployer"]},
    }  # fmt: skip
    base.update(changes)
    return base


def test_a_valid_configuration() -> None:
    parsed = parse_bridge_config(config(remotes={"bsc-testnet": {"chain_id": 97, "limits": {"inbound": {"capacity": "5.00"}}}}))
    assert parsed.role_of("ledger") == "home" and parsed.role_of("bsc-testnet") == "remote" and parsed.role_of("bsc") is None
    remote = parsed.remote("bsc-testnet")
    assert remote.limits.inbound.capacity == Decimal("5.00") and remote.limits.inbound.refill_per_second == Decimal("1.00")
    assert remote.limits.outbound == parsed.limits.outbound
    assert parse_bridge_config({}).enabled is False


BAD: dict[str, tuple[dict[str, Any], str]] = {
    "threshold above the set": (config(threshold=6), "bridge.threshold is 6: it must be from 1 to the 5 validators"),
    "threshold zero": (config(threshold=0), "bridge.threshold is 0"),
    "no validators": (config(validators=[]), "bridge.validators is empty"),
    "repeated validator": (config(validators=[*ADDRESSES, ADDRESSES[1].lower()]), r"bridge.validators\[5\] repeats validators\[1\]"),
    "bad checksum": (config(validators=[ADDRESSES[0][:-1] + ("A" if ADDRESSES[0][-1] != "A" else "B")]), r"bridge.validators\[0\]:"),
    "not an address": (config(validators=["0x1234"]), r"bridge.validators\[0\]: '0x1234' is not an address"),
    "float amount": (config(limits={"inbound": {"capacity": 10.5, "refill_per_second": "1"}}), "write tenge as a string"),
    "three decimals": (config(limits={"inbound": {"capacity": "1.001", "refill_per_second": "1"}}), "bridge.limits.inbound.capacity: .*more than 2 decimals"),
    "zero capacity": (config(limits={"inbound": {"capacity": "0", "refill_per_second": "1"}}), "capacity is zero"),
    "missing bucket": (config(limits={"inbound": dict(BUCKET)}), "bridge.limits.outbound is missing: give its capacity and refill_per_second"),
    "unknown limit key": (config(limits={"inbound": {**BUCKET, "burst": "1"}, "outbound": BUCKET}), "unknown keys: burst"),
    "remote without chain id": (config(remotes={"bsc": {}}), "bridge.remotes.bsc.chain_id is missing"),
    "two remotes one chain": (config(remotes={"a": {"chain_id": 97}, "b": {"chain_id": 97}}), "like bridge.remotes.a"),
    "home as remote": (config(remotes={"ledger": {"chain_id": 7}}), "the home network cannot also be a remote"),
    "remote on the home chain": (config(home_chain_id=97), "has the home ledger's chain id 97"),
    "unknown role": (config(roles={"MINTER_ROLE": ["deployer"]}), "bridge.roles.MINTER_ROLE is not a bridge role"),
    "no remotes": (config(remotes={}), "bridge.remotes is empty"),
    "chain id zero": (config(remotes={"x": {"chain_id": 0}}), "bridge.remotes.x.chain_id is 0"),
    "queue delay zero": (config(queue_delay=0), "bridge.queue_delay is 0: it must be from 1 to 2592000"),
    "queue delay over 30 days": (config(queue_delay=2592001), "bridge.queue_delay is 2592001"),
    "queue delay as text": (config(queue_delay="1d"), "bridge.queue_delay must be a whole number"),
    "zero max transfer": (config(limits={"inbound": {**BUCKET, "max_transfer": "0"}, "outbound": BUCKET}),
                          "bridge.limits.inbound.max_transfer is zero"),
    "max transfer beyond a bucket": (config(limits={"inbound": {**BUCKET, "max_transfer": "800000000000000.00"}, "outbound": BUCKET}),
                                     r"bridge.limits.inbound.max_transfer is beyond what a bucket holds \(uint56 tiyn\)"),
}


def test_the_largest_single_transfer_and_the_queue_delay_are_deployed_when_configured() -> None:
    from tenge.deploy.bridge_steps import bridge_steps

    limits = {"inbound": {**BUCKET, "max_transfer": "250.00"}, "outbound": dict(BUCKET)}
    parsed = parse_bridge_config(config(limits=limits, queue_delay=3600, remotes={"bsc-testnet": {"chain_id": 97, "bridge": ADDRESSES[0]}}))
    assert parsed.queue_delay == 3600 and parsed.remote("bsc-testnet").limits.inbound.max_transfer == Decimal("250.00")
    steps = {s.key: s for s in bridge_steps(parsed, "ledger", ADDRESSES[1], 3) if isinstance(s, Call)}
    assert steps["bridge:max-transfer:97"].function == "setMaxTransfer" and steps["bridge:max-transfer:97"].args == (97, 25000, 0)
    assert steps["bridge:queue-delay"].args == (3600,)
    plain = {s.key for s in bridge_steps(parse_bridge_config(config()), "ledger", ADDRESSES[1], 3)}
    assert not {"bridge:max-transfer:97", "bridge:queue-delay"} & plain  # the contract's defaults: no call


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_configuration_is_refused_naming_the_key(case: str) -> None:
    table, message = BAD[case]
    with pytest.raises(BridgeConfigError, match=message):
        parse_bridge_config(table)


def test_each_network_gets_its_own_bridge_steps(world: BridgeWorld) -> None:
    deployer = world.address(0)
    home = suite_plan(load_suite_config(HOME), deployer, records=world.records)
    bnb = suite_plan(load_suite_config(BNB), deployer, chain_id=BNB_CHAIN, records=world.records)
    local = suite_plan(load_suite_config("local"), deployer)
    deployed = {p: {s.key for s in plan.steps if isinstance(s, DeployContract)} for p, plan in (("home", home), ("bnb", bnb), ("local", local))}
    assert HOME_BRIDGE in deployed["home"] and REMOTE_BRIDGE not in deployed["home"]
    assert REMOTE_BRIDGE in deployed["bnb"] and HOME_BRIDGE not in deployed["bnb"]
    assert not deployed["local"] & {HOME_BRIDGE, REMOTE_BRIDGE}
    # On the BNB side the bridge is the token's only reserve attestor.
    grants = [s for s in bnb.steps if isinstance(s, Call) and s.function == "grantRole" and s.target == "DigitalTenge"]
    assert [s.key for s in grants if "RESERVE_ATTESTOR_ROLE" in s.key] == [f"token:grant:RESERVE_ATTESTOR_ROLE:{REMOTE_BRIDGE}"]
    with pytest.raises(BridgeConfigError, match="the RPC serves chain id 31337"):
        suite_plan(load_suite_config(BNB), deployer, chain_id=31337, records=world.records)


def test_the_home_waits_for_its_remotes_and_a_remote_for_its_home(world: BridgeWorld, tmp_path: Path) -> None:
    plan = suite_plan(load_suite_config(HOME), world.address(0), records=tmp_path)
    assert plan.notes == [f"bridge: {BNB} (chain id {BNB_CHAIN}) is not registered yet: deploy it (`tenge deploy --network {BNB}`), then re-run this deploy"]
    assert not [s for s in plan.steps if s.key.startswith("bridge:peer:")]
    with pytest.raises(BridgeConfigError, match=f"the home bridge on '{HOME}' is not known: deploy it first"):
        suite_plan(load_suite_config(BNB), world.address(0), records=tmp_path)


def test_deploying_again_sends_nothing(world: BridgeWorld) -> None:
    for network in (HOME, BNB):
        again = deploy(network)
        assert again["transactions"] == 0 and {s["action"] for s in again["steps"]} == {"unchanged"}
        assert again["notes"] == []


def test_the_deployed_bridges_are_configured(world: BridgeWorld) -> None:
    from bridge_world import ADMIN, HOME_CHAIN, THRESHOLD

    home, bnb = world.bridge(HOME, ADMIN), world.bridge(BNB, ADMIN)
    assert home.remote_bridge(BNB_CHAIN) == bnb.address and bnb.remote_bridge(HOME_CHAIN) == home.address
    assert bnb.home_chain_id() == HOME_CHAIN
    for bridge in (home, bnb):
        assert bridge.validators() == sorted(ADDRESSES) and bridge.threshold() == THRESHOLD
    token = world.token(BNB)
    assert token.has_role("TOKEN_BRIDGE_ROLE", bnb.address) and token.has_role("RESERVE_ATTESTOR_ROLE", bnb.address)
    assert not token.has_role("RESERVE_ATTESTOR_ROLE", world.address(ADMIN))
    assert token.reserve().gating_enabled and not world.token(HOME).reserve().gating_enabled
    assert world.token(HOME).tier_of(home.address) == 3


def test_a_dry_run_of_a_fresh_home_deploys_the_bridge_on_a_fork_and_sends_nothing(
    world: BridgeWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from click.testing import CliRunner

    from tenge.cli.main import cli

    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(tmp_path))  # no record yet: everything is deployed (on the fork)
    before = (world.home.w3.eth.block_number, world.home.w3.eth.get_transaction_count(world.address(0)))
    result = CliRunner(mix_stderr=False).invoke(cli, ["deploy", "--network", HOME, "--dry-run", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    actions = {s["key"]: s["action"] for s in data["steps"]}
    assert actions[HOME_BRIDGE] == "deployed" and actions["bridge:validators"] == "called"
    assert actions[f"bridge:limits:{BNB_CHAIN}"] == "called" and f"bridge:peer:{BNB_CHAIN}" not in actions
    assert data["notes"] and "is not registered yet" in data["notes"][0]
    assert (world.home.w3.eth.block_number, world.home.w3.eth.get_transaction_count(world.address(0))) == before
    assert not list(tmp_path.glob("*.json")), "a dry run writes no record"


def test_a_changed_validator_set_in_the_configuration_is_scheduled_as_the_difference(world: BridgeWorld) -> None:
    import shutil

    from bridge_world import validator_key

    joiners = [validator_key(5).address, validator_key(6).address]
    saved_config, saved_records = world.config.read_text(), world.records.with_name("records-saved")
    shutil.copytree(world.records, saved_records)
    try:
        rotated = [*ADDRESSES[2:], *joiners]
        text = saved_config.replace(", ".join(f'"{a}"' for a in ADDRESSES), ", ".join(f'"{a}"' for a in rotated))
        world.config.write_text(text.replace("threshold = 3", "threshold = 4"))
        first = deploy(BNB)
        called = [s for s in first["steps"] if s["action"] == "called"]
        assert [s["key"].split(":")[:2] for s in called] == [["bridge", "validators"]] and first["transactions"] == 1
        bnb = world.bridge(BNB)
        # A configured set changes only after the governance delay: the deploy schedules the difference.
        pending = bnb.pending_validator_update()
        assert pending is not None and bnb.validators() == sorted(ADDRESSES) and bnb.threshold() == 3
        assert deploy(BNB)["transactions"] == 0  # scheduled once: a re-run sends nothing
        world.advance(BNB, bnb.validator_update_delay())
        world.bridge(BNB, 0).update_validators(remove=pending.removed, add=pending.added, threshold=pending.threshold)
        assert bnb.validators() == sorted(rotated) and bnb.threshold() == 4
        assert deploy(BNB)["transactions"] == 0
    finally:
        world.config.write_text(saved_config)
        shutil.rmtree(world.records)
        shutil.move(saved_records, world.records)
    assert deploy(HOME)["transactions"] == 0  # the home's own set was never touched


@pytest.fixture
def kept_records(world: BridgeWorld) -> Iterator[None]:
    """The test may deploy (the chains are rolled back afterwards): its records are put back as they were too."""
    import shutil

    saved = world.records.with_name("records-kept")
    shutil.copytree(world.records, saved)
    yield
    shutil.rmtree(world.records)
    shutil.move(saved, world.records)


def test_a_peer_changed_on_chain_is_reported_as_drift_and_repaired_on_request(world: BridgeWorld, kept_records: None) -> None:
    import json

    from bridge_world import ADMIN
    from click.testing import CliRunner

    from tenge.cli.main import cli

    home = world.bridge(HOME, ADMIN)
    peer = home.remote_bridge(BNB_CHAIN)
    home.set_remote_bridge(BNB_CHAIN, world.address(9))
    runner = CliRunner(mix_stderr=False)
    drift = runner.invoke(cli, ["deploy", "--network", HOME, "--json"])
    assert drift.exit_code != 0 and f"bridge:peer:{BNB_CHAIN}" in drift.stderr, drift.stderr
    assert home.remote_bridge(BNB_CHAIN) == world.address(9)  # reported, not applied
    repaired = runner.invoke(cli, ["deploy", "--network", HOME, "--apply-config", "--json"])
    assert repaired.exit_code == 0, repaired.stderr
    assert json.loads(repaired.stdout)["transactions"] == 1 and home.remote_bridge(BNB_CHAIN) == peer
