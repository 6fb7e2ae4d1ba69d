"""Queued inbound transfers are completed by the relayer when the rate limit refills; its Prometheus endpoint
reports the states, the state changes and the delivery latency histogram (scraped over HTTP)."""

from __future__ import annotations

import threading
import time
import urllib.request

from chain_helpers import rpc
from bridge_world import ADMIN, ALICE, BNB, BOB, HOME, HOME_CHAIN, LIMIT_CAPACITY, LIMIT_REFILL
from prometheus_client.parser import text_string_to_metric_families
from relayer_world import RelayerWorld
from test_relayer_faults import all_done, exactly_once
from test_relayer_flow import send

from tenge.bridge.relayer.store import Store
from tenge.toolchain.anvil import free_port


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for f in text_string_to_metric_families(text) for s in f.samples}


def test_queued_transfers_complete_when_capacity_returns_and_metrics_tell(rworld: RelayerWorld) -> None:
    rworld.start_validators()
    since = int(rworld.bridge.bnb.w3.eth.block_number) + 1
    # BNB side inbound from home: 50.00 capacity, 5.00 a second
    rworld.bridge.bridge(BNB, ADMIN).set_rate_limits(HOME_CHAIN, inbound=("50.00", "5.00"), outbound=(LIMIT_CAPACITY, LIMIT_REFILL))
    for _ in range(3):
        send(rworld, HOME, ALICE, BOB, "30.00")
    port = free_port()
    db = f"sqlite:///{rworld.tmp / 'relayer.sqlite'}"
    rworld.relayer("r1", 4, db, "--metrics", f"127.0.0.1:{port}")
    rworld.wait_for(lambda s: "queued" in s.values() or all_done(s), 60, "a transfer queued by the rate limit")
    store = Store(db, "reader")
    deadline = time.monotonic() + 20
    while True:  # the relayer records the queue (and its reason) once it has read the receipt
        reasons = [store.get(t.id_hex)["reason"] or "" for t in rworld.bridge.transfers]  # type: ignore[index]
        if any("queued" in r for r in reasons) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    # a live chain makes blocks (the bucket refills by block time); this automining anvil would sit still
    stop = threading.Event()
    ticker = threading.Thread(target=lambda: [rpc(rworld.bridge.bnb.w3, "evm_mine") for _ in iter(lambda: stop.wait(0.5), True)])
    ticker.start()
    try:
        rworld.wait_for(all_done, 90, "queued transfers completed by the relayer")
    finally:
        stop.set()
        ticker.join()
    exactly_once(rworld, since)
    assert any("queued" in r for r in reasons), reasons
    metrics = scrape(port)
    assert metrics[("tenge_relayer_transfers", (("state", "delivered"),))] == 3
    assert metrics[("tenge_relayer_state_changes_total", (("state", "queued"),))] >= 1
    assert metrics[("tenge_relayer_delivery_latency_seconds_count", ())] == 3
    assert metrics[("tenge_relayer_submissions_total", (("action", "complete"), ("chain", "97")))] >= 1
