"""An operator's relayer: a restarted process on the same store takes back its own leases at once (issue #18: one
delivery waited out a 30 s lease after a SIGKILL), and a transfer waiting for refund signatures keeps one bounded
reason - one log line per change, not one per poll (issue #19)."""

from __future__ import annotations

import json
import re

from bridge_world import ALICE, BOB, CAROL, HOME, STRANGER
from relayer_world import RelayerWorld
from test_relayer_flow import send

from tenge.bridge.relayer.store import Store
from tenge.bridge.relayer.worker import MAX_REASON


def _instance(log: str) -> str:
    started = [json.loads(line[line.index("{"):]) for line in log.splitlines() if '"event": "start"' in line]
    assert started, log[-2000:]
    return str(started[-1].get("instance") or started[-1]["fields"]["instance"])


def test_a_sigkilled_relayer_restarted_on_its_store_takes_back_its_leases_at_once(rworld: RelayerWorld) -> None:
    """Leases last an hour here: a restarted relayer under a new name would wait all that time for the transfers its
    previous life held; under its stable default name it delivers them at once."""
    rworld.start_validators({i: "garbage" for i in range(5)})  # no valid signature yet: the transfers wait
    db = f"sqlite:///{rworld.tmp / 'relayer.sqlite'}"
    store = Store(db, "test-reader")
    first = rworld.relayer("first", 4, db, "--lease-seconds", "3600", instance=False)
    for recipient, amount in ((BOB, "3.10"), (CAROL, "4.20"), (BOB, "5.30")):
        send(rworld, HOME, ALICE, recipient, amount)
    rworld.wait_for(lambda _: store.counts()["sent"] == 3, 60, "the three transfers seen by the first relayer")
    first.kill()
    assert first.proc is not None and first.proc.returncode == -9
    name = _instance(first.log.read_text())
    # what the killed process held when it died mid-turn: its claim on every waiting transfer, for an hour
    held = Store(db, name)
    rworld.wait_for(lambda _: len(held.claim(10, 3600)) == 3, 30, "the first relayer's leases on all three")
    for server in rworld.servers:
        server.mode = "good"
    second = rworld.relayer("second", 4, db, "--lease-seconds", "3600", instance=False)
    state = rworld.wait_for(lambda s: all(v == "delivered" for v in s.values()), 60, "delivered by the restarted relayer")
    assert set(state.values()) == {"delivered"}
    assert _instance(second.log.read_text()) == name


def test_waiting_for_refund_signatures_keeps_one_bounded_reason(rworld: RelayerWorld) -> None:
    rworld.start_validators({0: "no-refunds", 1: "no-refunds", 2: "no-refunds"})  # refunds: 2 of the 3 needed
    db = f"sqlite:///{rworld.tmp / 'relayer.sqlite'}"
    store = Store(db, "test-reader")
    relayer = rworld.relayer("r1", 4, db)
    send(rworld, HOME, ALICE, STRANGER, "5.00")  # not KYC'd on the BNB side: fails there, to be refunded at home
    transfer_id = rworld.bridge.transfers[-1].id_hex
    seen: set[float] = set()

    def polled_often(_: dict[str, str]) -> bool:
        row = store.get(transfer_id)
        if row is not None and row["state"] == "failed" and "refund signatures" in str(row["reason"] or ""):
            seen.add(float(row["updated_at"]))
        return len(seen) >= 8  # eight polls that found 2 of 3 refund signatures

    rworld.wait_for(polled_often, 60, "eight polls for refund signatures")
    row = store.get(transfer_id)
    assert row is not None
    reason = str(row["reason"])
    assert reason.count("refund signatures") == 1 and reason.endswith("refund signatures: 2 of 3"), reason
    assert len(reason) <= MAX_REASON
    waits = [line for line in relayer.log.read_text().splitlines() if "transfer waits" in line and transfer_id in line]
    assert len(waits) <= 2, waits  # one line per change of reason (the first poll may have found fewer signatures)
    for server in rworld.servers:
        server.mode = "good"
    state = rworld.wait_for(lambda s: s[transfer_id] == "refunded", 60, "refunded once the signatures come")
    assert state[transfer_id] == "refunded"
    assert not re.search(r"refund signatures: .*refund signatures", relayer.log.read_text())
