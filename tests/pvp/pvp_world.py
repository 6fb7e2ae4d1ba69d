"""The PvP test world: the suite's tenge (DigitalTenge, "local") and a digital som (a second DigitalTenge deployed
by the same deploy steps with the som's currency table) on ONE anvil, with the suite's PvPSettlement between them.

Imported by name (``from pvp_world import ...``): conftest modules cannot be imported reliably.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from chain_helpers import rpc
from web3 import Web3

from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.deploy.deployer import Deployer
from tenge.deploy.plan import DeployPlan
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import token_steps
from tenge.deploy.suite_config import load_suite_config
from tenge.pvp.client import PvPClient
from tenge.token.client import DigitalTengeClient

Suite = Any  # the root conftest's Suite

ADMIN = 0  # deployer: every role of the tenge, the som and the settlement contract
BANK = 1  # mints on both tokens
PAYER = 2  # Kazakh payer: tenge only
LP = 3  # commercial bank, KYC'd in both currencies: the liquidity provider
MERCHANT = 4  # Kyrgyz merchant: som only
BANK_B = 5  # a second bank in both currencies (interbank PvP)
STRANGER = 8  # KYC'd nowhere

RATE = "0.1743"  # som per tenge
PAYER_TENGE = Decimal("100000.00")
LP_SOM = Decimal("50000.00")
BANK_B_SOM = Decimal("20000.00")
LP_TENGE = Decimal("10.00")
DAILY_LIMIT = Decimal("1000000.00")
MAX_AMOUNT = Decimal("50000.00")


@dataclass
class World:
    suite: Suite
    w3: Web3
    som_address: str
    _clients: dict[tuple[str, int], Any] = field(default_factory=dict)

    def address(self, index: int) -> str:
        return str(self.suite.address(index))

    def nonce(self, index: int) -> int:
        return int(self.w3.eth.get_transaction_count(Web3.to_checksum_address(self.address(index))))

    def pvp(self, index: int) -> PvPClient:
        if ("pvp", index) not in self._clients:
            self._clients[("pvp", index)] = self.suite.session(index).pvp()
        client: PvPClient = self._clients[("pvp", index)]
        return client

    def tenge(self, index: int = ADMIN) -> DigitalTengeClient:
        if ("kzt", index) not in self._clients:
            self._clients[("kzt", index)] = self.suite.session(index).token()
        client: DigitalTengeClient = self._clients[("kzt", index)]
        return client

    def som(self, index: int = ADMIN) -> DigitalTengeClient:
        if ("kgs", index) not in self._clients:
            self._clients[("kgs", index)] = DigitalTengeClient(self.suite.session(index), address=self.som_address)
        client: DigitalTengeClient = self._clients[("kgs", index)]
        return client

    @property
    def tenge_address(self) -> str:
        return self.tenge().address

    def balances(self) -> dict[str, Decimal]:
        """Every balance a settlement could touch, both currencies (the settlement contract's too)."""
        holders = {"payer": PAYER, "lp": LP, "merchant": MERCHANT, "bankB": BANK_B, "stranger": STRANGER}
        out = {}
        for name, index in holders.items():
            out[f"{name}:KZT"] = self.tenge().balance_of(self.address(index))
            out[f"{name}:KGS"] = self.som().balance_of(self.address(index))
        pvp = self.pvp(ADMIN).address
        out["pvp:KZT"], out["pvp:KGS"] = self.tenge().balance_of(pvp), self.som().balance_of(pvp)
        return out

    def block_time(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def advance(self, seconds: int) -> None:
        rpc(self.w3, "evm_increaseTime", [seconds])
        rpc(self.w3, "evm_mine")


def deploy_som(suite: Suite, record_dir: Path) -> str:
    """The digital som on the same chain: the suite's own token steps with the som's currency table."""
    config = load_suite_config("local")
    config = dataclasses.replace(config, name="Digital Som", symbol="DKGS", currency="KGS")
    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    record = DeploymentRecord("local", w3.eth.chain_id, path=record_dir / "local.json")
    sender = TxSender(w3, suite.keys[ADMIN], get_network("local"))
    Deployer(sender, record).run(DeployPlan("digital-som", token_steps(config, suite.keys[ADMIN].address)))
    return record.address("DigitalTenge")


def build_world(suite: Suite, w3: Web3, som_address: str) -> World:
    world = World(suite, w3, som_address)
    a = world.address
    kzt, kgs, pvp = world.tenge(), world.som(), world.pvp(ADMIN)
    for token, holders in ((kzt, {PAYER: 2, LP: 3, BANK_B: 3, BANK: 3}), (kgs, {MERCHANT: 2, LP: 3, BANK_B: 3, BANK: 3})):
        token.grant_role("MINTER_ROLE", a(BANK))
        token.set_minter_allowance(a(BANK), Decimal("10000000.00"))
        for index, tier in holders.items():
            token.set_tier(a(index), tier)
    kgs.set_tier(pvp.address, 3)  # the settlement contract spends allowances on the som too
    world.tenge(BANK).mint(a(PAYER), PAYER_TENGE)
    world.tenge(BANK).mint(a(LP), LP_TENGE)
    world.som(BANK).mint(a(LP), LP_SOM)
    world.som(BANK).mint(a(BANK_B), BANK_B_SOM)
    world.tenge(BANK).mint(a(BANK_B), Decimal("1.00"))
    pvp.set_limit(kzt.address, kgs.address, DAILY_LIMIT)
    pvp.set_limit(kgs.address, kzt.address, DAILY_LIMIT)
    world.pvp(PAYER).approve(kzt.address, "1000000000.00")
    world.pvp(LP).approve(kgs.address, "1000000000.00")
    world.pvp(BANK_B).approve(kgs.address, "1000000000.00")
    world.pvp(LP).approve(kzt.address, "1000000000.00")
    return world
