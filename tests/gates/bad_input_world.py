"""The world of the bad-input matrix: the deployed suite with a payer holding money, a payee, a VAT merchant,
keystores in a home of their own, deployment-record folders (the real one, an empty one, a foreign one),
a dead RPC URL, and helpers to sign, tamper with and replay offline payments.

Imported by name (``from bad_input_world import ...``): conftest modules cannot be imported reliably.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from click.testing import CliRunner
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3

from tenge.cli.main import cli
from tenge.payments.client import VatPaymentsClient
from tenge.session import Session
from tenge.token.client import DigitalTengeClient
from tenge.token.offline import sign_offline_payment
from tenge.toolchain.anvil import dev_keys, free_port

# Dev accounts (their keys are anvil's public ones).
ADMIN, BANK, PAYER, PAYEE, SHOP, OPS, LEAKY = 0, 1, 2, 3, 4, 7, 8
SHOP_ID = 7001
#: The bridge of the bad-input world: its validators (test keys from a public phrase), threshold and stand-in peer.
BRIDGE_VALIDATORS = [Account.from_key(keccak(text=f"bad-input bridge validator {i}")) for i in range(5)]
BRIDGE_THRESHOLD = 3
PEER_CHAIN = 97
PEER_BRIDGE = "0x" + "b7" * 20
PASSWORD = "correct horse battery staple"
OPENING_BALANCE = Decimal("1000.00")
ALL_DEV_KEYS = dev_keys(10)


def rpc(w3: Web3, method: str, params: list[Any] | None = None) -> Any:
    reply = w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def key_hex(account: LocalAccount) -> str:
    return bytes(account.key).hex()


#: A key pasted where an alias belongs (the output is checked for every dev key: it must not appear).
PASTED_KEY = "0x" + key_hex(ALL_DEV_KEYS[OPS])


@dataclass
class BadWorld:
    rpc_url: str
    record_dir: Path
    home: Path
    empty_records: Path
    foreign_records: Path
    w3: Web3
    #: values a case's setup leaves for its CLI and SDK parts (offline strings ...)
    vars: dict[str, str] = field(default_factory=dict)

    def records_with(self, name: str, change: Callable[[dict[str, Any]], None]) -> str:
        """A folder holding the deployment record as deployed, with ``change`` applied to it."""
        folder = self.home.parent / name
        folder.mkdir(exist_ok=True)
        record = json.loads((self.record_dir / "local.json").read_text())
        change(record)
        (folder / "local.json").write_text(json.dumps(record))
        return str(folder)

    def config(self, name: str, text: str) -> str:
        """A configuration file with ``text`` (``tenge.toml`` in a folder of its own)."""
        folder = self.home.parent / name
        folder.mkdir(exist_ok=True)
        (folder / "tenge.toml").write_text(text)
        return str(folder / "tenge.toml")

    @property
    def not_a_checkout(self) -> str:
        """A folder with no contracts/ and no node_modules/: what a wheel install has instead of a checkout."""
        folder = self.home.parent / "not-a-checkout"
        folder.mkdir(exist_ok=True)
        return str(folder)

    @property
    def dead_url(self) -> str:
        return f"http://127.0.0.1:{free_port()}"

    def address(self, index: int) -> str:
        return str(ALL_DEV_KEYS[index].address)

    def key(self, index: int) -> LocalAccount:
        return ALL_DEV_KEYS[index]

    # --- the SDK, as an integrator uses it ---------------------------------------------------------------

    def session(self, index: int, **kwargs: Any) -> Session:
        options: dict[str, Any] = {"account": f"dev:{index}", "rpc_url": self.rpc_url, **kwargs}
        return Session.open(options.pop("network", "local"), **options)

    def token(self, index: int) -> DigitalTengeClient:
        return self.session(index).token()

    def bridge(self, index: int) -> Any:
        return self.session(index).bridge()

    def vat(self, index: int) -> VatPaymentsClient:
        return self.session(index).payments()

    def block_time(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    # --- what proves nothing reached the chain ---------------------------------------------------------

    def chain_state(self) -> tuple[int, list[int]]:
        """The block number and every dev account's nonce."""
        return self.w3.eth.block_number, [self.w3.eth.get_transaction_count(k.address) for k in ALL_DEV_KEYS]

    # --- offline payments -----------------------------------------------------------------------------

    def token_payment(self, *, valid_for: int = 3600, age: int = 0, amount: str = "1.00") -> str:
        """A dtenge1: string from the payer to the payee, signed at chain time minus ``age``."""
        domain = self.token(PAYEE).domain
        payment = sign_offline_payment(
            self.key(PAYER), domain, to=self.address(PAYEE), amount=amount,
            valid_for_seconds=valid_for, now=self.block_time() - age,
        )  # fmt: skip
        return payment.encode()

    def inbound_transfer(self, amount: str = "1.00") -> Any:
        """A transfer from the stand-in BNB-side peer to the payee here (nonce 0)."""
        from tenge.bridge.messages import BridgeTransfer

        home = self.session(PAYEE).bridge()
        return BridgeTransfer(PEER_CHAIN, PEER_BRIDGE, int(self.w3.eth.chain_id), home.address, 0,
                              self.address(PAYER), self.address(PAYEE), Decimal(amount))  # fmt: skip

    def signature_files(self, name: str, kind: str, transfer: Any, signers: list[LocalAccount]) -> str:
        """Signature files of ``signers`` over ``transfer`` in a folder ``name``; returns the folder."""
        home = self.session(PAYEE).bridge()
        folder = self.home / "signatures" / name
        for validator in signers:
            home.sign(kind, validator, transfer).save(folder)  # type: ignore[arg-type]
        return str(folder)

    def vat_payment(self, invoice: str = "BAD-INPUT-1") -> str:
        """A dtvat1: string: the payer pays the shop 11.60 for ``invoice``."""
        payment = self.vat(PAYER).sign_offline_payment(SHOP_ID, "11.60", invoice, now=self.block_time())
        return payment.encode()


#: An address with no code on the devnet.
NO_CODE = "0x000000000000000000000000000000000000dEaD"


def port_of(w: BadWorld) -> str:
    """The port of the test devnet (started by the test session, not by `tenge devnet up`)."""
    return w.rpc_url.rsplit(":", 1)[1]


def token_at(address: str) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        record["contracts"]["DigitalTenge"]["address"] = address

    return change


def token_at_vat(record: dict[str, Any]) -> None:
    record["contracts"]["DigitalTenge"]["address"] = record["contracts"]["VatPayments"]["address"]


def flip_char(text: str, prefix: str) -> str:
    """``text`` with one character of its payload changed: the checksum no longer matches."""
    position = len(prefix) + 40
    replacement = "A" if text[position] != "A" else "B"
    return text[:position] + replacement + text[position + 1 :]


def altered_amount(text: str, prefix: str, offset: int) -> str:
    """``text`` with its 16-byte amount at ``offset`` raised by 1 tiyn and the checksum recomputed:
    well formed, but the signature no longer covers it."""
    payload = text[len(prefix) :]
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body = raw[:-4]
    value = int.from_bytes(body[offset : offset + 16], "big") + 1
    body[offset : offset + 16] = value.to_bytes(16, "big")
    encoded = bytes(body) + bytes(keccak(bytes(body))[:4])
    return prefix + base64.urlsafe_b64encode(encoded).rstrip(b"=").decode("ascii")


#: Where the amount sits in each string's binary layout (see tenge.token.offline, tenge.payments.offline).
TOKEN_AMOUNT_OFFSET = 1 + 8 + 20 + 20 + 20
VAT_AMOUNT_OFFSET = 1 + 8 + 20 + 20 + 20 + 8 + 1 + 32


def build_world(suite: Any, tmp: Path) -> BadWorld:
    """The suite as deployed plus money, a merchant, keystores and record folders (see the module doc), and a home
    bridge (in a copy of the record: the suite's own record stays as deployed)."""
    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    records = tmp / "records"
    records.mkdir()
    (records / "local.json").write_text((suite.record_dir / "local.json").read_text())
    world = BadWorld(suite.rpc_url, records, tmp / "home", tmp / "no-records", tmp / "foreign-records", w3)
    admin = suite.session(ADMIN)
    token, vat = admin.token(), admin.payments()
    token.grant_role("MINTER_ROLE", world.address(BANK))
    token.set_minter_allowance(world.address(BANK), OPENING_BALANCE)
    for index, tier in ((BANK, 3), (PAYER, 2), (PAYEE, 2), (SHOP, 3)):
        token.set_tier(world.address(index), tier)
    suite.session(BANK).token().mint(world.address(PAYER), OPENING_BALANCE)
    vat.register_merchant(SHOP_ID, world.address(SHOP), vat_registered=True, default_category=1)

    _bridge(world)
    world.empty_records.mkdir()
    world.foreign_records.mkdir()
    record = json.loads((suite.record_dir / "local.json").read_text())
    (world.foreign_records / "local.json").write_text(json.dumps({**record, "chainId": 5}))
    _keystores(world)
    return world


def _bridge(world: BadWorld) -> None:
    """A home bridge on this chain from the deploy plan's own steps, serving a (stand-in) BNB-side peer."""
    from tenge.chain.networks import get_network
    from tenge.chain.transactions import TxSender
    from tenge.deploy.bridge_config import parse_bridge_config
    from tenge.deploy.bridge_steps import bridge_steps
    from tenge.deploy.deployer import Deployer
    from tenge.deploy.plan import DeployPlan
    from tenge.deploy.record import DeploymentRecord

    bucket = {"capacity": "1000.00", "refill_per_second": "1.00"}
    config = parse_bridge_config({
        "home": "local", "validators": [v.address for v in BRIDGE_VALIDATORS], "threshold": BRIDGE_THRESHOLD,
        "limits": {"inbound": bucket, "outbound": bucket},
        "remotes": {"bnb-stand-in": {"chain_id": PEER_CHAIN, "bridge": PEER_BRIDGE}},
        # The admin also limits and pauses here: the queue's refusals are reached past the role checks.
        "roles": {"RATE_LIMITER_ROLE": ["deployer"], "PAUSER_ROLE": ["deployer"]},
    })  # fmt: skip
    record = DeploymentRecord.load("local", world.record_dir)
    assert record is not None
    sender = TxSender(world.w3, world.key(ADMIN), get_network("local"))
    Deployer(sender, record).run(DeployPlan("bridge", bridge_steps(config, "local", world.address(ADMIN), 3)))


def _keystores(world: BadWorld) -> None:
    """'ops' (dev key 7, mode 600) and 'leaky' (dev key 8, then chmod 644), imported with the CLI."""
    runner = CliRunner(mix_stderr=False)
    for alias, index in (("ops", OPS), ("leaky", LEAKY)):
        env = {"TENGE_HOME": str(world.home), "TENGE_IMPORT_KEY": "0x" + key_hex(world.key(index)), "TENGE_KEYSTORE_PASSWORD": PASSWORD}
        result = runner.invoke(cli, ["accounts", "import", alias], env=env)
        assert result.exit_code == 0, result.stderr
    (world.home / "keystores" / "leaky.json").chmod(0o644)
