"""The same facts as :mod:`tenge.audit.rebuild`, read from the contracts' state at one block.

Reads go out as JSON-RPC batches (web3's ``batch_requests``), a few hundred calls per round trip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from web3 import Web3
from web3.contract import Contract

from tenge.audit.extension_chain import is_extension_fact
from tenge.audit.rebuild import Fact, Rebuilt, vat_share
from tenge.payments.ids import BOOK_PAGE_SIZE, book_invoice_of, book_link
from tenge.payments.vat_math import vat_from_gross

BATCH = 300


class ChainReader:
    """Reads facts of the token and the VAT payments contract at block ``at``."""

    def __init__(self, w3: Web3, token: Contract, vat: Contract | None, at: int) -> None:
        self.w3, self.token, self.vat, self.at = w3, token, vat, at

    def _calls(self, fact: Fact, rebuilt: Rebuilt) -> list[tuple[Any, Callable[[list[Any]], Any]]]:
        kind, key = fact
        t, v = self.token.functions, self.vat.functions if self.vat is not None else None
        one: Callable[[list[Any]], Any] = lambda r: r[0]  # noqa: E731
        if kind == "balance":
            return [(t.balanceOf(key), one)]
        if kind == "tier":
            return [(t.tierOf(key), one)]
        if kind == "account frozen":
            return [(t.isFrozen(key), lambda r: bool(r[0]))]
        if kind == "frozen amount":
            return [(t.frozenAmountOf(key), one)]
        if kind == "minter allowance":
            return [(t.minterAllowance(key), one)]
        if kind == "total supply":
            return [(t.totalSupply(), one)]
        if kind == "tier cap":
            return [(t.tierCap(int(key)), one)]
        if kind == "reserve attestation":
            return [(t.reserveAttestation(), lambda r: (int(r[0][0]), int(r[0][1])))]
        if kind == "reserve gating":
            return [(t.reserveGating(), lambda r: (bool(r[0][0]), int(r[0][1])))]
        if kind == "token paused":
            return [(t.paused(), lambda r: bool(r[0]))]
        if kind == "role":
            prefix, role, account = key.split(":")
            functions = t if prefix == "token" else v
            return [(functions.hasRole(bytes.fromhex(role[2:]), account), lambda r: bool(r[0]))]  # type: ignore[union-attr]
        if v is None:
            raise KeyError(fact)
        if kind == "vat escrow":
            return [(v.escrowBalance(), one)]
        if kind == "vat treasury":
            return [(v.treasury(), lambda r: str(r[0]))]
        if kind == "vat reserve":
            return [(v.vatReserve(), one)]
        if kind == "vat paused":
            return [(v.paused(), lambda r: bool(r[0]))]
        if kind == "payment":
            return [(v.payment(bytes.fromhex(key[2:])), lambda r: tuple(int(x) for x in r[0]))]
        if kind == "merchant":
            return [(v.merchant(int(key)), lambda r: (str(r[0][0]), bool(r[0][1]), int(r[0][2]), bool(r[0][3])))]
        if kind == "rate schedule":
            return [(v.rateSchedule(int(key)), lambda r: (bool(r[0][0]), int(r[0][1]), bool(r[0][2]), int(r[0][3]), int(r[0][4])))]
        if kind == "vat due":
            return []  # summed from the payments below
        raise KeyError(fact)

    def read(self, rebuilt: Rebuilt) -> dict[Fact, Any]:
        """Chain values of every token and VAT fact in ``rebuilt`` (the bridge's and programmes' are
        :mod:`tenge.audit.extension_chain`'s)."""
        book = {fact for fact in rebuilt.facts if fact[0] == "payment" and _book_key(fact[1]) is not None}
        facts = [fact for fact in rebuilt.facts if not is_extension_fact(fact) and fact not in book]
        plan: list[tuple[Fact, Callable[[list[Any]], Any], int]] = []
        calls: list[Any] = []
        for fact in facts:
            for call, convert in self._calls(fact, rebuilt):
                plan.append((fact, convert, len(calls)))
                calls.append(call)
        raw = self._run(calls)
        chain: dict[Fact, Any] = {}
        for fact, convert, position in plan:
            chain[fact] = convert([raw[position]])
        chain.update(self._book_payments(rebuilt, book))
        self._vat_due(rebuilt, chain)
        return chain

    def _book_payments(self, rebuilt: Rebuilt, facts: set[Fact]) -> dict[Fact, Any]:
        """Invoice-book payments keep no record slot: the chain holds each page's paid bits and 224-bit chain head
        over its payments, and each invoice's refunded amount. A book payment reads as its rebuilt (gross, VAT,
        rate) when its invoice is marked paid and its page's head recomputed from the rebuilt payments (in event
        order) is the chain's - which confirms payer, gross and rate of every payment of the page - else as zeros;
        the VAT is derived from gross and rate as the contract derives it, the refunded amount is the chain's."""
        if self.vat is None or not facts:
            return {}
        v = self.vat.functions
        pages: dict[tuple[int, int], list[tuple[tuple[int, int], int, str, int, int]]] = {}
        for fact in rebuilt.facts:
            located = _book_key(fact[1]) if fact[0] == "payment" else None
            paid = [e for e in rebuilt.sources.get(fact, []) if e.name == "Paid"]
            if located is None or not paid:
                continue
            e, (merchant, number) = paid[0], located
            pages.setdefault((merchant, number // BOOK_PAGE_SIZE), []).append(
                ((e.block_number, e.log_index), number, str(e.args["payer"]), int(e.args["gross"]), int(e.args["rateBps"]))
            )
        chain: dict[Fact, Any] = {}
        for fact in facts:
            merchant, number = _book_key(fact[1]) or (0, 0)
            bits, stored = v.bookPage(merchant, number).call(block_identifier=self.at)
            refunded = int(v.invoiceRefunded(merchant, number).call(block_identifier=self.at))
            head = 0
            for _position, n, payer, gross, rate in sorted(pages.get((merchant, number // BOOK_PAGE_SIZE), [])):
                head = book_link(head, n, payer, gross, rate)
            confirmed = (int(bits) >> (number % BOOK_PAGE_SIZE)) & 1 and head == int.from_bytes(bytes(stored), "big")
            gross, _vat, rate, _refunded = rebuilt.facts[fact] if confirmed else (0, 0, 0, 0)
            # The VAT is not in the chain: the contract derives it from gross and rate, and so does this.
            chain[fact] = (int(gross), vat_from_gross(int(gross), int(rate)), int(rate), refunded)
        return chain

    def _run(self, calls: list[Any]) -> list[Any]:
        return batched(self.w3, calls, self.at)

    def _vat_due(self, rebuilt: Rebuilt, chain: dict[Fact, Any]) -> None:
        """VAT due per merchant from the payment records on chain: VAT minus the VAT share of what was refunded.
        The chain keeps no merchant per payment; each payment counts for the merchant its id was derived for."""
        merchant_of = {str(e.args["paymentId"]): int(e.args["merchantId"])
                       for fact, sources in rebuilt.sources.items() if fact[0] == "payment"
                       for e in sources if e.name == "Paid"}  # fmt: skip
        due: dict[str, int] = {key: 0 for kind, key in rebuilt.facts if kind == "vat due"}
        for (kind, key), value in chain.items():
            if kind == "payment" and key in merchant_of:
                gross, vat, _rate, refunded = value
                merchant = str(merchant_of[key])
                due[merchant] = due.get(merchant, 0) + vat - (vat_share(vat, refunded, gross) if gross else 0)
        for merchant, value in due.items():
            chain[("vat due", merchant)] = value


def batched(w3: Web3, calls: list[Any], at: int) -> list[Any]:
    """Results of contract ``calls`` at block ``at``, sent as JSON-RPC batches."""
    results: list[Any] = []
    for start in range(0, len(calls), BATCH):
        with w3.batch_requests() as batch:
            for call in calls[start:start + BATCH]:
                batch.add(call.call(block_identifier=at))  # inside a batch: queued, not sent
            results.extend(batch.execute())
    return results


def read_chain(w3: Web3, token: Contract, vat: Contract | None, at: int, rebuilt: Rebuilt) -> dict[Fact, Any]:
    return ChainReader(w3, token, vat, at).read(rebuilt)


def keys_of(facts: Iterable[Fact], kind: str) -> list[str]:
    return sorted(key for k, key in facts if k == kind)


def _book_key(key: str) -> tuple[int, int] | None:
    """(merchant id, invoice number) of a payment fact's key when it is an invoice-book payment id."""
    try:
        return book_invoice_of(bytes.fromhex(key[2:]))
    except ValueError:
        return None
