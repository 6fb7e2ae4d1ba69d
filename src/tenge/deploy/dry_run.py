"""Dry runs: execute the real plan on a throw-away fork of the network, send nothing to the network.

Every step runs for real on a local anvil forked from the target RPC, so the gas figures are
what the network would charge, including the steps that depend on contracts not yet deployed.
The deployer is funded on the fork only; the report says if its real balance falls short.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from eth_account.signers.local import LocalAccount
from web3 import Web3

from tenge.chain.connection import connect
from tenge.chain.networks import Network
from tenge.chain.transactions import TxSender
from tenge.deploy.deployer import DeployReport, Deployer
from tenge.deploy.plan import DeployPlan
from tenge.deploy.record import DeploymentRecord
from tenge.toolchain.anvil import start_anvil


@dataclass
class DryRunReport:
    report: DeployReport
    gas_price_wei: int
    deployer_balance_wei: int

    @property
    def cost_wei(self) -> int:
        return self.report.gas_used * self.gas_price_wei

    @property
    def affordable(self) -> bool:
        return self.deployer_balance_wei >= self.cost_wei


def dry_run(network: Network, signer: LocalAccount, plan: DeployPlan, *, rpc_url: str | None = None) -> DryRunReport:
    live = connect(network, rpc_url=rpc_url)
    gas_price = live.eth.gas_price
    balance = live.eth.get_balance(signer.address)
    url = rpc_url or network.rpc_url
    assert url is not None  # connect() refused a network without one
    existing = DeploymentRecord.load(network.name)
    with tempfile.TemporaryDirectory(prefix="tenge-dry-run-") as scratch, start_anvil(
        fork_url=url, chain_id=live.eth.chain_id
    ) as fork:
        fork_w3 = Web3(Web3.HTTPProvider(fork.rpc_url, request_kwargs={"timeout": 60}))
        fork_w3.provider.make_request("anvil_setBalance", [signer.address, hex(10**24)])  # type: ignore[arg-type]
        record = DeploymentRecord(network.name, fork.chain_id, path=Path(scratch) / f"{network.name}.json")
        if existing is not None:
            shutil.copy(existing.path, record.path)  # type: ignore[arg-type]
            record = DeploymentRecord.load(network.name, Path(scratch)) or record
        deployer = Deployer(TxSender(fork_w3, signer, network), record)
        report = deployer.run(plan)
    return DryRunReport(report, gas_price, balance)
