"""The configuration file: found, parsed and checked against a schema before any value is used.

Which file (the first that exists): ``$TENGE_CONFIG``, else ``./tenge.toml``, else the user config file
``<user config dir>/config.toml`` (``$TENGE_HOME/config.toml``, default ``~/.config/tenge/config.toml``).

Tables: ``[networks.<name>]`` (see :mod:`tenge.chain.networks`), ``[suite]`` (what ``tenge deploy``
deploys; defaults in ``tenge/defaults/suite.toml``) and ``[display]`` (``timezone``: the IANA time zone of
the dates the CLI prints, default UTC). Every value is type-checked (pydantic, strict: a
chain id written as ``"97"`` is refused, not coerced), unknown keys are refused, and every error names
the file and the key. No file may mark a public network (a built-in one, or a chain id of one) local.
"""

from __future__ import annotations

import os
import tomllib
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError, field_validator

from tenge import paths
from tenge.errors import ConfigError

CONFIG_ENV = "TENGE_CONFIG"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class NetworkTable(_Strict):
    """``[networks.<name>]``: every key optional; a new name adds a network."""

    rpc_url: StrictStr | None = None
    chain_id: StrictInt | None = Field(default=None, gt=0)
    fee_model: Literal["legacy", "eip1559"] | None = None
    confirmations: StrictInt | None = Field(default=None, ge=1)
    native_symbol: StrictStr | None = None
    #: Accept raw and dev keys; refused for public networks.
    local: StrictBool | None = None
    poa: StrictBool | None = None
    #: Etherscan-compatible API of the network's explorer (`tenge verify`), e.g. https://api-testnet.bscscan.com/api
    explorer_api_url: StrictStr | None = None
    #: Name of the environment variable holding the explorer's API key (the key itself never goes in a file).
    explorer_api_key_env: StrictStr | None = Field(default=None, pattern=r"^[A-Z_][A-Z0-9_]*$")


Amount = StrictStr | StrictInt


class CurrencyTable(_Strict):
    name: StrictStr | None = None
    symbol: StrictStr | None = None
    code: StrictStr | None = None


class TokenTable(_Strict):
    admin_transfer_delay: StrictInt | None = Field(default=None, ge=0)
    reserve_gated: StrictBool | None = None
    max_attestation_age: StrictInt | None = Field(default=None, ge=0)
    business_tier: StrictInt | None = Field(default=None, ge=0, le=255)
    #: tier -> cap in tenge ("500000.00") or "unlimited"
    tier_caps: dict[str, Amount] | None = None


class VatCategoryTable(_Strict):
    label: StrictStr | None = None
    #: [[rate in basis points, effective from unix seconds], ...]
    schedule: list[Annotated[list[StrictInt], Field(min_length=2, max_length=2)]] | None = None


class VatTable(_Strict):
    admin_transfer_delay: StrictInt | None = Field(default=None, ge=0)
    treasury: StrictStr | None = None
    reserve: Amount | None = None
    utc_offset: StrictStr | None = None
    roles: dict[str, list[StrictStr]] | None = None
    categories: dict[str, VatCategoryTable] | None = None


class BucketTable(_Strict):
    """A rate-limit bucket in tenge: capacity, and refill per second."""

    capacity: Amount | None = None
    refill_per_second: Amount | None = None


class LimitsTable(_Strict):
    inbound: BucketTable | None = None
    outbound: BucketTable | None = None


class BridgeRemoteTable(_Strict):
    """``[suite.bridge.remotes.<network>]``: a BNB-side chain of the bridge."""

    chain_id: StrictInt | None = Field(default=None, gt=0)
    bridge: StrictStr | None = None
    limits: LimitsTable | None = None


class BridgeTable(_Strict):
    """``[suite.bridge]``: the types here; what the values mean together is checked by tenge.deploy.bridge_config."""

    home: StrictStr | None = None
    home_chain_id: StrictInt | None = Field(default=None, ge=0)
    home_bridge: StrictStr | None = None
    admin_transfer_delay: StrictInt | None = Field(default=None, ge=0)
    validators: list[StrictStr] | None = None
    threshold: StrictInt | None = Field(default=None, ge=0)
    limits: LimitsTable | None = None
    roles: dict[str, list[StrictStr]] | None = None
    remotes: dict[str, BridgeRemoteTable] | None = None


class CorridorTable(_Strict):
    """``[suite.pvp.corridors."KZT-KGS"]``: a PvP corridor (sell currency - buy currency) on the common platform."""

    #: What may be sold through it per UTC day, in the sell currency ("1000000.00"); "0.00" closes it.
    daily_limit: StrictStr


class PvpTable(_Strict):
    """``[suite.pvp]``: the PvP settlement contract (tenge.deploy.pvp_steps)."""

    admin_transfer_delay: StrictInt | None = Field(default=None, ge=0)
    roles: dict[str, list[StrictStr]] | None = None
    corridors: dict[str, CorridorTable] | None = None


class SuiteOverrides(_Strict):
    currency: CurrencyTable | None = None
    token: TokenTable | None = None
    roles: dict[str, list[StrictStr]] | None = None
    vat: VatTable | None = None
    bridge: BridgeTable | None = None
    pvp: PvpTable | None = None


class CurrencySuite(SuiteOverrides):
    """``[suite.currencies.<CODE>]``: another currency (its own currency table, bridge, roles ...)."""

    network: dict[str, SuiteOverrides] | None = None


class SuiteTable(CurrencySuite):
    """``[suite]``: overrides of the packaged defaults; per network under ``[suite.network.<name>]``; more
    currencies under ``[suite.currencies.<CODE>]`` (tenge.deploy.suite_config)."""

    currencies: dict[str, CurrencySuite] | None = None


class RelayerTable(_Strict):
    """``[relayer]``: the bridge relayer (tenge.bridge.relayer.settings documents each key)."""

    networks: list[StrictStr] | None = None
    validators: list[StrictStr] | None = None
    account: StrictStr | None = None
    database: StrictStr | None = None
    instance: StrictStr | None = None
    metrics: StrictStr | None = None
    poll_interval: float | StrictInt | None = Field(default=None, gt=0)
    log_range: StrictInt | None = Field(default=None, ge=1)
    batch: StrictInt | None = Field(default=None, ge=1)
    lease_seconds: StrictInt | None = Field(default=None, ge=1)
    http_timeout: float | StrictInt | None = Field(default=None, gt=0)
    stuck_after: float | StrictInt | None = Field(default=None, gt=0)
    gas_bump_percent: StrictInt | None = Field(default=None, ge=10, le=100)
    gas_cap_multiplier: StrictInt | None = Field(default=None, ge=1, le=20)
    max_retries: StrictInt | None = Field(default=None, ge=1)


class ValidatorTable(_Strict):
    """``[validator]``: defaults of ``tenge bridge validator run`` (command-line options win)."""

    network: StrictStr | None = None
    peers: list[StrictStr] | None = None
    account: StrictStr | None = None
    listen: StrictStr | None = None
    database_url: StrictStr | None = None
    poll_interval_ms: StrictInt | None = Field(default=None, ge=10)
    log_range: StrictInt | None = Field(default=None, ge=1)
    escrow_every_blocks: StrictInt | None = Field(default=None, ge=1)
    halt_linger_seconds: StrictInt | None = Field(default=None, ge=0)
    #: network name -> also wait for the node's `finalized` block (default: on BSC/opBNB chain ids off local devnets)
    finalized_tag: dict[str, StrictBool] | None = None
    #: network name -> confirmation depth before signing (default: the network's `confirmations`)
    confirmations: dict[str, Annotated[StrictInt, Field(ge=1)]] | None = None


class DisplayTable(_Strict):
    """``[display]``: how the CLI shows what it prints."""

    #: IANA time zone of the dates the CLI prints (ISO 8601), e.g. "Asia/Almaty"; default UTC.
    timezone: StrictStr | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            _zone(value)
        return value


class ConfigFile(_Strict):
    networks: dict[str, NetworkTable] = Field(default_factory=dict)
    suite: SuiteTable | None = None
    relayer: RelayerTable | None = None
    validator: ValidatorTable | None = None
    display: DisplayTable | None = None


def config_file() -> Path | None:
    """The configuration file in use, or None."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        if not Path(override).is_file():
            raise ConfigError(f"${CONFIG_ENV} names {override}, which is not a file")
        return Path(override)
    for candidate in (Path("tenge.toml"), paths.user_config_dir() / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def load_config() -> dict[str, Any]:
    """The configuration file's tables, checked against the schema (only the keys it sets)."""
    path = config_file()
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read: {exc}") from None
    try:
        ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc)}") from None
    return data


def configured_timezone() -> tzinfo:
    """``[display] timezone`` of the configuration file (checked by the schema), else UTC+05:00
    (:data:`tenge.times.DEFAULT_TIMEZONE`): the one zone dates are read and printed in."""
    from tenge.times import DEFAULT_TIMEZONE

    name = (load_config().get("display") or {}).get("timezone")
    return _zone(name) if name else DEFAULT_TIMEZONE


def _zone(name: str) -> tzinfo:
    """The IANA time zone ``name`` (``Asia/Almaty``, ``UTC``); an unknown name is a ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as 'Asia/Almaty' or 'UTC')") from None


def _describe(error: ValidationError) -> str:
    """``networks.bsc-testnet.chain_id: Input should be a valid integer (got '97')`` for each key at fault."""
    found: dict[str, list[str]] = {}
    got: dict[str, str] = {}
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"] if not _is_union_tag(part))
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
        found.setdefault(key, [])
        if message not in found[key]:
            found[key].append(message)
        if item["type"] not in ("extra_forbidden", "missing"):
            got[key] = f" (got {item['input']!r})"
    parts = []
    for key, messages in found.items():
        # a union's members each say "Input should be ...": one sentence, "... a valid string or a valid integer"
        text = messages[0] + "".join(" or " + m.removeprefix("Input should be ") for m in messages[1:])
        parts.append(f"{key}: {text}{got.get(key, '')}")
    return "; ".join(parts)


def _is_union_tag(part: object) -> bool:
    # pydantic adds the tried member type to the location of a union's errors (`...cap.str`)
    return isinstance(part, str) and part in ("str", "int")
