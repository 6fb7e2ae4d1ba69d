"""The bridge's test world: two anvils (the home ledger, chain 31337, and a BNB-side chain, 97), the suite and
its bridge deployed on both by `tenge deploy` from one configuration, five validators (3 of 5), and holders.

Validator keys are deterministic test keys derived from a public phrase (never printed); accounts are anvil's
well-known dev keys. Imported by name (``from bridge_world import ...``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from chain_helpers import rpc
from click.testing import CliRunner
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3

from tenge.bridge.attestations import Attestation, EscrowFigure, Kind, Subject
from tenge.bridge.client import BridgeClient, SendResult
from tenge.bridge.messages import BridgeTransfer
from tenge.cli.main import cli
from tenge.session import Session
from tenge.token.client import DigitalTengeClient
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil

HOME, BNB = "kz-home", "bnb-local"
HOME_CHAIN, BNB_CHAIN = 31337, 97
# Dev accounts: the deployer holds every role; the bank mints at home; holders on both chains.
ADMIN, BANK, ALICE, BOB, RELAYER, CAROL, STRANGER, ROGUE = 0, 1, 2, 3, 4, 5, 6, 7
TIERS = {BANK: 3, ALICE: 2, BOB: 2, CAROL: 1}
OPENING = {ALICE: Decimal("300000.00"), BOB: Decimal("1000.00")}
THRESHOLD = 3
LIMIT_CAPACITY = Decimal("200000.00")
LIMIT_REFILL = Decimal("10.00")
DEV = dev_keys(10)


def validator_key(index: int) -> LocalAccount:
    """Test validator ``index`` (0-4 the initial set, 5+ joiners): a fixed key from a public phrase."""
    account: LocalAccount = Account.from_key(keccak(text=f"digital tenge bridge test validator {index}"))
    return account


VALIDATORS = [validator_key(i) for i in range(5)]


def config_text(home_url: str, bnb_url: str) -> str:
    validators = ", ".join(f'"{v.address}"' for v in VALIDATORS)
    limits = f'capacity = "{LIMIT_CAPACITY}"\nrefill_per_second = "{LIMIT_REFILL}"'
    return f"""
[networks.{HOME}]
chain_id = {HOME_CHAIN}
rpc_url = "{home_url}"
local = true

# A local devnet on BSC testnet's chain id: no fixed chain id here (a configuration file cannot make a public
# chain id local); the bridge's remote entry below pins it, and the deploy checks it against the RPC.
[networks.{BNB}]
rpc_url = "{bnb_url}"
local = true

[suite.network.{BNB}.token]
reserve_gated = true

[suite.bridge]
home = "{HOME}"
validators = [{validators}]
threshold = {THRESHOLD}

[suite.bridge.limits.inbound]
{limits}

[suite.bridge.limits.outbound]
{limits}

[suite.bridge.remotes.{BNB}]
chain_id = {BNB_CHAIN}
"""


def deploy(network: str) -> dict[str, Any]:
    """`tenge deploy --network NETWORK --json` (environment: TENGE_CONFIG, TENGE_DEPLOYMENTS_DIR)."""
    result = CliRunner(mix_stderr=False).invoke(cli, ["deploy", "--network", network, "--json"])
    assert result.exit_code == 0, result.stderr or result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@dataclass
class Chain:
    name: str
    devnet: Devnet
    w3: Web3


@dataclass
class BridgeWorld:
    """One test's view: clients per (chain, dev account), signing helpers and the conservation check."""

    home: Chain
    bnb: Chain
    records: Path
    config: Path
    #: every transfer the test started, for the conservation check
    transfers: list[BridgeTransfer] = field(default_factory=list)
    _clients: dict[tuple[str, int, str], Any] = field(default_factory=dict)
    escrow_sequence: int = 0
    #: home escrow stranded by burns outside the bridge on the BNB side, not released yet (tests that burn set it)
    stranded: Decimal = Decimal("0.00")

    def chain(self, name: str) -> Chain:
        return self.home if name == HOME else self.bnb

    def session(self, chain: str, index: int) -> Session:
        return Session.open(chain, account=f"dev:{index}", record_dir=self.records)

    def bridge(self, chain: str, index: int = RELAYER) -> BridgeClient:
        key = (chain, index, "bridge")
        if key not in self._clients:
            self._clients[key] = self.session(chain, index).bridge()
        client: BridgeClient = self._clients[key]
        return client

    def token(self, chain: str, index: int = ADMIN) -> DigitalTengeClient:
        key = (chain, index, "token")
        if key not in self._clients:
            self._clients[key] = self.session(chain, index).token()
        client: DigitalTengeClient = self._clients[key]
        return client

    def address(self, index: int) -> str:
        return str(DEV[index].address)

    def nonce(self, index: int, chain: str = HOME) -> int:
        return int(self.chain(chain).w3.eth.get_transaction_count(self.address(index)))

    def advance(self, chain: str, seconds: int) -> None:
        w3 = self.chain(chain).w3
        rpc(w3, "evm_increaseTime", [seconds])
        rpc(w3, "evm_mine")

    def balance(self, chain: str, index: int) -> Decimal:
        return self.token(chain).balance_of(self.address(index))

    # --- validators -----------------------------------------------------------------------------------

    def attest(self, kind: Kind, subject: Subject, verifier: BridgeClient, signers: list[LocalAccount] | None = None) -> list[Attestation]:
        return [verifier.sign(kind, v, subject) for v in (VALIDATORS[:THRESHOLD] if signers is None else signers)]

    def attest_escrow(self, signers: list[LocalAccount] | None = None) -> EscrowFigure:
        """The validators attest the home escrow for the BNB chain to the BNB-side bridge (reserve gate)."""
        home, bnb = self.bridge(HOME), self.bridge(BNB)
        self.escrow_sequence = bnb.last_escrow_attestation()[1] + 1
        timestamp = int(self.bnb.w3.eth.get_block("latest")["timestamp"])
        figure = EscrowFigure(HOME_CHAIN, home.address, home.locked(BNB_CHAIN), self.escrow_sequence, timestamp)
        bnb.attest_escrow(figure, self.attest("EscrowAttestation", figure, bnb, signers))
        return figure

    # --- transfers ------------------------------------------------------------------------------------

    def send(self, chain: str, sender: int, recipient: int, amount: str) -> SendResult:
        dest = BNB_CHAIN if chain == HOME else HOME_CHAIN
        result = self.bridge(chain, sender).send(dest, self.address(recipient), amount)
        self.transfers.append(result.transfer)
        self.assert_conserved()
        return result

    def deliver(self, transfer: BridgeTransfer, signers: list[LocalAccount] | None = None) -> str:
        """Deliver with a threshold of signatures (on the BNB side after a fresh escrow attestation)."""
        dest_name = BNB if transfer.dest_chain_id == BNB_CHAIN else HOME
        dest = self.bridge(dest_name)
        if dest_name == BNB:
            self.attest_escrow(signers)
        result = dest.deliver(transfer, self.attest("Transfer", transfer, dest, signers))
        self.assert_conserved()
        return result.status

    def refund(self, transfer: BridgeTransfer) -> None:
        source = self.bridge(HOME if transfer.source_chain_id == HOME_CHAIN else BNB)
        source.refund(transfer, self.attest("Refund", transfer, source))
        self.assert_conserved()

    # --- conservation ---------------------------------------------------------------------------------

    def in_flight(self) -> Decimal:
        """Sent or queued at the source and not yet credited at the destination (nor cancelled or refunded)."""
        total = Decimal("0.00")
        for t in self.transfers:
            source = self.bridge(HOME if t.source_chain_id == HOME_CHAIN else BNB)
            dest = self.bridge(BNB if t.dest_chain_id == BNB_CHAIN else HOME)
            if source.outbound_status(t.nonce) in ("Sent", "Queued") and dest.inbound_status(t.id) != "Delivered":
                total += t.amount
        return total

    def assert_conserved(self) -> None:
        """home escrow = BNB-side bridged supply + in flight (+ what burns outside the bridge stranded), and the
        BNB-side supply stays within its reserve."""
        escrow = self.token(HOME).balance_of(self.bridge(HOME).address)
        supply = self.token(BNB).total_supply()
        assert escrow == supply + self.in_flight() + self.stranded, (
            f"escrow {escrow} != BNB supply {supply} + in flight {self.in_flight()} + stranded {self.stranded}"
        )
        reserve = self.token(BNB).reserve().amount
        assert supply <= reserve, f"BNB-side supply {supply} above its reserve {reserve}"


def build_world(world: BridgeWorld) -> None:
    """Holders at home (with money) and on the BNB side (KYC-approved, no money)."""
    home = world.token(HOME)
    home.grant_role("MINTER_ROLE", world.address(BANK))
    home.set_minter_allowance(world.address(BANK), sum(OPENING.values()))
    for chain in (HOME, BNB):
        for index, tier in TIERS.items():
            world.token(chain).set_tier(world.address(index), tier)
    bank = world.token(HOME, BANK)
    for index, amount in OPENING.items():
        bank.mint(world.address(index), amount)


def two_chain_world(
    tmp_path_factory: pytest.TempPathFactory, folder_name: str, config: Callable[[str, str], str] = config_text
) -> Iterator[BridgeWorld]:
    """The body of a package-scoped world fixture (``yield from two_chain_world(...)``): two anvils (home and BNB
    side), ``config(home_url, bnb_url)`` written to a fresh ``tenge.toml`` and set in the environment, the suite
    deployed home, then BNB side, then home again (registering the BNB-side bridge as the home's peer), and the
    holders of :func:`build_world`. Yields the built world; the anvils stop when the generator ends."""
    folder = tmp_path_factory.mktemp(folder_name)
    records, config_file = folder / "deployments", folder / "tenge.toml"
    with start_anvil(chain_id=HOME_CHAIN) as home, start_anvil(chain_id=BNB_CHAIN) as bnb, pytest.MonkeyPatch.context() as env:
        config_file.write_text(config(home.rpc_url, bnb.rpc_url))
        env.setenv("TENGE_CONFIG", str(config_file))
        env.setenv("TENGE_DEPLOYMENTS_DIR", str(records))
        deploy(HOME)
        deploy(BNB)
        deploy(HOME)  # registers the BNB-side bridge as the home's peer
        world = BridgeWorld(
            Chain(HOME, home, Web3(Web3.HTTPProvider(home.rpc_url))),
            Chain(BNB, bnb, Web3(Web3.HTTPProvider(bnb.rpc_url))),
            records,
            config_file,
        )
        build_world(world)
        yield world
