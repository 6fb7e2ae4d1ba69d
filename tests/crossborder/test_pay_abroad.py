"""The one-action cross-border payment (issue 21 ★) on three anvils with the real validators and relayers of both
bridges: a payer on the tenge home ledger pays a merchant on the som home ledger with `tenge pay-abroad` (one
transaction at home); each refusal on the BNB side leaves every balance unchanged and the payer refunded exactly
once; the merchant refused on the som home ledger after the settlement is unwound (the som back to the LP, the
tenge home to the payer); a relayer SIGKILLed mid-way and restarted. Conservation on both bridges after every step
(the world fixture checks it after each test too)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from three_ledgers import BNB, BNB_SOM, KG, KZ, LP, MERCHANT, PAYER, STRANGER, ThreeLedgers

from tenge.bridge.messages import BridgeTransfer, PayloadTransfer
from tenge.bridge.payloads import send_with_payload
from tenge.bridge.status import find_transfer
from tenge.cli.main import cli
from tenge.pvp.abroad import AbroadPayment, CrossBorder
from tenge.pvp.payload import encode_payload
from tenge.pvp.quotes import SignedQuote

RATE = "0.1743"
NONCES = iter(range(7_000, 8_000))  # the LP's quote nonces in this module, one per quote


def quote(world: ThreeLedgers, *, rate: str = RATE, max_amount: str = "50000.00", valid_for: int = 600) -> SignedQuote:
    return world.pvp(BNB, LP).quote(sell=world.token(BNB).address, buy=world.token(BNB_SOM).address, rate=rate,
                                    max_amount=max_amount, valid_for=valid_for, nonce=next(NONCES))  # fmt: skip


def cross_border(world: ThreeLedgers) -> CrossBorder:
    return CrossBorder(world.session(KZ, PAYER), world.session(BNB, PAYER), world.session(KG, PAYER))


def track(world: ThreeLedgers, payment: AbroadPayment) -> None:
    """Count the payment's bridge transfers in the world's conservation check and quiet wait."""
    world.track(payment.transfer.transfer)
    for transfer_id, network in ((payment.outbound_id, BNB_SOM), (payment.return_id, BNB)):
        if transfer_id is not None:
            found = find_transfer(world.bridge(network), transfer_id)
            assert found is not None
            world.track(found)


def refunds_of(world: ThreeLedgers, transfer: BridgeTransfer) -> int:
    home = world.bridge(KZ)
    logs = home.contract.events.TransferRefunded().get_logs(from_block=0)
    return sum(1 for log in logs if bytes(log["args"]["id"]) == transfer.id)


def pay_cli(world: ThreeLedgers, tmp_path: Path, signed: SignedQuote, merchant: int, amount: str, *extra: str) -> dict[str, object]:
    path = tmp_path / "quote.json"
    path.write_text(json.dumps(signed.to_json(world.pvp(BNB).domain)))
    args = ["pay-abroad", str(path), world.address(merchant), amount, "-n", KZ, "-a", f"dev:{PAYER}",
            "--via", BNB, "--to", KG, *extra]  # fmt: skip
    world.align_clocks()
    result = CliRunner(mix_stderr=False).invoke(cli, args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, object] = json.loads(result.stdout) if "--json" in extra else {"text": result.stdout}
    return data


def test_one_action_pays_the_merchant_on_the_som_home_ledger(world: ThreeLedgers, tmp_path: Path) -> None:
    before = world.balances()
    signed = quote(world)
    out = pay_cli(world, tmp_path, signed, MERCHANT, "1000.00", "--json")
    assert out["outcome"] == "delivered", out
    assert (out["paid"], out["paid_currency"], out["received"], out["received_currency"]) == ("1000.00", "KZT", "174.30", "KGS")
    assert [h["hop"] for h in out["hops"]] == ["sent", "attested", "settled", "delivered"]  # type: ignore[index,union-attr]
    assert all(h["state"] == "done" for h in out["hops"])  # type: ignore[index,union-attr]
    after = world.balances()
    assert after[f"{KZ}:payer"] == before[f"{KZ}:payer"] - Decimal("1000.00")
    assert after[f"{KG}:merchant"] == before[f"{KG}:merchant"] + Decimal("174.30")
    assert after[f"{BNB}:lp"] == before[f"{BNB}:lp"] + Decimal("1000.00")
    assert after[f"{BNB_SOM}:lp"] == before[f"{BNB_SOM}:lp"] - Decimal("174.30")
    assert after[f"{BNB}:pvp"] == after[f"{BNB_SOM}:pvp"] == Decimal("0.00")
    world.assert_conserved()


def test_the_command_shows_each_hop_as_text(world: ThreeLedgers, tmp_path: Path) -> None:
    text = str(pay_cli(world, tmp_path, quote(world), MERCHANT, "10.00")["text"])
    for line in ("sent       done", "attested   done", "settled    done", "delivered  done",
                 "outcome: delivered; the merchant received 1.75 KGS"):  # 10.00 x 0.1743 = 1.743, rounded up
        assert line in text, text


def _send_unchecked(world: ThreeLedgers, signed: SignedQuote, merchant: int, amount: str) -> PayloadTransfer:
    """The payment as a payer whose check passed could send it, refused only on the BNB side."""
    world.align_clocks()
    payload = encode_payload(signed, world.address(merchant), 0)
    message, _ = send_with_payload(world.bridge(KZ, PAYER), world.w3(BNB).eth.chain_id, world.pvp(BNB).address, amount, payload)
    world.track(message.transfer)
    return message


def _expired(world: ThreeLedgers) -> SignedQuote:
    return quote(world, valid_for=1)  # the BNB side's clock is ahead by the time the delivery is mined


def _cancelled(world: ThreeLedgers) -> SignedQuote:
    signed = quote(world)
    world.pvp(BNB, LP).cancel(signed.quote.nonce)
    return signed


def _used(world: ThreeLedgers) -> SignedQuote:
    signed = quote(world)
    world.wait_quiet()
    message = _send_unchecked(world, signed, MERCHANT, "5.00")
    world.wait_for([message.transfer], ("delivered",))
    payment = cross_border(world).status(message)
    track(world, payment)
    world.wait_quiet()
    return signed


CASES: dict[str, tuple[Callable[[ThreeLedgers], SignedQuote], int, str, str]] = {
    "expired quote": (_expired, MERCHANT, "20.00", "QuoteExpired"),
    "cancelled quote": (_cancelled, MERCHANT, "20.00", "QuoteCancelled"),
    "reused quote": (_used, MERCHANT, "20.00", "QuoteAlreadyUsed"),
    "over the LP's maximum": (lambda w: quote(w, max_amount="50.00"), MERCHANT, "50.01", "QuoteAmountExceeded"),
    "LP out of som": (lambda w: quote(w, rate="1000"), MERCHANT, "60.00", "LegRefused(leg=buy"),
    "merchant not KYC'd in som": (quote, STRANGER, "20.00", "MerchantNotEligible"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_refusal_on_the_bnb_side_refunds_the_payer_exactly_once(world: ThreeLedgers, case: str) -> None:
    make, merchant, amount, error = CASES[case]
    signed = make(world)
    before = world.balances()
    message = _send_unchecked(world, signed, merchant, amount)
    world.assert_conserved()
    world.wait_for([message.transfer], ("refunded",))
    xb = cross_border(world)
    payment = xb.status(message)
    assert payment.outcome == "refunded" and payment.reason is not None and error in payment.reason, payment
    assert [h.state for h in payment.hops] == ["done", "done", "refused", "refused"]
    assert world.balances() == before  # every balance of both currencies on all three ledgers
    assert refunds_of(world, message.transfer) == 1
    world.assert_conserved()


def test_the_merchant_refused_on_the_som_home_ledger_is_unwound(world: ThreeLedgers, tmp_path: Path) -> None:
    """The hard case: PvP settled on the BNB side, then the som home ledger refuses the merchant (frozen there).
    The som bridge refunds the som to the settlement contract; `unwind` (called by pay-abroad's wait) gives the LP
    its som back and sends the payer's tenge home. Every balance ends where it started; nothing stays."""
    home_som = world.token(KG)
    home_som.freeze(world.address(MERCHANT))
    try:
        before = world.balances()
        signed = quote(world)
        world.align_clocks()
        xb = cross_border(world)
        payment = xb.pay(signed, world.address(MERCHANT), "300.00")
        world.track(payment.transfer.transfer)
        final = xb.wait(payment, timeout=240)
        track(world, final)
        assert final.outcome == "unwound", final.render()
        assert final.hops[2].state == "done" and final.hops[3].state == "refused"
        world.wait_quiet()
        assert world.balances() == before
        assert world.pvp(BNB).contract.functions.flight(bytes.fromhex(str(final.outbound_id)[2:])).call()[1] == "0x" + "00" * 20
        world.assert_conserved()
        from tenge.errors import ContractRevert

        with pytest.raises(ContractRevert, match="UnknownFlight"):  # once
            xb.unwind(str(final.outbound_id))
    finally:
        home_som.unfreeze(world.address(MERCHANT))


def test_a_relayer_killed_mid_way_and_restarted_delivers_the_payment_once(world: ThreeLedgers) -> None:
    before = world.balances()
    relayer = world.relayers["KZT"]
    relayer.kill()  # SIGKILL: the tenge relayer dies before it sees the payment
    assert relayer.proc is not None and relayer.proc.returncode == -9
    xb = cross_border(world)
    world.align_clocks()
    payment = xb.pay(quote(world), world.address(MERCHANT), "40.00")
    world.track(payment.transfer.transfer)
    assert xb.status(payment.transfer).outcome == "in-flight"
    world.relayers["KZT"] = world.relayer("KZT")
    final = xb.wait(payment, timeout=240)
    track(world, final)
    assert final.outcome == "delivered" and final.received == Decimal("6.98"), final.render()  # 40 x 0.1743 = 6.972
    after = world.balances()
    assert after[f"{KZ}:payer"] == before[f"{KZ}:payer"] - Decimal("40.00")
    assert after[f"{KG}:merchant"] == before[f"{KG}:merchant"] + Decimal("6.98")
    world.assert_conserved()
