"""Throughput and what an integrator reads back: pipelined writes, three requests per single write, receipts
with fees and decoded events, the events API, and decoded errors in tenge and role names."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from token_world import ADMIN, ALICE, BANK, BOB, World, rejected, rpc

import tenge.errors
from tenge.bench.rpc_counter import CountingProvider
from tenge.chain.connection import CHAIN_ID_CACHE
from tenge.chain.events import DecodedEvent
from tenge.chain.journal import TxJournal
from tenge.chain.pipeline import PipelineFailed
from tenge.chain.readable import AMOUNT_NAMES, EVENT_AMOUNT_NAMES
from tenge.contracts import artifact_names, load_artifact

#: uint256 arguments of our errors and events that are not amounts of tenge (counts, times, nonces ...).
NOT_AMOUNTS = {"amounts", "blockTimestamp", "currentNonce", "deadline", "length", "recipients", "timestamp",
               "validAfter", "validBefore", "value",
               # bridge: validator counts and signature list lengths
               "newThreshold", "oldThreshold", "threshold", "valid", "validatorCount", "signatures", "signers",
               "size", "maxSize",  # deliverBatch: how many transfers a batch holds, and may hold
               # programmes and reward pools: ids, counts, the purpose bit mask, ERC-1155 ids and array lengths
               "beneficiaries", "id", "idsLength", "poolId", "programmeId", "purposeMask", "tokenId", "valuesLength",
               # a chain id (the payload test handler's Forwarded event, contracts/mocks/PayloadForwarder.sol)
               "sourceChainId",
               # the reserve gate: how many banks and bridges hold a minting role
               "minters", "bridges",
               # bridge queue and validator governance: delays (seconds) and times (unix seconds)
               "delay", "maxDelay", "newDelay", "oldDelay", "releaseAt", "effectiveAt", "executableAt", "now",
               # PvP settlement: nonces and the 1e18-scaled exchange rate
               "nonce", "rate",
               # offline purses: payments in a settled batch, a holder's open purses
               "count", "open"}  # fmt: skip


def _counted(world: World, index: int) -> tuple[object, CountingProvider]:
    session = world.suite.session(index)
    provider = CountingProvider(world.suite.rpc_url, **CHAIN_ID_CACHE)
    session.w3 = type(session.w3)(provider)
    return session, provider


def test_a_single_write_takes_three_json_rpc_requests(world: World) -> None:
    session, provider = _counted(world, ALICE)
    token = session.token()  # type: ignore[attr-defined]
    token.transfer(world.address(BOB), "1.00")  # the session's first write also checks code, chain id, fees
    session.signer.fees.ttl = 3600.0  # type: ignore[attr-defined]  # no fee refresh inside the measured write
    provider.reset()
    token.transfer(world.address(BOB), "1.00")
    # one batch (estimate, balance, nonce), one send, then the receipt: one poll when the node has mined the block
    # by then; anvil's automine mines a moment after it accepts the transaction, so a loaded machine may need a
    # second poll (`tenge bench throughput` reports the average: 3.58 per transfer in the last run)
    assert provider.methods["batch:eth_estimateGas+eth_getBalance+eth_getTransactionCount"] == 1, provider.methods
    assert provider.methods["eth_sendRawTransaction"] == 1, provider.methods
    assert set(provider.methods) == {"batch:eth_estimateGas+eth_getBalance+eth_getTransactionCount",
                                     "eth_sendRawTransaction", "eth_getTransactionReceipt"}  # fmt: skip
    assert provider.count == 2 + provider.methods["eth_getTransactionReceipt"]


def test_pipelined_transfers_all_land_with_receipts_fees_and_events(world: World) -> None:
    session, provider = _counted(world, ALICE)
    token = session.token()  # type: ignore[attr-defined]
    bob_before = token.balance_of(world.address(BOB))
    seen: list[tuple[int, int]] = []
    with session.pipeline(progress=lambda settled, sent: seen.append((settled, sent))) as pipeline:  # type: ignore[attr-defined]
        results = [token.transfer(world.address(BOB), f"{n}.00") for n in range(1, 6)]
    assert token.balance_of(world.address(BOB)) == bob_before + Decimal("15.00")
    assert len(pipeline.report.mined) == 5 and pipeline.report.ok
    assert seen[-1] == (5, 5)
    nonces = [p.nonce for p in pipeline.report.mined]
    assert nonces == list(range(nonces[0], nonces[0] + 5))
    for n, result in enumerate(results, start=1):
        assert result.receipt["status"] == 1 and result.gas_used > 0
        assert result.fee > 0 and result.fee_symbol == "ETH"
        assert result.fee == Decimal(result.receipt["gasUsed"] * result.receipt["effectiveGasPrice"]).scaleb(-18)
        (transfer,) = [e for e in result.events if e.name == "Transfer"]
        assert transfer.args == {"from": world.address(ALICE), "to": world.address(BOB), "value": Decimal(f"{n}.00")}
    # Receipts were fetched in batches, not one request per write.
    assert provider.methods["eth_getTransactionReceipt"] == 0


def test_a_refused_write_mid_pipeline_stops_there_and_says_what_was_sent(world: World) -> None:
    token = world.token(ALICE)
    nonce_before = world.nonce(ALICE)
    balance = token.balance_of(token.me)
    with pytest.raises(tenge.errors.ERC20InsufficientBalance) as caught:
        with token.session.pipeline() as pipeline:
            token.transfer(world.address(BOB), "1.00")
            token.transfer(world.address(BOB), "2.00")
            token.transfer(world.address(BOB), balance)  # more than is left after the first two
            token.transfer(world.address(BOB), "3.00")  # never reached
    assert world.nonce(ALICE) == nonce_before + 2, "exactly the two writes before the refused one were sent"
    assert "pipeline so far: 2 mined" in str(caught.value) and "1 not sent" in str(caught.value)
    assert [p.state for p in pipeline.report.mined] == ["mined", "mined"]
    assert caught.value.error_args["balance"] == balance - Decimal("3.00")
    assert token.balance_of(token.me) == balance - Decimal("3.00")


def test_a_payout_in_chunks_is_pipelined_with_progress(world: World) -> None:
    alice = world.token(ALICE)
    rows = [(world.address(BOB), "1.00")] * 5
    seen: list[tuple[int, int]] = []
    results = alice.batch_transfer(rows, chunk_size=2, progress=lambda s, n: seen.append((s, n)))
    assert len(results) == 3 and all(r.receipt["status"] == 1 for r in results)
    assert seen[-1] == (3, 3)


def test_decoded_errors_show_tenge_and_role_names(world: World) -> None:
    alice = world.token(ALICE)
    balance = alice.balance_of(alice.me)
    world.token(ADMIN).freeze(alice.me, "250.00")
    spendable, needed = balance - Decimal("250.00"), balance - Decimal("100.00")
    error = rejected(world, ALICE, "InsufficientSpendableBalance", lambda: alice.transfer(world.address(BOB), needed),
                     account=alice.me, spendable=spendable, needed=needed)  # fmt: skip
    assert isinstance(error.error_args["needed"], Decimal)
    assert f"spendable={spendable:,.2f} KZT, needed={needed:,.2f} KZT" in str(error)
    denied = rejected(world, ALICE, "AccessControlUnauthorizedAccount", lambda: alice.mint(alice.me, "1"),
                      account=alice.me, neededRole="MINTER_ROLE")  # fmt: skip
    assert "neededRole=MINTER_ROLE" in str(denied)


def test_events_api_reads_redemptions_decoded(world: World) -> None:
    alice = world.token(ALICE)
    result = alice.redeem(world.address(BANK), "100.10", "KZ-INV-2026-000123")
    (redeemed,) = alice.events("Redeemed", from_block=result.block_number)
    assert isinstance(redeemed, DecodedEvent)
    assert redeemed.args == {"holder": alice.me, "bank": world.address(BANK), "amount": Decimal("100.10"),
                             "redemptionReference": "KZ-INV-2026-000123"}  # fmt: skip
    assert redeemed.tx_hash == result.tx_hash and redeemed.block_number == result.block_number
    assert [e.name for e in result.events] == [e.name for e in alice.events(from_block=result.block_number)]
    followed = list(alice.follow("Redeemed", from_block=result.block_number, stop_after=0.5, poll_seconds=0.1))
    assert followed == [redeemed]
    with pytest.raises(tenge.errors.InvalidInput, match="no event 'Redemed'"):
        alice.events("Redemed")


def test_every_uint256_argument_of_our_errors_and_events_is_classified() -> None:
    """A new error or event carrying an amount must say so (AMOUNT_NAMES), or it would reach people in tiyn."""
    unclassified = set()
    for name in artifact_names():
        for item in load_artifact(name).abi:
            if item.get("type") in ("error", "event"):
                amounts = AMOUNT_NAMES if item["type"] == "error" else EVENT_AMOUNT_NAMES
                for arg in item["inputs"]:
                    if arg["type"] == "uint256" and arg["name"] not in amounts | NOT_AMOUNTS:
                        unclassified.add(f"{item['name']}.{arg['name']}")
    assert unclassified == set()


def test_a_write_that_reverts_when_mined_is_reported_decoded_with_the_rest(world: World) -> None:
    """Estimation passed, then a pause mined just ahead of it (higher tip, same block) made it revert."""
    alice, admin = world.token(ALICE), world.token(ADMIN)
    w3 = alice.w3
    pause = admin.session.signer.build(admin.contract.functions.pause(), description="pause")
    base_fee = int(w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
    pause.update({"maxPriorityFeePerGas": 50 * 10**9, "maxFeePerGas": 2 * base_fee + 50 * 10**9})  # type: ignore[typeddict-item]
    signed_pause = admin.session.signer.account.sign_transaction(pause).raw_transaction  # type: ignore[arg-type]
    with pytest.raises(PipelineFailed) as caught:
        with alice.session.pipeline() as pipeline:
            first = alice.transfer(world.address(BOB), "1.00")  # mined at once (automine)
            rpc(w3, "evm_setAutomine", [False])
            try:
                second = alice.transfer(world.address(BOB), "2.00")  # estimated fine, waits in the mempool
                w3.eth.send_raw_transaction(signed_pause)
                rpc(w3, "evm_mine")
            finally:
                rpc(w3, "evm_setAutomine", [True])
    report = caught.value.report
    assert [p.tx_hash for p in report.mined] == [first.tx_hash]
    (failed,) = report.failed
    assert failed.tx_hash == second.tx_hash and isinstance(failed.error, tenge.errors.EnforcedPause)
    assert "1 mined, 1 reverted on chain" in str(caught.value) and second.tx_hash in str(caught.value)
    with pytest.raises(tenge.errors.EnforcedPause, match="reverted on chain"):
        second.receipt  # noqa: B018 - reading a failed write's receipt raises its decoded error
    assert first.receipt["status"] == 1 and pipeline.report is report


def test_pipelined_writes_are_journaled_like_single_sends(world: World, tmp_path: Path) -> None:
    session = world.suite.session(ALICE)
    session.signer.journal = TxJournal(tmp_path / "journal.jsonl")
    token = session.token()
    with session.pipeline():
        results = [token.transfer(world.address(BOB), "1.00") for _ in range(3)]
    entries = {e.tx_hash: e for e in session.signer.journal.latest()}
    assert list(entries) == [r.tx_hash for r in results]
    assert {e.state for e in entries.values()} == {"confirmed"}
    states = [line["state"] for line in session.signer.journal.lines()]
    assert states.count("sent") == 3 and states.count("confirmed") == 3


def test_reads_of_one_account_go_in_batches(world: World) -> None:
    session, provider = _counted(world, ALICE)
    token = session.token()  # type: ignore[attr-defined]
    token.balance_of(world.address(BOB))  # the session's first call also checks the recorded code
    provider.reset()
    state = token.account(world.address(ALICE))
    assert provider.count == 2, provider.methods  # five reads in one batch, then the tier's cap
    assert state.balance == token.balance_of(world.address(ALICE)) and state.tier == token.tier_of(world.address(ALICE))
    provider.reset()
    assert token.roles_of(world.address(BANK)) == ["MINTER_ROLE"]
    assert provider.count == 1, provider.methods
