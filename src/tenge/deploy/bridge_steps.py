"""The bridge's part of the suite's deploy plan: the home bridge on the home ledger, a remote bridge on a
BNB-side chain, from the same ``[bridge]`` configuration.

Home: deploy ``TengeBridgeHome`` (its escrow is its own token balance, so the token puts it on the uncapped
business tier), validators and threshold, rate limits per remote chain, and the peer of every remote whose
bridge is known (from the configuration or the remote's deployment record: deploy the home, then the remote,
then re-run the home's deploy to register it). Remote: deploy ``TengeBridgeRemote``, give it the token's
TOKEN_BRIDGE_ROLE and RESERVE_ATTESTOR_ROLE (it is the only reserve attestor: the reserve is the home escrow,
attested by the validators), its home peer, validators, threshold and the lane's limits.

The deployer holds the bridge's setup roles while it configures it and renounces those the configuration did not
give it; DEFAULT_ADMIN_ROLE stays with the deployer (hand it over with the two-step admin transfer).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak

from tenge.addresses import checksum_address
from tenge.deploy.bridge_config import BridgeConfig, BridgeConfigError, LaneLimits
from tenge.deploy.plan import Call, Check, DeployContract, Ref, RoleId, Step
from tenge.deploy.record import DeploymentRecord

HOME_BRIDGE = "TengeBridgeHome"
REMOTE_BRIDGE = "TengeBridgeRemote"
TOKEN = "DigitalTenge"
VALIDATORS_STEP = "bridge:validators"
#: Roles the deployer needs while it configures a bridge.
SETUP_ROLES = ("VALIDATOR_MANAGER_ROLE", "RATE_LIMITER_ROLE")


def bridge_key(role: str) -> str:
    """The deployment-record key (and artifact) of the bridge of a network with ``role``."""
    return HOME_BRIDGE if role == "home" else REMOTE_BRIDGE


def bridge_steps(
    bridge: BridgeConfig,
    network: str,
    deployer: str,
    business_tier: int,
    *,
    chain_id: int | None = None,
    records: Path | None = None,
    notes: list[str] | None = None,
) -> list[Step]:
    """The steps for ``network``: none when it has no bridge role; ``notes`` collects what could not be done yet."""
    role = bridge.role_of(network)
    if role is None:
        return []
    notes = notes if notes is not None else []
    if role == "home":
        return _home(bridge, deployer, business_tier, records, notes)
    return _remote(bridge, network, deployer, chain_id, records)


def _home(bridge: BridgeConfig, deployer: str, business_tier: int, records: Path | None, notes: list[str]) -> list[Step]:
    steps: list[Step] = [
        DeployContract(HOME_BRIDGE, HOME_BRIDGE, (Ref(TOKEN), deployer, bridge.admin_transfer_delay)),
        # The escrow is the bridge's own balance: an approved account on the uncapped business tier.
        Call(f"token:tier:{HOME_BRIDGE}", TOKEN, "DigitalTenge", "setTier", (Ref(HOME_BRIDGE), business_tier)),
    ]
    steps += _setup(bridge, HOME_BRIDGE, deployer, DeploymentRecord.load(bridge.home, records))
    for remote in bridge.remotes:
        steps.append(_limits(HOME_BRIDGE, remote.chain_id, remote.limits))
        steps += _max_transfer(HOME_BRIDGE, remote.chain_id, remote.limits)
        peer = remote.bridge or _recorded(remote.network, REMOTE_BRIDGE, records)
        if peer is None:
            notes.append(
                f"bridge: {remote.network} (chain id {remote.chain_id}) is not registered yet: deploy it "
                f"(`tenge deploy --network {remote.network}`), then re-run this deploy"
            )
            continue
        steps.append(_peer(HOME_BRIDGE, remote.chain_id, peer))
    return steps + _finish(bridge, HOME_BRIDGE, deployer)


def _remote(bridge: BridgeConfig, network: str, deployer: str, chain_id: int | None, records: Path | None) -> list[Step]:
    remote = bridge.remote(network)
    if chain_id is not None and chain_id != remote.chain_id:
        raise BridgeConfigError(
            f"bridge.remotes.{network}.chain_id is {remote.chain_id} but the RPC serves chain id {chain_id}; "
            "refusing to deploy a bridge for the wrong chain"
        )
    home_record = DeploymentRecord.load(bridge.home, records)
    home_chain_id = bridge.home_chain_id or (home_record.chain_id if home_record else None)
    home_bridge = bridge.home_bridge or _recorded(bridge.home, HOME_BRIDGE, records)
    if home_chain_id is None or home_bridge is None:
        raise BridgeConfigError(
            f"bridge: the home bridge on {bridge.home!r} is not known: deploy it first (`tenge deploy --network "
            f"{bridge.home}`), or set bridge.home_chain_id and bridge.home_bridge"
        )
    steps: list[Step] = [
        DeployContract(REMOTE_BRIDGE, REMOTE_BRIDGE, (Ref(TOKEN), home_chain_id, deployer, bridge.admin_transfer_delay)),
        Call(f"token:grant:TOKEN_BRIDGE_ROLE:{REMOTE_BRIDGE}", TOKEN, "DigitalTenge", "grantRole",
             (RoleId("TOKEN_BRIDGE_ROLE"), Ref(REMOTE_BRIDGE))),
        Call(f"token:grant:RESERVE_ATTESTOR_ROLE:{REMOTE_BRIDGE}", TOKEN, "DigitalTenge", "grantRole",
             (RoleId("RESERVE_ATTESTOR_ROLE"), Ref(REMOTE_BRIDGE))),
    ]  # fmt: skip
    steps += _setup(bridge, REMOTE_BRIDGE, deployer, DeploymentRecord.load(network, records))
    steps.append(_limits(REMOTE_BRIDGE, home_chain_id, remote.limits))
    steps += _max_transfer(REMOTE_BRIDGE, home_chain_id, remote.limits)
    steps.append(_peer(REMOTE_BRIDGE, home_chain_id, home_bridge))
    return steps + _finish(bridge, REMOTE_BRIDGE, deployer)


def _setup(bridge: BridgeConfig, key: str, deployer: str, own_record: DeploymentRecord | None) -> list[Step]:
    steps: list[Step] = [
        Call(f"bridge:setup:grant:{role}", key, key, "grantRole", (RoleId(role), deployer)) for role in SETUP_ROLES
    ]
    for role in sorted(bridge.roles):
        for holder in bridge.roles[role]:
            address = _holder(holder, deployer)
            if role in SETUP_ROLES and address == deployer:
                continue  # already granted as a setup role above
            steps.append(Call(f"bridge:grant:{role}:{address}", key, key, "grantRole", (RoleId(role), address),
                              check=Check("hasRole", (RoleId(role), address), True, f"{role} of {address} on {key}")))  # fmt: skip
    steps.append(_validators(bridge, key, own_record))
    if bridge.queue_delay is not None:
        # DEFAULT_ADMIN_ROLE: the deployer holds it until it hands the admin over.
        check = Check("queueDelay", (), bridge.queue_delay, f"queue delay of {key}")
        steps.append(Call("bridge:queue-delay", key, key, "setQueueDelay", (bridge.queue_delay,), check=check))
    return steps


def _validators(bridge: BridgeConfig, key: str, record: DeploymentRecord | None) -> Call:
    """``updateValidators`` from the set the earlier deploys left (replayed from this network's record) to the
    configured one: the first deploy adds them all (at once: there is no set to protect yet); a changed
    configuration removes and adds the difference (a step of its own, so re-running it sends nothing) — which the
    bridge only schedules: it applies after the validator-update delay by ``tenge bridge validators update`` with
    the same change; an unchanged one is the first step, unchanged."""
    calls = sorted(_validator_calls(record), key=lambda item: item[0])
    current: set[str] = set()
    threshold = 0
    for _, call in calls:
        removed, added, threshold = call["args"]
        current = (current - set(removed)) | set(added)
    if not calls:
        return Call(VALIDATORS_STEP, key, key, "updateValidators", ([], list(bridge.validators), bridge.threshold))
    if current == set(bridge.validators) and threshold == bridge.threshold:
        return Call(VALIDATORS_STEP, key, key, "updateValidators", tuple(calls[0][1]["args"]))
    change = (sorted(current - set(bridge.validators)), [a for a in bridge.validators if a not in current], bridge.threshold)
    digest = keccak(text=repr((len(calls), change))).hex()[:12]
    return Call(f"{VALIDATORS_STEP}:{digest}", key, key, "updateValidators", change)


def _validator_calls(record: DeploymentRecord | None) -> list[tuple[int, dict[str, Any]]]:
    if record is None:
        return []
    return [
        (int(call.get("blockNumber", 0)), call)
        for name, call in record.calls.items()
        if name == VALIDATORS_STEP or name.startswith(VALIDATORS_STEP + ":")
    ]


def _peer(key: str, chain_id: int, peer: str) -> Call:
    peer = checksum_address(peer)
    check = Check("remoteBridge", (chain_id,), peer, f"peer bridge of chain {chain_id} on {key}")
    return Call(f"bridge:peer:{chain_id}", key, key, "setRemoteBridge", (chain_id, peer), check=check)


def _limits(key: str, chain_id: int, limits: LaneLimits) -> Call:
    values = (
        chain_id,
        limits.inbound.capacity_tiyn,
        limits.inbound.refill_tiyn,
        limits.outbound.capacity_tiyn,
        limits.outbound.refill_tiyn,
    )
    return Call(f"bridge:limits:{chain_id}", key, key, "setRateLimits", values)


def _max_transfer(key: str, chain_id: int, limits: LaneLimits) -> list[Step]:
    """``setMaxTransfer`` when the lane's configuration gives a largest single transfer (none by default)."""
    values = (limits.inbound.max_transfer_tiyn, limits.outbound.max_transfer_tiyn)
    if values == (0, 0):
        return []
    check = Check("maxTransfer", (chain_id, False), values[1], f"largest single outbound transfer to {chain_id}", amount=True)
    return [Call(f"bridge:max-transfer:{chain_id}", key, key, "setMaxTransfer", (chain_id, *values), check=check)]


def _finish(bridge: BridgeConfig, key: str, deployer: str) -> list[Step]:
    return [
        Call(f"bridge:setup:renounce:{role}", key, key, "renounceRole", (RoleId(role), deployer))
        for role in SETUP_ROLES
        if deployer not in [_holder(h, deployer) for h in bridge.roles.get(role, [])]
    ]


def _holder(holder: str, deployer: str) -> str:
    return deployer if holder == "deployer" else checksum_address(holder)


def _recorded(network: str, key: str, records: Path | None) -> str | None:
    record = DeploymentRecord.load(network, records)
    if record is None or key not in record.contracts:
        return None
    return record.address(key)
