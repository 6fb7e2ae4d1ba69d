"""PvP settlement on one chain: a payer's tenge to the LP and the LP's som to the recipient in one transaction or
neither (real anvil, the suite's DigitalTenge and a digital som deployed by the same steps, PvPSettlement from the
deploy plan). Every refusal is the contract's own custom error, decoded, with nothing sent and every balance of
both currencies unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from chain_helpers import refused, rejected
from pvp_world import ADMIN, BANK_B, LP, MAX_AMOUNT, MERCHANT, PAYER, RATE, STRANGER, World

import tenge.errors
from tenge.pvp.payload import decode_payload, encode_payload
from tenge.pvp.quotes import SignedQuote, Trade, buy_amount, parse_rate


def quote(world: World, **overrides: object) -> SignedQuote:
    args: dict[str, object] = {"sell": world.tenge_address, "buy": world.som_address, "rate": RATE,
                               "max_amount": MAX_AMOUNT, "valid_for": 60}  # fmt: skip
    args.update(overrides)
    return world.pvp(LP).quote(**args)  # type: ignore[arg-type]


def test_pay_moves_both_legs_at_the_quoted_rate_rounded_for_the_payer(world: World) -> None:
    before = world.balances()
    signed = quote(world)
    settled = world.pvp(PAYER).pay(signed, "1000.01", world.address(MERCHANT))
    # 100001 tiyn * 0.1743 = 17430.1743 som-tiyn: the merchant gets 174.31 KGS (rounded UP: never less than quoted)
    assert settled.buy_amount == Decimal("174.31") and settled.sell_amount == Decimal("1000.01")
    assert (settled.kind, settled.provider, settled.rate) == ("payment", world.address(LP), Decimal(RATE))
    assert (settled.sell.code, settled.buy.code) == ("KZT", "KGS")
    after = world.balances()
    assert after["payer:KZT"] == before["payer:KZT"] - Decimal("1000.01")
    assert after["lp:KZT"] == before["lp:KZT"] + Decimal("1000.01")
    assert after["lp:KGS"] == before["lp:KGS"] - Decimal("174.31")
    assert after["merchant:KGS"] == before["merchant:KGS"] + Decimal("174.31")
    assert after["pvp:KZT"] == after["pvp:KGS"] == 0
    assert world.pvp(PAYER).status(signed).state == "used"
    limits = world.pvp(ADMIN).limits(world.tenge_address, world.som_address)
    assert limits.used_today == Decimal("1000.01")


def test_the_rounding_rule_never_charges_the_payer_more_than_quoted() -> None:
    rate = parse_rate("0.1743")
    for amount in (1, 7, 99, 100001, 123456789):
        got = buy_amount(amount, rate)
        assert got * 10**18 >= amount * rate > (got - 1) * 10**18  # at least the quote, less than one unit more


def test_the_contract_computes_what_the_sdk_computes(world: World) -> None:
    contract = world.pvp(ADMIN).contract
    for amount, rate in ((1, parse_rate("0.1743")), (100001, parse_rate("5.737234")), (3, parse_rate("0.000000000000000001"))):
        assert contract.functions.buyAmountFor(amount, rate).call() == buy_amount(amount, rate)


def assert_refused(world: World, error: str, action: object, **expected: object) -> tenge.errors.ContractRevert:
    before = world.balances()
    caught = rejected(world, PAYER, error, action, **expected)  # type: ignore[arg-type]
    assert world.balances() == before, "a refused settlement must move nothing in either currency"
    return caught


def test_an_expired_quote_is_refused(world: World) -> None:
    signed = quote(world, valid_for=30)
    world.advance(31)
    assert world.pvp(PAYER).status(signed).state == "expired"
    assert_refused(world, "QuoteExpired", lambda: world.pvp(PAYER).pay(signed, "100.00", world.address(MERCHANT)),
                   validBefore=signed.quote.valid_before)


def test_a_cancelled_quote_is_refused(world: World) -> None:
    signed = quote(world)
    world.pvp(LP).cancel(signed.quote.nonce)
    assert world.pvp(PAYER).status(signed).state == "cancelled"
    assert_refused(world, "QuoteCancelled", lambda: world.pvp(PAYER).pay(signed, "100.00", world.address(MERCHANT)),
                   lp=world.address(LP), nonce=signed.quote.nonce)
    rejected(world, LP, "NonceNotOpen", lambda: world.pvp(LP).cancel(signed.quote.nonce), nonce=signed.quote.nonce)


def test_a_quote_settles_once(world: World) -> None:
    signed = quote(world)
    world.pvp(PAYER).pay(signed, "100.00", world.address(MERCHANT))
    assert_refused(world, "QuoteAlreadyUsed", lambda: world.pvp(PAYER).pay(signed, "100.00", world.address(MERCHANT)),
                   lp=world.address(LP), nonce=signed.quote.nonce)


def test_over_the_lp_maximum_is_refused(world: World) -> None:
    signed = quote(world, max_amount="500.00")
    assert_refused(world, "QuoteAmountExceeded", lambda: world.pvp(PAYER).pay(signed, "500.01", world.address(MERCHANT)),
                   amount=50001, maxAmount=50000)


def test_a_payer_frozen_in_tenge_is_refused_by_the_tenge_leg(world: World) -> None:
    world.tenge(ADMIN).freeze(world.address(PAYER))
    caught = assert_refused(world, "LegRefused",
                            lambda: world.pvp(PAYER).pay(quote(world), "100.00", world.address(MERCHANT)),
                            leg="sell", token=world.tenge_address)  # fmt: skip
    assert "AccountFrozen" in str(caught.error_args["reason"]) and world.address(PAYER) in str(caught)


def test_a_recipient_not_kycd_in_som_is_refused_by_the_som_leg(world: World) -> None:
    caught = assert_refused(world, "LegRefused",
                            lambda: world.pvp(PAYER).pay(quote(world), "100.00", world.address(STRANGER)),
                            leg="buy", token=world.som_address)  # fmt: skip
    assert f"AccountNotApproved(account={world.address(STRANGER)})" in str(caught)


def test_an_lp_out_of_som_is_refused_by_the_som_leg(world: World) -> None:
    world.som(LP).transfer(world.address(BANK_B), world.som().balance_of(world.address(LP)) - Decimal("1.00"))
    caught = assert_refused(world, "LegRefused",
                            lambda: world.pvp(PAYER).pay(quote(world), "100.00", world.address(MERCHANT)),
                            leg="buy", token=world.som_address)  # fmt: skip
    assert "InsufficientSpendableBalance" in str(caught) or "ERC20InsufficientBalance" in str(caught)


def test_a_quote_not_yet_valid_for_another_taker_or_forged_is_refused(world: World) -> None:
    later = quote(world, valid_from=world.block_time() + 600)
    assert_refused(world, "QuoteNotYetValid", lambda: world.pvp(PAYER).pay(later, "1.00", world.address(MERCHANT)),
                   validAfter=later.quote.valid_after)
    private = quote(world, taker=world.address(BANK_B))
    assert_refused(world, "QuoteTakerMismatch", lambda: world.pvp(PAYER).pay(private, "1.00", world.address(MERCHANT)),
                   taker=world.address(BANK_B), payer=world.address(PAYER))
    signed = quote(world)
    forged = SignedQuote(type(signed.quote)(**{**signed.quote.__dict__, "rate": parse_rate("0.2")}), signed.signature)
    assert_refused(world, "InvalidQuoteSignature", lambda: world.pvp(PAYER).pay(forged, "1.00", world.address(MERCHANT)),
                   lp=world.address(LP))


def test_the_corridor_daily_limit_and_a_closed_corridor(world: World) -> None:
    world.pvp(ADMIN).set_limit(world.tenge_address, world.som_address, "150.00")
    world.pvp(PAYER).pay(quote(world), "100.00", world.address(MERCHANT))
    assert_refused(world, "CorridorLimitExceeded",
                   lambda: world.pvp(PAYER).pay(quote(world), "50.01", world.address(MERCHANT)),
                   amount=5001, remaining=5000)  # fmt: skip
    world.advance(86_400)  # a new UTC day: the limit is fresh
    world.pvp(PAYER).pay(quote(world), "150.00", world.address(MERCHANT))
    world.pvp(ADMIN).set_limit(world.tenge_address, world.som_address, "0")
    assert_refused(world, "CorridorClosed", lambda: world.pvp(PAYER).pay(quote(world), "1.00", world.address(MERCHANT)),
                   sellToken=world.tenge_address, buyToken=world.som_address)
    rejected(world, PAYER, "AccessControlUnauthorizedAccount",
             lambda: world.pvp(PAYER).set_limit(world.tenge_address, world.som_address, "1.00"))


def test_sdk_refuses_bad_input_before_signing_or_sending(world: World) -> None:
    refused(world, LP, tenge.errors.InvalidInput, lambda: quote(world, rate="0.1234567890123456789"), "18 decimal places")
    refused(world, LP, tenge.errors.InvalidInput, lambda: quote(world, rate="-1"), "positive")
    refused(world, LP, tenge.errors.InvalidInput, lambda: quote(world, buy=world.tenge_address), "different currencies")
    refused(world, PAYER, tenge.errors.InvalidAmount, lambda: world.pvp(PAYER).pay(quote(world), "1.001", world.address(MERCHANT)))


def test_interbank_pvp_both_legs_or_neither(world: World) -> None:
    bank_a, bank_b = world.pvp(LP), world.pvp(BANK_B)
    nonce_b = bank_b.next_nonce()
    trade, sig_a = bank_a.trade(counterparty=world.address(BANK_B), give=world.tenge_address, give_amount="5.00",
                                get=world.som_address, get_amount="0.87", counterparty_nonce=nonce_b)  # fmt: skip
    sig_b = bank_b.sign(trade)
    before = world.balances()
    settled = world.pvp(PAYER).settle(trade, sig_a, sig_b)  # anyone may submit both signatures
    assert (settled.kind, settled.sell_amount, settled.buy_amount) == ("interbank", Decimal("5.00"), Decimal("0.87"))
    after = world.balances()
    assert after["lp:KZT"] == before["lp:KZT"] - 5 and after["bankB:KZT"] == before["bankB:KZT"] + 5
    assert after["bankB:KGS"] == before["bankB:KGS"] - Decimal("0.87") and after["lp:KGS"] == before["lp:KGS"] + Decimal("0.87")
    assert_refused(world, "TradeAlreadySettled", lambda: world.pvp(PAYER).settle(trade, sig_a, sig_b),
                   bank=world.address(LP), nonce=trade.nonce_a)
    # bank B cannot deliver more som than it has: neither leg moves
    big = Trade(trade.bank_a, trade.token_a, 100, trade.bank_b, trade.token_b, 10**12, trade.valid_before,
                trade.nonce_a + 1, nonce_b + 1)  # fmt: skip
    assert_refused(world, "LegRefused", lambda: world.pvp(PAYER).settle(big, bank_a.sign(big), bank_b.sign(big)),
                   leg="buy", token=world.som_address)
    assert_refused(world, "InvalidTradeSignature", lambda: world.pvp(PAYER).settle(big, bank_a.sign(big), bank_a.sign(big)),
                   bank=world.address(BANK_B))


def test_the_bridge_payload_round_trips_through_the_contract(world: World) -> None:
    signed = quote(world)
    payload = encode_payload(signed, world.address(MERCHANT), 12345)
    assert decode_payload(payload) == (signed, world.address(MERCHANT), 12345)
    onchain = world.pvp(ADMIN).contract.functions.decodePayload(payload).call()
    assert tuple(onchain[0]) == signed.quote.as_tuple() and bytes(onchain[1]) == signed.signature
    assert (onchain[2], onchain[3]) == (world.address(MERCHANT), 12345)


def test_only_a_configured_bridge_may_deliver_a_payment(world: World) -> None:
    pvp = world.pvp(STRANGER)
    payload = encode_payload(quote(world), world.address(MERCHANT), 0)
    call = pvp.contract.functions.onBridgeDelivery(b"\x01" * 32, 1, world.address(PAYER), 100, payload)
    rejected(world, STRANGER, "UnknownInboundBridge", lambda: pvp.session.write(call, "deliver"),
             caller=world.address(STRANGER))
    # configured, but for the som: a tenge quote does not match; then no forwarding bridge for the som
    world.pvp(ADMIN).session.write(world.pvp(ADMIN).contract.functions.setInboundBridge(world.address(STRANGER), world.som_address), "inbound")
    rejected(world, STRANGER, "InboundTokenMismatch", lambda: pvp.session.write(call, "deliver"),
             token=world.som_address, sellToken=world.tenge_address)
    world.pvp(ADMIN).session.write(world.pvp(ADMIN).contract.functions.setInboundBridge(world.address(STRANGER), world.tenge_address), "inbound")
    rejected(world, STRANGER, "NoForwarding", lambda: pvp.session.write(call, "deliver"), token=world.som_address)
    bad = pvp.contract.functions.onBridgeDelivery(b"\x01" * 32, 1, world.address(PAYER), 100, b"\x00" * 7)
    rejected(world, STRANGER, "InvalidPayload", lambda: pvp.session.write(bad, "deliver"))


@pytest.mark.parametrize("who", [PAYER])
def test_paused_settlement_refuses(world: World, who: int) -> None:
    world.pvp(ADMIN).session.write(world.pvp(ADMIN).contract.functions.pause(), "pause")
    assert_refused(world, "EnforcedPause", lambda: world.pvp(who).pay(quote(world), "1.00", world.address(MERCHANT)))


def test_refusals_show_each_amount_in_its_own_currency(world: World) -> None:
    """A som amount is never labelled KZT: the sold currency's amounts in its code, the bought one's in its own, a
    refusing leg's token error in that token's currency."""
    som_for_tenge = quote(world, sell=world.som_address, buy=world.tenge_address, rate="5.737", max_amount="10.00")
    caught = assert_refused(world, "QuoteAmountExceeded",
                            lambda: world.pvp(PAYER).pay(som_for_tenge, "10.01", world.address(LP)),
                            amount=1001, maxAmount=1000)  # fmt: skip
    assert "QuoteAmountExceeded(amount=10.01 KGS, maxAmount=10.00 KGS)" in str(caught)
    caught = assert_refused(world, "BuyAmountBelowMinimum",
                            lambda: world.pvp(PAYER).pay(quote(world), "100.00", world.address(MERCHANT), min_receive="17.44"),
                            buyAmount=1743, minBuyAmount=1744)  # fmt: skip
    assert "buyAmount=17.43 KGS, minBuyAmount=17.44 KGS" in str(caught)
    world.pvp(ADMIN).set_limit(world.som_address, world.tenge_address, "5.00")
    caught = assert_refused(world, "CorridorLimitExceeded",
                            lambda: world.pvp(PAYER).pay(som_for_tenge, "5.01", world.address(LP)),
                            amount=501, remaining=500)  # fmt: skip
    assert "amount=5.01 KGS, remaining=5.00 KGS" in str(caught)
    world.som(LP).transfer(world.address(BANK_B), world.som().balance_of(world.address(LP)) - Decimal("1.00"))
    caught = assert_refused(world, "LegRefused",
                            lambda: world.pvp(PAYER).pay(quote(world), "100.00", world.address(MERCHANT)),
                            leg="buy", token=world.som_address)  # fmt: skip
    assert "1.00 KGS" in str(caught) and "17.43 KGS" in str(caught) and "KZT" not in str(caught.error_args["reason"])


def test_a_bridge_payment_to_a_merchant_who_cannot_hold_som_is_refused_before_anything_moves(world: World) -> None:
    """The one-action path checks the merchant on the som's BNB-side token in the delivery transaction
    (MerchantNotEligible): the delivery fails and the payer is refunded at home, with nothing to unwind."""
    admin, pvp = world.pvp(ADMIN), world.pvp(STRANGER)
    admin.session.write(admin.contract.functions.setInboundBridge(world.address(STRANGER), world.tenge_address), "inbound")
    admin.session.write(admin.contract.functions.setForwarding(world.som_address, world.address(STRANGER), 97), "forward")
    payload = encode_payload(quote(world), world.address(STRANGER), 0)  # STRANGER is KYC'd nowhere
    call = pvp.contract.functions.onBridgeDelivery(b"\x01" * 32, 1, world.address(PAYER), 100, payload)
    rejected(world, STRANGER, "MerchantNotEligible", lambda: pvp.session.write(call, "deliver"),
             merchant=world.address(STRANGER))


def test_unwind_reverses_only_a_recorded_flight_that_came_back(world: World) -> None:
    pvp = world.pvp(STRANGER)
    call = pvp.contract.functions.unwind(b"\x02" * 32)
    rejected(world, STRANGER, "UnknownFlight", lambda: pvp.session.write(call, "unwind"), outboundId="0x" + "02" * 32)
    assert int(pvp.contract.functions.flight(b"\x02" * 32).call()[1], 16) == 0
