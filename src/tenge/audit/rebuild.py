"""The suite's state rebuilt from its events alone, as facts: ``(kind, key) -> value``.

Every fact here has a counterpart the chain answers (see :mod:`tenge.audit.chain_state`), so an audit is a
comparison of two dictionaries. Amounts are integers in tiyn. Rules follow the contracts exactly:

* balances and total supply: ``Transfer`` (mints from, burns and wipes to the zero address);
* tiers: ``TierSet``; frozen flags: ``Frozen``/``Unfrozen``; frozen amounts: ``AmountFrozen``/``AmountUnfrozen``
  carry the new total, a ``ForcedTransfer`` beyond the spendable part and a ``Wiped`` eat into it, and a
  ``Recovered`` moves tier, flag and frozen amount to the new account and clears the lost one;
* minter allowances: ``MinterAllowanceSet`` sets, each ``Minted`` lowers (``burn`` restores nothing);
* VAT escrow: ``sum(Paid.vat) - sum(Refunded.vat not from the treasury) - sum(VatWithdrawn)``; each payment's
  gross, VAT, rate and cumulative refund; VAT due per merchant; merchants, treasury, reserve, pause, roles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tenge.audit.bridge_rebuild import BridgeRebuild
from tenge.audit.programme_rebuild import ProgrammeRebuild, RewardsRebuild
from tenge.audit.pvp_audit import PvPRebuild
from tenge.index.reader import IndexedEvent

ZERO = "0x0000000000000000000000000000000000000000"
Fact = tuple[str, str]


def vat_share(vat: int, part: int, gross: int) -> int:
    """VatMath.vatShare: the VAT in ``part`` of a payment of ``gross`` carrying ``vat``, rounded half up."""
    return (2 * part * vat + gross) // (2 * gross)


@dataclass
class Rebuilt:
    facts: dict[Fact, Any] = field(default_factory=dict)
    #: fact -> the index rows it was built from (named when the fact disagrees with the chain)
    sources: dict[Fact, list[IndexedEvent]] = field(default_factory=lambda: defaultdict(list))
    #: (merchant id, "YYYY-MM") -> VAT due in tiyn, from Paid/Refunded by block time (UTC)
    vat_due_by_period: dict[tuple[int, str], int] = field(default_factory=dict)

    def set(self, kind: str, key: Any, value: Any, event: IndexedEvent) -> None:
        fact = (kind, str(key))
        self.facts[fact] = value
        self.sources[fact].append(event)

    def add(self, kind: str, key: Any, delta: int, event: IndexedEvent) -> None:
        fact = (kind, str(key))
        self.facts[fact] = int(self.facts.get(fact, 0)) + delta
        self.sources[fact].append(event)

    def get(self, kind: str, key: Any, default: Any = 0) -> Any:
        return self.facts.get((kind, str(key)), default)


class _Token:
    def __init__(self, out: Rebuilt) -> None:
        self.out = out

    def apply(self, e: IndexedEvent) -> None:
        handler = getattr(self, f"on_{e.name}", None)
        if handler is not None:
            handler(e, e.args)

    def on_Transfer(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        value = int(a["value"])
        if a["from"] == ZERO:
            self.out.add("total supply", "", value, e)
        else:
            self.out.add("balance", a["from"], -value, e)
        if a["to"] == ZERO:
            self.out.add("total supply", "", -value, e)
        else:
            self.out.add("balance", a["to"], value, e)

    def on_TierSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("tier", a["account"], int(a["newTier"]), e)

    def on_TierCapSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("tier cap", int(a["tier"]), int(a["newCap"]), e)

    def on_Frozen(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("account frozen", a["account"], True, e)

    def on_Unfrozen(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("account frozen", a["account"], False, e)

    def on_AmountFrozen(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("frozen amount", a["account"], int(a["totalFrozen"]), e)

    on_AmountUnfrozen = on_AmountFrozen

    def on_ForcedTransfer(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        # Its Transfer came first: the balance before was the balance now plus the amount.
        amount, source = int(a["amount"]), a["from"]
        frozen = int(self.out.get("frozen amount", source))
        before = int(self.out.get("balance", source)) + amount
        spendable = max(0, before - frozen)
        if amount > spendable:
            self.out.set("frozen amount", source, frozen - (amount - spendable), e)

    def on_Wiped(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        frozen = int(self.out.get("frozen amount", a["from"]))
        self.out.set("frozen amount", a["from"], frozen - min(int(a["amount"]), frozen), e)

    def on_Recovered(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        lost, new = a["lostAccount"], a["newAccount"]
        for kind, cleared in (("tier", 0), ("account frozen", False), ("frozen amount", 0)):
            self.out.set(kind, new, self.out.get(kind, lost, cleared), e)
            self.out.set(kind, lost, cleared, e)

    def on_MinterAllowanceSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("minter allowance", a["minter"], int(a["newAllowance"]), e)

    def on_Minted(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        if int(a["amount"]):
            self.out.add("minter allowance", a["minter"], -int(a["amount"]), e)

    def on_ReserveAttested(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("reserve attestation", "", (int(a["amount"]), int(a["attestedAt"])), e)

    def on_CrosschainBurn(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        """Where the token is reserve-gated, a bridge burn lowers the attested reserve too (floored at 0), keeping its
        time: no ReserveAttested is emitted for it (TengeCrosschain.crosschainBurn -> _lowerReserve)."""
        enabled, _ = self.out.get("reserve gating", "", (False, 0))
        if enabled:
            amount, attested_at = self.out.get("reserve attestation", "", (0, 0))
            self.out.set("reserve attestation", "", (max(amount - int(a["amount"]), 0), attested_at), e)

    def on_ReserveGatingSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("reserve gating", "", (bool(a["enabled"]), int(a["maxAttestationAge"])), e)


class _Vat:
    def __init__(self, out: Rebuilt) -> None:
        self.out = out
        self.merchant_of: dict[str, int] = {}

    def apply(self, e: IndexedEvent) -> None:
        handler = getattr(self, f"on_{e.name}", None)
        if handler is not None:
            handler(e, e.args)

    def _period(self, e: IndexedEvent, merchant: int, delta: int) -> None:
        from datetime import datetime, timezone

        month = datetime.fromtimestamp(e.block_time, timezone.utc).strftime("%Y-%m")
        key = (merchant, month)
        self.out.vat_due_by_period[key] = self.out.vat_due_by_period.get(key, 0) + delta

    def on_Paid(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        pid, vat, merchant = str(a["paymentId"]), int(a["vat"]), int(a["merchantId"])
        self.merchant_of[pid] = merchant
        self.out.set("payment", pid, (int(a["gross"]), vat, int(a["rateBps"]), 0), e)
        self.out.add("vat escrow", "", vat, e)
        self.out.add("vat due", merchant, vat, e)
        self._period(e, merchant, vat)

    def on_Refunded(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        pid, vat = str(a["paymentId"]), int(a["vat"])
        gross, paid_vat, rate, _refunded = self.out.get("payment", pid, (0, 0, 0, 0))
        self.out.set("payment", pid, (gross, paid_vat, rate, int(a["totalRefunded"])), e)
        merchant = self.merchant_of.get(pid, int(a["merchantId"]))
        self.out.add("vat due", merchant, -vat, e)
        self._period(e, merchant, -vat)
        if not a["vatFromTreasury"]:
            self.out.add("vat escrow", "", -vat, e)

    def on_VatWithdrawn(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.add("vat escrow", "", -int(a["amount"]), e)

    def on_TreasurySet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("vat treasury", "", a["newTreasury"], e)

    def on_VatReserveSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("vat reserve", "", int(a["newReserve"]), e)

    def _schedule(self, e: IndexedEvent, category: int) -> tuple[bool, int, bool, int, int]:
        current: tuple[bool, int, bool, int, int] = self.out.get("rate schedule", category, (False, 0, False, 0, 0))
        return matured(current, e.block_time)

    def on_RateScheduled(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        category, bps, start = int(a["categoryId"]), int(a["rateBps"]), int(a["effectiveFrom"])
        has_current, current, has_next, next_bps, next_from = self._schedule(e, category)
        if start <= e.block_time:  # applied at once (the event carries the block's time then)
            has_current, current = True, bps
        else:
            has_next, next_bps, next_from = True, bps, start
        self.out.set("rate schedule", category, (has_current, current, has_next, next_bps, next_from), e)

    def on_RateChangeCancelled(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        has_current, current, _has_next, _bps, _from = self._schedule(e, int(a["categoryId"]))
        self.out.set("rate schedule", int(a["categoryId"]), (has_current, current, False, 0, 0), e)

    def on_MerchantRegistered(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.out.set("merchant", int(a["merchantId"]), (a["payout"], bool(a["vatRegistered"]), int(a["defaultCategory"]), True), e)

    def on_MerchantUpdated(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        active = self.out.get("merchant", int(a["merchantId"]), (None, None, None, True))[3]
        self.out.set("merchant", int(a["merchantId"]), (a["payout"], bool(a["vatRegistered"]), int(a["defaultCategory"]), active), e)

    def on_MerchantActiveSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        payout, registered, category, _active = self.out.get("merchant", int(a["merchantId"]), (None, None, None, None))
        self.out.set("merchant", int(a["merchantId"]), (payout, registered, category, bool(a["active"])), e)


def matured(schedule: tuple[bool, int, bool, int, int], now: int) -> tuple[bool, int, bool, int, int]:
    """VatRateSchedule._matured: a pending rate whose time has come is the rate in force."""
    has_current, current, has_next, next_bps, next_from = schedule
    if has_next and now >= next_from:
        return (True, next_bps, False, 0, 0)
    return schedule


def _common(out: Rebuilt, e: IndexedEvent) -> None:
    """Events both contracts share: pause and roles."""
    if e.name in ("Paused", "Unpaused"):
        out.set(f"{e.prefix} paused", "", e.name == "Paused", e)
    elif e.name in ("RoleGranted", "RoleRevoked"):
        out.set("role", f"{e.prefix}:{e.args['role']}:{e.args['account']}", e.name == "RoleGranted", e)


#: Token burns that are not the bridge's: on a BNB-side chain they take bridged money out of the supply without the
#: bridge (the home escrow that backed it is stranded; see tenge.bridge.stranded).
OUTSIDE_BURNS = ("Wiped", "Redeemed", "Burned")


def rebuild(events: Iterable[IndexedEvent], at_time: int | None = None, *, bridge_home: bool = True) -> Rebuilt:
    """The state after ``events`` (in chain order), as a view at block time ``at_time`` sees it (``bridge_home``:
    the bridge in these events is the home bridge, which escrows, not a remote one, which burns and mints)."""
    out = Rebuilt()
    handlers: dict[str, _Token | _Vat | BridgeRebuild | ProgrammeRebuild | RewardsRebuild | PvPRebuild] = {
        "token": _Token(out), "vat": _Vat(out), "bridge": BridgeRebuild(out, bridge_home),
        "programme": ProgrammeRebuild(out), "rewards": RewardsRebuild(out), "pvp": PvPRebuild(out),
    }  # fmt: skip
    seen: set[str] = set()
    for e in events:
        seen.add(e.prefix)
        _common(out, e)
        handler = handlers.get(e.prefix)
        if handler is not None:
            handler.apply(e)
        if e.prefix == "token" and e.name in OUTSIDE_BURNS and not bridge_home:
            bridge = handlers["bridge"]
            assert isinstance(bridge, BridgeRebuild)
            bridge.burned_outside(e)
    if at_time is not None:
        for fact, value in out.facts.items():
            if fact[0] == "rate schedule":
                out.facts[fact] = matured(value, at_time)
    if "token" in seen:
        out.facts.setdefault(("total supply", ""), 0)
    if "vat" in seen:
        out.facts.setdefault(("vat escrow", ""), 0)
    # Every payment's per-merchant VAT due has a chain counterpart; so does every account's whole state.
    for fact in list(out.facts):
        if fact[0] in ("tier", "account frozen", "frozen amount", "balance"):
            for kind, default in (("balance", 0), ("tier", 0), ("account frozen", False), ("frozen amount", 0)):
                out.facts.setdefault((kind, fact[1]), default)
    return out
