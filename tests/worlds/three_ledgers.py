"""The three-ledger world of the cross-border tests (issue 21): the tenge home ledger, the som home ledger and one
BNB-side chain where both currencies are bridged and settle against each other (the common platform).

Everything is deployed by `tenge deploy` from ONE configuration (:func:`config_text`, the operator's view: networks
``kz-ledger``, ``kg-ledger``, ``bnb-local``; the tenge in ``[suite]``, the som in ``[suite.currencies.KGS]``,
corridors in ``[suite.pvp.corridors]``), in the operator's order: kz-ledger, kg-ledger, bnb-local (the tenge's and
the som's BNB-side token and bridge, the PvP contract linked to both bridges, corridors opened), then both homes
again (registering their BNB-side peers). The som's part of the BNB side is the network ``bnb-local:KGS``.

Services are REAL subprocesses: per bridge three `tenge bridge validator run` processes (threshold 2 of 3: two
fleets of three spare the 2 cores better than 3-of-5) and one `tenge bridge relayer run` process.

Use (a package-scoped fixture builds it once; see tests/crossborder/conftest.py)::

    from three_ledgers import KZ, KG, BNB, BNB_SOM, PAYER, LP, MERCHANT, ThreeLedgers, three_ledger_world

    @pytest.fixture(scope="package")
    def ledgers(tmp_path_factory) -> Iterator[ThreeLedgers]:
        yield from three_ledger_world(tmp_path_factory, "crossborder")

    world.session(KZ, PAYER)                      # Session on the tenge home ledger as the payer (dev account 2)
    world.token(BNB_SOM, LP)                      # the som token on the BNB side, as the LP
    world.bridge(KZ, PAYER).send(BNB_CHAIN, ...)  # BridgeClient of any network (KZ, KG, BNB, BNB_SOM)
    world.pvp(BNB, LP)                            # the PvP settlement contract on the BNB side
    world.send(KZ, PAYER, PAYER, "100.00")        # a plain bridge transfer (recorded for the conservation check)
    world.wait_delivered(transfer)                # until the destination bridge shows it Delivered (relayer)
    world.wait_quiet()                            # until every recorded transfer is delivered or refunded
    world.assert_conserved()                      # both bridges: BNB-side supply <= home escrow, <= reserve;
                                                  # equal when nothing recorded is in flight
    world.balances()                              # every holder's balance on every ledger, both currencies
    world.fleets["KZT"], world.fleets["KGS"]      # ValidatorFleet of each bridge (kill/start a validator)
    world.relayers["KZT"], world.relayers["KGS"]  # RelayerProc of each bridge (kill(), start() again)
    world.snapshot() / world.revert(snap)         # all three anvils at once (services keep running)

Holders (anvil dev accounts): ADMIN 0 (deployer, every role everywhere), KZ_BANK 1 (mints tenge at home), PAYER 2
(Kazakh payer: tenge at home, KYC'd for tenge on the BNB side), LP 3 (commercial bank KYC'd in both currencies on
all three ledgers: tenge and som liquidity on the BNB side, PvP approved on both tokens there), MERCHANT 5 (Kyrgyz
merchant: som home and som on the BNB side), KG_BANK 6 (mints som at home), STRANGER 7 (KYC'd nowhere); relayer keys
4 (tenge bridge) and 8 (som bridge). Imported by name (``from three_ledgers import ...``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
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
from relayer_world import RelayerProc
from validator_fleet import ValidatorFleet
from web3 import Web3

from tenge.bridge.client import BridgeClient, SendResult
from tenge.bridge.messages import BridgeTransfer
from tenge.cli.main import cli
from tenge.pvp.client import PvPClient
from tenge.session import Session
from tenge.token.client import DigitalTengeClient
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil

KZ, KG, BNB = "kz-ledger", "kg-ledger", "bnb-local"
BNB_SOM = f"{BNB}:KGS"  # the som's part of the BNB side (its token and bridge there)
KZ_CHAIN, KG_CHAIN, BNB_CHAIN = 31337, 31338, 97
ADMIN, KZ_BANK, PAYER, LP, MERCHANT, KG_BANK, STRANGER = 0, 1, 2, 3, 5, 6, 7
RELAYER_KEYS = {"KZT": 4, "KGS": 8}
#: each currency's networks: (home, its BNB side)
SIDES = {"KZT": (KZ, BNB), "KGS": (KG, BNB_SOM)}
THRESHOLD, VALIDATORS_PER_BRIDGE = 2, 3
PAYER_TENGE = Decimal("100000.00")
LP_TENGE_HOME = Decimal("1000.00")
LP_SOM_HOME = Decimal("80000.00")
LP_SOM_BNB = Decimal("50000.00")  # bridged to the BNB side while the world is built (the LP's liquidity there)
DAILY_LIMIT = Decimal("1000000.00")
DEV = dev_keys(10)


def validator_key(currency: str, index: int) -> LocalAccount:
    """Validator ``index`` of the ``currency``'s bridge: a fixed test key from a public phrase (never printed)."""
    account: LocalAccount = Account.from_key(keccak(text=f"three-ledger {currency} bridge validator {index}"))
    return account


VALIDATORS = {c: [validator_key(c, i) for i in range(VALIDATORS_PER_BRIDGE)] for c in SIDES}


def config_text(kz_url: str, kg_url: str, bnb_url: str) -> str:
    """The operator's configuration of the three ledgers (also the README's cross-border deploy example)."""

    def addresses(currency: str) -> str:
        return ", ".join(f'"{v.address}"' for v in VALIDATORS[currency])

    return f"""
[networks.{KZ}]
chain_id = {KZ_CHAIN}
rpc_url = "{kz_url}"
local = true

[networks.{KG}]
chain_id = {KG_CHAIN}
rpc_url = "{kg_url}"
local = true

# A local devnet on BSC testnet's chain id (no fixed chain id here: a configuration file cannot make a public chain
# id local); each bridge's remote entry pins it and the deploy checks it against the RPC.
[networks.{BNB}]
rpc_url = "{bnb_url}"
local = true

# The digital tenge: home ledger kz-ledger, bridged to bnb-local.
[suite.bridge]
home = "{KZ}"
validators = [{addresses("KZT")}]
threshold = {THRESHOLD}

[suite.bridge.remotes.{BNB}]
chain_id = {BNB_CHAIN}

# The digital som: its own central bank (the deployer here), token, KYC registry and validator set; home ledger
# kg-ledger, bridged to the same bnb-local.
[suite.currencies.KGS.currency]
name = "Digital Som"
symbol = "DKGS"
code = "KGS"

[suite.currencies.KGS.bridge]
home = "{KG}"
validators = [{addresses("KGS")}]
threshold = {THRESHOLD}

[suite.currencies.KGS.bridge.remotes.{BNB}]
chain_id = {BNB_CHAIN}

# Payment versus payment on bnb-local, where both are bridged: daily limits in the sold currency.
[suite.pvp.corridors.KZT-KGS]
daily_limit = "{DAILY_LIMIT}"

[suite.pvp.corridors.KGS-KZT]
daily_limit = "{DAILY_LIMIT}"
"""


def deploy(network: str) -> dict[str, Any]:
    """`tenge deploy --network NETWORK --json` (environment: TENGE_CONFIG, TENGE_DEPLOYMENTS_DIR)."""
    result = CliRunner(mix_stderr=False).invoke(cli, ["deploy", "--network", network, "--json"])
    assert result.exit_code == 0, result.stderr or result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@dataclass
class ThreeLedgers:
    """The built world: anvils, configuration, records, the services, clients per (network, dev account)."""

    devnets: dict[str, Devnet]
    config: Path
    records: Path
    folder: Path
    fleets: dict[str, ValidatorFleet] = field(default_factory=dict)
    relayers: dict[str, RelayerProc] = field(default_factory=dict)
    #: every transfer sent through :meth:`send` (or :meth:`track`), for :meth:`wait_quiet` and conservation
    transfers: list[BridgeTransfer] = field(default_factory=list)
    _clients: dict[tuple[str, int, str], Any] = field(default_factory=dict)

    # --- clients ---------------------------------------------------------------------------------------

    def w3(self, network: str) -> Web3:
        return Web3(Web3.HTTPProvider(self.devnets[network.partition(":")[0]].rpc_url))

    def session(self, network: str, index: int) -> Session:
        return Session.open(network, account=f"dev:{index}", record_dir=self.records)

    def _client(self, network: str, index: int, kind: str) -> Any:
        key = (network, index, kind)
        if key not in self._clients:
            self._clients[key] = getattr(self.session(network, index), kind)()
        return self._clients[key]

    def token(self, network: str, index: int = ADMIN) -> DigitalTengeClient:
        client: DigitalTengeClient = self._client(network, index, "token")
        return client

    def bridge(self, network: str, index: int = ADMIN) -> BridgeClient:
        client: BridgeClient = self._client(network, index, "bridge")
        return client

    def pvp(self, network: str = BNB, index: int = ADMIN) -> PvPClient:
        client: PvPClient = self._client(network, index, "pvp")
        return client

    def address(self, index: int) -> str:
        return str(DEV[index].address)

    # --- transfers -------------------------------------------------------------------------------------

    def send(self, network: str, sender: int, recipient: int, amount: str) -> SendResult:
        """A plain bridge transfer from ``network`` (a home ledger or a BNB side) to the other end of its bridge."""
        currency = next(c for c, sides in SIDES.items() if network in sides)
        home, bnb = SIDES[currency]
        dest = BNB_CHAIN if network == home else (KZ_CHAIN if currency == "KZT" else KG_CHAIN)
        self.align_clocks()
        result = self.bridge(network, sender).send(dest, self.address(recipient), amount)
        self.track(result.transfer)
        return result

    def track(self, transfer: BridgeTransfer) -> None:
        """Count ``transfer`` in :meth:`wait_quiet` and the conservation check (one sent by other means)."""
        self.transfers.append(transfer)
        self.assert_conserved()

    def _ends(self, transfer: BridgeTransfer) -> tuple[BridgeClient, BridgeClient]:
        home_chain = transfer.source_chain_id if transfer.source_chain_id != BNB_CHAIN else transfer.dest_chain_id
        currency = "KZT" if home_chain == KZ_CHAIN else "KGS"
        home, bnb = SIDES[currency]
        source, dest = (home, bnb) if transfer.source_chain_id == home_chain else (bnb, home)
        return self.bridge(source), self.bridge(dest)

    def state(self, transfer: BridgeTransfer) -> str:
        """``delivered``, ``refunded``, ``failed``, ``queued``, ``deferred`` or ``sent`` (not yet at the destination)."""
        source, dest = self._ends(transfer)
        if source.outbound_status(transfer.nonce) == "Refunded":
            return "refunded"
        status = dest.inbound_status(transfer.id)
        return "sent" if status == "None" else status.lower()

    def wait_for(self, transfers: list[BridgeTransfer], done: tuple[str, ...], timeout: float = 90.0) -> list[str]:
        """Until every one of ``transfers`` is in one of the states ``done``; the relayers' logs on a time-out."""
        deadline = time.monotonic() + timeout
        while True:
            states = [self.state(t) for t in transfers]
            if all(s in done for s in states):
                return states
            self._check_services()
            if time.monotonic() > deadline:
                logs = "\n".join(f"--- {n}\n{r.log.read_text()[-2000:]}" for n, r in self.relayers.items() if r.log.exists())
                raise AssertionError(f"not {done} within {timeout}s: {states}\n{logs}")
            self.align_clocks()
            time.sleep(0.3)

    def wait_delivered(self, transfer: BridgeTransfer, timeout: float = 90.0) -> None:
        self.wait_for([transfer], ("delivered",), timeout)

    def wait_quiet(self, timeout: float = 90.0) -> list[str]:
        """Until every tracked transfer is delivered or refunded."""
        return self.wait_for(self.transfers, ("delivered", "refunded"), timeout)

    def _check_services(self) -> None:
        for name, relayer in self.relayers.items():
            if relayer.proc is not None and not relayer.alive() and relayer.proc.returncode not in (-9, 0):
                raise AssertionError(f"relayer {name} exited {relayer.proc.returncode}:\n{relayer.log.read_text()[-3000:]}")

    # --- conservation ----------------------------------------------------------------------------------

    def conservation(self, currency: str) -> dict[str, Decimal]:
        """The ``currency`` bridge's figures: home escrow, BNB-side supply, its reserve, and in flight (tracked
        transfers sent and not yet delivered, refunded or cancelled)."""
        home, bnb = SIDES[currency]
        in_flight = sum(
            (t.amount for t in self.transfers if self._currency(t) == currency and self.state(t) in ("sent", "queued", "failed")),
            Decimal("0.00"),
        )
        return {
            "escrow": self.token(home).balance_of(self.bridge(home).address),
            "supply": self.token(bnb).total_supply(),
            "reserve": self.token(bnb).reserve().amount,
            "in_flight": in_flight,
        }

    def _currency(self, transfer: BridgeTransfer) -> str:
        return "KZT" if KZ_CHAIN in (transfer.source_chain_id, transfer.dest_chain_id) else "KGS"

    def assert_conserved(self) -> None:
        """On both bridges: the BNB-side supply never exceeds the home escrow nor its attested reserve; with no
        tracked transfer in flight (all delivered or refunded) supply equals escrow."""
        for currency in SIDES:
            f = self.conservation(currency)
            assert f["supply"] <= f["escrow"], f"{currency}: BNB-side supply {f['supply']} above the home escrow {f['escrow']}"
            assert f["supply"] <= f["reserve"], f"{currency}: BNB-side supply {f['supply']} above its reserve {f['reserve']}"
            if f["in_flight"] == 0:
                assert f["supply"] == f["escrow"], f"{currency}: nothing in flight, yet supply {f['supply']} != escrow {f['escrow']}"

    def balances(self) -> dict[str, Decimal]:
        """``"<network>:<holder>"`` -> balance, every holder on every ledger in its currency (``bnb-local:KGS:lp``)."""
        holders = {"payer": PAYER, "lp": LP, "merchant": MERCHANT, "stranger": STRANGER}
        out = {}
        for network in (KZ, KG, BNB, BNB_SOM):
            token = self.token(network)
            for name, index in holders.items():
                out[f"{network}:{name}"] = token.balance_of(self.address(index))
            out[f"{network}:pvp"] = token.balance_of(self.pvp(BNB).address) if network in (BNB, BNB_SOM) else Decimal(0)
        return out

    # --- clocks and snapshots --------------------------------------------------------------------------

    def align_clocks(self) -> None:
        """Keep the BNB side's clock ahead of both home ledgers' (every block of a local anvil moves its clock at
        least a second, so a busy home runs ahead of real time): the BNB-side tokens refuse an escrow
        attestation timed after their own block time (InvalidAttestationTime)."""
        homes = max(int(self.w3(n).eth.get_block("latest")["timestamp"]) for n in (KZ, KG))
        bnb = self.w3(BNB)
        now = int(bnb.eth.get_block("latest")["timestamp"])
        if homes + 2 >= now:
            rpc(bnb, "evm_increaseTime", [homes + 5 - now])
            rpc(bnb, "evm_mine")

    def snapshot(self) -> dict[str, str]:
        """A snapshot of all three anvils (the services keep running: stop the relayers first if a test needs
        them not to see the revert mid-way)."""
        return {name: rpc(self.w3(name), "evm_snapshot") for name in self.devnets}

    def revert(self, snapshot: dict[str, str]) -> None:
        for name, snap in snapshot.items():
            assert rpc(self.w3(name), "evm_revert", [snap]), f"anvil failed to roll back {name}"
        self._clients.clear()
        self.transfers.clear()

    # --- services --------------------------------------------------------------------------------------

    def start_services(self) -> None:
        """Both validator fleets (waiting until each answers), then a relayer per bridge."""
        for currency, (home, bnb) in SIDES.items():
            fleet = ValidatorFleet(self.folder / f"validators-{currency}", self.config, self.records, VALIDATORS[currency],
                                   network=home, peers=(bnb,), poll_interval_ms=200)  # fmt: skip
            self.fleets[currency] = fleet
            fleet.start_all()
        for currency, (home, bnb) in SIDES.items():
            self.relayers[currency] = self.relayer(currency)

    def relayer(self, currency: str, *extra: str) -> RelayerProc:
        """A (started) relayer process for ``currency``'s bridge, with its own SQLite queue."""
        home, bnb = SIDES[currency]
        env = {**os.environ, "TENGE_CONFIG": str(self.config), "TENGE_DEPLOYMENTS_DIR": str(self.records),
               "TENGE_HOME": str(self.folder / f"relayer-{currency}"), "PYTHONUNBUFFERED": "1"}  # fmt: skip
        db = f"sqlite:///{self.folder / f'relayer-{currency}.sqlite'}"
        args = ["bridge", "relayer", "run", "-n", home, "-n", bnb, "-a", f"dev:{RELAYER_KEYS[currency]}", "--db", db,
                "--instance", f"relayer-{currency}", "--poll-interval", "0.3", "--lease-seconds", "5", *extra]  # fmt: skip
        for url in self.fleets[currency].urls:
            args += ["--validator", url]
        return RelayerProc(f"relayer-{currency}", args, env, self.folder / f"relayer-{currency}.log").start()

    def stop_services(self) -> None:
        for relayer in self.relayers.values():
            relayer.stop()
        for fleet in self.fleets.values():
            fleet.stop_all()


def _build(world: ThreeLedgers) -> None:
    """Holders, KYC and money (see the module docstring), then the LP's som liquidity bridged to the BNB side."""
    a = world.address
    for network, bank, holders in (
        (KZ, KZ_BANK, {PAYER: 2, LP: 3, KZ_BANK: 3}),
        (KG, KG_BANK, {MERCHANT: 2, LP: 3, KG_BANK: 3}),
        (BNB, None, {PAYER: 2, LP: 3}),
        (BNB_SOM, None, {MERCHANT: 2, LP: 3}),
    ):
        token = world.token(network)
        if bank is not None:
            token.grant_role("MINTER_ROLE", a(bank))
            token.set_minter_allowance(a(bank), Decimal("10000000.00"))
        for index, tier in holders.items():
            token.set_tier(a(index), tier)
    world.token(KZ, KZ_BANK).mint(a(PAYER), PAYER_TENGE)
    world.token(KZ, KZ_BANK).mint(a(LP), LP_TENGE_HOME)
    world.token(KG, KG_BANK).mint(a(LP), LP_SOM_HOME)
    for token in (world.token(BNB).address, world.token(BNB_SOM).address):
        world.pvp(BNB, LP).approve(token, "1000000000.00")
    world.pvp(BNB, PAYER).approve(world.token(BNB).address, "1000000000.00")
    world.start_services()
    world.wait_delivered(world.send(KG, LP, LP, str(LP_SOM_BNB)).transfer)
    world.assert_conserved()


def three_ledger_world(tmp_path_factory: pytest.TempPathFactory, folder_name: str) -> Iterator[ThreeLedgers]:
    """The body of a package-scoped fixture (``yield from three_ledger_world(...)``): three anvils, the suite
    deployed on all three from :func:`config_text`, validators and relayers running, holders built. Yields the
    world; services and anvils stop when the generator ends (also when building failed half-way)."""
    folder = tmp_path_factory.mktemp(folder_name)
    records, config_file = folder / "deployments", folder / "tenge.toml"
    with (
        start_anvil(chain_id=KZ_CHAIN) as kz,
        start_anvil(chain_id=KG_CHAIN) as kg,
        start_anvil(chain_id=BNB_CHAIN) as bnb,
        pytest.MonkeyPatch.context() as env,
    ):
        config_file.write_text(config_text(kz.rpc_url, kg.rpc_url, bnb.rpc_url))
        env.setenv("TENGE_CONFIG", str(config_file))
        env.setenv("TENGE_DEPLOYMENTS_DIR", str(records))
        for network in (KZ, KG, BNB, KZ, KG):  # the homes again: they register their BNB-side peers
            deploy(network)
        world = ThreeLedgers({KZ: kz, KG: kg, BNB: bnb}, config_file, records, folder)
        try:
            _build(world)
            yield world
        finally:
            world.stop_services()
