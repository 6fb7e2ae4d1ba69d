"""The relayer and the validators with the queue under review: an oversized inbound transfer waits its delay
("delayed until <time>" in the relayer's reason) and is then completed; a held one waits ("held") until the pause
role lets it go; one the admin rejects becomes Failed, the validators sign its refund and the relayer refunds it at
the source. Each exactly once."""

from __future__ import annotations

import threading
import time

from bridge_world import ADMIN, ALICE, BNB, BOB, HOME, HOME_CHAIN
from chain_helpers import rpc
from relayer_world import RelayerWorld
from test_relayer_faults import all_done
from test_relayer_flow import send

from tenge.bridge.relayer.store import Store


def test_delayed_held_and_rejected_transfers_are_completed_or_refunded_once(rworld: RelayerWorld) -> None:
    rworld.start_validators()
    bnb = rworld.bridge.bridge(BNB, ADMIN)
    bnb.set_max_transfer(HOME_CHAIN, inbound="40.00", outbound=None)  # 50.00 and 60.00 are oversized
    bnb.set_queue_delay(6)
    for amount in ("50.00", "60.00", "45.00"):
        send(rworld, HOME, ALICE, BOB, amount)
    delayed, rejected, held = rworld.bridge.transfers
    before = rworld.bridge.balance(HOME, ALICE)
    db = f"sqlite:///{rworld.tmp / 'relayer.sqlite'}"
    rworld.relayer("r1", 4, db)
    queued = lambda s: all(s[t.id_hex] == "queued" for t in (delayed, rejected, held))  # noqa: E731
    rworld.wait_for(lambda s: queued(s) or all_done(s), 60, "the oversized transfers queued at the destination")
    bnb.hold(held)
    bnb.reject(rejected)
    store = Store(db, "reader")
    stop = threading.Event()  # a live chain makes blocks (release times pass by block time)
    ticker = threading.Thread(target=lambda: [rpc(rworld.bridge.bnb.w3, "evm_mine") for _ in iter(lambda: stop.wait(0.5), True)])
    ticker.start()
    reasons: set[str] = set()
    try:
        deadline = time.monotonic() + 90
        while rworld.settled()[delayed.id_hex] != "delivered" or rworld.settled()[rejected.id_hex] != "refunded":
            reasons |= {str((store.get(t.id_hex) or {}).get("reason") or "") for t in (delayed, held)}
            assert time.monotonic() < deadline, (rworld.settled(), reasons)
            time.sleep(0.3)
        time.sleep(3)  # the held one stays queued while held, whatever its release time
        assert rworld.settled()[held.id_hex] == "queued"
        reasons |= {str((store.get(held.id_hex) or {}).get("reason") or "")}
        bnb.hold(held, held=False)
        rworld.wait_for(all_done, 60, "the held transfer completed once let go")
    finally:
        stop.set()
        ticker.join()
    assert any(r.startswith("delayed until ") for r in reasons), reasons
    assert any(r.startswith("held by the bridge's pause role") for r in reasons), reasons
    assert rworld.bridge.balance(HOME, ALICE) == before + rejected.amount  # refunded once
    calls = rworld.deliver_calls(rworld.bridge.bnb.w3.eth.chain_id, 0)
    assert all(n == 1 for n in calls.values()), calls
