"""The chain of `tenge bench offline`: the deployed suite on a throw-away anvil, with the real OfflinePurses.

:class:`PurseChain` deploys the suite (``tenge deploy``'s plan), admits and funds the banks, holders and merchants,
opens the purses (holders' transactions sent back to back, anvil mining each as it arrives) and settles each
terminal with :func:`tenge.offline.settle.settle_terminal` (the SDK path of ``tenge offline settle``: revocations
learned from the chain's events, batches of up to 100, rows marked after the receipt). Every figure the bench
reports about money - paid per merchant, each bank's loss, gas - is read from receipts and chain state.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tenge.bench.chain import BenchChain
from tenge.chain.networks import get_network
from tenge.chain.pipeline import Pipeline
from tenge.chain.roles import role_id_of
from tenge.chain.transactions import TxSender
from tenge.contracts import load_artifact
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.offline.settle import TerminalSettlement, settle_terminal
from tenge.offline.terminal import Terminal
from tenge.offline.types import PurseDomain, SignedCertificate
from tenge.session import Session
from tenge.toolchain.anvil import dev_keys, start_anvil

BUSINESS_TIER = 3
FIRST_MERCHANT_ID = 5_000
#: Holders open their purses in chunks (each holder's transactions back to back, one receipt wait per chunk).
CHUNK = 200


@dataclass(frozen=True)
class Cast:
    admin: LocalAccount
    settler: LocalAccount  # submits the terminals' batches (any account may)
    banks: list[LocalAccount]
    holders: list[LocalAccount]


class PurseChain:
    """The suite deployed on ``rpc_url`` and the accounts of the simulation."""

    def __init__(self, rpc_url: str, record_dir: Path, cast: Cast) -> None:
        self.rpc_url, self.record_dir, self.cast = rpc_url, record_dir, cast
        self.chain = BenchChain(Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 600})), get_network("local"))
        self.w3 = self.chain.w3
        record = DeploymentRecord("local", self.w3.eth.chain_id, path=record_dir / "local.json")
        Deployer(TxSender(self.w3, cast.admin, get_network("local")), record).run(
            suite_plan(load_suite_config("local"), cast.admin.address)
        )
        self.record = record
        self.token = self.chain.at(record.address("DigitalTenge"), load_artifact("DigitalTenge"))
        self.vat = self.chain.at(record.address("VatPayments"), load_artifact("VatPayments"))
        self.purses = self.chain.at(record.address("OfflinePurses"), load_artifact("OfflinePurses"))
        self.session = Session.open("local", account="dev:1", rpc_url=rpc_url, record_dir=record_dir)
        self.client = self.session.offline()
        self.domain = PurseDomain(int(self.w3.eth.chain_id), self.purses.address)

    def rpc(self, method: str, params: list[Any]) -> Any:
        return self.w3.provider.make_request(method, params)["result"]  # type: ignore[arg-type]

    def block_time(self) -> int:
        return self.chain.block_timestamp()

    def warp(self, timestamp: int) -> None:
        """The chain's clock to ``timestamp`` (never backwards): a block is mined at it."""
        if timestamp > self.block_time():
            self.rpc("evm_mine", [timestamp])

    def _send_all(self, account: LocalAccount, calls: Sequence[tuple[Any, str]]) -> None:
        for start in range(0, len(calls), CHUNK):
            with Pipeline(self.chain.sender(account)) as pipeline:
                for call, what in calls[start : start + CHUNK]:
                    pipeline.submit(call, description=what)

    def setup(self, *, merchants: list[str], vat_registered: list[bool], reach: int, max_purse: int, lifetime: int,
              purses_per_holder: int, holder_funds: int, deposit: int) -> list[int]:  # fmt: skip
        """Admit and fund everyone, register the merchants (ids returned), set the banks' limits and deposits."""
        admin, t, v, p = self.cast.admin, self.token.functions, self.vat.functions, self.purses.functions
        for account in [*self.cast.banks, *self.cast.holders]:
            self.rpc("anvil_setBalance", [account.address, hex(10**21)])
        total = holder_funds * len(self.cast.holders) + deposit * len(self.cast.banks)
        calls: list[tuple[Any, str]] = [
            (t.grantRole(role_id_of("MINTER_ROLE"), admin.address), "minter"),
            (t.setMinterAllowance(admin.address, total), "allowance"),
        ]
        ids = [FIRST_MERCHANT_ID + n for n in range(len(merchants))]
        for mid, payout, vat in zip(ids, merchants, vat_registered, strict=True):
            calls += [(t.setTier(payout, BUSINESS_TIER), "tier merchant"),
                      (v.registerMerchant(mid, payout, vat, 1 if vat else 0), "register merchant")]  # fmt: skip
        for holder in self.cast.holders:
            calls += [(t.setTier(holder.address, BUSINESS_TIER), "tier holder"),
                      (t.mint(holder.address, holder_funds), "fund holder")]  # fmt: skip
        for bank in self.cast.banks:
            calls += [(t.setTier(bank.address, BUSINESS_TIER), "tier bank"), (t.mint(bank.address, deposit), "fund bank"),
                      (p.grantRole(role_id_of("ISSUER_ROLE"), bank.address), "issuer"),
                      (p.setBankLimits(bank.address, max_purse, lifetime, purses_per_holder, reach), "limits")]  # fmt: skip
        self._send_all(admin, calls)
        for bank in self.cast.banks:
            self._send_all(bank, [(t.approve(self.purses.address, deposit), "approve"),
                                  (p.depositGuarantee(deposit), "deposit")])  # fmt: skip
        for holder in self.cast.holders:
            self._send_all(holder, [(t.approve(self.purses.address, holder_funds), "approve purses")])
        return ids

    def open_purses(self, by_holder: dict[int, list[SignedCertificate]]) -> None:
        """Each holder opens its purses (its transactions back to back)."""
        p = self.purses.functions
        for holder, certificates in by_holder.items():
            calls = [(p.openPurse((c.certificate.purse_id, c.certificate.device, c.certificate.amount,
                                   c.certificate.expiry, c.certificate.bank), c.signature), "open purse")
                     for c in certificates]  # fmt: skip
            self._send_all(self.cast.holders[holder], calls)

    def settle(self, terminal: Terminal, merchant_id: int) -> TerminalSettlement:
        """What ``tenge offline settle`` does for the terminal: learn revocations, settle, mark."""
        return settle_terminal(self.client, terminal, merchant_id)

    def deposit_of(self, bank: str) -> int:
        return int(self.purses.functions.bank(bank).call()[0])

    def balance_of(self, address: str) -> int:
        return int(self.token.functions.balanceOf(address).call())

    def vat_escrow(self) -> int:
        return self.balance_of(self.vat.address)


@contextmanager
def purse_chain(folder: Path, banks: list[bytes], holders: int) -> Iterator[PurseChain]:
    """A throw-away anvil with the suite deployed; bank keys as given, holders' keys derived."""
    keys = dev_keys(2)
    cast = Cast(keys[0], keys[1], [Account.from_key(k) for k in banks],
                [Account.from_key(Web3.keccak(text=f"bench offline holder {n}")) for n in range(holders)])  # fmt: skip
    with start_anvil() as devnet:
        w3 = Web3(Web3.HTTPProvider(devnet.rpc_url))
        w3.provider.make_request("evm_setBlockGasLimit", [hex(1_000_000_000)])  # type: ignore[arg-type]
        yield PurseChain(devnet.rpc_url, folder, cast)


__all__ = ["PurseChain", "purse_chain"]
