"""The world the access-control matrix runs in: the deployed suite with each role on an account of its own.

Built once on top of the freshly deployed suite (where the deployer holds every role but MINTER):
the deployer hands every token role but the admin to its own account and keeps only DEFAULT_ADMIN_ROLE;
VatPayments gets its own tax authority, registrar, pauser and treasury, and its admin role is handed over
(two steps, after the delay) to an account of its own; merchant 1 is registered and paid once; a foreign
token sits in the token contract (for rescueERC20).

Callers other than the deployer are deterministic keys of their own (funded with anvil_setBalance), so
they never collide with the dev accounts other tests use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from access_matrix import (
    CALLER_KEYS,
    HOME_BRIDGE,
    INVOICE,
    MERCHANT_ID,
    PEER_CHAIN,
    REMOTE_BRIDGE,
    REMOTE_HOME_CHAIN,
    TOKEN,
    VAT,
    role,
)
from access_offline import build_offline
from access_programmes import build_programmes
from access_pvp import build_pvp
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3
from web3.contract import Contract
from web3.types import TxParams

from tenge.chain.networks import Network, get_network
from tenge.chain.transactions import SentTransaction, TxSender
from tenge.contracts import load_artifact
from tenge.deploy.record import DeploymentRecord
from tenge.errors import ContractRevert

#: Accounts the rows act on that never call anything.
FIXTURES = ("holder", "newkey")
TOKEN_ROLE_HOLDERS = {
    "ISSUER_ROLE": "issuer",
    "MINTER_ROLE": "minter",
    "COMPLIANCE_ROLE": "compliance",
    "PAUSER_ROLE": "token-pauser",
    "RESERVE_ATTESTOR_ROLE": "attestor",
    "UPGRADER_ROLE": "upgrader",
    "TOKEN_BRIDGE_ROLE": "token-bridge",
}
VAT_ROLE_HOLDERS = {"TAX_AUTHORITY_ROLE": "tax-authority", "REGISTRAR_ROLE": "registrar", "PAUSER_ROLE": "vat-pauser"}
BRIDGE_ROLE_HOLDERS = {
    "VALIDATOR_MANAGER_ROLE": "validator-manager",
    "RATE_LIMITER_ROLE": "rate-limiter",
    "PAUSER_ROLE": "bridge-pauser",
}
BRIDGES = (HOME_BRIDGE, REMOTE_BRIDGE)
BRIDGE_ADMIN_DELAY = 86400
#: KYC tiers on the token (1 capped, 3 the uncapped business tier).
TIERS = {"minter": 3, "treasury": 3, "payout": 3, "stranger": 1, "holder": 1, "newkey": 1, "sponsor": 3}


def rpc(w3: Web3, method: str, params: list[Any] | None = None) -> Any:
    reply = w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def matrix_key(name: str) -> LocalAccount:
    """A fixed key for caller ``name`` (test-only, derived from a public phrase)."""
    account: LocalAccount = Account.from_key(keccak(text=f"digital tenge access matrix: {name}"))
    return account


@dataclass
class MatrixWorld:
    """Implements access_matrix.Ctx on a devnet."""

    w3: Web3
    network: Network
    deployer: LocalAccount
    record: DeploymentRecord
    keys: dict[str, LocalAccount] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    _contracts: dict[str, Contract] = field(default_factory=dict)

    def account(self, name: str) -> LocalAccount:
        if name == "token-admin":
            return self.deployer
        if name not in self.keys:
            self.keys[name] = matrix_key(name)
        return self.keys[name]

    def address(self, name: str) -> str:
        if name in self.record.contracts:
            return self.record.address(name)
        if name in self.extra:
            return self.extra[name]
        return str(self.account(name).address)

    def contract(self, key: str) -> Contract:
        # Cached: building a web3 contract from a large ABI costs tens of milliseconds.
        if key not in self._contracts:
            entry = self.record.contracts[key]
            abi = load_artifact(entry.get("abi") or entry["artifact"]).abi
            self._contracts[key] = self.w3.eth.contract(address=Web3.to_checksum_address(entry["address"]), abi=abi)
        return self._contracts[key]

    def sender(self, caller: str) -> TxSender:
        # A fresh sender each time: its nonce counter must not outlive an anvil snapshot.
        return TxSender(self.w3, self.account(caller), self.network)

    def block_time(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def advance(self, seconds: int) -> None:
        rpc(self.w3, "evm_increaseTime", [max(seconds, 0)])
        rpc(self.w3, "evm_mine")

    def view(self, contract: str, function: str, *args: Any) -> Any:
        return self.contract(contract).functions[function](*args).call()

    def transaction(self, caller: str, contract: str, function: str, args: tuple[Any, ...]) -> TxParams:
        data = self.contract(contract).encode_abi(function, list(args))
        return {"from": self.address(caller), "to": self.address(contract), "data": data, "value": 0}  # type: ignore[typeddict-item]

    def send(self, caller: str, contract: str, function: str, *args: Any) -> SentTransaction:
        call = self.contract(contract).functions[function](*args)
        return self.sender(caller).send(call, description=f"{caller}: {contract}.{function}")

    def deploy(self, caller: str, artifact: str, *args: Any) -> str:
        address, _ = self.sender(caller).deploy(load_artifact(artifact), list(args))
        return str(address)

    def send_to(self, caller: str, address: str, artifact: str, function: str, *args: Any) -> SentTransaction:
        contract = self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(artifact).abi)
        return self.sender(caller).send(contract.functions[function](*args), description=f"{caller}: {function}")

    def attempt(self, caller: str, contract: str, function: str, args: tuple[Any, ...]) -> ContractRevert | None:
        """Estimate the call from ``caller`` (nothing is sent): None when it would pass, else the decoded error."""
        tx = self.transaction(caller, contract, function, args)
        try:
            self.sender(caller).estimate(tx, description=f"{caller}: {contract}.{function}")
        except ContractRevert as error:
            return error
        return None

    def snapshot(self) -> str:
        return str(rpc(self.w3, "evm_snapshot"))

    def revert(self, snapshot: str) -> None:
        assert rpc(self.w3, "evm_revert", [snapshot]), "anvil failed to roll back"


def build_world(rpc_url: str, record_dir: Any, deployer: LocalAccount) -> MatrixWorld:
    network = get_network("local")
    w3 = Web3(Web3.HTTPProvider(rpc_url))
    record = DeploymentRecord.require("local", w3.eth.chain_id, record_dir)
    world = MatrixWorld(w3, network, deployer, record)
    for name in (*CALLER_KEYS, *FIXTURES):
        if name != "token-admin":
            rpc(w3, "anvil_setBalance", [world.address(name), hex(100 * 10**18)])
    _token(world)
    _vat(world)
    _bridges(world)
    build_programmes(world)
    build_pvp(world)

    build_offline(world)
    return world


def _token(world: MatrixWorld) -> None:
    admin, a = world.deployer.address, world.address
    for role_name, holder in TOKEN_ROLE_HOLDERS.items():
        world.send("token-admin", TOKEN, "grantRole", role(role_name), a(holder))
    for name, tier in TIERS.items():
        world.send("token-admin", TOKEN, "setTier", a(name), tier)
    world.send("token-admin", TOKEN, "setMinterAllowance", a("minter"), 1_000_000)
    world.send("token-admin", TOKEN, "freezeAmount", a("holder"), 1_000)
    for role_name in TOKEN_ROLE_HOLDERS:
        if role_name != "MINTER_ROLE":
            world.send("token-admin", TOKEN, "renounceRole", role(role_name), admin)
    world.send("minter", TOKEN, "batchMint", [a("holder"), a("stranger"), a("minter")], [10_000, 100_000, 10_000])
    # A foreign ERC-20 sent to the token contract by mistake.
    plain = load_artifact("PlainToken")
    foreign, _ = world.sender("token-admin").deploy(plain, ["Foreign", "FGN", admin, 10**20])
    world.extra["foreign"] = foreign
    token = world.w3.eth.contract(address=Web3.to_checksum_address(foreign), abi=plain.abi)
    world.sender("token-admin").send(token.functions.transfer(a(TOKEN), 10**19), description="mistaken transfer")


def _vat(world: MatrixWorld) -> None:
    admin, a = world.deployer.address, world.address
    for role_name, holder in VAT_ROLE_HOLDERS.items():
        world.send("token-admin", VAT, "grantRole", role(role_name), a(holder))
    world.send("token-admin", VAT, "setTreasury", a("treasury"))
    world.send("token-admin", VAT, "registerMerchant", MERCHANT_ID, a("payout"), True, 1)
    for role_name in ("TAX_AUTHORITY_ROLE", "PAUSER_ROLE"):
        world.send("token-admin", VAT, "renounceRole", role(role_name), admin)
    # The VAT admin role goes to an account of its own: two steps, after the delay.
    world.send("token-admin", VAT, "beginDefaultAdminTransfer", a("vat-admin"))
    _, schedule = world.view(VAT, "pendingDefaultAdmin")
    world.advance(int(schedule) - world.block_time() + 1)
    world.send("vat-admin", VAT, "acceptDefaultAdminTransfer")
    # The stranger pays merchant 1 (VAT goes to escrow); the payout address allows refunds.
    world.send("stranger", TOKEN, "approve", a(VAT), 1_000)
    world.send("stranger", VAT, "pay", MERCHANT_ID, 1_000, 0, INVOICE)
    # ... and invoice 1 of merchant 1's invoice book (refundInvoice's row passes that payment back).
    world.send("stranger", TOKEN, "approve", a(VAT), 1_000)
    world.send("stranger", VAT, "payInvoice", MERCHANT_ID, 1, 1_000, 0, INVOICE)
    world.send("payout", TOKEN, "approve", a(VAT), 2**256 - 1)


def _bridges(world: MatrixWorld) -> None:
    """Both bridges on this one chain (the remote's home is a stand-in chain id): only their access control is
    exercised here; the two-chain behaviour is tests/bridge's. Each role on the account of its own."""
    a = world.address
    deployer = world.sender("bridge-admin")
    for key, args in (
        (HOME_BRIDGE, [a(TOKEN), a("bridge-admin"), BRIDGE_ADMIN_DELAY]),
        (REMOTE_BRIDGE, [a(TOKEN), REMOTE_HOME_CHAIN, a("bridge-admin"), BRIDGE_ADMIN_DELAY]),
    ):
        address, _ = deployer.deploy(load_artifact(key), args)
        world.record.contracts[key] = {"artifact": key, "address": address}  # in memory only: never saved
        for role_name, holder in BRIDGE_ROLE_HOLDERS.items():
            world.send("bridge-admin", key, "grantRole", role(role_name), a(holder))
        peer = PEER_CHAIN if key == HOME_BRIDGE else REMOTE_HOME_CHAIN
        world.send("bridge-admin", key, "setRemoteBridge", peer, a("newkey"))
        world.send("validator-manager", key, "updateValidators", [], [a("holder"), a("newkey")], 1)
    world.send("compliance", TOKEN, "setTier", a(HOME_BRIDGE), 3)


def role_holders(world: MatrixWorld) -> dict[str, dict[str, list[str]]]:
    """Which caller holds which role on each contract (to prove the world is what the matrix assumes)."""
    holders: dict[str, dict[str, list[str]]] = {}
    bridge_roles = ["DEFAULT_ADMIN_ROLE", *BRIDGE_ROLE_HOLDERS]
    for contract, roles in (
        (TOKEN, ["DEFAULT_ADMIN_ROLE", *TOKEN_ROLE_HOLDERS]),
        (VAT, ["DEFAULT_ADMIN_ROLE", *VAT_ROLE_HOLDERS]),
        *((bridge, bridge_roles) for bridge in BRIDGES),
    ):
        holders[contract] = {
            name: [c for c in CALLER_KEYS if world.view(contract, "hasRole", role(name), world.address(c))] for name in roles
        }
    return holders
