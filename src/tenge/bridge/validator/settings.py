"""The validator's settings: ``[validator]`` in tenge.toml (schema in :mod:`tenge.config`), command-line options win.

Everything that can be checked without a chain is checked here, so a bad option fails before any connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tenge.config import ValidatorTable, load_config
from tenge.errors import InvalidInput

DEFAULT_DATABASE = "sqlite:///tenge-validator.db"
DEFAULT_LISTEN = "127.0.0.1:8700"
#: Chain ids whose nodes serve BEP-126 fast finality (`finalized` tag): BSC, BSC testnet, opBNB, opBNB testnet.
FINALIZED_TAG_CHAINS = frozenset({56, 97, 204, 5611})


@dataclass(frozen=True)
class ValidatorSettings:
    """One validator process: the home network, its peers (BNB side), key, server and store."""

    network: str
    peers: tuple[str, ...]
    account: str | None
    host: str
    port: int
    database_url: str
    poll_interval: float = 0.5
    #: blocks per eth_getLogs request
    log_range: int = 500
    #: sign an escrow attestation at least every N finalized home blocks (and at every change)
    escrow_every_blocks: int = 100
    #: after a halt, keep serving /v1/status this long before exiting non-zero
    halt_linger_seconds: int = 10
    finalized_tag: dict[str, bool] = field(default_factory=dict)
    confirmations: dict[str, int] = field(default_factory=dict)

    @property
    def chains(self) -> tuple[str, ...]:
        return (self.network, *self.peers)


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` -> (host, port); a port from 1 to 65535."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"--listen {value!r}: give HOST:PORT, e.g. 127.0.0.1:8700")
    return host.strip("[]"), int(port)


def load_settings(**options: Any) -> ValidatorSettings:
    """Settings from the config file's ``[validator]`` table, overridden by the non-None ``options``."""
    table = ValidatorTable.model_validate(load_config().get("validator", {})).model_dump(exclude_none=True)
    given = {key: value for key, value in options.items() if value not in (None, ())}
    merged = {**table, **given}
    network = merged.get("network")
    if not network:
        raise InvalidInput("no home network: pass --network NAME or set network in [validator]")
    peers = tuple(merged.get("peers") or ())
    if not peers:
        raise InvalidInput("no peer network: pass --peer NAME (the BNB-side chain) or set peers in [validator]")
    if network in peers or len(set(peers)) != len(peers):
        raise InvalidInput(f"the networks must all differ: home {network!r}, peers {', '.join(peers)}")
    host, port = parse_listen(str(merged.get("listen", DEFAULT_LISTEN)))
    return ValidatorSettings(
        network=str(network),
        peers=peers,
        account=merged.get("account"),
        host=host,
        port=port,
        database_url=str(merged.get("database_url", DEFAULT_DATABASE)),
        poll_interval=int(merged.get("poll_interval_ms", 500)) / 1000,
        log_range=int(merged.get("log_range", 500)),
        escrow_every_blocks=int(merged.get("escrow_every_blocks", 100)),
        halt_linger_seconds=int(merged.get("halt_linger_seconds", 10)),
        finalized_tag=dict(merged.get("finalized_tag", {})),
        confirmations=dict(merged.get("confirmations", {})),
    )
