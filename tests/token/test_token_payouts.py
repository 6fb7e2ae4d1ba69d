"""Payouts: 'address,amount' lists validated up front, paid by batch transfer (one transaction per chunk)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from token_world import ADMIN, ALICE, BOB, CAROL, MERCHANT, STRANGER, World, events, refused, rejected

from tenge.errors import InvalidAddress, InvalidAmount, InvalidInput
from tenge.token.payouts import parse_payout_csv, read_payout_csv, total

A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"


def test_a_csv_with_header_comments_and_blank_lines() -> None:
    rows = parse_payout_csv(f"address,amount\n# lunch allowance, March\n{A},1200\n\n{B.lower()}, 950.50\n")
    assert [(r.to, r.amount) for r in rows] == [(A, Decimal("1200")), (B, Decimal("950.50"))]
    assert total(rows) == Decimal("2150.50")


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        (f"{A},1.001\n", InvalidAmount, r"<csv>:1: .*2 decimals"),
        (f"{A},10\n{A[:-1]}D,5\n", InvalidAddress, r"<csv>:2: .*checksum"),
        (f"{A},10\n0x1234,5\n", InvalidAddress, r"<csv>:2: .*not an address"),
        (f"{A},0\n", InvalidAmount, r"<csv>:1: .*greater than zero"),
        (f"{A},-3\n", InvalidAmount, r"negative"),
        (f"{A}\n", InvalidInput, r"<csv>:1: expected 'address,amount', got 1 cells"),
        (f"{A},1,2\n", InvalidInput, r"got 3 cells"),
        ("address,amount\n", InvalidInput, r"no payout rows"),
        ("", InvalidInput, r"no payout rows"),
        (f"name,amount\n{A},1\n", InvalidAddress, r"<csv>:1: 'name' is not an address"),
    ],
)
def test_every_bad_row_names_its_line(text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        parse_payout_csv(text)


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read payout file"):
        read_payout_csv(tmp_path / "missing.csv")


def test_a_payout_pays_every_pupil(world: World) -> None:
    city = world.token(MERCHANT)
    world.token(ALICE).transfer(city.me, "900")  # the city's budget account
    pupils = [world.address(i) for i in (ALICE, BOB, CAROL)]
    results = city.batch_transfer([(p, "100.25") for p in pupils] + [(world.address(CAROL), "0.75")])
    assert len(results) == 1 and len(events(city, results[0], "Transfer")) == 4
    assert [city.balance_of(p) for p in pupils] == [Decimal("200.25"), Decimal("600.25"), Decimal("101.00")]
    assert city.balance_of(city.me) == Decimal("598.50")


def test_a_large_payout_goes_in_chunks(world: World) -> None:
    alice = world.token(ALICE)
    rows = [(world.address(BOB), "1"), (world.address(CAROL), "2"), (world.address(MERCHANT), "3")] * 2
    results = alice.batch_transfer(rows, chunk_size=4)
    assert len(results) == 2
    assert alice.balance_of(alice.me) == Decimal("988.00")


def test_a_chunked_payout_beyond_the_balance_sends_nothing(world: World) -> None:
    rows = [(world.address(BOB), "600")] * 2
    refused(world, ALICE, InvalidInput, lambda: world.token(ALICE).batch_transfer(rows, chunk_size=1), match="nothing was sent")
    rows = [(world.address(CAROL), "600000")] * 2
    refused(world, 1, InvalidInput, lambda: world.token(1).batch_mint(rows, chunk_size=1), match="mint allowance")


def test_a_payout_is_all_or_nothing_per_transaction(world: World) -> None:
    alice = world.token(ALICE)
    rows = [(world.address(BOB), "1"), (world.address(STRANGER), "1")]
    rejected(world, ALICE, "AccountNotApproved", lambda: alice.batch_transfer(rows), account=world.address(STRANGER))
    rejected(world, ALICE, "ERC20InsufficientBalance", lambda: alice.batch_transfer([(world.address(BOB), "600")] * 2))
    world.token(ADMIN).freeze(world.address(ALICE), "500")
    rejected(world, ALICE, "InsufficientSpendableBalance", lambda: alice.batch_transfer([(world.address(BOB), "300")] * 2))


def test_a_payout_to_oneself_keeps_the_balance(world: World) -> None:
    alice = world.token(ALICE)
    alice.batch_transfer([(alice.me, "10"), (world.address(BOB), "5")])
    assert alice.balance_of(alice.me) == Decimal("995.00")
    assert alice.total_supply() == Decimal("1500.00")
