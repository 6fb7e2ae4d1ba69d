"""The index follows the programmes and reward pools: create, fund, allocate, spend, withdraw, reclaim, and pool
claims, indexed and audited clean (locked, outstanding vouchers, voucher balances, pools, claims); a corrupted
row is found and named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from programme_world import ATTESTER, CANTEEN_ID, CITY, COURIER, PUPIL, PUPIL_B, World
from sqlalchemy import Engine, select, update

from tenge.audit.audit import AuditResult, audit
from tenge.index.db import open_index
from tenge.index.schema import table
from tenge.index.sync import IndexSync


PERIOD = 20260301


def _history(world: World) -> tuple[int, int]:
    city, pupil = world.programmes(CITY), world.programmes(PUPIL)
    pid = world.lunch_programme(days=10, fund="50000.00")
    city.allocate(pid, [(world.address(PUPIL), "3000.00"), (world.address(PUPIL_B), "2000.00")])
    pupil.spend(pid, CANTEEN_ID, "1000.00", "IDX-1")
    city.withdraw_unallocated(pid, "5000.00")
    kept = world.lunch_programme(days=30, fund="7000.00")  # still running at the audit
    city.allocate(kept, [(world.address(PUPIL), "1500.00")])
    world.programmes(PUPIL_B).spend(pid, CANTEEN_ID, "500.00", "IDX-2")
    world.warp(city.programme(pid).expiry)
    city.reclaim(pid)
    rewards = world.rewards(CITY)
    pool = rewards.create_pool(world.address(ATTESTER), max_per_claim="500.00", period_cap="1000.00", budget="STEPS-IDX")
    rewards.fund(pool, "2000.00")
    for who, amount in ((PUPIL, "120.00"), (PUPIL_B, "300.00")):
        world.rewards(COURIER).claim(rewards.sign_claim(world.key(ATTESTER), pool, world.address(who), amount, PERIOD))
    return pid, pool


def _indexed(world: World, folder: Path) -> tuple[Engine, AuditResult]:
    session = world.suite.session(CITY)
    engine = open_index(f"sqlite:///{folder / 'index.db'}")
    IndexSync(engine, session.w3, session.record, confirmations=0).run()
    return engine, audit(session, engine)


def test_programmes_and_pools_audit_clean_and_a_corrupted_row_is_named(world: World, tmp_path: Path) -> None:
    pid, pool = _history(world)
    engine, outcome = _indexed(world, tmp_path)
    assert outcome.clean, "\n".join(d.describe() for d in outcome.differences)
    for kind in ("programme", "programme locked", "programme total locked", "programme vouchers", "rewards pool",
                 "rewards claimed", "rewards paid in period"):  # fmt: skip
        assert outcome.checked[kind] >= 1, kind
    assert outcome.checked["programme vouchers"] >= 3
    totals = outcome.totals
    assert totals[f"programme {pid} spent"] == 150_000 and totals[f"programme {pid} withdrawn"] == 500_000
    assert totals[f"programme {pid} reclaimed"] == 5_000_000 - 500_000 - 150_000
    assert totals[f"reward pool {pool} claims paid"] == 42_000 and totals[f"reward pool {pool} claims"] == 2

    spent = table("programme_voucher_spent")
    with engine.begin() as db:
        victim = db.execute(select(spent).order_by(spent.c.block_number).limit(1)).one()
        db.execute(update(spent).where((spent.c.block_number == victim.block_number) & (spent.c.log_index == victim.log_index))
                   .values(amount=victim.amount + 1))  # fmt: skip
    broken = audit(world.suite.session(CITY), engine)
    assert not broken.clean
    assert {"programme", "programme locked"} <= {d.kind for d in broken.differences}
    named = {row for d in broken.differences for row in d.bad_rows}
    assert named and all(f"programme_voucher_spent (block_number={victim.block_number}" in row
                         and f"amount={victim.amount + 1} (chain: {victim.amount})" in row for row in named), named  # fmt: skip
    engine.dispose()
