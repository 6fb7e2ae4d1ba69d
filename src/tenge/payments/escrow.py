"""The VAT escrow and the treasury: balances, reserve kept for refunds, withdrawals."""

from __future__ import annotations

from decimal import Decimal

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidInput
from tenge.payments.access import VatAccess
from tenge.payments.records import EscrowState, WithdrawalReceipt
from tenge.token.references import reference_to_bytes32
from tenge.token.results import TxResult


class VatEscrow(VatAccess):
    """Escrow and treasury of the VatPayments contract (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    def treasury(self) -> str:
        """The tax treasury's address."""
        return str(self.contract.functions.treasury().call())

    def vat_reserve(self) -> Decimal:
        """The VAT kept in escrow for refunds, in tenge."""
        return from_tiyn(self.contract.functions.vatReserve().call())

    def escrow_balance(self) -> Decimal:
        """The VAT escrow's balance in tenge (VAT collected and not yet withdrawn)."""
        return from_tiyn(self.contract.functions.escrowBalance().call())

    def spendable_escrow(self) -> Decimal:
        """The part of the escrow that can move (compliance may have frozen part or all of it)."""
        return from_tiyn(self.contract.functions.spendableEscrow().call())

    def withdrawable_vat(self) -> Decimal:
        """What the treasury may withdraw now: the escrow's spendable part above the reserve, in tenge."""
        return from_tiyn(self.contract.functions.withdrawableVat().call())

    def escrow_state(self) -> EscrowState:
        """The escrow at a glance: treasury, balance, reserve kept for refunds, withdrawable VAT, pause."""
        return EscrowState(
            self.treasury(), self.escrow_balance(), self.vat_reserve(), self.withdrawable_vat(), self.paused(),
            self.spendable_escrow(),
        )  # fmt: skip

    def set_treasury(self, treasury: str) -> TxResult:
        """Set the tax treasury that withdraws VAT (TAX_AUTHORITY_ROLE)."""
        address = checksum_address(treasury)
        return self._tx(self.contract.functions.setTreasury(address), f"set the VAT treasury to {address}")

    def set_vat_reserve(self, amount: AmountLike) -> TxResult:
        """Set the VAT kept in escrow for refunds, in tenge (TAX_AUTHORITY_ROLE)."""
        value = parse_tenge(amount)
        return self._tx(
            self.contract.functions.setVatReserve(to_tiyn(value)), f"keep {self._fmt(value)} of VAT escrow for refunds"
        )

    def withdraw_vat(self, settlement_ref: str, amount: AmountLike | None = None) -> WithdrawalReceipt:
        """As the treasury, move ``amount`` (default: all withdrawable) of escrowed VAT to the treasury,
        tagged with ``settlement_ref`` (e.g. the tax period, at most 32 bytes)."""
        ref = reference_to_bytes32(settlement_ref)
        if amount is None:
            value = self.withdrawable_vat()
            if value == 0:
                state = self.escrow_state()
                raise InvalidInput(
                    f"no VAT to withdraw: escrow {self._fmt(state.escrow)} ({self._fmt(state.spendable)} spendable), "
                    f"reserve {self._fmt(state.reserve)}; "
                    "nothing was sent"
                )
        else:
            value = parse_tenge(amount)
        sent = self._send(
            self.contract.functions.withdrawVat(to_tiyn(value), ref),
            f"withdraw {self._fmt(value)} of VAT ({settlement_ref!r})",
        )
        (event,) = self._events(sent, "VatWithdrawn")
        return WithdrawalReceipt(
            str(event["treasury"]), from_tiyn(int(event["amount"])), bytes(event["settlementRef"]), self._result(sent)
        )

