"""The index follows the bridge on both chains: transfers both ways, a failed and refunded one, a cancelled queued
one, one still queued at its source and one queued at its destination; both chains' indexes audit clean (statuses,
locked, escrow, minted supply, escrow attestation, validators), their in-flight sum closes the conservation
equation, and a corrupted TransferSent row is found and named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from bridge_world import ADMIN, ALICE, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, STRANGER, BridgeWorld
from sqlalchemy import Engine, select, update

from tenge.audit.audit import AuditResult, audit
from tenge.audit.bridge_rebuild import in_flight
from tenge.audit.report import render_audit
from tenge.index.db import open_index
from tenge.index.reader import events
from tenge.index.schema import table
from tenge.index.sync import IndexSync


def _limit(world: BridgeWorld, chain: str, *, inbound: bool, capacity: str) -> None:
    bridge = world.bridge(chain, ADMIN)
    peer = BNB_CHAIN if chain == HOME else HOME_CHAIN
    now_in, now_out = bridge.rate_limit(peer, inbound=True), bridge.rate_limit(peer, inbound=False)
    current_in, current_out = (str(now_in.capacity), str(now_in.refill_per_second)), (str(now_out.capacity), str(now_out.refill_per_second))
    bridge.set_rate_limits(peer, inbound=(capacity, "1.00") if inbound else current_in,
                           outbound=current_out if inbound else (capacity, "1.00"))  # fmt: skip


def _history(world: BridgeWorld) -> None:
    assert world.deliver(world.send(HOME, ALICE, BOB, "100.00").transfer) == "Delivered"
    failed = world.send(HOME, ALICE, STRANGER, "40.00").transfer  # STRANGER is not KYC'd on the BNB side
    assert world.deliver(failed) == "Failed"
    world.refund(failed)
    assert world.deliver(world.send(BNB, BOB, ALICE, "30.00").transfer) == "Delivered"
    _limit(world, BNB, inbound=True, capacity="50.00")
    assert world.deliver(world.send(HOME, ALICE, BOB, "80.00").transfer) == "Queued"  # queued at the destination
    _limit(world, HOME, inbound=False, capacity="50.00")
    cancelled = world.send(HOME, ALICE, BOB, "100.00")
    assert cancelled.queued
    world.bridge(HOME, ALICE).cancel(cancelled.transfer)
    assert world.send(HOME, ALICE, BOB, "60.00").queued  # stays queued at the source


def _indexed(world: BridgeWorld, chain: str, folder: Path) -> tuple[Engine, AuditResult]:
    session = world.session(chain, ADMIN)
    engine = open_index(f"sqlite:///{folder / f'{chain}.db'}")
    IndexSync(engine, session.w3, session.record, confirmations=0).run()
    return engine, audit(session, engine)


def test_both_chains_audit_clean_and_a_corrupted_transfer_is_named(world: BridgeWorld, tmp_path: Path) -> None:
    _history(world)
    (home, home_audit), (bnb, bnb_audit) = _indexed(world, HOME, tmp_path), _indexed(world, BNB, tmp_path)
    for outcome in (home_audit, bnb_audit):
        assert outcome.clean, "\n".join(d.describe() for d in outcome.differences)
        for kind in ("bridge outbound", "bridge inbound", "bridge next nonce", "bridge validators", "bridge threshold", "bridge remote"):
            assert outcome.checked[kind] >= 1, kind
    assert home_audit.checked["bridge locked"] == 1 and home_audit.checked["bridge escrow"] == 1
    assert bnb_audit.checked["bridge minted supply"] == 1 and bnb_audit.checked["bridge escrow attestation"] == 1
    assert home_audit.totals["bridge outbound Refunded"] == (1, 4_000)
    assert home_audit.totals["bridge outbound Cancelled"] == (1, 10_000)
    assert home_audit.totals["bridge outbound Queued"] == (1, 6_000)
    assert home_audit.totals["bridge outbound Sent"] == (2, 18_000) and home_audit.totals["bridge inbound Delivered"] == (1, 3_000)
    assert bnb_audit.totals["bridge inbound Failed"] == (1, 4_000) and bnb_audit.totals["bridge inbound Queued"] == (1, 8_000)
    text = render_audit(home_audit)
    assert "bridge outbound Refunded" in text and "no difference" in text, text
    flying = in_flight(events(home, ["bridge"]), events(bnb, ["bridge"]))
    assert sorted(flying.values()) == [6_000, 8_000]
    assert Decimal(sum(flying.values())) / 100 == world.in_flight()

    sent = table("bridge_transfer_sent")
    with home.begin() as db:
        victim = db.execute(select(sent).order_by(sent.c.block_number).limit(1)).one()
        db.execute(update(sent).where((sent.c.block_number == victim.block_number) & (sent.c.log_index == victim.log_index))
                   .values(transfer_amount=victim.transfer_amount + 1))  # fmt: skip
    broken = audit(world.session(HOME, ADMIN), home)
    assert {"bridge locked", "bridge escrow"} <= {d.kind for d in broken.differences}, broken.differences
    named = {row for d in broken.differences for row in d.bad_rows}
    assert named and all(f"bridge_transfer_sent (block_number={victim.block_number}" in row
                         and f"transfer.amount={victim.transfer_amount + 1} (chain: {victim.transfer_amount})" in row
                         for row in named), named  # fmt: skip
    home.dispose()
    bnb.dispose()


def test_a_send_home_lowers_the_bnb_reserve_and_the_audit_rebuilds_it(world: BridgeWorld, tmp_path: Path) -> None:
    """A send home burns on the BNB side and lowers its reserve (CrosschainBurn, no ReserveAttested): with nothing
    attested after it, the audit must still rebuild the lowered reserve (the pilot's last bridge step)."""
    assert world.deliver(world.send(HOME, ALICE, BOB, "100.00").transfer) == "Delivered"
    before = world.token(BNB).reserve()
    world.send(BNB, BOB, ALICE, "30.00")  # burned here; not delivered home yet, nothing attested since
    after = world.token(BNB).reserve()
    assert (after.amount, after.attested_at) == (before.amount - Decimal("30.00"), before.attested_at)
    _, bnb_audit = _indexed(world, BNB, tmp_path)
    assert bnb_audit.clean, render_audit(bnb_audit)
    assert world.deliver(world.transfers[-1]) == "Delivered"
