"""VatPaymentsClient: VAT collected by smart contract, from Python, in Decimal tenge.

    from tenge.session import Session
    vat = Session.open("local", account="dev:2").payments()
    vat.quote(1001, "1160.00")                       # Quote(net=1000.00, vat=160.00, rate_bps=1600, ...)
    vat.pay_with_permit(1001, "1160.00", "R-000123")  # PaymentReceipt: the Paid event

Integers in tiyn appear only where this module calls the contract. Every write is estimated first,
so a call the contract (or the token) would reject raises the decoded custom error
(``tenge.errors.MerchantInactive``, ``tenge.errors.AccountFrozen`` ...) and sends nothing.

Paying needs no prior ``approve``: :meth:`pay_with_permit` signs an EIP-2612 permit for the gross and
pays in one transaction; :meth:`pay_with_authorization` signs an EIP-3009 ``ReceiveWithAuthorization``
bound to merchant, category and invoice; :meth:`sign_offline_payment` does the same with no
connection needed by the payer, for the merchant to :meth:`submit_offline_payment` later.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, format_tenge, from_tiyn, parse_tenge, to_tiyn
from tenge.chain.reverts import decode_revert
from tenge.chain.transactions import SentTransaction
from tenge.contracts import load_artifact
from tenge.errors import InvalidInput, TengeError
from tenge.payments import vat_math
from tenge.payments.ids import authorization_nonce, category_id, merchant_id, payment_id
from tenge.payments.invoices import describe_invoice_ref, invoice_ref
from tenge.payments.logs import DEFAULT_CHUNK_BLOCKS, scan_events
from tenge.payments.offline import OfflineVatPayment, decode_offline_vat_payment, sign_offline_vat_payment
from tenge.payments.rates import format_rate
from tenge.payments.records import (
    EscrowState,
    Merchant,
    PaymentReceipt,
    PaymentRecord,
    Quote,
    RateSchedule,
    RefundReceipt,
    WithdrawalReceipt,
)
from tenge.payments.roles import ROLE_NAMES, role_id, role_name
from tenge.session import Session
from tenge.token.authorizations import sign_permit
from tenge.token.client import DEFAULT_PERMIT_SECONDS, DigitalTengeClient
from tenge.token.offline import DEFAULT_VALID_FOR_SECONDS
from tenge.token.references import reference_to_bytes32
from tenge.token.results import TxResult

if TYPE_CHECKING:
    from tenge.payments.periods import Period
    from tenge.payments.report import VatReport

#: The deployment record key of the VatPayments contract.
VAT_KEY = "VatPayments"
#: Default lifetime of an online EIP-3009 payment authorization (signed and submitted at once).
DEFAULT_AUTHORIZATION_SECONDS = 3600

InvoiceLike = str | bytes


def as_invoice_ref(invoice: InvoiceLike) -> bytes:
    """An invoice given as text (see :func:`~tenge.payments.invoices.invoice_ref`) or as 32 bytes."""
    if isinstance(invoice, (bytes, bytearray)):
        if len(invoice) != 32 or bytes(invoice) == bytes(32):
            raise InvalidInput("an invoice reference given as bytes must be 32 bytes and not all zero")
        return bytes(invoice)
    return invoice_ref(invoice)


class VatPaymentsClient:
    """The VatPayments contract of a session's deployment (or at ``address``)."""

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

    def block_time(self) -> int:
        """The latest block's timestamp (what a view call sees as ``block.timestamp``)."""
        return int(self.w3.eth.get_block("latest")["timestamp"])

    # --- roles and pause ----------------------------------------------------------------------------

    def has_role(self, role: str, account: str) -> bool:
        return bool(self.contract.functions.hasRole(role_id(role), checksum_address(account)).call())

    def roles_of(self, account: str) -> list[str]:
        address = checksum_address(account)
        return [name for name in ROLE_NAMES if self.has_role(name, address)]

    def grant_role(self, role: str, account: str) -> TxResult:
        name, account = role_name(role), checksum_address(account)
        return self._tx(self.contract.functions.grantRole(role_id(name), account), f"grant {name} to {account}")

    def revoke_role(self, role: str, account: str) -> TxResult:
        name, account = role_name(role), checksum_address(account)
        return self._tx(self.contract.functions.revokeRole(role_id(name), account), f"revoke {name} from {account}")

    def paused(self) -> bool:
        return bool(self.contract.functions.paused().call())

    def pause(self) -> TxResult:
        return self._tx(self.contract.functions.pause(), "pause VAT payments")

    def unpause(self) -> TxResult:
        return self._tx(self.contract.functions.unpause(), "unpause VAT payments")

    # --- merchants ----------------------------------------------------------------------------------

    def merchant(self, merchant: int) -> Merchant:
        mid = merchant_id(merchant)
        payout, vat_registered, default_category, active, registered = self.contract.functions.merchant(mid).call()
        categories = tuple(int(c) for c in self.contract.functions.merchantCategories(mid).call()) if registered else ()
        return Merchant(
            mid, str(payout), bool(vat_registered), int(default_category), bool(active), bool(registered), categories
        )

    def set_merchant_categories(self, merchant: int, categories: Iterable[int]) -> TxResult:
        """Allow merchant ``merchant`` to be paid under ``categories`` besides its default (replaces the set;
        empty: its default only). REGISTRAR_ROLE or TAX_AUTHORITY_ROLE; a payment under any other is refused."""
        mid, cids = merchant_id(merchant), self.check_categories(categories)
        shown = ", ".join(map(str, cids)) or "none"
        return self._tx(
            self.contract.functions.setMerchantCategories(mid, cids), f"allow merchant {mid} categories: {shown}"
        )

    def check_categories(self, categories: Iterable[int]) -> list[int]:
        """``categories`` as a merchant's allowed set (sorted, no repeats), each a scheduled category; refused here,
        before anything is sent, otherwise (so a register-then-allow sequence never stops half-way)."""
        cids = sorted({category_id(c) for c in categories})
        for cid in cids:
            has_current, _, has_pending, _, _ = self.contract.functions.rateSchedule(cid).call()
            if cid == 0 or not (has_current or has_pending):
                raise InvalidInput(f"VAT category {cid} has no rate scheduled: a merchant cannot be allowed it; nothing was sent")
        return cids

    def register_merchant(
        self, merchant: int, payout: str, *, vat_registered: bool = True, default_category: int = 1
    ) -> TxResult:
        """Register merchant ``merchant`` (active). A VAT-registered merchant needs a scheduled default category."""
        mid, payout, category = merchant_id(merchant), checksum_address(payout), category_id(default_category)
        return self._tx(
            self.contract.functions.registerMerchant(mid, payout, bool(vat_registered), category),
            f"register merchant {mid} (payout {payout}, {'VAT-registered' if vat_registered else 'not VAT-registered'}, "
            f"category {category})",
        )

    def update_merchant(
        self,
        merchant: int,
        *,
        payout: str | None = None,
        vat_registered: bool | None = None,
        default_category: int | None = None,
    ) -> TxResult:
        """Change payout address, VAT registration and/or default category; what is not given stays."""
        current = self.merchant(merchant)
        if not current.registered:
            # Let the contract say it (UnknownMerchant), from the estimate: nothing is sent.
            current = Merchant(current.merchant_id, self.me, False, 0, False, False)
        new_payout = current.payout if payout is None else checksum_address(payout)
        new_registered = current.vat_registered if vat_registered is None else bool(vat_registered)
        new_category = current.default_category if default_category is None else category_id(default_category)
        return self._tx(
            self.contract.functions.updateMerchant(current.merchant_id, new_payout, new_registered, new_category),
            f"update merchant {current.merchant_id}",
        )

    def set_merchant_active(self, merchant: int, active: bool) -> TxResult:
        mid = merchant_id(merchant)
        return self._tx(
            self.contract.functions.setMerchantActive(mid, bool(active)),
            f"{'activate' if active else 'deactivate'} merchant {mid}",
        )

    def activate_merchant(self, merchant: int) -> TxResult:
        return self.set_merchant_active(merchant, True)

    def deactivate_merchant(self, merchant: int) -> TxResult:
        return self.set_merchant_active(merchant, False)

    def merchants(self, *, chunk_blocks: int = DEFAULT_CHUNK_BLOCKS) -> list[Merchant]:
        """Every registered merchant (found from ``MerchantRegistered`` events), as the registry holds it now."""
        events = scan_events(
            self.contract, ["MerchantRegistered"], self.deployment_block, int(self.w3.eth.block_number),
            chunk_blocks=chunk_blocks,
        )  # fmt: skip
        ids = sorted({int(e.args["merchantId"]) for e in events})
        return [self.merchant(mid) for mid in ids]

    # --- rates --------------------------------------------------------------------------------------

    def schedule_rate(self, category: int, rate_bps: int, effective_from: int | None = None) -> TxResult:
        """Rate ``rate_bps`` for ``category`` from ``effective_from`` (unix seconds; None or past: at once)."""
        cid, bps = category_id(category), vat_math.check_rate_bps(rate_bps)
        when = 0 if effective_from is None else int(effective_from)
        if not 0 <= when <= 2**64 - 1:
            raise InvalidInput(f"effective-from {effective_from} is not a unix time")
        shown = "now" if when == 0 else f"from {when}"
        return self._tx(
            self.contract.functions.scheduleRate(cid, bps, when), f"schedule {format_rate(bps)} for category {cid} {shown}"
        )

    def cancel_rate_change(self, category: int) -> TxResult:
        cid = category_id(category)
        return self._tx(self.contract.functions.cancelRateChange(cid), f"cancel the pending rate change of category {cid}")

    def label_category(self, category: int, label: str) -> TxResult:
        cid = category_id(category)
        if not str(label).strip():
            raise InvalidInput("a category label cannot be empty")
        return self._tx(self.contract.functions.labelCategory(cid, str(label).strip()), f"label category {cid}")

    def rate_in_force(self, category: int) -> int:
        """The rate of ``category`` in force at the latest block, in basis points."""
        cid = category_id(category)
        return int(_view(self.contract.functions.rateInForce(cid), f"rate in force of category {cid}"))

    def rate_schedule(self, category: int, *, label: str | None = None) -> RateSchedule:
        cid = category_id(category)
        has_current, current, has_pending, pending, pending_from = self.contract.functions.rateSchedule(cid).call()
        return RateSchedule(
            cid,
            int(current) if has_current else None,
            int(pending) if has_pending else None,
            int(pending_from) if has_pending else None,
            label,
        )

    def category_labels(self, *, chunk_blocks: int = DEFAULT_CHUNK_BLOCKS) -> dict[int, str]:
        """category id -> its latest label (labels live in ``CategoryLabelled`` events only)."""
        events = scan_events(
            self.contract, ["CategoryLabelled"], self.deployment_block, int(self.w3.eth.block_number),
            chunk_blocks=chunk_blocks,
        )  # fmt: skip
        return {int(e.args["categoryId"]): str(e.args["label"]) for e in events}

    def rate_schedules(self, *, chunk_blocks: int = DEFAULT_CHUNK_BLOCKS) -> list[RateSchedule]:
        """Every category ever scheduled (from ``RateScheduled`` events), with its label and schedule now."""
        events = scan_events(
            self.contract, ["RateScheduled", "CategoryLabelled"], self.deployment_block, int(self.w3.eth.block_number),
            chunk_blocks=chunk_blocks,
        )  # fmt: skip
        labels = {int(e.args["categoryId"]): str(e.args["label"]) for e in events if e.name == "CategoryLabelled"}
        ids = sorted({int(e.args["categoryId"]) for e in events if e.name == "RateScheduled"})
        return [self.rate_schedule(cid, label=labels.get(cid)) for cid in ids]

    # --- quotes and payment records -----------------------------------------------------------------

    @staticmethod
    def split(gross: AmountLike, rate_bps: int) -> tuple[Decimal, Decimal]:
        """(net, VAT) of a VAT-inclusive ``gross`` at ``rate_bps``, by the contract's rounding rule."""
        gross_tiyn = to_tiyn(gross)
        if gross_tiyn > vat_math.MAX_PAYMENT_TIYN:
            raise InvalidInput(f"{gross} is above what a payment can hold (2^96 - 1 tiyn)")
        net, vat = vat_math.split_gross(gross_tiyn, rate_bps)
        return from_tiyn(net), from_tiyn(vat)

    def quote(self, merchant: int, gross: AmountLike, category: int = 0) -> Quote:
        """How ``gross`` would split if paid now: the merchant's registration and the rate in force at the
        latest block, split in Python by the contract's rule (a payment mined later can meet a rate change)."""
        record = self.merchant(merchant)
        value = parse_tenge(gross, allow_zero=False)
        cid = category_id(category)
        if not record.registered or not record.active or cid not in (0, *record.categories):
            # Let the contract name it (UnknownMerchant / MerchantInactive / CategoryNotAllowed).
            _view(self.contract.functions.quote(record.merchant_id, to_tiyn(value), cid), "quote")
        applied = record.default_category if cid == 0 else cid
        rate = self.rate_in_force(applied) if record.vat_registered else 0
        net, vat = self.split(value, rate)
        return Quote(record.merchant_id, from_tiyn(to_tiyn(value)), net, vat, rate, applied)

    def payment_id(self, merchant: int, payer: str, invoice: InvoiceLike) -> bytes:
        return payment_id(merchant, payer, as_invoice_ref(invoice))

    def payment(self, merchant: int, payer: str, invoice: InvoiceLike) -> PaymentRecord:
        pid = self.payment_id(merchant, payer, invoice)
        return self.payment_by_id(pid)

    def payment_by_id(self, pid: bytes) -> PaymentRecord:
        gross, vat, rate, refunded = self.contract.functions.payment(bytes(pid)).call()
        return PaymentRecord(bytes(pid), from_tiyn(gross), from_tiyn(vat), int(rate), from_tiyn(refunded))

    # --- paying -------------------------------------------------------------------------------------

    def pay(self, merchant: int, gross: AmountLike, invoice: InvoiceLike, *, category: int = 0) -> PaymentReceipt:
        """Pay from the signer through its existing allowance to this contract (see the approve-less methods)."""
        mid, value, ref, cid = self._payment_args(merchant, gross, invoice, category)
        sent = self._send(
            self.contract.functions.pay(mid, to_tiyn(value), cid, ref), self._describe_payment(mid, value, ref)
        )
        return self._paid(sent)

    def pay_with_permit(
        self, merchant: int, gross: AmountLike, invoice: InvoiceLike, *, category: int = 0, deadline: int | None = None
    ) -> PaymentReceipt:
        """Pay from the signer with an EIP-2612 permit for the gross, signed here: no prior approve."""
        mid, value, ref, cid = self._payment_args(merchant, gross, invoice, category)
        payer = self.session.signer.account
        when = self.block_time() + DEFAULT_PERMIT_SECONDS if deadline is None else int(deadline)
        signed = sign_permit(
            payer, self.token.domain, spender=self.address, value=value,
            nonce=self.token.permit_nonce(payer.address), deadline=when,
        )  # fmt: skip
        sig = signed.signature
        sent = self._send(
            self.contract.functions.payWithPermit(mid, to_tiyn(value), cid, ref, when, sig.v, sig.r, sig.s),
            self._describe_payment(mid, value, ref) + " with a permit",
        )
        return self._paid(sent)

    def pay_with_authorization(
        self,
        merchant: int,
        gross: AmountLike,
        invoice: InvoiceLike,
        *,
        category: int = 0,
        valid_for_seconds: int = DEFAULT_AUTHORIZATION_SECONDS,
    ) -> PaymentReceipt:
        """Pay from the signer with an EIP-3009 authorization signed here and submitted at once."""
        payment = self.sign_offline_payment(
            merchant, gross, invoice, category=category, valid_for_seconds=valid_for_seconds, now=self.block_time()
        )
        return self.submit_offline_payment(payment)

    def sign_offline_payment(
        self,
        merchant: int,
        gross: AmountLike,
        invoice: InvoiceLike,
        *,
        category: int = 0,
        valid_for_seconds: int = DEFAULT_VALID_FOR_SECONDS,
        now: int | None = None,
    ) -> OfflineVatPayment:
        """Sign as this session's signer a payment the merchant submits later (``.encode()`` gives the string).

        For signing on a device with no connection use
        :func:`tenge.payments.offline.sign_offline_vat_payment` with the domain from the deployment record.
        """
        mid, value, ref, cid = self._payment_args(merchant, gross, invoice, category)
        return sign_offline_vat_payment(
            self.session.signer.account, self.token.domain, vat_payments=self.address, merchant=mid, gross=value,
            invoice_ref=ref, category=cid, valid_for_seconds=valid_for_seconds, now=now,
        )  # fmt: skip

    def decode_offline_payment(self, text: str) -> OfflineVatPayment:
        """Decode and verify an offline VAT payment string for this deployment (nothing is sent)."""
        return decode_offline_vat_payment(text, self.token.domain, self.address)

    def submit_offline_payment(self, payment: str | OfflineVatPayment) -> PaymentReceipt:
        """Verify (chain, token, contract, signature) and submit; the signer pays the gas (anyone may submit)."""
        if isinstance(payment, str):
            payment = self.decode_offline_payment(payment)
        else:
            payment.verify(self.token.domain, self.address)
        auth, sig = payment.authorization, payment.signed.signature
        sent = self._send(
            self.contract.functions.payWithAuthorization(
                auth.from_address, payment.merchant_id, auth.value_tiyn, payment.category_id, payment.invoice_ref,
                auth.valid_after, auth.valid_before, sig.v, sig.r, sig.s,
            ),  # fmt: skip
            self._describe_payment(payment.merchant_id, auth.value, payment.invoice_ref)
            + f" authorized by {auth.from_address}",
        )
        return self._paid(sent)

    def authorization_nonce(self, merchant: int, category: int, invoice: InvoiceLike) -> bytes:
        return authorization_nonce(self.address, merchant, category, as_invoice_ref(invoice))

    # --- refunds ------------------------------------------------------------------------------------

    def refund(
        self,
        merchant: int,
        payer: str,
        invoice: InvoiceLike,
        amount: AmountLike | None = None,
        *,
        approve: bool = True,
    ) -> RefundReceipt:
        """Refund ``amount`` (default: all that is left) of a payment, as the merchant's payout address.

        The net part comes from the signer through its allowance to this contract; with ``approve`` an
        approval of exactly the net part is sent first when the allowance is short - but only when the
        contract's own checks would pass, so a refund the contract refuses (``RefundExceedsPayment``,
        ``UnknownPayment``, ``NotMerchantPayout`` ...) is refused from the estimate with nothing sent.
        """
        mid, payer, ref = merchant_id(merchant), checksum_address(payer), as_invoice_ref(invoice)
        record = self.payment(mid, payer, ref)
        if amount is None:
            if record.exists and record.refundable == 0:
                raise InvalidInput(f"payment 0x{record.payment_id.hex()} is already refunded in full; nothing was sent")
            amount_tiyn = to_tiyn(record.refundable)
        else:
            amount_tiyn = to_tiyn(amount)
        preparations: list[TxResult] = []
        if approve:
            approval = self._refund_approval(mid, record, amount_tiyn)
            if approval is not None:
                preparations.append(self.token.approve(self.address, from_tiyn(approval)))
        sent = self._send(
            self.contract.functions.refund(mid, payer, ref, amount_tiyn),
            f"refund {self._fmt(from_tiyn(amount_tiyn))} of invoice {describe_invoice_ref(ref)} to {payer}",
        )
        (event,) = [e for e in self._events(sent, "Refunded") if bytes(e["paymentId"]) == record.payment_id]
        recovered = [str(e["recipient"]) for e in self._events(sent, "RefundToRecoveredWallet")]
        return RefundReceipt.from_event(
            event, TxResult.from_sent(sent), tuple(preparations), recovered[0] if recovered else None
        )

    def _refund_approval(self, merchant: int, record: PaymentRecord, amount_tiyn: int) -> int | None:
        """The allowance the refund needs when the signer's is short and the contract's checks pass, else None."""
        gross, refunded = to_tiyn(record.gross), to_tiyn(record.refunded)
        if not record.exists or not 0 < amount_tiyn <= gross - refunded or self.paused():
            return None
        if self.merchant(merchant).payout != self.me:
            return None
        net, vat_part = vat_math.refund_split(gross, to_tiyn(record.vat), refunded, amount_tiyn)
        escrow = to_tiyn(self.spendable_escrow())  # a frozen part of the escrow cannot fund a refund
        if vat_part and escrow < vat_part:
            treasury = self.treasury()
            backstop = to_tiyn(self.token.allowance(treasury, self.address)) if int(treasury, 16) else 0
            if backstop < vat_part:
                return None  # VatRefundUnfunded: the contract says so from the estimate
            held = to_tiyn(self.token.balance_of(treasury))
            if held < vat_part:
                # The contract takes the whole VAT part from one side; the token would refuse the treasury's
                # transfer only after the merchant's, so say it here, before any approval is sent.
                raise TengeError(
                    f"the refund's VAT part {self._fmt(from_tiyn(vat_part))} must come from the treasury "
                    f"(the escrow can spend {self._fmt(from_tiyn(escrow))}), but the treasury {treasury} holds "
                    f"{self._fmt(from_tiyn(held))}; nothing was sent"
                )
        if net == 0 or to_tiyn(self.token.allowance(self.me, self.address)) >= net:
            return None
        return net

    # --- treasury and escrow ------------------------------------------------------------------------

    def treasury(self) -> str:
        return str(self.contract.functions.treasury().call())

    def vat_reserve(self) -> Decimal:
        return from_tiyn(self.contract.functions.vatReserve().call())

    def escrow_balance(self) -> Decimal:
        return from_tiyn(self.contract.functions.escrowBalance().call())

    def spendable_escrow(self) -> Decimal:
        """The part of the escrow that can move (compliance may have frozen part or all of it)."""
        return from_tiyn(self.contract.functions.spendableEscrow().call())

    def withdrawable_vat(self) -> Decimal:
        return from_tiyn(self.contract.functions.withdrawableVat().call())

    def escrow_state(self) -> EscrowState:
        return EscrowState(
            self.treasury(), self.escrow_balance(), self.vat_reserve(), self.withdrawable_vat(), self.paused(),
            self.spendable_escrow(),
        )  # fmt: skip

    def set_treasury(self, treasury: str) -> TxResult:
        address = checksum_address(treasury)
        return self._tx(self.contract.functions.setTreasury(address), f"set the VAT treasury to {address}")

    def set_vat_reserve(self, amount: AmountLike) -> TxResult:
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
            str(event["treasury"]), from_tiyn(int(event["amount"])), bytes(event["settlementRef"]), TxResult.from_sent(sent)
        )

    # --- reports ------------------------------------------------------------------------------------

    def report(
        self,
        *,
        merchants: Iterable[int] | None = None,
        period: "Period | None" = None,
        chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
        source: str = "auto",
        index_url: str | None = None,
    ) -> "VatReport":
        """The VAT report per merchant, category and rate for ``period``, reconciled with the escrow; from the
        event index when one exists (``source="auto"``), or ``"index"``/``"scan"`` explicitly."""
        from tenge.payments.report import build_report

        return build_report(self, merchants=merchants, period=period, chunk_blocks=chunk_blocks, source=source,
                            index_url=index_url)  # fmt: skip

    # --- plumbing -----------------------------------------------------------------------------------

    def _payment_args(
        self, merchant: int, gross: AmountLike, invoice: InvoiceLike, category: int
    ) -> tuple[int, Decimal, bytes, int]:
        value = parse_tenge(gross, allow_zero=False)
        if to_tiyn(value) > vat_math.MAX_PAYMENT_TIYN:
            raise InvalidInput(f"{value} is above what a payment can hold (2^96 - 1 tiyn)")
        return merchant_id(merchant), value, as_invoice_ref(invoice), category_id(category)

    def _describe_payment(self, merchant: int, gross: Decimal, ref: bytes) -> str:
        return f"pay merchant {merchant} {self._fmt(gross)} for invoice {describe_invoice_ref(ref)}"

    def _paid(self, sent: SentTransaction) -> PaymentReceipt:
        (event,) = self._events(sent, "Paid")
        return PaymentReceipt.from_event(event, TxResult.from_sent(sent))

    def _events(self, sent: SentTransaction, name: str) -> list[Any]:
        logs = self.contract.events[name]().process_receipt(sent.receipt, errors=DISCARD)
        return [log["args"] for log in logs if log["address"] == self.address]

    def _send(self, call: ContractFunction, description: str) -> SentTransaction:
        return self.session.signer.send(call, description=description)

    def _tx(self, call: ContractFunction, description: str) -> TxResult:
        return TxResult.from_sent(self._send(call, description))

    def _fmt(self, amount: Decimal) -> str:
        return format_tenge(amount, self.currency)


def _view(call: ContractFunction, description: str) -> Any:
    """A view call whose revert (a custom error) is raised decoded, like a write's."""
    try:
        return call.call()
    except ContractLogicError as exc:
        raise decode_revert(exc.data if isinstance(exc.data, str) else None, context=description) from None
