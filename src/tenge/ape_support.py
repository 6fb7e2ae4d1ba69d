"""Glue between ape (eth-ape) and the project's own deploy code, used by ``scripts/deploy.py``.

ape is an optional developer tool here (the ``dev`` extra); nothing in this module imports it,
so the SDK and its tests work without it. ``ape run deploy --network ECOSYSTEM:NETWORK:PROVIDER``
connects with ape's provider; this module maps ape's network to one of our named networks,
checks the chain id, and runs the same plan through the same :class:`~tenge.deploy.deployer.Deployer`
as ``tenge deploy``, writing the same ``deployments/<network>.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from web3 import Web3
from web3.middleware import ExtraDataToPOAMiddleware

from tenge.chain.accounts import resolve_signer
from tenge.chain.networks import Network, get_network, networks
from tenge.chain.transactions import TxSender
from tenge.deploy.deployer import Deployer, DeployReport, StepOutcome
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.errors import ChainIdMismatch, RpcUnreachable, UnknownNetwork

#: ape network (ecosystem, network) -> our network name. The ``bsc`` ecosystem and its four
#: networks come with ape itself (from the evmchains package), with their chain ids.
APE_NETWORKS: dict[tuple[str, str], str] = {
    ("ethereum", "local"): "local",
    ("bsc", "testnet"): "bsc-testnet",
    ("bsc", "mainnet"): "bsc",
    ("bsc", "opbnb-testnet"): "opbnb-testnet",
    ("bsc", "opbnb"): "opbnb",
}


def tenge_network(ecosystem: str, network: str) -> Network:
    """Our :class:`Network` for ape's ``ecosystem:network``.

    Besides :data:`APE_NETWORKS`, an ape network (e.g. a ``networks.custom`` entry in
    ape-config.yaml) whose name is one of ours maps to it by name. Forks are refused: a deploy
    record must describe a real chain.
    """
    name = APE_NETWORKS.get((ecosystem, network))
    if name is None and network in networks():
        name = network
    if name is None:
        choices = ", ".join(f"{e}:{n}" for e, n in APE_NETWORKS)
        raise UnknownNetwork(
            f"ape network {ecosystem}:{network} has no Digital Tenge network; use one of {choices} "
            "(with a provider, e.g. ethereum:local:node or bsc:testnet:https://...)"
        )
    return get_network(name)


def check_chain(w3: Web3, network: Network, where: str) -> int:
    """The chain id behind ``w3``; refuses one that is not ``network``'s, before anything is signed."""
    try:
        chain_id = int(w3.eth.chain_id)
    except Exception as exc:  # requests/JSON errors all mean the same thing to the user
        raise RpcUnreachable(f"RPC {where} for network {network.name!r} is unreachable: {type(exc).__name__}") from None
    if network.chain_id is not None and chain_id != network.chain_id:
        raise ChainIdMismatch(
            f"RPC {where} serves chain id {chain_id}, but network {network.name!r} is chain id "
            f"{network.chain_id}; refusing to continue (nothing was signed)"
        )
    if network.poa and not any(m is ExtraDataToPOAMiddleware for m in w3.middleware_onion.middleware):
        # BSC (Parlia) blocks carry more extraData than Ethereum's spec allows.
        w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    return chain_id


@dataclass
class ApeDeployResult:
    network: Network
    sender: str
    deployer: Deployer
    report: DeployReport


def deploy_suite(
    w3: Web3,
    network: Network,
    *,
    where: str,
    account: str | None = None,
    password: str | None = None,
    upgrade: bool = False,
    progress: Callable[[StepOutcome], None] | None = None,
) -> ApeDeployResult:
    """Deploy the suite over an already-connected ``w3`` (ape's provider), exactly as ``tenge deploy``."""
    signer = resolve_signer(network, account, password)  # refuses dev keys off local networks first
    check_chain(w3, network, where)
    sender = TxSender(w3, signer, network)
    plan = suite_plan(load_suite_config(network.name), sender.address)
    deployer = Deployer.for_network(sender, apply_changes=upgrade, progress=progress)
    report = deployer.run(plan)
    return ApeDeployResult(network, sender.address, deployer, report)
