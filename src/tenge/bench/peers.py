"""Deploy the comparison peers (``contracts/bench/``) and Request Network's ERC20FeeProxy on the bench chain."""

from __future__ import annotations

from dataclasses import dataclass

from web3.contract import Contract

from tenge.bench.cast import Cast
from tenge.bench.chain import BenchChain
from tenge.bench.fee_proxy import load_fee_proxy_artifact
from tenge.contracts import load_artifact

PEER_NAME = "Bench Tenge"
PEER_SYMBOL = "BKZT"
#: Minted to the peer admin by the plain peers' constructors; the benchmark hands it out by transfers.
PLAIN_INITIAL_SUPPLY = 10**15


@dataclass(frozen=True)
class Peers:
    #: OZ ERC20 + ERC20Permit, no proxy.
    plain: Contract
    #: OZ ERC20Upgradeable + ERC20PermitUpgradeable + UUPS, addressed at its ERC1967Proxy.
    uups: Contract
    #: OZ ERC20 + Permit + AccessControl + Pausable + kyc/frozen mappings, no proxy.
    naive: Contract
    #: Request Network's ERC20FeeProxy from node_modules.
    fee_proxy: Contract


def deploy_peers(chain: BenchChain, cast: Cast) -> Peers:
    admin = cast.peer_admin
    plain = chain.deploy(
        admin, load_artifact("PlainToken"), (PEER_NAME, PEER_SYMBOL, admin.address, PLAIN_INITIAL_SUPPLY)
    )
    uups = _deploy_uups(chain, cast)
    naive = chain.deploy(admin, load_artifact("NaivePermissionedToken"), (PEER_NAME, PEER_SYMBOL, admin.address))
    fee_proxy = chain.deploy(admin, load_fee_proxy_artifact())
    return Peers(plain, uups, naive, fee_proxy)


def _deploy_uups(chain: BenchChain, cast: Cast) -> Contract:
    implementation_artifact = load_artifact("PlainUpgradeableToken")
    admin = cast.peer_admin
    implementation = chain.deploy(admin, implementation_artifact)
    init_call = implementation.encode_abi(
        "initialize", [PEER_NAME, PEER_SYMBOL, admin.address, admin.address, PLAIN_INITIAL_SUPPLY]
    )
    proxy = chain.deploy(admin, load_artifact("ERC1967Proxy"), (implementation.address, init_call))
    return chain.at(proxy.address, implementation_artifact)
