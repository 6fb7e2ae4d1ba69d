"""Named networks: chain id, RPC URL, fee model and confirmations; overridable by config file and env.

Overrides, later ones win:
1. built-in defaults below;
2. ``[networks.<name>]`` tables in the config file (``$TENGE_CONFIG``, else ``./tenge.toml``,
   else ``<user config dir>/config.toml``) — keys: ``rpc_url``, ``chain_id``, ``fee_model``,
   ``confirmations``; a table with a new name adds a network;
3. ``TENGE_RPC_<NAME>`` environment variables (``TENGE_RPC_BSC_TESTNET=https://...``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

from tenge import paths
from tenge.errors import UnknownNetwork

FeeModel = Literal["legacy", "eip1559"]


@dataclass(frozen=True)
class Network:
    name: str
    #: None means "any": local devnets are started with whatever chain id the user picked.
    chain_id: int | None
    rpc_url: str | None
    #: BSC takes legacy gasPrice transactions; OP-stack chains and anvil take EIP-1559.
    fee_model: FeeModel
    confirmations: int
    native_symbol: str
    #: Local networks accept raw dev keys and their deployment records are not committed.
    local: bool = False
    #: BSC blocks carry more extraData than the Ethereum spec allows (Parlia PoA).
    poa: bool = False

    @property
    def rpc_env_var(self) -> str:
        return "TENGE_RPC_" + self.name.upper().replace("-", "_")


BUILTIN_NETWORKS: dict[str, Network] = {
    n.name: n
    for n in (
        Network("local", None, "http://127.0.0.1:8545", "eip1559", 1, "ETH", local=True),
        Network("tester", None, None, "eip1559", 1, "ETH", local=True),
        Network("bsc-testnet", 97, "https://data-seed-prebsc-1-s1.bnbchain.org:8545", "legacy", 3, "tBNB", poa=True),
        Network("bsc", 56, "https://bsc-dataseed.bnbchain.org", "legacy", 5, "BNB", poa=True),
        Network("opbnb-testnet", 5611, "https://opbnb-testnet-rpc.bnbchain.org", "eip1559", 1, "tBNB"),
        Network("opbnb", 204, "https://opbnb-mainnet-rpc.bnbchain.org", "eip1559", 1, "BNB"),
    )
}


def config_file() -> Path | None:
    for candidate in (
        os.environ.get("TENGE_CONFIG"),
        "tenge.toml",
        str(paths.user_config_dir() / "config.toml"),
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def load_config() -> dict[str, Any]:
    path = config_file()
    return tomllib.loads(path.read_text()) if path else {}


def networks() -> dict[str, Network]:
    """Every configured network, with the config file and environment applied."""
    result = dict(BUILTIN_NETWORKS)
    allowed = {f.name for f in fields(Network)} - {"name"}
    for name, table in load_config().get("networks", {}).items():
        unknown = set(table) - allowed
        if unknown:
            raise UnknownNetwork(f"config for network {name!r} has unknown keys: {', '.join(sorted(unknown))}")
        base = result.get(name) or Network(name, None, None, "eip1559", 1, "ETH")
        result[name] = replace(base, **table)
    for name, network in result.items():
        url = os.environ.get(network.rpc_env_var)
        if url:
            result[name] = replace(network, rpc_url=url)
    return result


def get_network(name: str) -> Network:
    known = networks()
    if name not in known:
        raise UnknownNetwork(f"unknown network {name!r}; known networks: {', '.join(known)}")
    return known[name]
