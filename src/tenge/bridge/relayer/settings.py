"""Relayer settings: ``[relayer]`` in tenge.toml (schema in :mod:`tenge.config`), then command-line options.

    [relayer]
    networks = ["kz-ledger", "bsc-testnet"]          # the home ledger and its BNB-side remote(s)
    validators = ["https://v1.example:8701", ...]     # each validator's read-only HTTP API
    account = "relayer-1"                             # this instance's own key (one key per instance)
    database = "postgresql://relayer@db/relayer"      # default: SQLite in the tenge home
    metrics = "127.0.0.1:9464"                        # Prometheus scrape address

Tuning keys (defaults below): poll_interval, log_range, batch, lease_seconds, http_timeout, stuck_after,
gas_bump_percent, gas_cap_multiplier, max_retries.
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

from tenge import paths
from tenge.config import load_config
from tenge.errors import ConfigError


class RelayerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    networks: list[str]
    validators: list[str]
    account: str
    database: str = ""
    instance: str = ""
    metrics: str | None = None
    #: seconds between loop turns when there is nothing to do
    poll_interval: float = Field(default=0.5, gt=0)
    #: at most this many blocks per eth_getLogs
    log_range: int = Field(default=2000, ge=1)
    #: transfers claimed per loop turn (and transactions in flight per destination)
    batch: int = Field(default=256, ge=1)
    lease_seconds: int = Field(default=30, ge=1)
    http_timeout: float = Field(default=2.0, gt=0)
    #: a transaction not mined after this many seconds is replaced with higher fees (same nonce)
    stuck_after: float = Field(default=15.0, gt=0)
    gas_bump_percent: int = Field(default=15, ge=10, le=100)
    #: fees never exceed this multiple of the node's current estimate
    gas_cap_multiplier: int = Field(default=3, ge=1, le=20)
    max_retries: int = Field(default=40, ge=1)

    def metrics_address(self) -> tuple[str, int] | None:
        if not self.metrics:
            return None
        host, _, port = self.metrics.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"relayer metrics address {self.metrics!r} is not HOST:PORT")
        return host, int(port)


def default_instance(account: str) -> str:
    """The instance name when none is given: this host and the instance's own key (one key per instance), the same
    after a restart - so a relayer restarted on the same store (after a crash or a SIGKILL) takes back its own
    leases at once instead of waiting them out."""
    return f"{socket.gethostname()}-{account}"


def load_settings(**options: Any) -> RelayerSettings:
    """``[relayer]`` from the configuration file, overridden by the options given (None = not given)."""
    table: dict[str, Any] = dict(load_config().get("relayer", {}))
    for key, value in options.items():
        if value is not None and value != () and value != []:
            table[key] = list(value) if isinstance(value, tuple) else value
    for key, what in (("networks", "--network (twice: the home and a remote)"), ("validators", "--validator URL"), ("account", "--account")):
        if not table.get(key):
            raise ConfigError(f"the relayer needs {what} (or `{key}` in [relayer] of tenge.toml)")
    settings = RelayerSettings.model_validate(table)
    if len(set(settings.networks)) < 2:
        raise ConfigError("the relayer needs at least two networks: the bridge's home and a remote")
    for url in settings.validators:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f"validator endpoint {url!r} is not an http(s) URL")
    if len(set(settings.validators)) != len(settings.validators):
        raise ConfigError("a validator endpoint is listed twice")
    if not settings.database:
        settings.database = f"sqlite:///{paths.user_config_dir() / 'relayer.sqlite'}"
    if not settings.instance:
        settings.instance = default_instance(settings.account)
    settings.metrics_address()
    return settings
