"""`make demo`'s pilot, run once for the folder: every step of the scenario happened on the two chains with the real
validator and relayer processes, the refusals came with their contract errors, both audits found no difference, the
report's numbers add up, and nothing the pilot started is left running."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pilot_checks import PilotRun, alive, listening

#: The whole pilot runs for minutes: `make test` starts its group first (tests/conftest.py).
pytestmark = pytest.mark.slow


def test_the_pilot_plays_every_step_and_both_audits_find_no_difference(pilot: PilotRun) -> None:
    report = pilot.report
    assert [s["number"] for s in report["steps"]] == list(range(1, 10))
    assert all(s["gas"] > 0 for s in report["steps"]), report["steps"]
    assert {chain: a["differences"] for chain, a in report["audit"].items()} == {"kz-home": 0, "bnb-local": 0}
    assert all(a["events"] > 0 for a in report["audit"].values())
    assert report["privacy"]["clean"] and report["privacy"]["fields"] > 0
    # the deployments went through the suite plan on both chains (and the two other currencies)
    assert set(report["deployments"]) == {"kz-home", "bnb-local", "kz-gold", "kg-som"}
    assert report["deployments"]["bnb-local"]["chainId"] == 97
    assert json.loads(pilot.json_path.read_text()) == json.loads(json.dumps(report, default=str))


def test_refusals_are_the_contract_errors_of_the_rules(pilot: PilotRun) -> None:
    errors = {r["what"]: r["error"] for r in pilot.report["refusals"]}
    assert errors == {
        "Kaspi mints 200,000.00 more than its allowance": "MinterAllowanceExceeded",
        "Aigerim pays the toy shop with lunch money": "OutsidePurpose",
        "Aigerim's second lunch the same day": "DailyLimitExceeded",
        "the city reclaims before the term ends": "ProgrammeNotExpired",
        "Timur claims the same period again": "AlreadyClaimed",
        "Aliya pays the frozen toy shop": "AccountFrozen",
    }, pilot.report["refusals"]
    assert all(r["reason"] for r in pilot.report["refusals"])


def test_lunches_vat_and_the_programme_add_up(pilot: PilotRun) -> None:
    report = pilot.report
    spends = report["spends"]
    assert sum(s["offline"] for s in spends) == 1
    assert {s["day"] for s in spends} == {1, 2, 3}
    spent = sum(Decimal(s["amount"]) for s in spends)
    programme = report["programme"]
    assert Decimal(programme["reclaimed"]) == Decimal(programme["funded"]) - spent
    home_vat = [r for r in report["vat"] if r["chain"] == "kz-home"]
    # the lunches' VAT, plus the parent's refunded trip lunch (VAT reversed: due 0 on that payment)
    assert sum(Decimal(r["vatDue"]) for r in home_vat) == sum(Decimal(s["vat"]) for s in spends)
    assert any(Decimal(r["refundedVat"]) > 0 for r in home_vat)
    (bnb_row,) = [r for r in report["vat"] if r["chain"] == "bnb-local"]
    assert (bnb_row["merchantId"], bnb_row["vatDue"]) == (4001, "1600.00")


def test_the_village_shop_accepts_offline_and_is_paid_in_one_batch_later(pilot: PilotRun) -> None:
    shop = pilot.report["villageShop"]
    assert shop["payments"] == ["1250.00", "860.50", "2400.00"]
    assert (shop["settled"], shop["batches"], shop["unsettledLeft"]) == (3, 1, 0)
    assert shop["gross"] == shop["received"] == "4510.50"  # not VAT-registered: all of it to the shop
    assert shop["purseUnsettled"] == shop["purseRemaining"] == "5489.50"  # the rest still locked for the phone


def test_bridge_transfers_delivered_once_refunded_and_conserved(pilot: PilotRun) -> None:
    transfers = pilot.report["transfers"]
    assert [t["outcome"] for t in transfers] == ["delivered", "delivered", "refunded", "delivered"]
    assert [t["direction"] for t in transfers] == ["home -> BNB"] * 3 + ["BNB -> home"]
    assert all(t["latencySeconds"] > 0 for t in transfers)
    assert [t["queuedByRateLimit"] for t in transfers] == [False, True, False, False]
    delivered = {t["id"] for t in transfers if t["outcome"] == "delivered"}
    calls = pilot.report["deliverTransactions"]
    assert delivered <= set(calls) and set(calls.values()) == {1}, calls
    reserve = pilot.report["reserve"]
    # BNB side: 80,000 + 50,000 minted, 20,000 burned on the way back (the cafe payment stays in its supply)
    assert Decimal(reserve["bnb-local"]["supply"]) == Decimal("110000.00")
    assert Decimal(reserve["bnb-local"]["reserve"]) >= Decimal(reserve["bnb-local"]["supply"])
    assert Decimal(reserve["kz-home"]["reserve"]) >= Decimal(reserve["kz-home"]["supply"])
    killed = [s for s in pilot.report["services"] if s["name"] == "relayer pilot-1"]
    assert killed and killed[0]["exit"] == -9


def test_gold_and_som_come_from_configuration_alone(pilot: PilotRun) -> None:
    tokens = {t["symbol"]: t for t in pilot.report["tokens"]}
    assert set(tokens) == {"GOLDG", "DKGS"}
    assert (tokens["GOLDG"]["currency"], tokens["GOLDG"]["timur"], tokens["GOLDG"]["reserve"]) == ("XAU", "2.50", "1000.00")
    assert (tokens["DKGS"]["currency"], tokens["DKGS"]["timur"]) == ("KGS", "1200.00")


def test_progress_lines_and_nothing_left_running(pilot: PilotRun) -> None:
    assert sum(line.startswith("[") for line in pilot.lines) == 9
    assert any("5 validators ready" in line for line in pilot.lines)
    assert len(pilot.pids) == 2 + 5 + 2, pilot.pids  # anvils, validators, two relayer instances
    assert [pid for pid in pilot.pids if alive(pid)] == []
    assert [port for port in pilot.ports if listening(port)] == []
