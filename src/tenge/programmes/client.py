"""ProgrammesClient: purpose-bound programmes (school lunches, budget programmes) from Python, in Decimal tenge.

    from tenge.session import Session
    city = Session.open("local", account="dev:0").programmes()
    pid = city.create([CANTEEN], expiry, daily_limit="1200.00", budget_code="ALMATY-LUNCH-2026")
    city.fund(pid, "3600000.00")
    city.allocate(pid, [(pupil, "24000.00"), ...])       # batches; gas per beneficiary in `tenge bench gas`
    pupil_session.programmes().spend(pid, 2001, "1200.00", "LUNCH-0001")   # at the canteen, through VAT payments

Every write is estimated first, so a refused one raises the decoded contract error with a readable message
(``tenge.errors.OutsidePurpose``, ``DailyLimitExceeded``, ``ProgrammeExpired`` ...) and sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from tenge.plural import counted
from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.chain.transactions import SentTransaction
from tenge.errors import InvalidInput
from tenge.times import iso
from tenge.offline_codec import validity_window
from tenge.payments.client import InvoiceLike, as_invoice_ref
from tenge.payments.ids import category_id, merchant_id
from tenge.programmes.base import ProgrammeContractClient
from tenge.programmes.records import Allocation, Programme, SpendReceipt, purpose_categories, purpose_mask
from tenge.programmes.signing import (
    PROGRAMMES_DOMAIN_NAME,
    ContractDomain,
    SignedSpend,
    SpendAuthorization,
    decode_offline_spend,
    sign_spend,
)
from tenge.token.references import reference_to_bytes32
from tenge.token.results import TxResult

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from tenge.deploy.record import DeploymentRecord
    from tenge.programmes.report import ProgrammeReport

PROGRAMMES_KEY = "PurposeBoundProgrammes"
#: Beneficiaries per allocation transaction (about 30,000 gas each: 200 fit well inside a block).
DEFAULT_BATCH_SIZE = 200
DEFAULT_SPEND_VALIDITY_SECONDS = 7 * 24 * 3600


def domain_from_record(record: "DeploymentRecord") -> ContractDomain:
    """The PurposeBoundProgrammes EIP-712 domain from a deployment record alone (no connection): the record's
    chain id and contract address, and the name and version the contract passes to OpenZeppelin's ``EIP712``
    (what its ``eip712Domain()`` returns)."""
    return ContractDomain(PROGRAMMES_DOMAIN_NAME, record.chain_id, record.address(PROGRAMMES_KEY))


def sign_offline_spend(
    account: "LocalAccount",
    domain: ContractDomain,
    pid: int,
    merchant: int,
    amount: AmountLike,
    invoice: InvoiceLike,
    *,
    category: int = 0,
    valid_for_seconds: int = DEFAULT_SPEND_VALIDITY_SECONDS,
    now: int | None = None,
) -> SignedSpend:
    """Sign, as the beneficiary ``account``, a spend anyone can submit later; no connection needed.

    The window opens ``CLOCK_SKEW_SECONDS`` before ``now`` (default: the wall clock) and closes
    ``valid_for_seconds`` after it."""
    valid_after, valid_before = validity_window(valid_for_seconds, None, now)
    auth = SpendAuthorization(
        programme_id(pid), account.address, merchant_id(merchant), parse_tenge(amount, allow_zero=False),
        category_id(category), as_invoice_ref(invoice), valid_after, valid_before,
    )  # fmt: skip
    return sign_spend(account, domain, auth)


def budget_code(value: str | bytes) -> bytes:
    """A budget code: text of at most 32 bytes (no personal data), or 32 raw bytes."""
    if isinstance(value, (bytes, bytearray)):
        if len(value) != 32 or bytes(value) == bytes(32):
            raise InvalidInput("a budget code given as bytes must be 32 bytes and not all zero")
        return bytes(value)
    return reference_to_bytes32(value, "budget code")


def programme_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**64:
        raise InvalidInput(f"a programme id is a whole number from 1, not {value!r}")
    return value


class ProgrammesClient(ProgrammeContractClient):
    """The PurposeBoundProgrammes contract of a session's deployment (or at ``address``)."""

    KEY = PROGRAMMES_KEY

    @property
    def domain(self) -> ContractDomain:
        """The EIP-712 domain signed spends are bound to (this contract on this chain)."""
        return ContractDomain(PROGRAMMES_DOMAIN_NAME, self.chain_id, self.address)

    # --- reading ------------------------------------------------------------------------------------

    def programme(self, pid: int) -> Programme:
        """Programme ``pid``: sponsor, purpose, window, daily limit, code and amounts in tenge."""
        pid = programme_id(pid)
        sponsor, terms, unallocated, outstanding, closed = self.view(
            self.contract.functions.programme(pid), f"programme {pid}"
        )
        mask, valid_from, expiry, daily, transferable, code = terms
        return Programme(
            pid, str(sponsor), purpose_categories(int(mask)), int(valid_from), int(expiry),
            from_tiyn(int(daily)) if int(daily) else None, bool(transferable), bytes(code),
            from_tiyn(int(unallocated)), from_tiyn(int(outstanding)), bool(closed),
        )  # fmt: skip

    def programme_count(self) -> int:
        """How many programmes were created (ids run from 1 to this number)."""
        return int(self.contract.functions.programmeCount().call())

    def balance_of(self, pid: int, account: str) -> Decimal:
        """Vouchers of programme ``pid`` held by ``account``, in tenge."""
        return from_tiyn(int(self.contract.functions.balanceOf(checksum_address(account), programme_id(pid)).call()))

    def spendable_today(self, pid: int, account: str) -> Decimal:
        """What ``account`` can still spend of programme ``pid`` today (its daily limit and its balance)."""
        call = self.contract.functions.spendableToday(programme_id(pid), checksum_address(account))
        return from_tiyn(int(self.view(call, f"spendable today of programme {pid}")))

    def total_locked(self) -> Decimal:
        """All tenge the contract holds for programmes (allocated plus unallocated)."""
        return from_tiyn(int(self.contract.functions.totalLocked().call()))

    def surplus(self) -> Decimal:
        """Tenge received by the contract outside any programme (e.g. refunds), waiting to be assigned."""
        return from_tiyn(int(self.contract.functions.surplus().call()))

    # --- sponsor ------------------------------------------------------------------------------------

    def create(
        self,
        purpose: Iterable[int],
        expiry: int,
        *,
        budget: str | bytes,
        valid_from: int = 0,
        daily_limit: AmountLike | None = None,
        transferable: bool = False,
    ) -> int:
        """Create a programme (SPONSOR_ROLE); returns its id (= its ERC-1155 token id)."""
        mask = purpose_mask(tuple(purpose))
        code = budget_code(budget)
        limit = 0 if daily_limit is None else to_tiyn(daily_limit, allow_zero=False)
        if limit >= 2**128:
            raise InvalidInput(f"daily limit {daily_limit} is too large")
        start, end = int(valid_from), int(expiry)
        if not 0 <= start < 2**64 or not 0 < end < 2**64:
            raise InvalidInput("validity times are unix seconds that fit 64 bits")
        if end <= max(start, self.block_time()):
            raise InvalidInput(f"the expiry {iso(end)} must be after the start and in the future; nothing was sent")
        self._check_purpose(tuple(purpose))
        terms = (mask, start, end, limit, bool(transferable), code)
        sent = self.send(self.contract.functions.createProgramme(terms), "create a programme")
        (event,) = self.events(sent, "ProgrammeCreated")
        return int(event["programmeId"])

    def fund(self, pid: int, amount: AmountLike, *, approve: bool = True) -> TxResult:
        """Lock ``amount`` of the signer's tenge in programme ``pid``; approves the exact shortfall first."""
        pid, value = programme_id(pid), parse_tenge(amount, allow_zero=False)
        if approve:
            state = self.programme(pid)
            # Approve only when the contract's own checks would pass: a refused fund sends nothing at all.
            if (state.sponsor == self.me and not state.closed and self.block_time() < state.expiry
                    and self.has_role("SPONSOR_ROLE", self.me)):  # fmt: skip
                self._approve_for(value)
        sent = self.send(self.contract.functions.fund(pid, to_tiyn(value)), f"fund programme {pid} with {self.fmt(value)}")
        return TxResult.from_sent(sent)

    def allocate(
        self, pid: int, rows: Sequence[tuple[str, AmountLike]], *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> list[Allocation]:
        """Allocate vouchers: ``rows`` of (beneficiary, amount), in transactions of ``batch_size``.

        Everything is checked before the first batch is sent (addresses, amounts, duplicates, the total
        against the unallocated funds), so a bad file sends nothing.
        """
        pid = programme_id(pid)
        if not rows:
            raise InvalidInput("no beneficiaries to allocate to")
        if batch_size < 1:
            raise InvalidInput("batch size must be at least 1")
        checked: list[tuple[str, int]] = []
        seen: set[str] = set()
        for n, (who, amount) in enumerate(rows, start=1):
            address = checksum_address(who)
            if address in seen:
                raise InvalidInput(f"row {n}: {address} appears twice; nothing was sent")
            seen.add(address)
            checked.append((address, to_tiyn(amount, allow_zero=False)))
        total = sum(t for _, t in checked)
        state = self.programme(pid)
        if from_tiyn(total) > state.unallocated and not state.closed:
            raise InvalidInput(
                f"allocating {self.fmt(from_tiyn(total))} but programme {pid} has {self.fmt(state.unallocated)} "
                "unallocated; nothing was sent"
            )
        results: list[Allocation] = []
        for start in range(0, len(checked), batch_size):
            batch = checked[start : start + batch_size]
            sent = self.send(
                self.contract.functions.allocate(pid, [a for a, _ in batch], [t for _, t in batch]),
                f"allocate programme {pid} to {counted(len(batch), 'beneficiary', 'beneficiaries')}",
            )
            results.append(Allocation(pid, len(batch), from_tiyn(sum(t for _, t in batch)), TxResult.from_sent(sent)))
        return results

    def withdraw_unallocated(self, pid: int, amount: AmountLike) -> TxResult:
        """Take ``amount`` of programme ``pid``'s unallocated funds back to its sponsor."""
        pid, value = programme_id(pid), parse_tenge(amount, allow_zero=False)
        call = self.contract.functions.withdrawUnallocated(pid, to_tiyn(value))
        return TxResult.from_sent(self.send(call, f"withdraw {self.fmt(value)} unallocated of programme {pid}"))

    def reclaim(self, pid: int) -> tuple[Decimal, TxResult]:
        """After expiry: everything the programme locks goes back to the sponsor. Returns the amount."""
        pid = programme_id(pid)
        sent = self.send(self.contract.functions.reclaim(pid), f"reclaim programme {pid}")
        (event,) = self.events(sent, "ProgrammeReclaimed")
        return from_tiyn(int(event["unallocated"]) + int(event["unspent"])), TxResult.from_sent(sent)

    # --- beneficiary --------------------------------------------------------------------------------

    def spend(
        self, pid: int, merchant: int, amount: AmountLike, invoice: InvoiceLike, *, category: int = 0
    ) -> SpendReceipt:
        """Spend the signer's vouchers at ``merchant`` through VAT payments (net to merchant, VAT to escrow)."""
        pid, mid, value = programme_id(pid), merchant_id(merchant), parse_tenge(amount, allow_zero=False)
        ref, cid = as_invoice_ref(invoice), category_id(category)
        sent = self.send(
            self.contract.functions.spend(pid, mid, to_tiyn(value), cid, ref),
            f"spend {self.fmt(value)} of programme {pid} at merchant {mid}",
        )
        return self._spent(sent)

    def sign_spend(
        self,
        pid: int,
        merchant: int,
        amount: AmountLike,
        invoice: InvoiceLike,
        *,
        category: int = 0,
        valid_for_seconds: int = DEFAULT_SPEND_VALIDITY_SECONDS,
        now: int | None = None,
    ) -> SignedSpend:
        """Sign, as this session's signer (the beneficiary), a spend anyone can submit later (``.encode()``).

        The window is taken from the chain's clock; with no connection use :func:`sign_offline_spend`."""
        current = self.block_time() if now is None else int(now)
        return sign_offline_spend(
            self.session.signer.account, self.domain, pid, merchant, amount, invoice, category=category,
            valid_for_seconds=valid_for_seconds, now=current,
        )  # fmt: skip

    def decode_offline_spend(self, text: str) -> SignedSpend:
        """Decode a ``dtpbm1:`` signed-spend string for this contract and chain (checks its checksum and binding)."""
        return decode_offline_spend(text, self.chain_id, self.address)

    def submit_spend(self, spend: str | SignedSpend) -> SpendReceipt:
        """Verify (chain, contract, signature) and submit a signed spend; the signer pays the gas."""
        signed = self.decode_offline_spend(spend) if isinstance(spend, str) else spend
        if isinstance(spend, SignedSpend):
            signed.verify(self.chain_id, self.address)
        auth = signed.authorization
        self._check_unpaid(auth.merchant_id, auth.beneficiary, auth.invoice_ref)
        sent = self.send(
            self.contract.functions.spendWithAuthorization(auth.as_tuple(), signed.signature.to_bytes()),
            f"spend {self.fmt(auth.amount)} of programme {auth.programme_id} authorized by {auth.beneficiary}",
        )
        return self._spent(sent)

    def transfer(self, pid: int, to: str, amount: AmountLike) -> TxResult:
        """Pass vouchers on (transferable programmes only): ERC-1155 ``safeTransferFrom``."""
        pid, value, to = programme_id(pid), parse_tenge(amount, allow_zero=False), checksum_address(to)
        call = self.contract.functions.safeTransferFrom(self.me, to, pid, to_tiyn(value), b"")
        return TxResult.from_sent(self.send(call, f"pass {self.fmt(value)} of programme {pid} to {to}"))

    # --- compliance and admin -----------------------------------------------------------------------

    def seize(self, pid: int, holder: str, amount: AmountLike, legal_reference: str) -> TxResult:
        """Seize ``amount`` of ``holder``'s vouchers of ``pid`` under a legal reference (COMPLIANCE_ROLE)."""
        pid, value = programme_id(pid), parse_tenge(amount, allow_zero=False)
        call = self.contract.functions.seizeVouchers(
            pid, checksum_address(holder), to_tiyn(value), reference_to_bytes32(legal_reference)
        )
        return TxResult.from_sent(self.send(call, f"seize {self.fmt(value)} of programme {pid} from {holder}"))

    def recover(self, pids: Iterable[int], lost: str, new: str, legal_reference: str) -> TxResult:
        """Move all vouchers of ``pids`` from a lost wallet to its owner's new one (COMPLIANCE_ROLE)."""
        ids = [programme_id(p) for p in pids]
        call = self.contract.functions.recoverVouchers(
            ids, checksum_address(lost), checksum_address(new), reference_to_bytes32(legal_reference)
        )
        return TxResult.from_sent(self.send(call, f"recover vouchers of {lost} to {new}"))

    def assign_surplus(self, pid: int, amount: AmountLike, reference: str) -> TxResult:
        """Assign ``amount`` of the surplus to programme ``pid``'s unallocated funds, with a reference."""
        pid, value = programme_id(pid), parse_tenge(amount, allow_zero=False)
        call = self.contract.functions.assignSurplus(pid, to_tiyn(value), reference_to_bytes32(reference))
        return TxResult.from_sent(self.send(call, f"assign {self.fmt(value)} of surplus to programme {pid}"))

    def pause(self) -> TxResult:
        """Pause funding, allocation, withdrawal, reclaim and spending of every programme (PAUSER_ROLE)."""
        return TxResult.from_sent(self.send(self.contract.functions.pause(), "pause programmes"))

    def unpause(self) -> TxResult:
        """Resume what :meth:`pause` stopped (PAUSER_ROLE)."""
        return TxResult.from_sent(self.send(self.contract.functions.unpause(), "unpause programmes"))

    def vat_invoice_ref(self, beneficiary: str, invoice: InvoiceLike) -> bytes:
        """The reference VatPayments records ``beneficiary``'s programme payment for ``invoice`` under (the
        ``Paid`` receipt's; a merchant refunds by it): the invoice bound to the beneficiary (the contract's view)."""
        ref = as_invoice_ref(invoice)
        return bytes(self.contract.functions.vatInvoiceRef(checksum_address(beneficiary), ref).call())

    # --- reports ------------------------------------------------------------------------------------

    def report(self, pid: int) -> "ProgrammeReport":
        """The sponsor's report of programme ``pid`` from events, reconciled with the contract's state."""
        from tenge.programmes.report import build_programme_report

        return build_programme_report(self, programme_id(pid))

    # --- plumbing -----------------------------------------------------------------------------------

    def _check_unpaid(self, merchant: int, beneficiary: str, invoice_ref: bytes) -> None:
        """A spend whose payment (merchant, this contract, the invoice bound to the beneficiary) exists was already
        paid: say so, before the contract's first failing check (often the day's limit, already spent by it) says
        something else."""
        from tenge.payments.client import VatPaymentsClient

        vat = VatPaymentsClient(self.session, address=str(self.contract.functions.vatPayments().call()))
        bound = self.vat_invoice_ref(beneficiary, invoice_ref)
        pid = bytes(vat.contract.functions.paymentId(merchant, self.address, bound).call())
        gross = int(vat.contract.functions.payment(pid).call()[0])
        if gross:
            text = invoice_ref.rstrip(b"\0").decode("ascii", errors="replace")
            raise InvalidInput(f"already paid: invoice {text!r} at merchant {merchant} was paid by this programme "
                               f"(payment 0x{pid.hex()}, {self.fmt(from_tiyn(gross))}); nothing was sent")  # fmt: skip

    def _check_purpose(self, categories: tuple[int, ...]) -> None:
        """Each purpose category has a VAT rate scheduled: money bound to a category that does not exist could
        never be spent (refused before anything is sent)."""
        from tenge.payments.client import VatPaymentsClient

        vat = VatPaymentsClient(self.session, address=str(self.contract.functions.vatPayments().call()))
        for cid in sorted(set(categories)):
            has_current, _, has_pending, _, _ = vat.contract.functions.rateSchedule(cid).call()
            if not (has_current or has_pending):
                raise InvalidInput(f"VAT category {cid} does not exist (no rate scheduled): a programme bound to it "
                                   "could never be spent; nothing was sent")  # fmt: skip

    def _approve_for(self, value: Decimal) -> None:
        if self.token.allowance(self.me, self.address) < value:
            self.token.approve(self.address, value)

    def _spent(self, sent: SentTransaction) -> SpendReceipt:
        from tenge.payments.client import VatPaymentsClient

        (spent,) = self.events(sent, "VoucherSpent")
        vat = VatPaymentsClient(self.session, address=str(self.contract.functions.vatPayments().call()))
        (paid,) = [p for p in vat._events(sent, "Paid") if bytes(p["paymentId"]) == bytes(spent["paymentId"])]
        return SpendReceipt(
            int(spent["programmeId"]), str(spent["beneficiary"]), int(spent["merchantId"]), bytes(spent["paymentId"]),
            from_tiyn(int(spent["amount"])), from_tiyn(int(paid["net"])), from_tiyn(int(paid["vat"])),
            int(paid["rateBps"]), int(spent["categoryId"]), bytes(spent["invoiceRef"]), TxResult.from_sent(sent),
            bytes(paid["invoiceRef"]),
        )  # fmt: skip
