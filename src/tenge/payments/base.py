"""The VatPayments client's shared core: the contract, the session account, the token, and how writes are sent.

Every part of :class:`~tenge.payments.client.VatPaymentsClient` (merchants, rates, paying, refunds, escrow)
builds on :class:`VatClientBase`; integers in tiyn appear only where those parts call the contract.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Any

from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from tenge.addresses import checksum_address
from tenge.amounts import format_tenge
from tenge.chain.events import ContractEvents
from tenge.chain.reverts import decode_revert
from tenge.chain.transactions import SentTransaction
from tenge.contracts import load_artifact
from tenge.errors import TengeError
from tenge.session import Session
from tenge.token.client import DigitalTengeClient
from tenge.token.results import TxResult

#: The deployment record key of the VatPayments contract.
VAT_KEY = "VatPayments"


class VatClientBase(ContractEvents):
    """The VatPayments contract of a session's deployment (or at ``address``), and the plumbing its parts share."""

    def __init__(self, session: Session, *, address: str | None = None, deployment_block: int | None = None) -> None:
        """``address`` overrides the deployment record's contract; ``deployment_block`` is where event scans
        (merchant lists, schedules, reports) start when the record cannot tell (default: the record's block)."""
        self.session = session
        self._deployment_block = deployment_block
        self.w3 = session.w3
        self.contract: Contract = (
            session.contract(VAT_KEY)
            if address is None
            else self.w3.eth.contract(
                address=Web3.to_checksum_address(checksum_address(address)), abi=load_artifact("VatPayments").abi
            )
        )
        self.address: str = str(self.contract.address)

    # --- identity -----------------------------------------------------------------------------------

    @property
    def me(self) -> str:
        """The session account's address (no key is unlocked to know it)."""
        return self.session.address

    @cached_property
    def token(self) -> DigitalTengeClient:
        """The token this contract moves (its address is fixed in the contract)."""
        return DigitalTengeClient(self.session, address=str(self.contract.functions.token().call()))

    @cached_property
    def currency(self) -> str:
        """The ISO 4217 code of the token this contract moves (``KZT``)."""
        return self.token.currency

    @cached_property
    def deployment_block(self) -> int:
        """Where event scans start: as given, else the contract's deployment block from the record (0 if unknown)."""
        if self._deployment_block is not None:
            return self._deployment_block
        try:
            entry = self.session.record.contracts.get(VAT_KEY) or {}
        except TengeError:
            return 0
        if str(entry.get("address", "")).lower() != self.address.lower():
            return 0
        return int(entry.get("blockNumber") or 0)

    def _events_start_block(self) -> int:
        return self.deployment_block

    def block_time(self) -> int:
        """The latest block's timestamp (what a view call sees as ``block.timestamp``)."""
        return int(self.w3.eth.get_block("latest")["timestamp"])

    # --- plumbing -----------------------------------------------------------------------------------

    def _events(self, sent: SentTransaction, name: str) -> list[Any]:
        logs = self.contract.events[name]().process_receipt(sent.receipt, errors=DISCARD)
        return [log["args"] for log in logs if log["address"] == self.address]

    def _send(self, call: ContractFunction, description: str) -> SentTransaction:
        return self.session.signer.send(call, description=description)

    def _tx(self, call: ContractFunction, description: str) -> TxResult:
        return self.session.write(call, description)

    def _result(self, sent: SentTransaction) -> TxResult:
        return TxResult.from_sent(sent, fee_symbol=self.session.network.native_symbol, w3=self.w3)

    def _fmt(self, amount: Decimal) -> str:
        return format_tenge(amount, self.currency)


def view(call: ContractFunction, description: str) -> Any:
    """A view call whose revert (a custom error) is raised decoded, like a write's."""
    try:
        return call.call()
    except ContractLogicError as exc:
        raise decode_revert(exc.data if isinstance(exc.data, str) else None, context=description) from None
