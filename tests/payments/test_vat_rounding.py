"""The rounding rule: net + VAT == gross exactly, VAT within half a tiyn of the exact value (an exact half
rounds up), and the Python split equal to the contract's - in views and in real payments."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from vat_world import ADMIN, ALICE, SHOP_ID, World, allow_category

from tenge.amounts import from_tiyn
from tenge.payments import vat_math

GROSS = st.integers(min_value=0, max_value=vat_math.MAX_PAYMENT_TIYN)
SMALL_GROSS = st.integers(min_value=1, max_value=500_000)  # up to 5,000.00 tenge
RATE = st.integers(min_value=0, max_value=vat_math.MAX_RATE_BPS)


def on_chain(examples: int) -> settings:
    """Settings of a property checked against the chain: one world for all examples (views, or payments
    that cannot collide), no deadline (each example makes RPC calls)."""
    return settings(max_examples=examples, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@given(gross=GROSS, rate=RATE)
@example(gross=100_000, rate=1600)  # the documented example: 13 793 tiyn of VAT
@example(gross=58, rate=1600)  # 58 * 1600 / 11600 = 8.0: exact
@example(gross=29, rate=1600)  # 29 * 16 / 116 = 4.0 exactly as well
@example(gross=1, rate=10_000)  # 1 * 1/2 = 0.5: an exact half rounds up
@example(gross=vat_math.MAX_PAYMENT_TIYN, rate=10_000)
def test_the_split_is_exact_and_within_half_a_tiyn(gross: int, rate: int) -> None:
    net, vat = vat_math.split_gross(gross, rate)
    assert net + vat == gross
    assert 0 <= vat <= gross and net >= 0
    error = vat - vat_math.exact_vat(gross, rate)
    assert -Fraction(1, 2) < error <= Fraction(1, 2)  # round half up: an exact half goes up


def test_an_exact_half_rounds_up() -> None:
    assert vat_math.split_gross(1, 10_000) == (0, 1)
    assert vat_math.split_gross(3, 10_000) == (1, 2)
    assert vat_math.split_gross(100_000, 1600) == (86_207, 13_793)


@on_chain(150)
@given(gross=GROSS, rate=RATE)
@example(gross=1, rate=10_000)
@example(gross=vat_math.MAX_PAYMENT_TIYN, rate=10_000)
def test_python_splits_as_the_contract_does(world: World, gross: int, rate: int) -> None:
    on_chain = world.vat(ADMIN).contract.functions.splitGross(gross, rate).call()
    assert tuple(on_chain) == vat_math.split_gross(gross, rate)
    assert world.vat(ADMIN).split(from_tiyn(gross), rate) == (from_tiyn(on_chain[0]), from_tiyn(on_chain[1]))


@on_chain(40)
@given(gross=SMALL_GROSS)
def test_the_quote_equals_the_contract_s_quote(world: World, gross: int) -> None:
    vat = world.vat(ADMIN)
    quote = vat.quote(SHOP_ID, from_tiyn(gross))
    net, tax, rate, category = vat.contract.functions.quote(SHOP_ID, gross, 0).call()
    assert (quote.net, quote.vat, quote.rate_bps, quote.category_id) == (from_tiyn(net), from_tiyn(tax), rate, category)


@on_chain(12)
@given(payments=st.lists(st.tuples(SMALL_GROSS, RATE), min_size=1, max_size=3))
def test_real_payments_split_as_quoted(world: World, payments: list[tuple[int, int]]) -> None:
    """Each example pays at a freshly scheduled rate of a test category: the Paid event's split equals
    the quote made just before (both at the same rate) and the Python split."""
    authority, alice = world.vat(ADMIN), world.vat(ALICE)
    for gross, rate in payments:
        authority.schedule_rate(9, rate)
        allow_category(world, SHOP_ID, 9)
        quote = alice.quote(SHOP_ID, from_tiyn(gross), category=9)
        invoice = f"H-{world.w3.eth.block_number}"
        receipt = alice.pay_with_permit(SHOP_ID, from_tiyn(gross), invoice, category=9)
        assert (receipt.net, receipt.vat, receipt.rate_bps) == (quote.net, quote.vat, rate)
        assert (receipt.net, receipt.vat) == tuple(from_tiyn(x) for x in vat_math.split_gross(gross, rate))
