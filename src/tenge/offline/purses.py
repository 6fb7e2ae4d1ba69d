"""OfflinePursesClient: the on-chain side of offline purses (open, status, revoke, close, bank deposits, settle).

    bank = Session.open("local", account="dev:0").offline()          # ISSUER_ROLE
    signed = bank.certify(purse_id, device, "5000.00", expiry)       # the bank signs the certificate
    holder.offline().open(signed)                                    # locks 5,000.00 of the holder's tenge
    terminal.offline().settle(merchant_id, payments)                 # h6's SignedPayment list, batches of 100
    holder.offline().close(purse_id)                                 # the rest back, after expiry + grace

This module imports web3 (through the session); the terminal side of ``tenge.offline`` does not import it.
Amounts are Decimal tenge here and tiyn only at the contract boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Any

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.chain.transactions import SentTransaction
from tenge.errors import ContractRevert, InvalidInput
from tenge.offline.types import PurseCertificate, PurseDomain, SignedCertificate, SignedPayment, sign_certificate
from tenge.programmes.base import ProgrammeContractClient, _when
from tenge.programmes.base import readable as _readable
from tenge.token.results import TxResult

PURSES_KEY = "OfflinePurses"
MAX_BATCH = 100

STATUSES = ("none", "open", "revoked", "cheated", "closed")
PROOF_KINDS = ("none", "same-sequence", "overdrawn")


class SkipReason(IntEnum):
    """Why the contract skipped a payment of a batch (``IOfflinePurses.SkipReason``)."""

    UNKNOWN_PURSE = 0
    PURSE_CLOSED = 1
    INVALID_AMOUNT = 2
    INVALID_SEQUENCE = 3
    EXPIRED = 4
    INVALID_SIGNATURE = 5
    AFTER_REVOCATION = 6
    ALREADY_SETTLED = 7
    REACH_EXHAUSTED = 8


_T = Callable[[dict[str, Any], Callable[[Any], str]], str]
MESSAGES: dict[str, _T] = {
    "InvalidLimits": lambda a, f: "bank limits need 0 < max purse amount < 2^48 tiyn, a lifetime, purses and reach >= 1",
    "InvalidGrace": lambda a, f: f"a settlement grace period is 1 second to 365 days, not {a['grace']}",
    "NotIssuer": lambda a, f: f"{a['bank']} does not hold ISSUER_ROLE on the purse contract",
    "BankLimitsUnset": lambda a, f: f"the central bank has set no purse limits for bank {a['bank']}",
    "ZeroAmount": lambda a, f: "the amount must be above zero",
    "GuaranteeExceedsFree": lambda a, f: (
        f"only {f(a['free'])} of the deposit is free (not reserved for open purses), {f(a['requested'])} asked"
    ),
    "InvalidCertificateSignature": lambda a, f: f"the certificate is not signed by its bank {a['bank']}",
    "PurseExists": lambda a, f: f"purse {_hex(a['purseId'])} already exists",
    "InvalidCertificate": lambda a, f: "a certificate needs a non-zero purse id and device",
    "PurseAmountAboveLimit": lambda a, f: f"{f(a['amount'])} is above the bank's purse limit of {f(a['max'])}",
    "InvalidExpiry": lambda a, f: (
        f"the expiry {_when(a['expiry'])} is not in the future or later than the bank allows ({_when(a['latest'])})"
    ),
    "TooManyPurses": lambda a, f: f"{a['holder']} already has {a['open']} open purses, the bank's limit",
    "InsufficientGuarantee": lambda a, f: (
        f"bank {a['bank']} has {f(a['free'])} of free guarantee deposit, {f(a['needed'])} needed for this purse"
    ),
    "UnknownPurse": lambda a, f: f"there is no purse {_hex(a['purseId'])}",
    "PurseAlreadyClosed": lambda a, f: f"purse {_hex(a['purseId'])} is closed",
    "NotPurseParty": lambda a, f: f"{a['caller']} is not the bank (revoke) or holder (close) of this purse",
    "PurseNotClosable": lambda a, f: f"the purse can be closed from {_when(a['closableAt'])} (settlement grace)",
    "InvalidBatchSize": lambda a, f: f"a batch holds 1 to {MAX_BATCH} payments, not {a['size']}",
    "MerchantNotPayable": lambda a, f: f"merchant {a['merchantId']} is not registered and active in VAT payments",
}


def _hex(value: Any) -> str:
    return value if isinstance(value, str) else "0x" + bytes(value).hex()


def purse_id(value: bytes | str) -> bytes:
    """A 32-byte purse id from bytes or ``0x``-hex."""
    raw = bytes.fromhex(value[2:] if value.startswith("0x") else value) if isinstance(value, str) else value
    if not isinstance(raw, bytes) or len(raw) != 32 or raw == bytes(32):
        raise InvalidInput("a purse id is 32 non-zero bytes (0x + 64 hex digits)")
    return raw


def compact_signature(signature: bytes) -> tuple[bytes, bytes]:
    """The EIP-2098 (r, vs) form of a 65-byte ``r || s || v`` signature, as ``settleBatch`` takes it."""
    if len(signature) != 65 or signature[64] not in (27, 28):
        raise InvalidInput("a device signature is 65 bytes r || s || v with v 27 or 28")
    vs = int.from_bytes(signature[32:64], "big") | ((signature[64] - 27) << 255)
    return signature[:32], vs.to_bytes(32, "big")


@dataclass(frozen=True)
class PurseState:
    """A purse as the contract holds it (amounts in tenge)."""

    purse_id: bytes
    status: str
    holder: str
    bank: str
    device: str
    amount: Decimal
    expiry: int
    paid: Decimal
    reach: int
    revoked_at: int
    closable_at: int

    @property
    def unsettled(self) -> Decimal:
        """What is still locked in the purse (neither paid to merchants nor returned)."""
        return Decimal(0) if self.status == "closed" else max(self.amount - self.paid, Decimal(0))

    @property
    def overdrawn(self) -> Decimal:
        """Paid beyond the purse's amount (from the bank's deposit): what a double spend cost."""
        return max(self.paid - self.amount, Decimal(0))


@dataclass(frozen=True)
class BankState:
    """A bank's guarantee deposit and certificate limits (amounts in tenge)."""

    deposit: Decimal
    reserved: Decimal
    max_purse_amount: Decimal
    max_lifetime: int
    max_purses_per_holder: int
    reach: int

    @property
    def free(self) -> Decimal:
        return self.deposit - self.reserved


@dataclass(frozen=True)
class DoubleSpendRecord:
    """The stored proof of a double spend: compliance recovers ``overdrawn`` from ``holder`` (forced transfer)."""

    kind: str
    sequence: int
    first_merchant_id: int
    second_merchant_id: int
    detected_at: int
    holder: str
    bank: str
    overdrawn: Decimal


@dataclass(frozen=True)
class BatchResult:
    """One settled batch: what was paid, what was skipped and why, and the transaction."""

    settled: int
    gross: Decimal
    vat: Decimal
    skipped: list[tuple[bytes, int, SkipReason]]
    proofs: list[bytes]
    result: TxResult

    @property
    def gas_used(self) -> int:
        return int(self.result.gas_used or 0)


class OfflinePursesClient(ProgrammeContractClient):
    """The OfflinePurses contract of a session's deployment (or at ``address``)."""

    KEY = PURSES_KEY

    @property
    def domain(self) -> PurseDomain:
        """The EIP-712 domain certificates and payments are signed for (this contract on this chain)."""
        return PurseDomain(self.chain_id, self.address)

    def send(self, call: Any, description: str) -> SentTransaction:
        """Sign and send ``call``; this contract's reverts come back in words (amounts in tenge)."""
        try:
            return self.session.signer.send(call, description=description)
        except ContractRevert as exc:
            explain = MESSAGES.get(exc.error_name)
            if explain is None:
                raise _readable(exc, self.fmt) from None
            context = str(exc).split(f"{exc.error_name}(")[0]
            text = explain(exc.error_args, lambda v: self.fmt(v if isinstance(v, Decimal) else from_tiyn(int(v))))
            raise type(exc)(f"{context}{text}; nothing was sent", exc.error_args, exc.data) from None

    # -- banks ----------------------------------------------------------------------------------------------------

    def set_bank_limits(
        self, bank: str, *, max_purse_amount: AmountLike, max_lifetime: int, max_purses_per_holder: int, reach: int
    ) -> TxResult:
        """The central bank (DEFAULT_ADMIN_ROLE) sets a bank's certificate limits and reach."""
        call = self.contract.functions.setBankLimits(
            checksum_address(bank), to_tiyn(max_purse_amount, allow_zero=False), int(max_lifetime),
            int(max_purses_per_holder), int(reach),
        )  # fmt: skip
        return TxResult.from_sent(self.send(call, f"set the purse limits of bank {bank}"))

    def deposit(self, amount: AmountLike, *, approve: bool = True) -> TxResult:
        """Add ``amount`` tenge of the signer (a bank) to its guarantee deposit; approves the shortfall first."""
        value = parse_tenge(amount, allow_zero=False)
        if approve and self.token.allowance(self.me, self.address) < value:
            self.token.approve(self.address, value)
        call = self.contract.functions.depositGuarantee(to_tiyn(value))
        return TxResult.from_sent(self.send(call, f"deposit {self.fmt(value)} of guarantee"))

    def withdraw(self, amount: AmountLike) -> TxResult:
        """Withdraw ``amount`` tenge of the signer's free guarantee deposit."""
        value = parse_tenge(amount, allow_zero=False)
        call = self.contract.functions.withdrawGuarantee(to_tiyn(value))
        return TxResult.from_sent(self.send(call, f"withdraw {self.fmt(value)} of guarantee"))

    def bank(self, address: str) -> BankState:
        """Bank ``address``'s deposit, reservations and limits."""
        deposit, reserved, max_amount, lifetime, purses, reach = self.contract.functions.bank(
            checksum_address(address)
        ).call()
        return BankState(from_tiyn(int(deposit)), from_tiyn(int(reserved)), from_tiyn(int(max_amount)), int(lifetime),
                         int(purses), int(reach))  # fmt: skip

    def certify(self, bank_key: bytes, pid: bytes | str, device: str, amount: AmountLike, expiry: int) -> SignedCertificate:
        """The bank's signature (``bank_key``) over a purse certificate; nothing is sent."""
        certificate = PurseCertificate(purse_id(pid), checksum_address(device), to_tiyn(amount, allow_zero=False),
                                       int(expiry), self._address_of(bank_key))  # fmt: skip
        return sign_certificate(certificate, self.domain, bank_key)

    @staticmethod
    def _address_of(key: bytes) -> str:
        from eth_account import Account

        return str(Account.from_key(key).address)

    # -- purses ---------------------------------------------------------------------------------------------------

    def open(self, signed: SignedCertificate, *, approve: bool = True) -> TxResult:
        """Open the certified purse: lock its amount of the signer's (the holder's) tenge; approves it first."""
        c = signed.certificate
        if signed.signer(self.domain) != c.bank:
            raise InvalidInput(f"the certificate is not signed by its bank {c.bank} for this contract; nothing was sent")
        value = from_tiyn(c.amount)
        if approve and self.token.allowance(self.me, self.address) < value:
            self.token.approve(self.address, value)
        call = self.contract.functions.openPurse(
            (c.purse_id, c.device, c.amount, c.expiry, c.bank), signed.signature
        )
        return TxResult.from_sent(self.send(call, f"open purse 0x{c.purse_id.hex()} with {self.fmt(value)}"))

    def status(self, pid: bytes | str) -> PurseState:
        """Purse ``pid`` as the contract holds it (status ``none``: no such purse)."""
        key = purse_id(pid)
        v = self.contract.functions.purse(key).call()
        status, holder, bank, device, amount, expiry, paid, reach, revoked, closable = v
        return PurseState(key, STATUSES[int(status)], str(holder), str(bank), str(device), from_tiyn(int(amount)),
                          int(expiry), from_tiyn(int(paid)), int(reach), int(revoked), int(closable))  # fmt: skip

    def proof(self, pid: bytes | str) -> DoubleSpendRecord | None:
        """The stored double-spend proof of purse ``pid``, or None."""
        kind, seq, first, second, detected, holder, bank, overdrawn = self.contract.functions.proofOf(purse_id(pid)).call()
        if int(kind) == 0:
            return None
        return DoubleSpendRecord(PROOF_KINDS[int(kind)], int(seq), int(first), int(second), int(detected), str(holder),
                                 str(bank), from_tiyn(int(overdrawn)))  # fmt: skip

    def revoke(self, pid: bytes | str) -> TxResult:
        """The purse's bank revokes it now (lost device): later payments are refused, earlier ones honoured."""
        key = purse_id(pid)
        return TxResult.from_sent(self.send(self.contract.functions.revokePurse(key), f"revoke purse 0x{key.hex()}"))

    def request_close(self, pid: bytes | str) -> TxResult:
        """The holder asks to close the purse: payments signed from now are refused; close after the grace."""
        key = purse_id(pid)
        call = self.contract.functions.requestClose(key)
        return TxResult.from_sent(self.send(call, f"request to close purse 0x{key.hex()}"))

    def close(self, pid: bytes | str) -> tuple[Decimal, TxResult]:
        """Return the rest of the purse to its holder (after expiry or revocation + grace); returns the amount."""
        key = purse_id(pid)
        sent = self.send(self.contract.functions.closePurse(key), f"close purse 0x{key.hex()}")
        (event,) = self.events(sent, "PurseClosed")
        return from_tiyn(int(event["returned"])), TxResult.from_sent(sent)

    # -- settling -------------------------------------------------------------------------------------------------

    def settle(self, merchant_id: int, payments: Sequence[SignedPayment]) -> list[BatchResult]:
        """Settle ``payments`` (all to merchant ``merchant_id``, its VatPayments id) in batches of 100, in order
        of purse and sequence; skipped payments come back with the contract's reason."""
        if isinstance(merchant_id, bool) or not isinstance(merchant_id, int) or not 0 < merchant_id < 2**64:
            raise InvalidInput(f"a merchant id is a whole number from 1, not {merchant_id!r}")
        if not payments:
            raise InvalidInput("no payments to settle; nothing was sent")
        ordered = sorted(payments, key=lambda s: (s.payment.purse_id, s.payment.sequence))
        results = []
        for start in range(0, len(ordered), MAX_BATCH):
            results.append(self.settle_batch(merchant_id, ordered[start : start + MAX_BATCH]))
        return results

    @staticmethod
    def encode(signed: SignedPayment) -> tuple[Any, ...]:
        """``signed`` as the contract's ``Payment`` tuple."""
        p = signed.payment
        r, vs = compact_signature(signed.signature)
        return (p.purse_id, p.sequence, p.amount, p.cumulative, p.invoice, p.time, r, vs)

    def settle_batch(self, merchant_id: int, batch: Sequence[SignedPayment]) -> BatchResult:
        """Submit ``batch`` (1 to 100 payments to merchant ``merchant_id``) as one ``settleBatch``, in its order."""
        if not 0 < len(batch) <= MAX_BATCH:
            raise InvalidInput(f"a batch holds 1 to {MAX_BATCH} payments, not {len(batch)}; nothing was sent")
        call = self.contract.functions.settleBatch(merchant_id, [self.encode(s) for s in batch])
        sent = self.send(call, f"settle {len(batch)} offline payments for merchant {merchant_id}")
        (summary,) = self.events(sent, "BatchSettled")
        skipped = [(bytes(e["purseId"]), int(e["sequence"]), SkipReason(int(e["reason"])))
                   for e in self.events(sent, "PaymentSkipped")]  # fmt: skip
        proofs = [bytes(e["purseId"]) for e in self.events(sent, "DoubleSpendProven")]
        return BatchResult(int(summary["count"]), from_tiyn(int(summary["gross"])), from_tiyn(int(summary["vat"])),
                           skipped, proofs, TxResult.from_sent(sent))  # fmt: skip
