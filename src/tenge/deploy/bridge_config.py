"""The bridge's configuration: the ``[bridge]`` table of the suite configuration, validated.

Which network is the home ledger, the BNB-side chains (network name -> chain id), validators and
threshold, rate limits (capacity, refill per second and largest single transfer, in tenge), the queue delay an
oversized transfer waits (``queue_delay``, seconds; the contract's default is 24 hours) and role holders. Every mistake is
refused with the key at fault named, before anything is deployed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from tenge.addresses import checksum_address
from tenge.amounts import parse_tenge, to_tiyn
from tenge.errors import InvalidAddress, InvalidAmount, InvalidInput

BridgeRole = Literal["home", "remote"]
#: Role names a bridge contract knows (besides DEFAULT_ADMIN_ROLE, held by the deployer through the delay).
BRIDGE_ROLES = ("VALIDATOR_MANAGER_ROLE", "RATE_LIMITER_ROLE", "PAUSER_ROLE")
MAX_UINT64 = 2**64 - 1
#: Amounts the SDK refuses before encoding them (the bucket itself stores 56-bit amounts and a 48-bit refill rate,
#: and refuses more with RateLimitTooLarge).
MAX_UINT128 = 2**128 - 1
#: The bridge's default queue delay (seconds) and the longest it accepts (TengeBridgeBase.MAX_QUEUE_DELAY).
DEFAULT_QUEUE_DELAY = 24 * 3600
MAX_QUEUE_DELAY = 30 * 24 * 3600


class BridgeConfigError(InvalidInput):
    """The ``[bridge]`` configuration is incomplete or inconsistent."""


@dataclass(frozen=True)
class Bucket:
    """A refilling rate-limit bucket: up to ``capacity`` tenge, refilled at ``refill_per_second`` tenge/s; a single
    transfer over ``max_transfer`` (None: the capacity) waits the queue delay."""

    capacity: Decimal
    refill_per_second: Decimal
    max_transfer: Decimal | None = None

    @property
    def max_transfer_tiyn(self) -> int:
        return 0 if self.max_transfer is None else to_tiyn(self.max_transfer)

    @property
    def capacity_tiyn(self) -> int:
        return to_tiyn(self.capacity)

    @property
    def refill_tiyn(self) -> int:
        return to_tiyn(self.refill_per_second)


@dataclass(frozen=True)
class LaneLimits:
    inbound: Bucket
    outbound: Bucket


_UNUSED = LaneLimits(Bucket(Decimal("0.01"), Decimal("0.00")), Bucket(Decimal("0.01"), Decimal("0.00")))


@dataclass(frozen=True)
class RemoteChain:
    network: str
    chain_id: int
    limits: LaneLimits
    #: The remote bridge's address when given in the configuration (else read from its deployment record).
    bridge: str | None = None


@dataclass(frozen=True)
class BridgeConfig:
    home: str
    home_chain_id: int | None
    #: The home bridge's address when given in the configuration (else read from the home's deployment record).
    home_bridge: str | None
    admin_transfer_delay: int
    validators: tuple[str, ...]
    threshold: int
    limits: LaneLimits
    roles: dict[str, list[str]]
    remotes: tuple[RemoteChain, ...]
    #: Seconds a queued oversized transfer waits; None: the contract's default (24 hours), no call sent.
    queue_delay: int | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.home)

    def role_of(self, network: str) -> BridgeRole | None:
        """``home``, ``remote`` or None (no bridge on ``network``)."""
        if not self.enabled:
            return None
        if network == self.home:
            return "home"
        return "remote" if any(r.network == network for r in self.remotes) else None

    def remote(self, network: str) -> RemoteChain:
        for remote in self.remotes:
            if remote.network == network:
                return remote
        raise BridgeConfigError(f"bridge: {network!r} is not one of bridge.remotes ({', '.join(self.remote_names())})")

    def remote_names(self) -> list[str]:
        return [r.network for r in self.remotes]

    def check_ready(self) -> None:
        """Refuse a configuration that names a home but could not run a bridge."""
        if not self.validators:
            raise BridgeConfigError("bridge.validators is empty: list the validator addresses (at least `threshold`)")
        if not 1 <= self.threshold <= len(self.validators):
            raise BridgeConfigError(
                f"bridge.threshold is {self.threshold}: it must be from 1 to the {len(self.validators)} validators"
            )
        if not self.remotes:
            raise BridgeConfigError("bridge.remotes is empty: name at least one BNB-side network and its chain id")


def parse_bridge_config(table: dict[str, Any]) -> BridgeConfig:
    """A :class:`BridgeConfig` from the merged ``[bridge]`` table; :class:`BridgeConfigError` names the bad key."""
    home = _text(table.get("home", ""), "bridge.home")
    # Without a home no bridge is deployed: limits may be left out then.
    limits = _lane(table.get("limits"), "bridge.limits", None if home or "limits" in table else _UNUSED)
    remotes = tuple(
        _remote(str(name), entry, limits) for name, entry in sorted(_table(table.get("remotes", {}), "bridge.remotes").items())
    )
    config = BridgeConfig(
        home=home,
        home_chain_id=_int(table.get("home_chain_id", 0), "bridge.home_chain_id", 0, MAX_UINT64) or None,
        home_bridge=_address(table["home_bridge"], "bridge.home_bridge") if table.get("home_bridge") else None,
        admin_transfer_delay=_int(table.get("admin_transfer_delay", 172800), "bridge.admin_transfer_delay", 0, 2**48 - 1),
        validators=_validators(table.get("validators", [])),
        threshold=_int(table.get("threshold", 0), "bridge.threshold", 0, 255),
        limits=limits,
        roles=_roles(table.get("roles", {})),
        remotes=remotes,
        queue_delay=_int(table["queue_delay"], "bridge.queue_delay", 1, MAX_QUEUE_DELAY) if "queue_delay" in table else None,
    )
    _check_remotes(config)
    if config.enabled:
        config.check_ready()
    return config


# --- parts ---------------------------------------------------------------------------------------------


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BridgeConfigError(f"{key} must be a table, not {value!r}")
    return value


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise BridgeConfigError(f"{key} must be a string, not {value!r}")
    return value.strip()


def _int(value: Any, key: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BridgeConfigError(f"{key} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise BridgeConfigError(f"{key} is {value}: it must be from {low} to {high}")
    return value


def _address(value: Any, key: str) -> str:
    try:
        return checksum_address(str(value))
    except InvalidAddress as exc:
        raise BridgeConfigError(f"{key}: {exc}") from None


def _validators(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise BridgeConfigError(f"bridge.validators must be a list of addresses, not {value!r}")
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        address = _address(item, f"bridge.validators[{index}]")
        if address in seen:
            raise BridgeConfigError(f"bridge.validators[{index}] repeats validators[{seen[address]}] ({address})")
        if int(address, 16) == 0:
            raise BridgeConfigError(f"bridge.validators[{index}] is the zero address")
        seen[address] = index
    return tuple(seen)


def _roles(value: Any) -> dict[str, list[str]]:
    roles = _table(value, "bridge.roles")
    parsed: dict[str, list[str]] = {}
    for name, holders in roles.items():
        if name not in BRIDGE_ROLES:
            raise BridgeConfigError(f"bridge.roles.{name} is not a bridge role; roles are: {', '.join(BRIDGE_ROLES)}")
        if not isinstance(holders, list):
            raise BridgeConfigError(f"bridge.roles.{name} must be a list of addresses or \"deployer\"")
        parsed[name] = [h if h == "deployer" else _address(h, f"bridge.roles.{name}") for h in holders]
    return parsed


def _bucket(value: Any, key: str, default: Bucket | None) -> Bucket:
    if value is None and default is not None:
        return default
    if value is None:
        raise BridgeConfigError(f"{key} is missing: give its capacity and refill_per_second (tenge)")
    entry = _table(value, key)
    unknown = set(entry) - {"capacity", "refill_per_second", "max_transfer"}
    if unknown:
        raise BridgeConfigError(
            f"{key} has unknown keys: {', '.join(sorted(unknown))} (capacity, refill_per_second, max_transfer)"
        )
    amounts: dict[str, Decimal] = {}
    for name in ("capacity", "refill_per_second", "max_transfer"):
        if name in entry:
            raw = entry[name]
        elif default is not None and getattr(default, name) is not None:
            raw = str(getattr(default, name))
        elif name == "max_transfer":
            continue
        else:
            raise BridgeConfigError(f"{key}.{name} is missing (tenge, as a string such as \"1000.00\")")
        if isinstance(raw, float):
            raise BridgeConfigError(f"{key}.{name}: write tenge as a string (\"{raw}\"), not a float")
        try:
            amounts[name] = parse_tenge(raw)
        except InvalidAmount as exc:
            raise BridgeConfigError(f"{key}.{name}: {exc}") from None
        bits = 48 if name == "refill_per_second" else 56
        if to_tiyn(amounts[name]) > 2**bits - 1:
            raise BridgeConfigError(f"{key}.{name} is beyond what a bucket holds (uint{bits} tiyn)")
    if amounts["capacity"] == 0:
        raise BridgeConfigError(f"{key}.capacity is zero: nothing could ever cross (pause the bridge instead)")
    if amounts.get("max_transfer") == 0:
        raise BridgeConfigError(f"{key}.max_transfer is zero: leave it out for no maximum besides the capacity")
    return Bucket(amounts["capacity"], amounts["refill_per_second"], amounts.get("max_transfer"))


def _lane(value: Any, key: str, default: LaneLimits | None) -> LaneLimits:
    if value is None and default is not None:
        return default
    entry = _table(value if value is not None else {}, key)
    unknown = set(entry) - {"inbound", "outbound"}
    if unknown:
        raise BridgeConfigError(f"{key} has unknown keys: {', '.join(sorted(unknown))} (inbound, outbound)")
    return LaneLimits(
        inbound=_bucket(entry.get("inbound"), f"{key}.inbound", default.inbound if default else None),
        outbound=_bucket(entry.get("outbound"), f"{key}.outbound", default.outbound if default else None),
    )


def _remote(name: str, value: Any, limits: LaneLimits) -> RemoteChain:
    key = f"bridge.remotes.{name}"
    entry = _table(value, key)
    unknown = set(entry) - {"chain_id", "limits", "bridge"}
    if unknown:
        raise BridgeConfigError(f"{key} has unknown keys: {', '.join(sorted(unknown))} (chain_id, limits, bridge)")
    if "chain_id" not in entry:
        raise BridgeConfigError(f"{key}.chain_id is missing")
    bridge = entry.get("bridge")
    return RemoteChain(
        network=name,
        chain_id=_int(entry["chain_id"], f"{key}.chain_id", 1, MAX_UINT64),
        limits=_lane(entry.get("limits"), f"{key}.limits", limits),
        bridge=_address(bridge, f"{key}.bridge") if bridge else None,
    )


def _check_remotes(config: BridgeConfig) -> None:
    seen: dict[int, str] = {}
    for remote in config.remotes:
        if remote.network == config.home:
            raise BridgeConfigError(f"bridge.remotes.{remote.network}: the home network cannot also be a remote")
        if remote.chain_id in seen:
            raise BridgeConfigError(
                f"bridge.remotes.{remote.network} has chain id {remote.chain_id}, like bridge.remotes.{seen[remote.chain_id]}"
            )
        if config.home_chain_id is not None and remote.chain_id == config.home_chain_id:
            raise BridgeConfigError(f"bridge.remotes.{remote.network} has the home ledger's chain id {remote.chain_id}")
        seen[remote.chain_id] = remote.network
