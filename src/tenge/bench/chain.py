"""The benchmark's connection to its anvil: one Web3, a TxSender per signer, deploys and contract handles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from tenge.chain.networks import Network
from tenge.chain.transactions import SentTransaction, TxSender
from tenge.contracts import Artifact


def bench_network(rpc_url: str) -> Network:
    """A local network for the benchmark's own anvil (EIP-1559 fees, one confirmation)."""
    return Network("bench", None, rpc_url, "eip1559", 1, "ETH", local=True)


@dataclass
class BenchChain:
    w3: Web3
    network: Network
    _senders: dict[str, TxSender] = field(default_factory=dict)

    @classmethod
    def connect(cls, rpc_url: str) -> "BenchChain":
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 60}))
        return cls(w3, bench_network(rpc_url))

    def sender(self, account: LocalAccount) -> TxSender:
        """The one TxSender of ``account`` (its local nonce counter must not be shared out)."""
        address = str(account.address)
        if address not in self._senders:
            self._senders[address] = TxSender(self.w3, account, self.network)
        return self._senders[address]

    def send(self, account: LocalAccount, call: ContractFunction, description: str) -> SentTransaction:
        return self.sender(account).send(call, description=description)

    def deploy(self, account: LocalAccount, artifact: Artifact, args: tuple[Any, ...] = ()) -> Contract:
        address, _ = self.sender(account).deploy(artifact, args)
        return self.at(address, artifact)

    def at(self, address: str, artifact: Artifact) -> Contract:
        return self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=artifact.abi)

    def pin_clock(self, timestamp: int) -> None:
        """Set the chain's clock (anvil_setTime): what is "in force" no longer depends on the machine's date."""
        self.w3.provider.make_request("anvil_setTime", [timestamp])  # type: ignore[arg-type]

    def block_timestamp(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])
