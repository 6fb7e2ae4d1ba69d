"""Dry runs: execute the real plan on a throw-away fork of the network, send nothing to the network.

Every step runs for real on a local anvil forked from the target RPC, so the gas figures are
what the network would charge, including the steps that depend on contracts not yet deployed.

- No key is needed: the deployer's address is impersonated on the fork (``anvil_impersonateAccount``),
  so a dry run never unlocks a keystore and gas is exactly that of the deployer's own transactions.
- The fork mines every transaction at once and nothing else: one confirmation is all it will give,
  and all a dry run needs (waiting for the network's confirmations there would never end).
- The deployer is funded on the fork only; the report says what its real balance is against the cost.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from web3 import Web3
from web3.types import TxParams

from tenge.chain.lifecycle import TxWatcher
from tenge.chain.networks import Network
from tenge.chain.transactions import TxSender
from tenge.deploy.deployer import DeployReport, Deployer
from tenge.deploy.plan import DeployPlan
from tenge.deploy.record import DeploymentRecord
from tenge.errors import InsufficientFunds
from tenge.toolchain.anvil import start_anvil

#: Seconds a fork's RPC answer may take: the fork fetches state from the network on first use.
FORK_RPC_TIMEOUT = 60


@dataclass
class DryRunReport:
    report: DeployReport
    gas_price_wei: int
    deployer_balance_wei: int
    network: Network
    deployer: str

    @property
    def cost_wei(self) -> int:
        return self.report.gas_used * self.gas_price_wei

    @property
    def affordable(self) -> bool:
        return self.deployer_balance_wei >= self.cost_wei

    def require_affordable(self) -> None:
        """Raise :class:`InsufficientFunds` (how much is needed, how much is held) when the deployer falls short."""
        if self.affordable:
            return
        symbol = self.network.native_symbol
        cost = Web3.from_wei(self.cost_wei, "ether")
        held = Web3.from_wei(self.deployer_balance_wei, "ether")
        raise InsufficientFunds(
            f"the deploy needs {cost} {symbol} ({self.report.gas_used:,} gas at "
            f"{Web3.from_wei(self.gas_price_wei, 'gwei')} gwei) but {self.deployer} holds {held} {symbol} on "
            f"{self.network.name}: fund it with at least {cost - held} {symbol} more (nothing was sent)"
        )


class ForkSender(TxSender):
    """Sends as ``address`` on an anvil fork through the node's impersonation: no key, no journal,
    one confirmation."""

    def __init__(self, w3: Web3, address: str, network: Network) -> None:
        super().__init__(w3, None, replace(network, confirmations=1, local=True), confirmations=1)  # type: ignore[arg-type]
        self._address = Web3.to_checksum_address(address)
        w3.provider.make_request("anvil_impersonateAccount", [self._address])  # type: ignore[arg-type]

    @property
    def address(self) -> str:
        return str(self._address)

    def _sign_and_send(
        self, tx: TxParams, watcher: TxWatcher, description: str, on_sent: Callable[[str], None] | None
    ) -> str:
        tx_hash = self.w3.eth.send_transaction(tx).to_0x_hex()
        self._note_sent(tx_hash, tx, watcher, description, on_sent)
        return tx_hash


def dry_run(
    network: Network,
    live: Web3,
    address: str,
    plan: DeployPlan,
    *,
    rpc_url: str | None = None,
    gas_price_wei: int | None = None,
    **deployer_options: Any,
) -> DryRunReport:
    """Run ``plan`` as ``address`` on a fork of ``live`` (the network's Web3) and price it there (at
    ``gas_price_wei`` when given: a fee set by hand, else the node's gas price)."""
    gas_price = gas_price_wei if gas_price_wei is not None else live.eth.gas_price
    balance = live.eth.get_balance(Web3.to_checksum_address(address))
    url = rpc_url or network.rpc_url
    assert url is not None  # connect() refused a network without one
    existing = DeploymentRecord.load(network.name)
    with tempfile.TemporaryDirectory(prefix="tenge-dry-run-") as scratch, start_anvil(
        fork_url=url, chain_id=live.eth.chain_id
    ) as fork:
        fork_w3 = Web3(Web3.HTTPProvider(fork.rpc_url, request_kwargs={"timeout": FORK_RPC_TIMEOUT}))
        fork_w3.provider.make_request("anvil_setBalance", [address, hex(10**24)])  # type: ignore[arg-type]
        record = DeploymentRecord(network.name, fork.chain_id, path=Path(scratch) / f"{network.name}.json")
        if existing is not None and existing.path is not None:
            shutil.copy(existing.path, Path(scratch) / f"{network.name}.json")
            record = DeploymentRecord.load(network.name, Path(scratch)) or record
        deployer = Deployer(ForkSender(fork_w3, address, network), record, **deployer_options)
        report = deployer.run(plan)
    return DryRunReport(report, gas_price, balance, network, Web3.to_checksum_address(address))
