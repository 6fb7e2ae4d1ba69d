"""The suite's configuration: packaged defaults, deep-merged with the user's ``[suite]`` table.

Per-network differences live under ``network.<name>`` (in the defaults) or ``[suite.network.<name>]``
(in the user's config) and are merged last.

More currencies (e.g. the digital som beside the tenge) are ``[suite.currencies.<CODE>]`` tables: each is the
``[suite]`` table deep-merged with its own overrides (its ``currency``, ``bridge``, roles, VAT ...; the bridge is
its own, never inherited from the tenge's) and per network ``[suite.currencies.<CODE>.network.<name>]``. A
network's own currency is the one whose ``bridge.home`` it is (else the ``[suite]`` table's); a currency bridged to
a network that is not its home (its BNB side) is deployed there too, its record keys prefixed ``<CODE>:`` — the
network ``bsc:KGS`` (see :mod:`tenge.deploy.record`).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tenge import paths
from tenge.amounts import MAX_TIYN, to_tiyn
from tenge.chain.networks import load_config
from tenge.deploy.bridge_config import BridgeConfig, parse_bridge_config
from tenge.deploy.record import split_network
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


def _tables() -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, Any]]]:
    """(packaged defaults, the user's [suite] without its currencies, the currency tables by code)."""
    defaults = tomllib.loads((paths.PACKAGE_DIR / "defaults" / "suite.toml").read_text())
    user = dict(load_config().get("suite", {}))
    currencies = user.pop("currencies", {})
    return defaults, user, {str(code): dict(table) for code, table in currencies.items()}


def home_currency(network: str) -> str | None:
    """The code of the ``[suite.currencies]`` currency whose home ledger ``network`` is; None: the ``[suite]``'s."""
    _, _, currencies = _tables()
    base = split_network(network)[0]
    homes = [code for code, table in currencies.items() if table.get("bridge", {}).get("home") == base]
    return homes[0] if homes else None


def bridged_currencies(network: str) -> list[SuiteConfig]:
    """The configurations of the currencies bridged to ``network`` besides its own (its BNB-side guests), each
    loaded for ``"<network>:<CODE>"``: the currencies whose bridge has ``network`` as a remote."""
    defaults, user, currencies = _tables()
    own = home_currency(network)
    base_code = str(_merge(defaults, user)["currency"]["code"])
    guests = []
    for code in [base_code, *sorted(currencies)]:
        if code == (own or base_code):
            continue
        config = load_suite_config(f"{network}:{code}")
        if config.bridge.role_of(config.network) == "remote":
            guests.append(config)
    return guests


def load_suite_config(network: str) -> SuiteConfig:
    """The configuration of ``network``'s own currency, or of ``"<network>:<CODE>"``: currency CODE there."""
    defaults, user, currencies = _tables()
    base_merged = _merge(defaults, user)
    base_code = str(base_merged["currency"]["code"])
    net, code = split_network(network)
    if code == base_code:
        code = None
    elif code is None:
        code = home_currency(net)
    if code is not None and code not in currencies:
        known = ", ".join([base_code, *sorted(currencies)])
        raise InvalidInput(f"network {network!r}: no currency {code!r} is configured ([suite.currencies.{code}]); "
                           f"configured: {known}")  # fmt: skip
    if code is None:
        merged = base_merged
        per_network = _merge(defaults.get("network", {}).get(net, {}), user.get("network", {}).get(net, {}))
    else:
        table = currencies[code]
        inherited = {k: v for k, v in base_merged.items() if k not in ("bridge", "network")}
        merged = _merge(_merge(inherited, {"bridge": defaults["bridge"]}), {k: v for k, v in table.items() if k != "network"})
        per_network = table.get("network", {}).get(net, {})
        if merged["currency"].get("code") != code:
            raise InvalidInput(f"suite.currencies.{code}.currency.code is {merged['currency'].get('code')!r}: it must "
                               f"be {code!r}, the table's name")  # fmt: skip
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
            network=net if code == home_currency(net) else f"{net}:{code or base_code}",
            bridge=_qualified(parse_bridge_config(merged.get("bridge", {})), code or base_code, base_code),
        )
    except InvalidInput:
        raise
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"suite configuration is invalid: {exc}") from None


def _qualified(bridge: BridgeConfig, code: str, base_code: str) -> BridgeConfig:
    """The bridge of currency ``code`` with its networks named as that currency sees them: a network whose own
    currency is another one becomes ``"<network>:<code>"`` (where that currency's contracts are prefixed)."""
    if not bridge.enabled:
        return bridge

    def name(network: str) -> str:
        return network if (home_currency(network) or base_code) == code else f"{network}:{code}"

    remotes = tuple(dataclasses.replace(r, network=name(r.network)) for r in bridge.remotes)
    return dataclasses.replace(bridge, home=name(bridge.home), remotes=remotes)


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
