"""``deliverBatch``: many transfers in one transaction, each exactly as ``deliver`` would; an item already
processed is skipped (``DeliverySkipped``), a refused recipient is marked Failed, any other refusal reverts the
whole batch with that item's own error, and nothing is sent for an empty or oversized batch."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bridge_checks import rejected
from bridge_world import ALICE, BNB, BOB, CAROL, HOME, STRANGER, BridgeWorld

from tenge.bridge.attestations import Attestation
from tenge.bridge.batch import MAX_BATCH, batch_call, batch_tx
from tenge.chain.transactions import _calldata
from tenge.bridge.messages import BridgeTransfer
from tenge.bridge.relayer.discovery import transfers_sent


def _sent(world: BridgeWorld, recipients: list[int], amount: str = "5.00") -> list[BridgeTransfer]:
    transfers = [world.send(HOME, ALICE, r, amount).transfer for r in recipients]
    world.attest_escrow()
    return transfers


def _items(world: BridgeWorld, transfers: list[BridgeTransfer]) -> list[tuple[BridgeTransfer, list[Attestation]]]:
    bnb = world.bridge(BNB)
    return [(t, world.attest("Transfer", t, bnb)) for t in transfers]


def test_a_batch_delivers_every_transfer_in_one_transaction(world: BridgeWorld) -> None:
    transfers = _sent(world, [BOB, CAROL, BOB])
    bnb = world.bridge(BNB)
    block = int(world.bnb.w3.eth.block_number)
    outcomes = bnb.deliver_batch(_items(world, transfers))
    assert int(world.bnb.w3.eth.block_number) == block + 1, "one transaction"
    assert outcomes == {t.id_hex: ("Delivered", False) for t in transfers}
    assert [bnb.inbound_status(t.id) for t in transfers] == ["Delivered"] * 3
    assert world.balance(BNB, BOB) == Decimal("10.00") and world.balance(BNB, CAROL) == Decimal("5.00")


def test_the_batch_encoded_once_by_eth_abi_is_web3s_encoding(world: BridgeWorld) -> None:
    bnb = world.bridge(BNB)
    call = batch_call(bnb, _items(world, _sent(world, [BOB, CAROL])))
    assert batch_tx(call) == {"to": bnb.address, "data": _calldata(call)}


def test_transfer_logs_decoded_by_eth_abi_are_web3s_decoding(world: BridgeWorld) -> None:
    home = world.bridge(HOME)
    start = int(world.home.w3.eth.block_number) + 1
    sent = [world.send(HOME, ALICE, r, amount).transfer for r, amount in ((BOB, "5.00"), (CAROL, "0.01"))]
    end = int(world.home.w3.eth.block_number)
    by_web3 = [BridgeTransfer.from_struct(e["args"]["transfer"]) for e in home.contract.events.TransferSent().get_logs(from_block=start, to_block=end)]
    assert transfers_sent(home, start, end) == by_web3 == sent


def test_an_item_already_delivered_is_skipped_not_reverted(world: BridgeWorld) -> None:
    """Two relayers racing: the second batch skips what the first delivered and delivers the rest, once."""
    first, second = _sent(world, [BOB, CAROL])
    bnb = world.bridge(BNB)
    assert world.deliver(first) == "Delivered"
    outcomes = bnb.deliver_batch(_items(world, [first, second]))
    assert outcomes == {first.id_hex: ("Delivered", True), second.id_hex: ("Delivered", False)}
    assert world.balance(BNB, BOB) == Decimal("5.00"), "delivered once, not twice"
    again = bnb.deliver_batch(_items(world, [first, second]))
    assert again == {first.id_hex: ("Delivered", True), second.id_hex: ("Delivered", True)}
    assert world.balance(BNB, BOB) == Decimal("5.00") and world.balance(BNB, CAROL) == Decimal("5.00")


def test_a_refused_recipient_is_marked_failed_and_the_rest_delivered(world: BridgeWorld) -> None:
    good, refused_one = _sent(world, [BOB, STRANGER])  # STRANGER is not KYC'd on the BNB side
    outcomes = world.bridge(BNB).deliver_batch(_items(world, [good, refused_one]))
    assert outcomes == {good.id_hex: ("Delivered", False), refused_one.id_hex: ("Failed", False)}
    world.refund(refused_one)
    assert world.balance(BNB, BOB) == Decimal("5.00")


def test_one_bad_item_reverts_the_whole_batch_with_its_own_error(world: BridgeWorld) -> None:
    good, other = _sent(world, [BOB, CAROL])
    items = _items(world, [good, other])
    tampered = replace(other, amount=Decimal("500.00"))
    forged = [Attestation(a.kind, a.domain, tampered, a.signer, a.signature) for a in items[1][1]]
    bnb = world.bridge(BNB)
    rejected(world, "InvalidSignature", lambda: bnb.deliver_batch([items[0], (tampered, forged)]), signer=forged[0].signer)
    assert bnb.inbound_status(good.id) == "None", "nothing of a refused batch happened"


def test_an_empty_or_oversized_batch_is_refused(world: BridgeWorld) -> None:
    (transfer,) = _sent(world, [BOB])
    bnb = world.bridge(BNB)
    rejected(world, "EmptyBatch", lambda: bnb.deliver_batch([]))
    too_many = _items(world, [transfer]) * (MAX_BATCH + 1)
    rejected(world, "BatchTooLarge", lambda: bnb.deliver_batch(too_many), size=MAX_BATCH + 1, maxSize=MAX_BATCH)
    assert int(bnb.contract.functions.MAX_BATCH().call()) == MAX_BATCH
    assert world.balance(BNB, BOB) == Decimal("0.00")


def test_validator_log_decoding_by_eth_abi_is_web3s(world: BridgeWorld) -> None:
    from tenge.bridge.validator.chain import WatchedChain

    good, refused_one = _sent(world, [BOB, STRANGER])  # home: TransferSent
    world.bridge(BNB).deliver_batch(_items(world, [good, refused_one]))  # BNB: TransferFailed (STRANGER not KYC'd)
    world.refund(refused_one)  # home: TransferRefunded
    names: set[str] = set()
    for network in (HOME, BNB):
        bridge = world.bridge(network)
        chain = WatchedChain(bridge.session.network, bridge, False, 1)
        logs = bridge.w3.eth.get_logs({"address": bridge.address, "fromBlock": 0, "toBlock": "latest"})
        for log in logs:
            name = chain.topics.get("0x" + bytes(log["topics"][0]).hex())
            if name is not None:
                names.add(name)
                assert chain.decode(name, log) == dict(chain.contract.events[name]().process_log(log)["args"]), name
    assert {"TransferSent", "TransferFailed", "TransferRefunded"} <= names
