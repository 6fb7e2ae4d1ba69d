"""`tenge bench offline`: a week of offline purse payments, with the real device and terminal code, settled on a
real anvil by the real OfflinePurses contract.

Purses from 4 banks, merchants, payments spread over 7 days (seeded). 1% of the purses are on cheating (cloned)
devices: the original and its clones spend the same money at different merchants, each clone reaching at most the
bank's ``reach`` limit. Every payment is signed by :class:`tenge.offline.device.Device` and accepted (or refused) by
a real :class:`tenge.offline.terminal.Terminal` with its own SQLite store (WAL, synchronous=FULL); payments are drawn
only from purses with money left, so every one is a real payment. Merchants are online at random hours (each its
own probability); online, a terminal runs what ``tenge offline settle`` runs (:mod:`tenge.offline.settle`: learns
the revocations and double-spend proofs from the chain's events, settles what it holds in batches of up to 100 and
marks them after the receipt); at the end of the week every terminal comes online once (within the grace).

The suite is deployed on a throw-away anvil (:mod:`tenge.bench.offline_chain`), the purses are opened by their
holders' transactions, the chain's clock follows the simulated one. What merchants were paid (the batches'
``BatchSettled`` gross), each bank's loss (its deposit before and after), gas per payment (receipts) and the time
from a terminal reconnecting to its payments settled (wall clock) all come from the chain.
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

from tenge.amounts import to_tiyn
from tenge.bench.offline_chain import PurseChain, purse_chain
from tenge.offline.device import Device, PurseState
from tenge.offline.settle import TerminalSettlement
from tenge.offline.terminal import PaymentRefused, Terminal, TerminalSettings
from tenge.offline.types import PurseCertificate, sign_certificate

HOURS = 7 * 24
MAX_PURSE = 50_000_00  # tiyn: the banks' largest purse
LIFETIME = 9 * 24 * 3600  # the banks' longest purse lifetime
PURSES_PER_HOLDER = 50


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
    paid_from_deposit: int = 0  # tiyn: its deposit on chain before the week minus after


@dataclass
class SimResult:
    params: SimParams
    drawn: int = 0
    accepted: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    honest_merchants: int = 0
    honest_paid_in_full: int = 0
    settled_payments: int = 0
    replayed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    gas: int = 0
    full_batches: int = 0  # batches of 90 payments or more
    full_batch_gas: int = 0
    full_batch_payments: int = 0
    paid_gross: int = 0
    balances_match: bool = False
    banks: dict[str, BankBook] = field(default_factory=dict)
    verify_ms: list[float] = field(default_factory=list)
    settle_ms: list[float] = field(default_factory=list)
    unpaid_tiyn: int = 0
    setup_seconds: float = 0.0
    wall_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        v = sorted(self.verify_ms)
        r = sorted(self.settle_ms)
        return {
            "params": self.params.__dict__,
            "drawn": self.drawn,
            "accepted": self.accepted,
            "refused": self.refused,
            "honestMerchants": self.honest_merchants,
            "honestPaidInFull": self.honest_paid_in_full,
            "honestPaidPercent": 100.0 * self.honest_paid_in_full / max(1, self.honest_merchants),
            "unpaidTiyn": self.unpaid_tiyn,
            "settledPayments": self.settled_payments,
            "replayed": self.replayed,
            "skipped": self.skipped,
            "batches": self.batches,
            "paidGrossTiyn": self.paid_gross,
            "chainBalancesMatch": self.balances_match,
            "gasPerPayment": round(self.gas / self.settled_payments) if self.settled_payments else None,
            "gasPerPaymentFullBatches": (
                round(self.full_batch_gas / self.full_batch_payments) if self.full_batch_payments else None
            ),
            "fullBatches": self.full_batches,
            "banks": {b: book.__dict__ for b, book in self.banks.items()},
            "verifyMsP50": _pct(v, 50),
            "verifyMsP95": _pct(v, 95),
            "reconnectToSettledMsP50": _pct(r, 50),
            "reconnectToSettledMsP95": _pct(r, 95),
            "setupSeconds": round(self.setup_seconds, 1),
            "wallSeconds": round(self.wall_seconds, 1),
        }


def _pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 3)


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
    started = time.perf_counter()
    bank_keys = [_key(rng) for _ in range(params.banks)]
    bank_addresses = [Account.from_key(k).address for k in bank_keys]
    holders = -(-params.purses // PURSES_PER_HOLDER)
    with purse_chain(root, bank_keys, holders) as chain:
        merchants = [Account.from_key(_key(rng)).address for _ in range(params.merchants)]
        per_bank = -(-params.purses // params.banks)
        merchant_ids = chain.setup(
            merchants=merchants, vat_registered=[n % 2 == 0 for n in range(params.merchants)], reach=params.reach,
            max_purse=MAX_PURSE, lifetime=LIFETIME, purses_per_holder=PURSES_PER_HOLDER,
            holder_funds=MAX_PURSE * PURSES_PER_HOLDER, deposit=MAX_PURSE * (params.reach - 1) * per_bank,
        )  # fmt: skip
        start = chain.block_time() + 60
        domain = chain.domain
        banks = {b: BankBook() for b in bank_addresses}
        deposits_before = {b: chain.deposit_of(b) for b in bank_addresses}
        devices: list[list[Device]] = []  # per purse: the original, then clones
        cheating = set(rng.sample(range(params.purses), max(1, round(params.purses * params.cheating_share))))
        by_holder: dict[int, list[Any]] = {}
        for n in range(params.purses):
            b = n % params.banks
            amount = rng.randint(5_000, 50_000) * 100
            device_key = _key(rng)
            cert = PurseCertificate(rng.getrandbits(256).to_bytes(32, "big"), Account.from_key(device_key).address,
                                    amount, start + HOURS * 3600 + 3600, bank_addresses[b])  # fmt: skip
            signed_cert = sign_certificate(cert, domain, bank_keys[b])
            by_holder.setdefault(n // PURSES_PER_HOLDER, []).append(signed_cert)
            state = PurseState(signed_cert, domain)
            book = banks[bank_addresses[b]]
            book.purses += 1
            book.reserved += amount * (params.reach - 1)
            devices.append([Device(state, device_key) for _ in range(params.reach if n in cheating else 1)])
            if n in cheating:
                book.cheating += 1
                book.bound += amount * (params.reach - 1)
        chain.open_purses(by_holder)
        result = SimResult(params, banks=banks)
        result.setup_seconds = time.perf_counter() - started
        _week(params, rng, chain, result, devices, cheating, merchants, merchant_ids, start)
        for b in bank_addresses:
            banks[b].paid_from_deposit = deposits_before[b] - chain.deposit_of(b)
    return result


def _week(params: SimParams, rng: random.Random, chain: PurseChain, result: SimResult, devices: list[list[Device]],
          cheating: set[int], merchants: list[str], merchant_ids: list[int], start: int) -> None:  # fmt: skip
    clock = {"now": start}
    trusted = frozenset(d[0].state.certificate.certificate.bank for d in devices)
    terminals = [
        Terminal.open(chain.record_dir / f"merchant-{n}.sqlite", TerminalSettings(m, chain.domain, trusted),
                      clock=lambda: clock["now"])  # fmt: skip
        for n, m in enumerate(merchants)
    ]
    online_p = [rng.uniform(0.02, 0.5) for _ in merchants]
    owed = [0] * len(merchants)
    paid = [0] * len(merchants)
    escrow_before = chain.vat_escrow()
    hours = sorted(rng.randrange(HOURS) for _ in range(params.payments))
    cheat_targets = {n: rng.sample(range(len(merchants)), params.reach) for n in cheating}
    funded = list(range(params.purses))  # purses with money left on some copy of the device
    idx = 0
    for hour in range(HOURS + 1):
        clock["now"] = start + hour * 3600
        while idx < len(hours) and hours[idx] == hour and funded:
            idx += 1
            slot = rng.randrange(len(funded))
            n = funded[slot]
            copies = [c for c in range(len(devices[n])) if devices[n][c].state.remaining > 0]
            copy = rng.choice(copies)
            dev = devices[n][copy]
            merchant = cheat_targets[n][copy] if n in cheating else rng.randrange(len(merchants))
            # a clone's owner spends what the copy still holds, at once; honest payments are everyday sizes
            amount = dev.state.remaining if n in cheating else min(dev.state.remaining, rng.randint(10, 1_500) * 100)
            signed = dev.pay(merchants[merchant], amount, rng.getrandbits(256).to_bytes(32, "big"), clock["now"])
            result.drawn += 1
            if all(d.state.remaining == 0 for d in devices[n]):
                funded[slot] = funded[-1]
                funded.pop()
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
            owed[merchant] += signed.payment.amount
            result.accepted += 1
        last = hour == HOURS
        online = [m for m in range(len(merchants)) if last or rng.random() < online_p[m] / 24]
        if online:
            chain.warp(clock["now"])
        for m in online:
            t0 = time.perf_counter()
            done = chain.settle(terminals[m], merchant_ids[m])
            if done.batches:
                result.settle_ms.append((time.perf_counter() - t0) * 1000)
            _book(result, done)
            paid[m] += to_tiyn(done.gross)
    for m, terminal in enumerate(terminals):
        left = len(terminal.unsettled())
        terminal.close()
        result.honest_merchants += 1
        result.honest_paid_in_full += int(paid[m] >= owed[m] and left == 0)
        result.unpaid_tiyn += max(0, owed[m] - paid[m])
    result.paid_gross = sum(paid)
    on_chain = sum(chain.balance_of(m) for m in merchants) + chain.vat_escrow() - escrow_before
    result.balances_match = on_chain == result.paid_gross


def _book(result: SimResult, done: TerminalSettlement) -> None:
    result.settled_payments += done.settled
    result.replayed += done.replayed
    for _, _, _, reason in done.skipped:
        result.skipped[reason.name.lower()] = result.skipped.get(reason.name.lower(), 0) + 1
    for batch in done.batches:
        result.batches += 1
        result.gas += batch.gas_used
        if batch.settled >= 90:
            result.full_batches += 1
            result.full_batch_gas += batch.gas_used
            result.full_batch_payments += batch.settled


def default_params(**changes: Any) -> SimParams:
    return replace(SimParams(), **changes)


__all__ = ["SimParams", "SimResult", "default_params", "run"]
