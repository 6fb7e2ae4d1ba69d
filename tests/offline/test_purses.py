"""Offline purses on chain: open, settle (VAT split), replay, the double spend of a cloned device, revocation,
the return of the rest, the bank's deposit and limits, and the gas of a batch of 100."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from chain_helpers import rolled_back
from purse_chain_world import (
    BANK, CENTRAL, DAY, HOLDER, SHOP_A, SHOP_A_ID, SHOP_B, SHOP_B_ID, STRANGER, TERMINAL, World, build_world,
)  # fmt: skip

from eth_account import Account

from tenge.errors import ContractRevert
from tenge.offline.purses import SkipReason
from tenge.offline.types import PurseCertificate, SignedCertificate


@pytest.fixture(scope="module")
def purse_world_base(suite: Any) -> Iterator[Any]:
    with rolled_back(suite.rpc_url, "the purse world"):
        build_world(suite)
        yield suite


@pytest.fixture
def world(purse_world_base: Any) -> Iterator[World]:
    with rolled_back(purse_world_base.rpc_url, "the test's state") as w3:
        yield World(purse_world_base, w3)


def _reverts(name: str, action: Any) -> ContractRevert:
    with pytest.raises(ContractRevert) as caught:
        action()
    assert caught.value.error_name == name, str(caught.value)
    assert name.startswith("AccessControl") or "nothing was sent" in str(caught.value)
    return caught.value


def test_open_settle_with_vat_replay_skipped_and_the_rest_returned(world: World) -> None:
    holder_before = world.balance(HOLDER)
    cert, key = world.open_purse("5000.00")
    pid = cert.certificate.purse_id
    assert world.balance(HOLDER) == holder_before - Decimal("5000.00")  # locked, no new money
    state = world.purses(HOLDER).status(pid)
    assert (state.status, state.amount, state.paid, state.reach) == ("open", Decimal("5000.00"), Decimal(0), 3)
    assert world.purses(BANK).bank(world.address(BANK)).reserved == Decimal("10000.00")  # amount x (reach - 1)

    a1 = world.pay(cert, key, 1, "1160.00", "1160.00", SHOP_A)
    b2 = world.pay(cert, key, 2, "500.00", "1660.00", SHOP_B)
    vat_escrow = world.purses(CENTRAL).session.record.address("VatPayments")
    vat_before, a_before, b_before = world.balance(vat_escrow), world.balance(SHOP_A), world.balance(SHOP_B)
    (batch,) = world.purses(TERMINAL).settle(SHOP_A_ID, [a1])
    assert (batch.settled, batch.gross, batch.vat, batch.skipped) == (1, Decimal("1160.00"), Decimal("160.00"), [])
    assert world.balance(SHOP_A) - a_before == Decimal("1000.00")
    assert world.balance(vat_escrow) - vat_before == Decimal("160.00")
    world.purses(TERMINAL).settle(SHOP_B_ID, [b2])
    assert world.balance(SHOP_B) - b_before == Decimal("500.00")  # not VAT-registered: no VAT

    # The same payment again (a retry, or anyone replaying the calldata) is skipped, not paid twice.
    (again,) = world.purses(STRANGER).settle(SHOP_A_ID, [a1])
    assert again.settled == 0 and again.skipped == [(pid, 1, SkipReason.ALREADY_SETTLED)]
    assert world.balance(SHOP_A) - a_before == Decimal("1000.00")
    assert world.purses(HOLDER).status(pid).paid == Decimal("1660.00")

    # A payment to SHOP_A presented by SHOP_B's batch does not verify (the signed merchant is the payout).
    (wrong,) = world.purses(TERMINAL).settle(SHOP_B_ID, [world.pay(cert, key, 3, "1.00", "1661.00", SHOP_A)])
    assert wrong.skipped == [(pid, 3, SkipReason.INVALID_SIGNATURE)]

    state = world.purses(HOLDER).status(pid)
    _reverts("PurseNotClosable", lambda: world.purses(HOLDER).close(pid))
    world.warp(state.closable_at)
    returned, _ = world.purses(STRANGER).close(pid)
    assert returned == Decimal("3340.00")
    assert world.balance(HOLDER) == holder_before - Decimal("1660.00")
    assert world.purses(BANK).bank(world.address(BANK)).reserved == Decimal(0)
    assert world.purses(HOLDER).status(pid).status == "closed"
    late = world.pay(cert, key, 4, "1.00", "1661.00", SHOP_A, time=cert.certificate.expiry)
    (closed,) = world.purses(TERMINAL).settle(SHOP_A_ID, [late])
    assert closed.skipped == [(pid, 4, SkipReason.PURSE_CLOSED)]
    _reverts("PurseAlreadyClosed", lambda: world.purses(HOLDER).close(pid))


def test_cloned_device_same_sequence_both_merchants_paid_purse_revoked_proof_recorded(world: World) -> None:
    """One device key, two merchants: the clone signs the whole purse to each with the same sequence. Both honest
    merchants are paid in full (the second from the bank's deposit), the purse is revoked, the proof is stored."""
    cert, key = world.open_purse("2000.00")
    pid = cert.certificate.purse_id
    deposit_before = world.purses(BANK).bank(world.address(BANK)).deposit
    to_a = world.pay(cert, key, 1, "2000.00", "2000.00", SHOP_A)
    to_b = world.pay(cert, key, 1, "2000.00", "2000.00", SHOP_B)  # the clone
    a_before, b_before = world.balance(SHOP_A), world.balance(SHOP_B)
    world.purses(TERMINAL).settle(SHOP_A_ID, [to_a])
    (batch,) = world.purses(TERMINAL).settle(SHOP_B_ID, [to_b])
    assert batch.settled == 1 and batch.proofs == [pid]
    assert world.balance(SHOP_B) - b_before == Decimal("2000.00")
    assert world.balance(SHOP_A) - a_before == Decimal("1724.14")  # 2,000.00 less 16 % VAT contained
    state = world.purses(HOLDER).status(pid)
    assert state.status == "cheated" and state.overdrawn == Decimal("2000.00")
    assert world.purses(BANK).bank(world.address(BANK)).deposit == deposit_before - Decimal("2000.00")
    proof = world.purses(CENTRAL).proof(pid)
    assert proof is not None
    assert (proof.kind, proof.sequence, proof.first_merchant_id, proof.second_merchant_id) == (
        "same-sequence", 1, SHOP_A_ID, SHOP_B_ID)  # fmt: skip
    assert (proof.holder, proof.bank, proof.overdrawn) == (world.address(HOLDER), world.address(BANK), Decimal("2000.00"))
    # Neither payment settles twice, whoever replays it.
    for merchant, payment in ((SHOP_A_ID, to_a), (SHOP_B_ID, to_b)):
        (again,) = world.purses(STRANGER).settle(merchant, [payment])
        assert again.skipped == [(pid, 1, SkipReason.ALREADY_SETTLED)]
    assert world.purses(HOLDER).status(pid).paid == Decimal("4000.00")


def test_overlapping_intervals_prove_themselves_and_reach_bounds_the_deposit(world: World) -> None:
    """The clone uses fresh sequences with overlapping intervals: the pigeonhole (paid > amount) proves it. Per
    purse at most amount x reach is paid (reach 3): a fourth merchant's claim is refused, the deposit is safe."""
    cert, key = world.open_purse("1000.00")
    pid = cert.certificate.purse_id
    payments = [world.pay(cert, key, seq, "1000.00", "1000.00", SHOP_B) for seq in (1, 2, 3, 4)]
    results = [world.purses(TERMINAL).settle(SHOP_B_ID, [p])[0] for p in payments]
    assert [r.settled for r in results] == [1, 1, 1, 0]
    assert results[3].skipped == [(pid, 4, SkipReason.REACH_EXHAUSTED)]
    assert results[1].proofs == [pid]
    proof = world.purses(CENTRAL).proof(pid)
    assert proof is not None and proof.kind == "overdrawn" and proof.overdrawn == Decimal("2000.00")
    world.warp(world.purses(HOLDER).status(pid).closable_at)
    returned, _ = world.purses(HOLDER).close(pid)
    assert returned == Decimal(0)
    assert world.purses(BANK).bank(world.address(BANK)).reserved == Decimal(0)


def test_revocation_honours_payments_signed_before_it(world: World) -> None:
    cert, key = world.open_purse("3000.00")
    pid = cert.certificate.purse_id
    before = world.pay(cert, key, 1, "1000.00", "1000.00", SHOP_B)
    _reverts("NotPurseParty", lambda: world.purses(STRANGER).revoke(pid))
    world.purses(BANK).revoke(pid)  # the holder reported the phone lost
    revoked = world.purses(HOLDER).status(pid)
    assert revoked.status == "revoked" and revoked.revoked_at > 0
    after = world.pay(cert, key, 2, "1000.00", "2000.00", SHOP_B, time=revoked.revoked_at + 60)
    (batch,) = world.purses(TERMINAL).settle(SHOP_B_ID, [before, after])
    assert batch.settled == 1 and batch.skipped == [(pid, 2, SkipReason.AFTER_REVOCATION)]
    assert revoked.closable_at <= revoked.revoked_at + world.purses(CENTRAL).contract.functions.settlementGrace().call()
    world.warp(revoked.closable_at)
    returned, _ = world.purses(HOLDER).close(pid)
    assert returned == Decimal("2000.00")


def test_bank_limits_deposit_and_certificates_are_checked(world: World) -> None:
    bank, holder = world.purses(BANK), world.purses(HOLDER)
    _reverts("AccessControlUnauthorizedAccount", lambda: bank.set_bank_limits(
        world.address(BANK), max_purse_amount="1.00", max_lifetime=DAY, max_purses_per_holder=1, reach=1))
    free = bank.bank(world.address(BANK)).free
    _reverts("GuaranteeExceedsFree", lambda: bank.withdraw(free + Decimal("0.01")))
    now = world.block_time()
    too_big = bank.certify(world.key(BANK), b"\x01" * 32, world.address(STRANGER), "20000.01", now + DAY)
    _reverts("PurseAmountAboveLimit", lambda: holder.open(too_big))
    too_long = bank.certify(world.key(BANK), b"\x02" * 32, world.address(STRANGER), "10.00", now + 8 * DAY)
    _reverts("InvalidExpiry", lambda: holder.open(too_long))
    rogue = bank.certify(world.key(STRANGER), b"\x03" * 32, world.address(STRANGER), "10.00", now + DAY)
    _reverts("NotIssuer", lambda: holder.open(rogue))
    cert, device_key = world.open_purse("10.00")
    _reverts("PurseExists", lambda: holder.open(cert))
    big = bank.certify(world.key(BANK), b"\x04" * 32, world.address(STRANGER), "20000.00", now + DAY)
    bank.withdraw(bank.bank(world.address(BANK)).free - Decimal("39999.99"))
    _reverts("InsufficientGuarantee", lambda: holder.open(big))
    call = world.purses(TERMINAL).contract.functions.settleBatch(SHOP_A_ID, [])
    _reverts("InvalidBatchSize", lambda: world.purses(TERMINAL).send(call, "an empty batch"))
    payment = world.purses(TERMINAL).encode(world.pay(cert, device_key, 1, "1.00", "1.00", SHOP_A))
    call = world.purses(TERMINAL).contract.functions.settleBatch(999, [payment])
    _reverts("MerchantNotPayable", lambda: world.purses(TERMINAL).send(call, "a batch for no merchant"))
    call = world.purses(TERMINAL).contract.functions.settleBatch(SHOP_A_ID, [payment] * 101)
    _reverts("InvalidBatchSize", lambda: world.purses(TERMINAL).send(call, "a batch of 101"))


def test_gas_per_payment_of_a_batch_of_100(world: World) -> None:
    """Not asserted against a number (gas is measured by `tenge bench gas`); printed for the report, and the batch
    of 100 from 100 different purses (the worst case: every purse's words cold) settles in one transaction."""
    certs = [world.open_purse("10.00") for _ in range(100)]
    payments = [world.pay(c, k, 1, "10.00", "10.00", SHOP_B) for c, k in certs]
    (batch,) = world.purses(TERMINAL).settle(SHOP_B_ID, payments)
    assert batch.settled == 100 and batch.gross == Decimal("1000.00")
    one = [world.pay(c, k, 2, "0.00", "10.00", SHOP_B) for c, k in certs[:1]]
    (bad,) = world.purses(TERMINAL).settle(SHOP_B_ID, one)
    assert bad.skipped == [(certs[0][0].certificate.purse_id, 2, SkipReason.INVALID_AMOUNT)]
    print(f"settleBatch(100, distinct purses): {batch.gas_used} gas, {batch.gas_used / 100:.0f} per payment")


def test_purse_life_cycle_from_the_command_line(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    import json

    from click.testing import CliRunner

    from tenge.cli.main import cli
    from tenge.cli.offline_purse_cmds import unix_time

    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))

    def tenge(*args: str, account: int) -> Any:
        argv = [*args, "--network", "local", "--rpc-url", world.suite.rpc_url, "--account", f"dev:{account}"]
        return CliRunner(mix_stderr=False).invoke(cli, argv)

    def ok(*args: str, account: int) -> Any:
        result = tenge(*args, "--json", account=account)
        assert result.exit_code == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    device = Account.create()
    cert = tenge("offline", "purse", "certify", device.address, "800.00", "--expires-in", "2d", account=BANK)
    assert cert.exit_code == 0, cert.stdout + cert.stderr
    opened = ok("offline", "purse", "open", cert.stdout, account=HOLDER)
    assert (opened["status"], opened["amount"], opened["unsettled"]) == ("open", "800.00", "800.00")
    pid = opened["purse_id"]
    data = json.loads(cert.stdout)
    assert world.purses(HOLDER).status(pid).device == device.address
    sc = SignedCertificate(PurseCertificate(bytes.fromhex(pid[2:]), device.address, 80000, unix_time(data["expiry"]),
                                            data["bank"]), bytes.fromhex(data["signature"][2:]))  # fmt: skip
    payment = world.pay(sc, bytes(device.key), 1, "300.00", "300.00", SHOP_B)
    from tenge.offline.terminal import Terminal, TerminalSettings

    db = tmp_path / "shop-b.sqlite"
    settings = TerminalSettings(world.address(SHOP_B), world.purses(CENTRAL).domain, frozenset({world.address(BANK)}))
    terminal = Terminal.open(db, settings, clock=world.block_time)
    terminal.accept(payment)
    terminal.close()
    settled = ok("offline", "settle", str(SHOP_B_ID), "--terminal", str(db), account=TERMINAL)
    assert (settled["settled"], settled["gross"], settled["skipped"]) == (1, "300.00", [])
    status = ok("offline", "purse", "status", pid, account=STRANGER)
    assert (status["paid"], status["unsettled"]) == ("300.00", "500.00")
    refused = tenge("offline", "purse", "revoke", pid, account=STRANGER)
    assert refused.exit_code != 0 and "Traceback" not in refused.stdout + refused.stderr
    assert "is not the bank (revoke) or holder (close) of this purse" in refused.stdout + refused.stderr
    requested = ok("offline", "purse", "close", pid, "--request", account=HOLDER)
    world.warp(requested["closable_at"])
    closed = ok("offline", "purse", "close", pid, account=STRANGER)
    assert closed["returned"] == "500.00"
