"""Amounts at the contract boundary: Decimal tenge in the SDK, exact integer tiyn on chain, at any size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from token_world import ALICE, BOB, World

from tenge.amounts import MAX_TIYN, from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidAmount


@settings(max_examples=300, deadline=None)
@given(st.integers(0, MAX_TIYN))
def test_tiyn_round_trip_is_exact_up_to_uint256(tiyn: int) -> None:
    assert to_tiyn(from_tiyn(tiyn)) == tiyn
    assert to_tiyn(str(from_tiyn(tiyn))) == tiyn


@pytest.mark.parametrize("text", ["1.001", "-0.01", "NaN", "Infinity", "1e78", "12,50", "", "0x10"])
def test_malformed_amounts_are_invalid(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_tenge(text)


def test_an_unlimited_approval_reads_back_exactly(world: World) -> None:
    alice = world.token(ALICE)
    alice.approve(world.address(BOB), from_tiyn(MAX_TIYN))
    assert alice.allowance(alice.me, world.address(BOB)) == from_tiyn(MAX_TIYN)
    world.token(BOB).transfer_from(alice.me, world.address(BOB), "1")  # infinite: never decreased
    assert alice.allowance(alice.me, world.address(BOB)) == from_tiyn(MAX_TIYN)
    assert alice.balance_of(alice.me) == Decimal("999.00")
