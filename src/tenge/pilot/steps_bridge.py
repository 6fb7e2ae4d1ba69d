"""Pilot step 6: tenge to the BNB side and back through the real validators and relayer - one transfer queued by
the rate limit, one to a non-KYC'd recipient refunded at home, the relayer SIGKILLed mid-way and restarted, a VAT
payment on the BNB side - and every transfer delivered by exactly one transaction (counted on chain)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer

from tenge.pilot.record import PilotRecord
from tenge.pilot.steps_home import sample, session
from tenge.pilot.world import BNB, BNB_CHAIN, HOME, HOME_CHAIN, PilotFailed, address

if TYPE_CHECKING:
    from tenge.pilot.world import PilotWorld

BNB_CAFE_ID = 4001
STANDARD = 1
INBOUND_CAPACITY, INBOUND_REFILL = Decimal("100000.00"), Decimal("2000.00")
WAIT_SECONDS = 180.0


@dataclass
class Tracked:
    label: str
    transfer: BridgeTransfer
    sent_at: float
    queued_at_source: bool
    settled_at: float | None = None
    outcome: str = ""
    queued_inbound: bool = False

    @property
    def home_to_bnb(self) -> bool:
        return self.transfer.dest_chain_id == BNB_CHAIN


def _bridges() -> dict[str, BridgeClient]:
    return {HOME: session("central bank").bridge(), BNB: session("central bank", BNB).bridge()}


def _settle(tracked: list[Tracked], bridges: dict[str, BridgeClient]) -> None:
    """Stamp the transfers that reached their end: delivered at the destination, or refunded at the source."""
    for t in tracked:
        if t.settled_at is not None:
            continue
        source, dest = (bridges[HOME], bridges[BNB]) if t.home_to_bnb else (bridges[BNB], bridges[HOME])
        if dest.inbound_status(t.transfer.id) == "Delivered":
            t.outcome = "delivered"
        elif source.outbound_status(t.transfer.nonce) == "Refunded":
            t.outcome = "refunded"
        else:
            continue
        t.settled_at = time.monotonic()


def _wait(tracked: list[Tracked], bridges: dict[str, BridgeClient], until: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not until():
        if time.monotonic() > deadline:
            pending = [t.label for t in tracked if t.settled_at is None]
            raise PilotFailed(f"{what}: not reached within {WAIT_SECONDS:.0f} s (pending: {', '.join(pending)})")
        time.sleep(0.2)
        _settle(tracked, bridges)


def _send(rec: PilotRecord, label: str, chain: str, recipient: str, amount: str) -> Tracked:
    dest = BNB_CHAIN if chain == HOME else HOME_CHAIN
    sent = session("parent Aliya", chain).bridge().send(dest, address(recipient), amount)
    rec.did(f"{label}: {sent.transfer.amount} sent ({'queued at the source' if sent.queued else 'locked' if chain == HOME else 'burned'}), "
            f"transfer {sent.transfer.id_hex[:10]}...", sent.tx.gas_used)  # fmt: skip
    return Tracked(label, sent.transfer, time.monotonic(), sent.queued)


def step6_bridge(world: "PilotWorld", rec: PilotRecord) -> None:
    rec.step("Bridge to the BNB side and back: validators attest at finality, the relayer delivers")
    bridges = _bridges()
    starts = {HOME: int(world.w3(HOME).eth.block_number) + 1, BNB: int(world.w3(BNB).eth.block_number) + 1}
    gas = bridges[BNB].set_rate_limits(HOME_CHAIN, inbound=(INBOUND_CAPACITY, INBOUND_REFILL),
                                       outbound=(INBOUND_CAPACITY, INBOUND_REFILL)).gas_used  # fmt: skip
    rec.did(f"the BNB-side bridge takes in at most {INBOUND_CAPACITY} at once, refilled {INBOUND_REFILL} a second", gas)
    world.wait_validators()
    first = world.relayers[0]
    first.wait_ready()
    rec.did(f"{first.name} ready; {len(world.validators)} validators watching both chains")
    tracked = [
        _send(rec, "Aliya -> her BNB-side wallet", HOME, "parent Aliya", "80000.00"),
        _send(rec, "Aliya -> BNB side, above what the bucket has left", HOME, "parent Aliya", "50000.00"),
        _send(rec, "Aliya -> a non-KYC'd recipient on the BNB side", HOME, "non-KYC stranger", "1000.00"),
    ]
    _wait(tracked, bridges, lambda: tracked[0].settled_at is not None, "the first delivery")
    first.kill()
    rec.did(f"relayer pilot-1 SIGKILLed after the first delivery, with {sum(t.settled_at is None for t in tracked)} transfers pending")
    world.start_relayer("pilot-2")
    rec.did("relayer pilot-2 started on the same SQLite store")
    _wait(tracked, bridges, lambda: all(t.settled_at is not None for t in tracked), "home -> BNB side")
    for t in tracked:
        rec.did(f"{t.label}: {t.outcome} after {t.settled_at - t.sent_at:.1f} s")  # type: ignore[operator]
    sample(world, rec, "bridged to the BNB side")

    vat = session("central bank", BNB).payments()
    rec.did(f"BNB-side tax authority registers the BNB cafe as merchant {BNB_CAFE_ID}",
            vat.register_merchant(BNB_CAFE_ID, address("BNB cafe"), vat_registered=True, default_category=STANDARD).gas_used)  # fmt: skip
    paid = session("parent Aliya", BNB).payments().pay_with_permit(BNB_CAFE_ID, "11600.00", "BNB-CAFE-0001")
    rec.did(f"Aliya pays the BNB cafe {paid.gross} on the BNB side: VAT {paid.vat}, net {paid.net}", paid.tx.gas_used)
    back = _send(rec, "Aliya -> back home", BNB, "parent Aliya", "20000.00")
    tracked.append(back)
    _wait(tracked, bridges, lambda: back.settled_at is not None, "BNB side -> home")
    rec.did(f"{back.label}: {back.outcome} after {back.settled_at - back.sent_at:.1f} s")  # type: ignore[operator]

    calls = _deliver_calls(world, HOME, starts[HOME], bridges[HOME]) + _deliver_calls(world, BNB, starts[BNB], bridges[BNB])
    delivered = {t.transfer.id_hex for t in tracked if t.outcome == "delivered"}
    twice = {i: n for i, n in calls.items() if n > 1}
    if twice or not delivered <= set(calls):
        raise PilotFailed(f"deliveries counted on chain do not match: {dict(calls)}")
    rec.did(f"on chain: {len(delivered)} transfers delivered, each by exactly one deliver transaction (none twice)")
    queued = _queued_ids(bridges[BNB], starts[BNB])
    for t in tracked:
        t.queued_inbound = t.transfer.id_hex in queued
    rec.did(f"queued by the BNB side's rate limit, then completed by the relayer: "
            f"{', '.join(t.label for t in tracked if t.queued_inbound) or 'none'}")  # fmt: skip
    escrow = session("central bank").token().balance_of(bridges[HOME].address)
    supply = session("central bank", BNB).token().total_supply()
    if escrow != supply:
        raise PilotFailed(f"home escrow {escrow} != BNB-side supply {supply}")
    rec.did(f"conservation: home escrow {escrow} = BNB-side supply {supply}")
    rec.transfers.extend(_row(t) for t in tracked)
    rec.facts["deliverTransactions"] = {k: v for k, v in calls.items()}
    sample(world, rec, "bridged back")


def _row(t: Tracked) -> dict[str, Any]:
    latency = (t.settled_at or t.sent_at) - t.sent_at
    return {
        "label": t.label, "id": t.transfer.id_hex, "direction": "home -> BNB" if t.home_to_bnb else "BNB -> home",
        "amount": str(t.transfer.amount), "outcome": t.outcome, "latencySeconds": round(latency, 2),
        "queuedByRateLimit": t.queued_inbound,
    }  # fmt: skip


def _queued_ids(bridge: BridgeClient, since: int) -> set[str]:
    """Transfers the bridge queued on arrival (InboundQueued) since block ``since``."""
    logs = bridge.contract.events.InboundQueued().get_logs(from_block=since)
    return {"0x" + bytes(log["args"]["id"]).hex() for log in logs}


def _deliver_calls(world: "PilotWorld", chain: str, since: int, bridge: BridgeClient) -> Counter[str]:
    """Per transfer id: how many deliver / deliverBatch items were mined on ``chain`` since block ``since``."""
    w3 = world.w3(chain)
    found: Counter[str] = Counter()
    for number in range(since, int(w3.eth.block_number) + 1):
        block: Any = w3.eth.get_block(number, full_transactions=True)
        for tx in block["transactions"]:
            if tx["to"] != bridge.address:
                continue
            function, args = bridge.contract.decode_function_input(tx["input"])
            if function.fn_name == "deliver":
                items = [args["transfer"]]
            elif function.fn_name == "deliverBatch":
                items = [item["transfer"] if isinstance(item, dict) else item[0] for item in args["deliveries"]]
            else:
                continue
            for struct in items:
                found[BridgeTransfer.from_struct(struct).id_hex] += 1
    return found
