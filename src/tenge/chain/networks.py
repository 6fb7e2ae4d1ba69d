"""Named networks: chain id, RPC URL, fee model and confirmations; overridable by config file and env.

Overrides, later ones win:
1. built-in defaults below;
2. ``[networks.<name>]`` tables in the config file (``$TENGE_CONFIG``, else ``./tenge.toml``,
   else ``<user config dir>/config.toml``; checked by :mod:`tenge.config`) — keys: ``rpc_url``,
   ``chain_id``, ``fee_model``, ``confirmations``, ``native_symbol``, ``poa``, ``local``, ``explorer_api_url``,
   ``explorer_api_key_env``; a table with a
   new name adds a network. No file can make a public network (or a new one on a public chain id) local;
3. ``TENGE_RPC_<NAME>`` environment variables (``TENGE_RPC_BSC_TESTNET=https://...``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Literal

from tenge.config import config_file, load_config
from tenge.errors import ConfigError, UnknownNetwork

__all__ = ["BUILTIN_NETWORKS", "Network", "config_file", "get_network", "load_config", "networks"]

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
    #: The block explorer's Etherscan-compatible API (``tenge verify``): BscScan, opBNBScan.
    explorer_api_url: str | None = None
    #: The environment variable holding that explorer's API key.
    explorer_api_key_env: str = "TENGE_EXPLORER_API_KEY"

    @property
    def rpc_env_var(self) -> str:
        return "TENGE_RPC_" + self.name.partition(":")[0].upper().replace("-", "_")


BUILTIN_NETWORKS: dict[str, Network] = {
    n.name: n
    for n in (
        Network("local", None, "http://127.0.0.1:8545", "eip1559", 1, "ETH", local=True),
        Network("tester", None, None, "eip1559", 1, "ETH", local=True),
        Network("bsc-testnet", 97, "https://data-seed-prebsc-1-s1.bnbchain.org:8545", "legacy", 3, "tBNB", poa=True,
                explorer_api_url="https://api-testnet.bscscan.com/api", explorer_api_key_env="TENGE_BSCSCAN_API_KEY"),
        Network("bsc", 56, "https://bsc-dataseed.bnbchain.org", "legacy", 5, "BNB", poa=True,
                explorer_api_url="https://api.bscscan.com/api", explorer_api_key_env="TENGE_BSCSCAN_API_KEY"),
        Network("opbnb-testnet", 5611, "https://opbnb-testnet-rpc.bnbchain.org", "eip1559", 1, "tBNB",
                explorer_api_url="https://api-opbnb-testnet.bscscan.com/api",
                explorer_api_key_env="TENGE_OPBNBSCAN_API_KEY"),
        Network("opbnb", 204, "https://opbnb-mainnet-rpc.bnbchain.org", "eip1559", 1, "BNB",
                explorer_api_url="https://api-opbnb.bscscan.com/api", explorer_api_key_env="TENGE_OPBNBSCAN_API_KEY"),
    )
}


def networks() -> dict[str, Network]:
    """Every configured network, with the config file and environment applied."""
    result = dict(BUILTIN_NETWORKS)
    public_chains = {n.chain_id: n.name for n in BUILTIN_NETWORKS.values() if not n.local and n.chain_id}
    for name, table in load_config().get("networks", {}).items():
        base = result.get(name) or Network(name, None, None, "eip1559", 1, "ETH")
        network = replace(base, **table)
        public = not base.local and name in BUILTIN_NETWORKS or network.chain_id in public_chains
        if network.local and public:
            chain = network.chain_id or 0
            what = name if name in BUILTIN_NETWORKS else f"{name} (chain id {chain}, {public_chains.get(chain)})"
            raise ConfigError(
                f"{config_file()}: networks.{name}.local: a configuration file cannot make the public network "
                f"{what} local (local networks accept raw and dev keys); remove the key"
            )
        result[name] = network
    for name, network in result.items():
        url = os.environ.get(network.rpc_env_var)
        if url:
            result[name] = replace(network, rpc_url=url)
    return result


def get_network(name: str) -> Network:
    """A configured network; ``"bsc:KGS"`` is network ``bsc`` seen through its digital som (a second currency
    bridged there): same chain and RPC, its deployment record's KGS view (see tenge.deploy.record)."""
    known = networks()
    base, _, currency = name.partition(":")
    if base not in known or (":" in name and not currency):
        raise UnknownNetwork(f"unknown network {name!r}; known networks: {', '.join(known)}")
    return replace(known[base], name=name) if currency else known[base]
