"""Purpose-bound programmes and reward pools rebuilt from their events.

Programmes (``programme_*``): unallocated = funded - allocated - withdrawn + seized + surplus assigned;
outstanding vouchers = allocated - spent - seized; a reclaim zeroes both and closes the programme. Facts:
``programme`` (sponsor, unallocated, outstanding, closed) - ``programme(id)``; ``programme locked`` -
``locked(id)``; ``programme total locked`` - ``totalLocked()``; ``programme vouchers`` per (id, holder) from the
ERC-1155 TransferSingle/TransferBatch (void, 0, once closed) - ``balanceOf(holder, id)``.

Reward pools (``rewards_*``): ``rewards pool`` (sponsor, attester, max per claim, period cap, balance, paused,
closed, budget code) - ``pool(id)``; ``rewards claimed`` per (pool, beneficiary, period) - ``claimed``;
``rewards paid in period`` per (pool, period) - ``paidInPeriod``.

:func:`programme_totals` sums funded, allocated, spent, withdrawn, seized, reclaimed per programme, and claims
paid per pool, for the auditor's overview.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tenge.index.reader import IndexedEvent

ZERO = "0x0000000000000000000000000000000000000000"


class ProgrammeRebuild:
    def __init__(self, out: Any) -> None:
        self.out = out
        self.state: dict[int, list[Any]] = {}  # id -> [sponsor, unallocated, outstanding, closed]
        self.vouchers: dict[tuple[int, str], int] = {}
        self.total = 0

    def apply(self, e: IndexedEvent) -> None:
        handler = getattr(self, f"on_{e.name}", None)
        if handler is not None:
            handler(e, e.args)

    def _change(self, e: IndexedEvent, pid: int, unallocated: int = 0, outstanding: int = 0) -> None:
        state = self.state.setdefault(pid, [ZERO, 0, 0, False])
        state[1] += unallocated
        state[2] += outstanding
        self.total += unallocated + outstanding
        self._publish(e, pid)

    def _publish(self, e: IndexedEvent, pid: int) -> None:
        sponsor, unallocated, outstanding, closed = self.state[pid]
        self.out.set("programme", pid, (sponsor, unallocated, outstanding, closed), e)
        self.out.set("programme locked", pid, unallocated + outstanding, e)
        self.out.set("programme total locked", "", self.total, e)
        if closed:
            for (voucher_pid, holder) in self.vouchers:
                if voucher_pid == pid:
                    self.out.set("programme vouchers", f"{pid}:{holder}", 0, e)

    def on_ProgrammeCreated(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self.state[int(a["programmeId"])] = [str(a["sponsor"]), 0, 0, False]
        self._change(e, int(a["programmeId"]))

    def on_ProgrammeFunded(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._change(e, int(a["programmeId"]), unallocated=int(a["amount"]))

    def on_SurplusAssigned(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._change(e, int(a["programmeId"]), unallocated=int(a["amount"]))

    def on_VouchersAllocated(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._change(e, int(a["programmeId"]), unallocated=-int(a["total"]), outstanding=int(a["total"]))

    def on_VoucherSpent(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._change(e, int(a["programmeId"]), outstanding=-int(a["amount"]))

    def on_UnallocatedWithdrawn(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._change(e, int(a["programmeId"]), unallocated=-int(a["amount"]))

    def on_VouchersSeized(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._change(e, int(a["programmeId"]), unallocated=int(a["amount"]), outstanding=-int(a["amount"]))

    def on_ProgrammeReclaimed(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        pid = int(a["programmeId"])
        self._change(e, pid, unallocated=-int(a["unallocated"]), outstanding=-int(a["unspent"]))
        self.state[pid][3] = True
        self._publish(e, pid)

    def _voucher(self, e: IndexedEvent, pid: int, holder: str, delta: int) -> None:
        if holder == ZERO:
            return
        key = (pid, holder)
        self.vouchers[key] = self.vouchers.get(key, 0) + delta
        closed = bool(self.state.get(pid, [None, 0, 0, False])[3])
        self.out.set("programme vouchers", f"{pid}:{holder}", 0 if closed else self.vouchers[key], e)

    def on_TransferSingle(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._voucher(e, int(a["id"]), str(a["from"]), -int(a["value"]))
        self._voucher(e, int(a["id"]), str(a["to"]), int(a["value"]))

    def on_TransferBatch(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        for pid, value in zip(json.loads(str(a["ids"])), json.loads(str(a["values"]))):
            self._voucher(e, int(pid), str(a["from"]), -int(value))
            self._voucher(e, int(pid), str(a["to"]), int(value))


class RewardsRebuild:
    def __init__(self, out: Any) -> None:
        self.out = out
        self.pools: dict[int, list[Any]] = {}  # id -> [sponsor, attester, max, cap, balance, paused, closed, budget]

    def apply(self, e: IndexedEvent) -> None:
        handler = getattr(self, f"on_{e.name}", None)
        if handler is not None:
            handler(e, e.args)

    def _pool(self, e: IndexedEvent, pid: int, **changes: Any) -> None:
        pool = self.pools.setdefault(pid, [ZERO, ZERO, 0, 0, 0, False, False, "0x" + "00" * 32])
        for position, name in enumerate(("sponsor", "attester", "max", "cap", "balance", "paused", "closed", "budget")):
            if name in changes:
                pool[position] = changes[name]
        self.out.set("rewards pool", pid, tuple(pool), e)

    def on_PoolCreated(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._pool(e, int(a["poolId"]), sponsor=str(a["sponsor"]), attester=str(a["attester"]), max=int(a["maxPerClaim"]),
                   cap=int(a["periodCap"]), budget=str(a["budgetCode"]))  # fmt: skip

    def on_PoolFunded(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        pid = int(a["poolId"])
        self._pool(e, pid, balance=int(self.pools.get(pid, [0] * 5)[4]) + int(a["amount"]))

    def on_RewardClaimed(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        pid, period = int(a["poolId"]), int(a["period"])
        self._pool(e, pid, balance=int(self.pools.get(pid, [0] * 5)[4]) - int(a["amount"]))
        self.out.set("rewards claimed", f"{pid}:{a['beneficiary']}:{period}", True, e)
        self.out.add("rewards paid in period", f"{pid}:{period}", int(a["amount"]), e)

    def on_PoolClosed(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._pool(e, int(a["poolId"]), balance=0, closed=True)

    def on_PoolPausedSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._pool(e, int(a["poolId"]), paused=bool(a["paused"]))

    def on_AttesterSet(self, e: IndexedEvent, a: dict[str, Any]) -> None:
        self._pool(e, int(a["poolId"]), attester=str(a["newAttester"]))


PROGRAMME_FLOWS = {
    "ProgrammeFunded": ("funded", "amount"), "VouchersAllocated": ("allocated", "total"),
    "VoucherSpent": ("spent", "amount"), "UnallocatedWithdrawn": ("withdrawn", "amount"),
    "VouchersSeized": ("seized", "amount"), "SurplusAssigned": ("surplus assigned", "amount"),
}  # fmt: skip


def programme_totals(history: Iterable[IndexedEvent]) -> dict[str, int]:
    """``"programme 1 spent"`` / ``"reward pool 1 claims paid"`` ... -> tiyn (claims: also ``... claims`` -> count)."""
    totals: dict[str, int] = {}

    def add(key: str, amount: int) -> None:
        totals[key] = totals.get(key, 0) + amount

    for e in history:
        if e.prefix == "programme" and e.name in PROGRAMME_FLOWS:
            flow, field = PROGRAMME_FLOWS[e.name]
            add(f"programme {e.args['programmeId']} {flow}", int(e.args[field]))
        elif e.prefix == "programme" and e.name == "ProgrammeReclaimed":
            add(f"programme {e.args['programmeId']} reclaimed", int(e.args["unallocated"]) + int(e.args["unspent"]))
        elif e.prefix == "rewards" and e.name == "RewardClaimed":
            add(f"reward pool {e.args['poolId']} claims paid", int(e.args["amount"]))
            add(f"reward pool {e.args['poolId']} claims", 1)
        elif e.prefix == "rewards" and e.name == "PoolFunded":
            add(f"reward pool {e.args['poolId']} funded", int(e.args["amount"]))
    return totals
