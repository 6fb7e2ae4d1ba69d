"""A session: one network, its Web3, an optional signer and the deployment record — what SDK clients need.

    from tenge.session import Session
    session = Session.open("bsc-testnet", account="treasury-ops")   # password from $TENGE_KEYSTORE_PASSWORD
    token = session.token()                                          # tenge.token.client.DigitalTengeClient
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from web3 import Web3
from web3.contract import Contract

from tenge.chain.accounts import resolve_signer
from tenge.chain.connection import connect
from tenge.chain.networks import Network, get_network
from tenge.chain.transactions import TxSender
from tenge.contracts import load_artifact
from tenge.deploy.record import DeploymentRecord
from tenge.errors import TengeError

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient
    from tenge.token.client import DigitalTengeClient
    from tenge.payments.client import VatPaymentsClient


@dataclass
class Session:
    network: Network
    w3: Web3
    sender: TxSender | None = None
    #: Where the deployment record lives; default ``deployments/`` (or ``$TENGE_DEPLOYMENTS_DIR``).
    record_dir: Path | None = None

    @classmethod
    def open(
        cls,
        network: str | Network,
        *,
        account: str | None = None,
        password: str | None = None,
        rpc_url: str | None = None,
        read_only: bool = False,
        record_dir: Path | None = None,
    ) -> "Session":
        """Connect (checking the chain id) and, unless ``read_only``, unlock the signer."""
        net = get_network(network) if isinstance(network, str) else network
        signer = None if read_only else resolve_signer(net, account, password)
        w3 = connect(net, rpc_url=rpc_url)
        return cls(net, w3, TxSender(w3, signer, net) if signer else None, record_dir)

    @property
    def signer(self) -> TxSender:
        if self.sender is None:
            raise TengeError("this session is read-only; open it with an account to send transactions")
        return self.sender

    @cached_property
    def record(self) -> DeploymentRecord:
        return DeploymentRecord.require(self.network.name, self.w3.eth.chain_id, self.record_dir)

    def contract(self, key: str) -> Contract:
        """The deployed contract recorded as ``key``, with its (implementation's) ABI."""
        entry = self.record.contracts.get(key)
        address = self.record.address(key)
        abi_name = (entry or {}).get("abi") or (entry or {})["artifact"]
        return self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(abi_name).abi)

    def token(self) -> "DigitalTengeClient":
        from tenge.token.client import DigitalTengeClient

        return DigitalTengeClient(self)

    def payments(self) -> "VatPaymentsClient":
        from tenge.payments.client import VatPaymentsClient

        return VatPaymentsClient(self)

    def bridge(self) -> "BridgeClient":
        """The bridge of this network's deployment (home or BNB-side)."""
        from tenge.bridge.client import BridgeClient

        return BridgeClient(self)
