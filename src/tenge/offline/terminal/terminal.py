"""A merchant terminal: accepts offline purse payments with no connection and keeps them for settlement.

``accept`` runs every check of :mod:`tenge.offline.terminal.verify` and, in ONE write transaction, re-reads
what it has seen from the purse, checks sequence and overlap, and records the payment and the purse's new high
mark; it returns only after the commit (fsynced), so "accepted" is never said of a payment a power cut could
lose. Certificates already verified are remembered in memory (one ECDSA recovery per later payment).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tenge.errors import InvalidInput
from tenge.offline import codec
from tenge.offline.terminal.errors import TerminalError
from tenge.offline.terminal.models import AcceptedPayment, PurseSeen
from tenge.offline.terminal.store import TerminalStore
from tenge.offline.terminal.verify import (
    Seen,
    check_certificate,
    check_device_signature,
    check_domain,
    check_terms,
)
from tenge.offline.types import PurseCertificate, PurseDomain, SignedPayment
from eth_utils.address import to_checksum_address


@dataclass(frozen=True)
class TerminalSettings:
    """Who the terminal is (merchant), where it settles (domain) and which banks' certificates it trusts."""

    merchant: str
    domain: PurseDomain
    trusted_banks: frozenset[str]

    def to_store(self) -> dict[str, str]:
        return {
            "merchant": self.merchant,
            "chain_id": str(self.domain.chain_id),
            "purse_contract": self.domain.verifying_contract,
            "trusted_banks": ",".join(sorted(self.trusted_banks)),
        }

    @classmethod
    def from_store(cls, values: dict[str, str]) -> TerminalSettings:
        banks = frozenset(to_checksum_address(b) for b in values["trusted_banks"].split(",") if b)
        return cls(
            to_checksum_address(values["merchant"]),
            PurseDomain(int(values["chain_id"]), values["purse_contract"]),
            banks,
        )


@dataclass(frozen=True)
class Accepted:
    """A payment the terminal accepted and stored (committed before this object exists)."""

    id: int
    payment: SignedPayment
    text: str


class Terminal:
    def __init__(self, store: TerminalStore, settings: TerminalSettings, clock: Callable[[], int] | None = None) -> None:
        self.store = store
        self.settings = settings
        self._clock = clock or (lambda: int(time.time()))
        self._verified_certificates: set[tuple[PurseCertificate, bytes]] = set()
        self._revoked = {bytes.fromhex(p[2:]) for p in store.revoked()}

    @classmethod
    def open(
        cls, path: Path, settings: TerminalSettings | None = None, clock: Callable[[], int] | None = None
    ) -> Terminal:
        """Open (or create) the terminal store at ``path``; ``settings`` given are saved, else the stored ones are used."""
        store = TerminalStore(path)
        if settings is not None:
            store.save_settings(settings.to_store())
        else:
            stored = store.settings()
            if not stored:
                store.close()
                raise TerminalError(
                    f"the terminal {path} is not configured yet: give its merchant address, trusted banks, chain id and "
                    "purse contract"
                )
            settings = TerminalSettings.from_store(stored)
        return cls(store, settings, clock)

    def learn_revocations(self, purse_ids: Iterable[bytes]) -> None:
        """Record purses the banks revoked (learned when online); later payments from them are refused."""
        ids = list(purse_ids)
        self.store.learn_revocations(["0x" + p.hex() for p in ids], self._clock())
        self._revoked.update(ids)

    def verify(self, signed: SignedPayment, claimed: PurseDomain | None = None, seen: Seen | None = None) -> None:
        """Every check except the store's (sequence/overlap use ``seen``, default nothing seen). Raises a refusal."""
        domain = self.settings.domain
        if claimed is not None:
            check_domain(claimed, domain)
        certificate = signed.certificate
        key = (certificate.certificate, certificate.signature)  # frozen dataclass: hashable, no EIP-712 hashing
        if key not in self._verified_certificates:
            check_certificate(signed, domain, self.settings.trusted_banks)
            self._verified_certificates.add(key)
        elif certificate.certificate.bank not in self.settings.trusted_banks:
            check_certificate(signed, domain, self.settings.trusted_banks)
        check_terms(
            signed, merchant=self.settings.merchant, now=self._clock(), seen=seen or Seen(), revoked=self._revoked
        )
        check_device_signature(signed, domain)

    def accept_text(self, text: str, on_verified: Callable[[], None] | None = None) -> Accepted:
        signed, claimed = codec.decode(text)
        return self.accept(signed, claimed, on_verified=on_verified)

    def accept(
        self, signed: SignedPayment, claimed: PurseDomain | None = None, on_verified: Callable[[], None] | None = None
    ) -> Accepted:
        """Verify ``signed`` and store it; returns after the commit. ``on_verified`` runs when the signatures and
        terms passed, before the store's transaction (the CLI reports progress there)."""
        self.verify(signed, claimed, self.seen(signed.payment.purse_id))
        if on_verified is not None:
            on_verified()
        payment = signed.payment
        purse = "0x" + payment.purse_id.hex()
        text = codec.encode(signed, self.settings.domain)
        with self.store.transaction() as session:
            row = self.store.seen(session, purse)
            seen = Seen(int(row.sequence), int(row.cumulative)) if row is not None else Seen()
            check_terms(signed, merchant=self.settings.merchant, now=self._clock(), seen=seen, revoked=self._revoked)
            session.merge(PurseSeen(purse_id=purse, sequence=str(payment.sequence), cumulative=str(payment.cumulative)))
            record = AcceptedPayment(
                purse_id=purse, sequence=str(payment.sequence), amount=str(payment.amount),
                cumulative=str(payment.cumulative), bank=signed.certificate.certificate.bank, text=text,
                accepted_at=self._clock(),
            )  # fmt: skip
            session.add(record)
            session.flush()
            record_id = record.id
        return Accepted(record_id, signed, text)

    def seen(self, purse_id: bytes) -> Seen:
        """The highest sequence and cumulative amount this terminal accepted from the purse (read, no lock)."""
        with self.store.reading() as session:
            row = self.store.seen(session, "0x" + purse_id.hex())
            return Seen(int(row.sequence), int(row.cumulative)) if row is not None else Seen()

    def unsettled(self) -> list[tuple[int, SignedPayment]]:
        """The accepted payments not yet settled, oldest first (what ``tenge offline settle`` submits)."""
        out = []
        for row in self.store.payments(unsettled_only=True):
            try:
                signed, _ = codec.decode(row.text)
            except InvalidInput as exc:  # pragma: no cover - only a hand-edited store gets here
                raise TerminalError(f"stored payment {row.id} is unreadable: {exc}") from None
            out.append((row.id, signed))
        return out

    def mark_settled(self, ids: list[int], tx_hash: str, outcomes: dict[int, str] | None = None) -> None:
        """Record that rows ``ids`` were submitted in ``tx_hash`` (after its receipt), each with its outcome."""
        self.store.mark_settled(ids, tx_hash, outcomes)

    def close(self) -> None:
        self.store.close()


__all__ = ["Accepted", "Terminal", "TerminalSettings"]
