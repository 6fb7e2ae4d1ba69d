"""`tenge bench offline`: a week of offline purse payments, simulated with the real device and terminal code.

1,000 purses from 4 banks, 200 merchants, 20,000 payments spread over 7 days (seeded). 1% of the purses are on
cheating (cloned) devices: the original and its clones spend the same money at different merchants, each clone
reaching at most the bank's ``reach`` limit. Every payment is signed by :class:`tenge.offline.device.Device` and
accepted (or refused) by a real :class:`tenge.offline.terminal.Terminal` with its own SQLite store (WAL,
synchronous=FULL). Merchants are online at random hours (each its own probability); online, a terminal learns
the revocations and settles what it holds in batches of up to 100; at the end of the week every terminal comes
online once (within the settlement grace).

Settlement here is an OFF-CHAIN MODEL of the purse contract's rules (paid from the purse up to its amount, the
rest from the issuing bank's guarantee deposit, of which amount x (reach - 1) is reserved per purse; a double
spend revokes the purse): gas and on-chain settle time are not measured by this module (see ``onchain`` in the
result: what is missing).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from eth_account import Account

from tenge.offline.device import Device, PurseState
from tenge.offline.terminal import PaymentRefused, Terminal, TerminalSettings
from tenge.offline.types import PurseCertificate, PurseDomain, SignedPayment, sign_certificate

HOURS = 7 * 24
BATCH = 100
START = 1_800_000_000


@dataclass(frozen=True)
class SimParams:
    purses: int = 1_000
    merchants: int = 200
    payments: int = 20_000
    banks: int = 4
    cheating_share: float = 0.01
    reach: int = 3
    seed: int = 22


@dataclass
class BankBook:
    purses: int = 0
    cheating: int = 0
    reserved: int = 0  # tiyn: sum of amount x (reach - 1) over its purses
    bound: int = 0  # tiyn: the stated bound over its cheating purses
    paid_from_deposit: int = 0


@dataclass
class PurseBook:
    amount: int
    bank: str
    paid: int = 0
    revoked: bool = False


@dataclass
class SimResult:
    params: SimParams
    accepted: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    honest_merchants: int = 0
    honest_paid_in_full: int = 0
    settled_payments: int = 0
    batches: int = 0
    banks: dict[str, BankBook] = field(default_factory=dict)
    verify_ms: list[float] = field(default_factory=list)
    reconnect_ms: list[float] = field(default_factory=list)
    unpaid_tiyn: int = 0
    wall_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        v = sorted(self.verify_ms)
        r = sorted(self.reconnect_ms)
        return {
            "params": self.params.__dict__,
            "accepted": self.accepted,
            "refused": self.refused,
            "honestMerchants": self.honest_merchants,
            "honestPaidInFull": self.honest_paid_in_full,
            "honestPaidPercent": 100.0 * self.honest_paid_in_full / max(1, self.honest_merchants),
            "unpaidTiyn": self.unpaid_tiyn,
            "settledPayments": self.settled_payments,
            "batches": self.batches,
            "banks": {b: book.__dict__ for b, book in self.banks.items()},
            "verifyMsP50": _pct(v, 50),
            "verifyMsP95": _pct(v, 95),
            "reconnectOffchainMsP50": _pct(r, 50),
            "reconnectOffchainMsP95": _pct(r, 95),
            "wallSeconds": round(self.wall_seconds, 1),
            "onchain": "not measured: the simulation settles through an off-chain model; it does not yet drive "
            "OfflinePurses.settleBatch on anvil, so settlement gas per payment and on-chain time from reconnecting "
            "to settled are missing here",
        }


def _pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 3)


class ContractModel:
    """The purse contract's settlement rules, off chain: what each settled payment is paid from."""

    def __init__(self, books: dict[bytes, PurseBook], banks: dict[str, BankBook]) -> None:
        self.books, self.banks = books, banks
        self.settled: set[tuple[bytes, int, str]] = set()
        self.paid_to: dict[str, int] = {}

    def settle(self, merchant: str, payment: SignedPayment) -> bool:
        p = payment.payment
        key = (p.purse_id, p.sequence, merchant)
        if key in self.settled:
            return False
        book = self.books[p.purse_id]
        from_purse = max(0, min(p.amount, book.amount - book.paid))
        from_deposit = p.amount - from_purse
        bank = self.banks[book.bank]
        if from_deposit > 0:
            book.revoked = True  # the overdraft proves the double spend
            if bank.paid_from_deposit + from_deposit > bank.reserved:
                return False  # beyond the reserve: not paid (outside the threat model)
            bank.paid_from_deposit += from_deposit
        book.paid += p.amount
        self.settled.add(key)
        self.paid_to[merchant] = self.paid_to.get(merchant, 0) + p.amount
        return True


def run(params: SimParams, folder: Path | None = None) -> SimResult:
    started = time.perf_counter()
    rng = random.Random(params.seed)
    with tempfile.TemporaryDirectory(prefix="tenge-offline-sim-") as tmp:
        root = folder or Path(tmp)
        result = _simulate(params, rng, root)
    result.wall_seconds = time.perf_counter() - started
    return result


def _key(rng: random.Random) -> bytes:
    return rng.getrandbits(256).to_bytes(32, "big")


def _simulate(params: SimParams, rng: random.Random, root: Path) -> SimResult:
    domain = PurseDomain(31337, "0x" + "0f" * 20)
    bank_keys = [_key(rng) for _ in range(params.banks)]
    bank_addresses = [Account.from_key(k).address for k in bank_keys]
    clock = {"now": START}
    merchants = [Account.from_key(_key(rng)).address for _ in range(params.merchants)]
    online_p = [rng.uniform(0.02, 0.5) for _ in merchants]
    trusted = frozenset(bank_addresses)
    terminals = {
        m: Terminal.open(root / f"merchant-{n}.sqlite", TerminalSettings(m, domain, trusted), clock=lambda: clock["now"])
        for n, m in enumerate(merchants)
    }
    banks = {b: BankBook() for b in bank_addresses}
    books: dict[bytes, PurseBook] = {}
    devices: list[list[Device]] = []  # per purse: the original, then clones
    cheating = set(rng.sample(range(params.purses), max(1, round(params.purses * params.cheating_share))))
    for n in range(params.purses):
        b = n % params.banks
        amount = rng.randint(5_000, 50_000) * 100
        device_key = _key(rng)
        cert = PurseCertificate(rng.getrandbits(256).to_bytes(32, "big"), Account.from_key(device_key).address,
                                amount, START + HOURS * 3600, bank_addresses[b])  # fmt: skip
        state = PurseState(sign_certificate(cert, domain, bank_keys[b]), domain)
        book = banks[bank_addresses[b]]
        book.purses += 1
        book.reserved += amount * (params.reach - 1)
        books[cert.purse_id] = PurseBook(amount, bank_addresses[b])
        clones = [Device(state, device_key) for _ in range(params.reach if n in cheating else 1)]
        devices.append(clones)
        if n in cheating:
            book.cheating += 1
            book.bound += amount * (params.reach - 1)
    model = ContractModel(books, banks)
    result = SimResult(params, banks=banks)
    hours = sorted(rng.randrange(HOURS) for _ in range(params.payments))
    accepted_by: dict[str, list[int]] = {m: [] for m in merchants}
    cheat_targets = {n: rng.sample(merchants, params.reach) for n in cheating}
    revoked_known: set[bytes] = set()
    pending_revocations: set[bytes] = set()
    idx = 0
    for hour in range(HOURS + 1):
        clock["now"] = START + hour * 3600
        while idx < len(hours) and hours[idx] == hour:
            idx += 1
            n = rng.randrange(params.purses)
            if n in cheating:
                # each copy of the device spends the same money at its own merchant
                copy = rng.randrange(params.reach)
                dev, merchant = devices[n][copy], cheat_targets[n][copy]
            else:
                dev, merchant = devices[n][0], rng.choice(merchants)
            # a clone's owner spends what the copy still holds, at once; honest payments are everyday sizes
            amount = dev.state.remaining if n in cheating else min(dev.state.remaining, rng.randint(50, 3_000) * 100)
            if amount <= 0:
                continue
            signed = dev.pay(merchant, amount, rng.getrandbits(256).to_bytes(32, "big"), clock["now"])
            terminal = terminals[merchant]
            t0 = time.thread_time()  # CPU time of this thread: one core, whatever else the machine runs
            try:  # the verification alone (no store), timed for the ms-per-payment row
                terminal.verify(signed)
            except PaymentRefused:
                pass
            result.verify_ms.append((time.thread_time() - t0) * 1000)
            try:
                terminal.accept(signed)
            except PaymentRefused as exc:
                result.refused[exc.reason] = result.refused.get(exc.reason, 0) + 1
                continue
            accepted_by[merchant].append(signed.payment.amount)
            result.accepted += 1
        last = hour == HOURS
        for n, merchant in enumerate(merchants):
            if last or rng.random() < online_p[n] / 24:
                t0 = time.perf_counter()
                _reconnect(terminals[merchant], merchant, model, result, pending_revocations | revoked_known)
                result.reconnect_ms.append((time.perf_counter() - t0) * 1000)
        pending_revocations = {pid for pid, book in books.items() if book.revoked}
        revoked_known |= pending_revocations
    for merchant in merchants:
        terminals[merchant].close()
        owed = sum(accepted_by[merchant])
        paid = model.paid_to.get(merchant, 0)
        result.honest_merchants += 1
        result.honest_paid_in_full += int(paid >= owed)
        result.unpaid_tiyn += max(0, owed - paid)
    return result


def _reconnect(terminal: Terminal, merchant: str, model: ContractModel, result: SimResult, revoked: set[bytes]) -> None:
    """Online: learn revocations, settle the held payments in batches of up to 100, mark them settled."""
    new = revoked - terminal._revoked  # noqa: SLF001 - only the new ones are written
    if new:
        terminal.learn_revocations(new)
    held = terminal.unsettled()
    for start in range(0, len(held), BATCH):
        batch = held[start : start + BATCH]
        paid = [row_id for row_id, signed in batch if model.settle(merchant, signed)]
        result.settled_payments += len(paid)
        result.batches += 1
        terminal.mark_settled(paid, "0x" + "00" * 32)


def default_params(**changes: Any) -> SimParams:
    return replace(SimParams(), **changes)


__all__ = ["ContractModel", "SimParams", "SimResult", "default_params", "run"]
