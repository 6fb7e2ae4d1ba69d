"""The rate schedule: categories as data, a scheduled change taking effect exactly at its timestamp."""

from __future__ import annotations

from decimal import Decimal

from vat_world import (
    ADMIN, ALICE, BOB, REDUCED, REDUCED_BPS, SHOP_ID, STANDARD, STANDARD_BPS, World, allow_category, rejected,
)  # fmt: skip

from tenge.payments.rates import parse_rate

NEW_CATEGORY = 9


def test_the_deploy_plan_schedules_kazakhstan_s_categories(world: World) -> None:
    schedules = {s.category_id: s for s in world.vat(ADMIN).rate_schedules()}
    assert {cid: (s.label, s.current_bps, s.pending_bps) for cid, s in schedules.items()} == {
        1: ("standard", STANDARD_BPS, None),  # 12 % until 2026-01-01T00:00+05:00, 16 % since
        2: ("reduced: medicines", REDUCED_BPS, None),
        3: ("zero-rated: exports", 0, None),
        4: ("exempt", 0, None),
        5: ("school meals", STANDARD_BPS, None),  # the default configuration's, for school-lunch programmes
    }
    assert world.vat(ADMIN).rate_in_force(STANDARD) == 1600
    assert world.vat(ADMIN).rate_in_force(REDUCED) == 500


def test_a_rate_change_takes_effect_exactly_at_its_timestamp(world: World) -> None:
    authority = world.vat(ADMIN)
    authority.schedule_rate(NEW_CATEGORY, parse_rate("12%"))
    change_at = world.block_time() + 1_000
    authority.schedule_rate(NEW_CATEGORY, parse_rate("16%"), change_at)
    allow_category(world, SHOP_ID, NEW_CATEGORY)
    schedule = authority.rate_schedule(NEW_CATEGORY)
    assert (schedule.current_bps, schedule.pending_bps, schedule.pending_from) == (1200, 1600, change_at)

    world.next_block_at(change_at - 1)
    last_old = world.vat(ALICE).pay_with_permit(SHOP_ID, "1000.00", "R-before", category=NEW_CATEGORY)
    world.next_block_at(change_at)
    first_new = world.vat(BOB).pay_with_permit(SHOP_ID, "1000.00", "R-at", category=NEW_CATEGORY)

    assert world.w3.eth.get_block(last_old.tx.block_number)["timestamp"] == change_at - 1
    assert world.w3.eth.get_block(first_new.tx.block_number)["timestamp"] == change_at
    assert (last_old.rate_bps, last_old.vat) == (1200, Decimal("107.14"))  # 1000 * 12/112 = 107.142...
    assert (first_new.rate_bps, first_new.vat) == (1600, Decimal("137.93"))  # 1000 * 16/116 = 137.931...
    # The record keeps the rate of its payment, so later refunds use it too.
    assert world.vat(ADMIN).payment(SHOP_ID, world.address(ALICE), "R-before").rate_bps == 1200
    matured = authority.rate_schedule(NEW_CATEGORY)
    assert (matured.current_bps, matured.pending_bps) == (1600, None)


def test_a_new_category_has_no_rate_before_its_first_entry_takes_effect(world: World) -> None:
    authority = world.vat(ADMIN)
    rejected(world, ADMIN, "UnknownCategory", lambda: authority.rate_in_force(NEW_CATEGORY), categoryId=NEW_CATEGORY)
    start = world.block_time() + 500
    authority.schedule_rate(NEW_CATEGORY, 1000, start)
    allow_category(world, SHOP_ID, NEW_CATEGORY)
    rejected(
        world, ALICE, "NoRateInForce",
        lambda: world.vat(ALICE).pay_with_permit(SHOP_ID, "10", "R-1", category=NEW_CATEGORY), categoryId=NEW_CATEGORY,
    )  # fmt: skip
    world.mine(start)  # a block at the start: the payment's estimate then sees the rate in force
    assert world.vat(ALICE).pay_with_permit(SHOP_ID, "11.00", "R-1", category=NEW_CATEGORY).vat == Decimal("1.00")


def test_one_pending_change_at_a_time_and_cancelling_it(world: World) -> None:
    authority = world.vat(ADMIN)
    later = world.block_time() + 10_000
    authority.schedule_rate(STANDARD, 2000, later)
    rejected(
        world, ADMIN, "RateChangePending", lambda: authority.schedule_rate(STANDARD, 1800, later + 1),
        categoryId=STANDARD, pendingRateBps=2000, pendingFrom=later,
    )  # fmt: skip
    authority.cancel_rate_change(STANDARD)
    assert authority.rate_schedule(STANDARD).pending_bps is None
    rejected(world, ADMIN, "NoPendingRateChange", lambda: authority.cancel_rate_change(STANDARD))
    world.mine(later)
    assert world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1").rate_bps == STANDARD_BPS


def test_rates_are_the_tax_authority_s(world: World) -> None:
    rejected(
        world, ALICE, "AccessControlUnauthorizedAccount", lambda: world.vat(ALICE).schedule_rate(STANDARD, 0),
        account=world.address(ALICE),
    )  # fmt: skip
    rejected(world, ADMIN, "InvalidCategory", lambda: world.vat(ADMIN).schedule_rate(0, 1000), categoryId=0)


def test_labels_name_categories_for_reports(world: World) -> None:
    world.vat(ADMIN).label_category(REDUCED, "reduced: medicines and medical devices")
    assert world.vat(ADMIN).category_labels()[REDUCED] == "reduced: medicines and medical devices"


def _schedules_of(world: World, *categories: int) -> dict[int, tuple[int | None, int | None, int | None]]:
    authority = world.vat(ADMIN)
    return {c: (s.current_bps, s.pending_bps, s.pending_from) for c in categories for s in [authority.rate_schedule(c)]}


def test_the_pause_flag_and_the_hot_categories_share_a_word_without_disturbing_each_other(world: World) -> None:
    # Categories 1 and 2 and the pause flag live in one packed storage word (VatRateSchedule's hot word), category 9
    # in its own slot: every write to one of them must leave the others exactly as they were.
    authority = world.vat(ADMIN)
    authority.schedule_rate(NEW_CATEGORY, 700)
    standard_at, reduced_at, new_at = (world.block_time() + d for d in (1_000, 2_000, 3_000))
    authority.schedule_rate(STANDARD, 1700, standard_at)
    authority.schedule_rate(REDUCED, 600, reduced_at)
    authority.schedule_rate(NEW_CATEGORY, 800, new_at)
    expected = {
        STANDARD: (STANDARD_BPS, 1700, standard_at),
        REDUCED: (REDUCED_BPS, 600, reduced_at),
        NEW_CATEGORY: (700, 800, new_at),
    }
    assert _schedules_of(world, STANDARD, REDUCED, NEW_CATEGORY) == expected

    authority.pause()
    assert authority.paused()
    assert _schedules_of(world, STANDARD, REDUCED, NEW_CATEGORY) == expected

    authority.cancel_rate_change(REDUCED)  # rates stay the tax side's business while payments are paused
    authority.schedule_rate(STANDARD, 1800)  # in force now; the pending 17 % stays pending
    assert authority.paused()
    expected[REDUCED] = (REDUCED_BPS, None, None)
    expected[STANDARD] = (1800, 1700, standard_at)
    assert _schedules_of(world, STANDARD, REDUCED, NEW_CATEGORY) == expected
    rejected(world, ALICE, "PaymentsPaused", lambda: world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-hot-1"))

    authority.unpause()
    assert not authority.paused()
    assert _schedules_of(world, STANDARD, REDUCED, NEW_CATEGORY) == expected
    assert world.vat(ALICE).pay_with_permit(SHOP_ID, "118.00", "R-hot-2").rate_bps == 1800
    world.next_block_at(standard_at)
    assert world.vat(BOB).pay_with_permit(SHOP_ID, "117.00", "R-hot-3").rate_bps == 1700
    assert authority.rate_in_force(REDUCED) == REDUCED_BPS
