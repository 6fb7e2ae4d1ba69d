"""The suite's configuration: packaged defaults, deep-merged with the user's ``[suite]`` table.

Per-network differences live under ``network.<name>`` (in the defaults) or ``[suite.network.<name>]``
(in the user's config) and are merged last.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tenge import paths
from tenge.amounts import MAX_TIYN, to_tiyn
from tenge.chain.networks import load_config
from tenge.deploy.bridge_config import BridgeConfig, parse_bridge_config
from tenge.config import config_file
from tenge.errors import ConfigError, InvalidInput

UNLIMITED = "unlimited"


@dataclass(frozen=True)
class SuiteConfig:
    name: str
    symbol: str
    currency: str
    admin_transfer_delay: int
    reserve_gated: bool
    max_attestation_age: int
    business_tier: int
    #: tier -> cap in tiyn (MAX_TIYN for uncapped)
    tier_caps_tiyn: dict[int, int]
    #: role name -> holders ("deployer" or an address)
    roles: dict[str, list[str]]
    vat: "VatConfig"
    raw: dict[str, Any]
    #: the network this configuration was loaded for, and the bridge's part of it
    network: str = ""
    bridge: BridgeConfig = field(default_factory=lambda: parse_bridge_config({}))


@dataclass(frozen=True)
class VatCategory:
    category: int
    label: str
    #: (rate in basis points, effective from unix seconds), in order
    schedule: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class VatConfig:
    admin_transfer_delay: int
    treasury: str
    reserve_tiyn: int
    roles: dict[str, list[str]]
    categories: tuple[VatCategory, ...]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def load_suite_config(network: str) -> SuiteConfig:
    defaults = tomllib.loads((paths.PACKAGE_DIR / "defaults" / "suite.toml").read_text())
    user = load_config().get("suite", {})
    merged = _merge(defaults, user)
    per_network = _merge(defaults.get("network", {}).get(network, {}), user.get("network", {}).get(network, {}))
    merged = _merge(merged, per_network)
    try:
        token = merged["token"]
        caps = {int(tier): _tier_cap(str(tier), cap) for tier, cap in token["tier_caps"].items()}
        return SuiteConfig(
            name=merged["currency"]["name"],
            symbol=merged["currency"]["symbol"],
            currency=merged["currency"]["code"],
            admin_transfer_delay=int(token["admin_transfer_delay"]),
            reserve_gated=bool(token["reserve_gated"]),
            max_attestation_age=int(token["max_attestation_age"]),
            business_tier=int(token["business_tier"]),
            tier_caps_tiyn=caps,
            roles={role: list(holders) for role, holders in merged["roles"].items()},
            vat=_vat_config(merged["vat"]),
            raw=merged,
            network=network,
            bridge=parse_bridge_config(merged.get("bridge", {})),
        )
    except InvalidInput:
        raise
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"suite configuration is invalid: {exc}") from None


def _tier_cap(tier: str, cap: Any) -> int:
    """A tier cap in tiyn; a bad one is refused naming the configuration file and key."""
    if str(cap) == UNLIMITED:
        return MAX_TIYN
    try:
        if isinstance(cap, (bool, float)):
            raise InvalidInput(f"give it as a string of tenge, not {type(cap).__name__}")
        return to_tiyn(str(cap))
    except InvalidInput as exc:
        source = config_file() or paths.PACKAGE_DIR / "defaults" / "suite.toml"
        raise ConfigError(f"{source}: suite.token.tier_caps.{tier} = {cap!r} is not a cap in tenge ({exc}); "
                          f"give an amount >= 0 or {UNLIMITED!r}") from None


def _vat_config(vat: dict[str, Any]) -> VatConfig:
    categories = tuple(
        VatCategory(int(cid), str(entry["label"]), tuple((int(bps), int(ts)) for bps, ts in entry["schedule"]))
        for cid, entry in sorted(vat["categories"].items(), key=lambda item: int(item[0]))
    )
    return VatConfig(
        admin_transfer_delay=int(vat["admin_transfer_delay"]),
        treasury=str(vat["treasury"]),
        reserve_tiyn=to_tiyn(Decimal(str(vat["reserve"]))),
        roles={role: list(holders) for role, holders in vat["roles"].items()},
        categories=categories,
    )
