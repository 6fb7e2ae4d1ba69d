"""A stuck delivery is replaced with the same nonce and higher fees (the home chain stops mining for a while);
once mining resumes the transfer is delivered exactly once."""

from __future__ import annotations

import json
import time

from bridge_world import ALICE, BNB, BOB, HOME, HOME_CHAIN
from chain_helpers import rpc
from relayer_world import RelayerWorld
from test_relayer_faults import all_done
from test_relayer_flow import send


def test_a_stuck_delivery_is_replaced_with_higher_fees_and_lands_once(rworld: RelayerWorld) -> None:
    rworld.start_validators()
    send(rworld, HOME, ALICE, BOB, "40.00")
    relayer = rworld.relayer("r1", 4, f"sqlite:///{rworld.tmp / 'relayer.sqlite'}", "--stuck-after", "1")
    rworld.wait_for(all_done, 60, "the first leg delivered")
    home_w3 = rworld.bridge.home.w3
    since = int(home_w3.eth.block_number) + 1
    rpc(home_w3, "evm_setAutomine", [False])
    try:
        send_back = rworld.bridge.bridge(BNB, BOB).send(HOME_CHAIN, rworld.bridge.address(ALICE), "15.00")
        rworld.bridge.transfers.append(send_back.transfer)
        deadline = time.monotonic() + 40
        while '"msg": "gas escalated"' not in relayer.log.read_text():
            assert time.monotonic() < deadline, relayer.log.read_text()[-3000:]
            time.sleep(0.3)
        pending = rpc(home_w3, "txpool_content")["pending"]
        ours = pending.get(rworld.bridge.address(4)) or pending.get(rworld.bridge.address(4).lower()) or {}
        assert len(ours) == 1, ours  # one nonce: the replacement took the original's place
    finally:
        rpc(home_w3, "evm_setAutomine", [True])
        rpc(home_w3, "evm_mine")
    rworld.wait_for(all_done, 60, "delivered after mining resumed")
    calls = rworld.deliver_calls(HOME_CHAIN, since)
    assert calls == {send_back.transfer.id_hex: 1}
    mined = [tx for n in range(since, int(home_w3.eth.block_number) + 1)
             for tx in home_w3.eth.get_block(n, full_transactions=True)["transactions"]
             if tx["from"] == rworld.bridge.address(4)]  # type: ignore[index]  # fmt: skip
    bumps = [json.loads(line) for line in relayer.log.read_text().splitlines() if '"msg": "gas escalated"' in line]
    assert len(mined) == 1, mined
    # the transaction that landed is the last replacement, not the original
    assert mined[0]["hash"].to_0x_hex() == bumps[-1]["new"], (mined[0]["hash"], bumps)  # type: ignore[index]
    assert mined[0]["hash"].to_0x_hex() != bumps[0]["old"]  # type: ignore[index]
