"""A session: one network, its Web3, an optional signer and the deployment record — what SDK clients need.

    from tenge.session import Session
    session = Session.open("bsc-testnet", account="treasury-ops")   # checks the keystore; no password yet
    token = session.token()                                          # checks the recorded code is on chain
    token.balance_of(session.address)                                # reads never unlock the key
    token.transfer(...)                                              # unlocks ($TENGE_KEYSTORE_PASSWORD)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from tenge.chain.code_check import CodeCheck
from tenge.chain.connection import connect
from tenge.chain.networks import Network, get_network
from tenge.chain.pipeline import Pipeline, Progress
from tenge.chain.results import TxResult
from tenge.chain.signers import PasswordPrompt, SignerRef, locate_signer
from tenge.chain.transactions import TxSender
from tenge.contracts import load_artifact
from tenge.deploy.record import DeploymentRecord
from tenge.errors import TengeError

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient
    from tenge.offline.purses import OfflinePursesClient
    from tenge.token.client import DigitalTengeClient
    from tenge.payments.client import VatPaymentsClient
    from tenge.programmes.client import ProgrammesClient
    from tenge.programmes.rewards import RewardsClient
    from tenge.pvp.client import PvPClient


@dataclass
class Session:
    """One network, one account: the entry point of the SDK (``Session.open("bsc-testnet", account="ops")``).

    Its clients (:meth:`token`, :meth:`payments`, :meth:`bridge`, :meth:`pvp`, :meth:`programmes`, :meth:`rewards`) take and
    return Decimal tenge and share its sender, nonces, fee cache and :meth:`pipeline`.
    """

    network: Network
    w3: Web3
    #: The account, checked (network, alias, keystore mode) but not unlocked; None for a read-only session.
    account: SignerRef | None = None
    #: Where the deployment record lives; default ``deployments/`` (or ``$TENGE_DEPLOYMENTS_DIR``).
    record_dir: Path | None = None
    #: The keystore password, if known up front (else ``$TENGE_KEYSTORE_PASSWORD``, then ``password_prompt``).
    password: str | None = field(default=None, repr=False)
    #: Asks for the keystore password the first time something is signed (the CLI's hidden prompt).
    password_prompt: PasswordPrompt | None = field(default=None, repr=False)
    #: Called once with the sender when it is created (the CLI journals and prints progress through it).
    sender_hook: Callable[[TxSender], None] | None = field(default=None, repr=False)
    _sender: TxSender | None = field(default=None, init=False, repr=False)
    _code: CodeCheck | None = field(default=None, init=False, repr=False)
    _pipeline: Pipeline | None = field(default=None, init=False, repr=False)
    #: key -> (w3, address, ABI name, contract): web3 builds a contract's function table from its ABI (about a second
    #: for the token's on a loaded 2-core machine), so each client reuses the one of its session.
    _contracts: dict[str, tuple[Web3, str, str, Contract]] = field(default_factory=dict, init=False, repr=False)

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
        password_prompt: PasswordPrompt | None = None,
        sender_hook: Callable[[TxSender], None] | None = None,
    ) -> "Session":
        """Check the account (no password needed), then connect (checking the chain id).

        A keystore is unlocked only when the first transaction or signature needs it: with ``password``,
        else ``$TENGE_KEYSTORE_PASSWORD``, else ``password_prompt``. Reads never unlock a key.
        """
        net = get_network(network) if isinstance(network, str) else network
        ref = None if read_only else locate_signer(net, account)
        w3 = connect(net, rpc_url=rpc_url)
        return cls(net, w3, ref, record_dir, password, password_prompt, sender_hook)

    @property
    def address(self) -> str:
        """The session account's address (read without unlocking anything)."""
        if self.account is None:
            raise TengeError("this session is read-only; open it with an account to send transactions")
        return self.account.address

    @property
    def signer(self) -> TxSender:
        """The sender of this session's transactions; unlocks the key the first time."""
        if self._sender is None:
            if self.account is None:
                raise TengeError("this session is read-only; open it with an account to send transactions")
            key = self.account.unlock(self.password, self.password_prompt)
            self._sender = TxSender(self.w3, key, self.network)
            if self.sender_hook is not None:
                self.sender_hook(self._sender)
        return self._sender

    @contextmanager
    def pipeline(self, *, progress: Progress | None = None) -> Iterator[Pipeline]:
        """Send this session's writes without waiting for each; collect every receipt when the block ends.

        Inside the block each client write is estimated (against the pending state), signed and sent, and
        returns a :class:`TxResult` at once; its receipt, fee and events are there when the block ends. A write
        the contract would reject raises its decoded error (nothing sent for it); the ones sent before are still
        collected, and the error's message (and its ``report``) tells what was mined, reverted or is pending.
        Writes that mined but reverted raise :class:`~tenge.chain.pipeline.PipelineFailed` at the end.
        ``progress(settled, sent)`` is called as receipts come in.
        """
        if self._pipeline is not None:
            raise TengeError("a pipeline is already open on this session")
        pipeline = Pipeline(self.signer, progress=progress)
        self._pipeline = pipeline
        try:
            with pipeline:
                yield pipeline
        finally:
            self._pipeline = None

    def write(self, call: ContractFunction, description: str) -> TxResult:
        """Send ``call`` (estimated first: a revert raises its decoded error and nothing is sent); waits for it,
        or inside :meth:`pipeline` returns as soon as it is sent."""
        symbol = self.network.native_symbol
        if self._pipeline is not None:
            return TxResult.from_pending(self._pipeline.submit(call, description=description), fee_symbol=symbol, w3=self.w3)
        return TxResult.from_sent(self.signer.send(call, description=description), fee_symbol=symbol, w3=self.w3)

    @cached_property
    def record(self) -> DeploymentRecord:
        """This network's deployment record (addresses, code hashes); an error names what is missing."""
        return DeploymentRecord.require(self.network.name, self.w3.eth.chain_id, self.record_dir)

    def contract(self, key: str) -> Contract:
        """The deployed contract recorded as ``key``, with its (implementation's) ABI.

        Its code is checked against the record's code hash once per session (all recorded contracts in
        one batched request), so a record left over from a restarted devnet is refused before any call.
        """
        entry = self.record.contracts.get(key)
        address = self.record.address(key)
        if self._code is None:
            self._code = CodeCheck(self.w3, self.record)
        self._code.require(key)
        abi_name = (entry or {}).get("abi") or (entry or {})["artifact"]
        cached = self._contracts.get(key)
        if cached is not None and cached[0] is self.w3 and cached[1] == address and cached[2] == abi_name:
            return cached[3]
        contract = self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(abi_name).abi)
        self._contracts[key] = (self.w3, address, abi_name, contract)
        return contract

    def token(self) -> "DigitalTengeClient":
        """The DigitalTenge token of this network's deployment record."""
        from tenge.token.client import DigitalTengeClient

        return DigitalTengeClient(self)

    def payments(self) -> "VatPaymentsClient":
        """VAT payments of this network's deployment record (merchants, rates, pay, refund, reports)."""
        from tenge.payments.client import VatPaymentsClient

        return VatPaymentsClient(self)

    def bridge(self) -> "BridgeClient":
        """The bridge of this network's deployment (home or BNB-side)."""
        from tenge.bridge.client import BridgeClient

        return BridgeClient(self)

    def pvp(self) -> "PvPClient":
        """Cross-border payment versus payment (FX quotes, pay, interbank settle, corridors) of this network."""
        from tenge.pvp.client import PvPClient

        return PvPClient(self)

    def programmes(self) -> "ProgrammesClient":
        """Purpose-bound programmes of this network's deployment record."""
        from tenge.programmes.client import ProgrammesClient

        return ProgrammesClient(self)

    def offline(self) -> "OfflinePursesClient":
        """Offline purses of this network's deployment record (open, status, revoke, close, settle)."""
        from tenge.offline.purses import OfflinePursesClient

        return OfflinePursesClient(self)

    def rewards(self) -> "RewardsClient":
        """Reward pools of this network's deployment record."""
        from tenge.programmes.rewards import RewardsClient

        return RewardsClient(self)
