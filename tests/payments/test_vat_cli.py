"""`tenge vat ...` end to end through click's CliRunner against the test devnet: every command's happy
path, and bad input refused with a specific message, a non-zero exit and nothing sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner, Result
from vat_world import ADMIN, ALICE, BOB, COURIER, SHOP, SHOP_ID, TREASURY, World

from tenge.cli.main import cli


@pytest.fixture
def tenge(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator["Tenge"]:
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))
    yield Tenge(world)


class Tenge:
    """Runs `tenge vat ...` as dev account N against the test devnet."""

    def __init__(self, world: World) -> None:
        self.world = world

    def __call__(self, *args: str, account: int | None = ADMIN, rpc: bool = True) -> Result:
        argv = ["vat", *args]
        if rpc:
            argv += ["--network", "local", "--rpc-url", self.world.suite.rpc_url]
        if account is not None:
            argv += ["--account", f"dev:{account}"]
        return CliRunner().invoke(cli, argv)

    def json(self, *args: str, account: int | None = ADMIN) -> Any:
        argv = ["vat", *args, "--json", "--network", "local", "--rpc-url", self.world.suite.rpc_url]
        if account is not None:
            argv += ["--account", f"dev:{account}"]
        result = CliRunner(mix_stderr=False).invoke(cli, argv)  # progress lines (hashes) go to stderr
        assert result.exit_code == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    def refused(self, *args: str, account: int = ADMIN, exit_code: int | None = None, message: str) -> Result:
        """The command fails with ``message`` and ``account`` sends nothing."""
        before = self.world.nonce(account)
        result = self(*args, account=account)
        assert result.exit_code != 0, result.output
        if exit_code is not None:
            assert result.exit_code == exit_code, result.output
        assert message in result.output, result.output
        assert self.world.nonce(account) == before, "a refused command must send nothing"
        return result


def _iso(unix: int) -> str:
    """Dates in --json: ISO 8601 in the display zone (none configured here: the default, +05:00)."""
    return datetime.fromtimestamp(unix, timezone(timedelta(hours=5))).isoformat()


def test_merchants_from_the_command_line(tenge: Tenge, world: World) -> None:
    bob = world.address(BOB)
    registered = tenge.json("merchant", "register", "2001", bob, "--category", "2", "--category", "4")
    assert (registered["default_category"], registered["categories"]) == (2, [2, 4])
    assert tenge.json("merchant", "show", "2001") == {
        "merchant_id": 2001, "payout": bob, "vat_registered": True, "default_category": 2, "categories": [2, 4],
        "active": True, "registered": True,
    }  # fmt: skip
    # The tax side's list is the only one a payer can use: 3 (zero-rated) is refused, 4 (exempt) accepted.
    tenge.refused("pay", "2001", "10.00", "R-1", "--category", "3", account=ALICE, message="CategoryNotAllowed(")
    assert tenge.json("pay", "2001", "10.00", "R-1", "--category", "4", account=ALICE)["category_id"] == 4
    assert tenge.json("merchant", "update", "2001", "--category", "2")["categories"] == [2]
    tenge.refused("pay", "2001", "10.00", "R-2", "--category", "4", account=ALICE, message="CategoryNotAllowed(")
    tenge.json("merchant", "update", "2001", "--not-vat-registered")
    tenge.json("merchant", "deactivate", "2001")
    listed = {m["merchant_id"]: m for m in tenge.json("merchant", "list")}
    assert set(listed) == {1001, 1002, 1003, 2001}
    assert (listed[2001]["vat_registered"], listed[2001]["active"], listed[2001]["default_category"]) == (False, False, 2)
    assert "2001" in tenge("merchant", "list").output


def test_rates_from_the_command_line(tenge: Tenge, world: World) -> None:
    when = world.block_time() + 3_600
    tenge.json("rate", "schedule", "9", "7.5%")
    result = tenge.json("rate", "schedule", "9", "800bp", "--from", str(when))
    assert (result["rate_bps"], result["effective_from"]) == (800, _iso(when))
    (shown,) = tenge.json("rate", "show", "9")
    assert (shown["rate_in_force"], shown["pending_rate"], shown["pending_from"]) == ("7.5%", "8%", _iso(when))
    tenge.json("rate", "cancel", "9")
    assert tenge.json("rate", "show", "9")[0]["pending_rate"] is None
    assert "category 1 (standard): 16%" in tenge("rate", "show").output


def test_quote_pay_refund_withdraw_and_report(tenge: Tenge, world: World) -> None:
    quote = tenge.json("quote", str(SHOP_ID), "1160")
    assert (quote["gross"], quote["net"], quote["vat"], quote["rate"]) == ("1160.00", "1000.00", "160.00", "16%")
    paid = tenge.json("pay", str(SHOP_ID), "1160.00", "R-CLI-1", account=ALICE)
    assert (paid["action"], paid["vat"], paid["invoice_ref"]) == ("pay (permit)", "160.00", "R-CLI-1")
    by_auth = tenge.json("pay", str(SHOP_ID), "116.00", "R-CLI-2", "--authorization", account=BOB)
    assert by_auth["action"] == "pay (authorization)" and by_auth["vat"] == "16.00"
    record = tenge.json("payment", str(SHOP_ID), world.address(ALICE), "R-CLI-1")
    assert (record["gross"], record["refundable"]) == ("1160.00", "1160.00")

    refund = tenge.json("refund", str(SHOP_ID), world.address(ALICE), "R-CLI-1", "580.00", account=SHOP)
    assert (refund["net"], refund["vat"], len(refund["preparations"])) == ("500.00", "80.00", 1)
    withdrawal = tenge.json("withdraw", "--reference", "2026-11", account=TREASURY)
    assert (withdrawal["amount"], withdrawal["settlement_ref"]) == ("96.00", "2026-11")
    assert tenge.json("escrow")["escrow"] == "0.00"

    report = tenge.json("report", "--format", "json", account=None)
    assert report["totals"]["vat_due"] == "96.00" and report["reconciliation"]["reconciled"] is True
    assert report["reconciliation"]["treasury_received"] == "96.00"
    csv_out = tenge("report", "--format", "csv", "--merchant", str(SHOP_ID), "--check", account=None)
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[-1].endswith(",96.00")
    table = tenge("report", "--from", "2020-01-01", "--utc-offset", "+05:00", account=None)
    assert table.exit_code == 0 and "reconciled: VAT due == treasury received + escrow" in table.output


def test_a_report_that_does_not_reconcile_fails_its_check(tenge: Tenge, world: World) -> None:
    tenge.json("pay", str(SHOP_ID), "116.00", "R-1", account=ALICE)
    world.token(BOB).transfer(world.vat(ADMIN).address, "0.01")
    result = tenge("report", "--check", account=None)
    assert result.exit_code == 3 and "NOT reconciled" in result.output


def test_offline_sign_show_and_submit(tenge: Tenge, world: World) -> None:
    signed = tenge("offline", "sign", str(SHOP_ID), "232.00", "R-OFF-CLI", "--network", "local",
                   "--account", f"dev:{ALICE}", account=None, rpc=False)  # fmt: skip
    assert signed.exit_code == 0, signed.output
    text = signed.output.strip()
    assert text.startswith("dtvat1:")
    shown = json.loads(tenge("offline", "show", text, "--network", "local", "--json", account=None, rpc=False).output)
    assert (shown["gross"], shown["payer"], shown["verified"][:9]) == ("232.00", world.address(ALICE), "signature")
    submitted = tenge.json("offline", "submit", text, account=COURIER)
    assert (submitted["vat"], submitted["payer"]) == ("32.00", world.address(ALICE))
    assert world.balance(SHOP) == Decimal("200.00")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pay", "1001", "1.001", "R-1"), "more than 2 decimals"),
        (("pay", "1001", "0", "R-1"), "greater than zero"),
        (("pay", "1001", "NaN", "R-1"), "not a finite amount"),
        (("pay", "1001", "10", ""), "invoice reference is required"),
        (("pay", "shop", "10", "R-1"), "not a merchant id"),
        (("pay", "1001", "10", "R-1", "--category", "300"), "VAT category"),
        (("merchant", "register", "2002", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--category", "1",
          "--category", "1"), "--category given twice"),
        (("merchant", "update", "1001", "--category", "1", "--category", "0"), "category 0"),
        (("quote", str(2**64), "10"), "merchant id is a whole number from 0"),
        (("refund", "1001", "0x3c44cdddb6a900fa2b585dd299E03d12FA4293BC", "R-1"), "wrong EIP-55 checksum"),
        (("rate", "schedule", "1", "16"), "give its unit"),
        (("rate", "schedule", "1", "100.5%"), "above 100 %"),
        (("rate", "schedule", "1", "16%", "--from", "next tuesday"), "not a time"),
        (("withdraw", "--reference", "x" * 33), "at most 32 fit"),
        (("report", "--from", "2026-02-01", "--to", "2026-01-01"), "the period is empty"),
        (("report", "--utc-offset", "+25:00"), "not a UTC offset"),
        (("offline", "submit", "dtvat1:AAAA"), "offline payment rejected"),
        (("grant", "minter", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), "unknown VatPayments role"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(tenge: Tenge, args: tuple[str, ...], message: str) -> None:
    tenge.refused(*args, account=ALICE, message=message)


def test_contract_refusals_are_decoded_and_nothing_is_sent(tenge: Tenge, world: World) -> None:
    tenge.json("pay", str(SHOP_ID), "116.00", "R-1", account=ALICE)
    tenge.refused("refund", str(SHOP_ID), world.address(ALICE), "R-1", "116.01", account=SHOP, exit_code=1,
                  message="RefundExceedsPayment(")  # fmt: skip
    tenge.refused("refund", str(SHOP_ID), world.address(ALICE), "R-1", account=BOB, message="NotMerchantPayout(")
    tenge.refused("pay", str(SHOP_ID), "116.00", "R-1", account=ALICE, message="PaymentAlreadyExists(")
    tenge.refused("withdraw", "--reference", "2026-11", account=ALICE, message="NotTreasury(")
    tenge.refused("merchant", "register", "1001", world.address(BOB), account=ADMIN, message="MerchantAlreadyRegistered(")
    tenge.refused("merchant", "register", "3001", world.address(BOB), account=ALICE,
                  message="AccessControlUnauthorizedAccount(")  # fmt: skip
    tenge.json("merchant", "deactivate", str(SHOP_ID))
    tenge.refused("pay", str(SHOP_ID), "10.00", "R-2", "--authorization", account=BOB, message="MerchantInactive(")
    world.token(ADMIN).freeze(world.address(ALICE))
    tenge.json("merchant", "activate", str(SHOP_ID))
    tenge.refused("pay", str(SHOP_ID), "10.00", "R-3", account=ALICE, message="AccountFrozen(")


def test_a_tampered_offline_string_is_refused_by_the_command(tenge: Tenge, world: World) -> None:
    signed = tenge("offline", "sign", str(SHOP_ID), "10.00", "R-T", "--network", "local", "--account",
                   f"dev:{ALICE}", account=None, rpc=False).output.strip()  # fmt: skip
    flipped = signed[:-10] + ("A" if signed[-10] != "A" else "B") + signed[-9:]
    tenge.refused("offline", "submit", flipped, account=COURIER, message="offline payment rejected (checksum)")


def test_vat_roles_have_the_token_role_commands_shape(tenge: Tenge, world: World) -> None:
    bob = world.address(BOB)
    granted = tenge.json("role", "grant", "registrar", bob)
    assert {k: granted[k] for k in ("action", "role", "address")} == {
        "action": "grant role", "role": "REGISTRAR_ROLE", "address": bob}  # fmt: skip
    listed = tenge("role", "list", bob, account=None)
    assert listed.exit_code == 0 and listed.output.strip() == f"{bob}: REGISTRAR_ROLE", listed.output
    token_listed = CliRunner().invoke(cli, ["token", "role", "list", bob, "--rpc-url", world.suite.rpc_url])
    assert token_listed.exit_code == 0 and token_listed.output.strip() == f"{bob}: no roles", token_listed.output
    assert tenge.json("role", "revoke", "registrar", bob)["action"] == "revoke role"
    assert tenge.json("role", "list", bob) == {"address": bob, "roles": []}
    tenge.refused("role", "grant", "minter", bob, message="unknown VatPayments role 'minter'")
    tenge.refused("role", "grant", "registrar", bob, account=ALICE, exit_code=1, message="AccessControlUnauthorizedAccount(")
    assert "role" in tenge("--help", rpc=False, account=None).output
    assert "grant " not in tenge("--help", rpc=False, account=None).output, "the old spellings are hidden aliases"


def test_a_report_for_an_unregistered_merchant_is_an_error_not_an_empty_report(tenge: Tenge) -> None:
    result = tenge.refused("report", "--merchant", str(SHOP_ID), "--merchant", "4242", account=ADMIN, exit_code=2,
                           message="merchant 4242 is not registered on VatPayments")  # fmt: skip
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert tenge.json("report", "--merchant", str(SHOP_ID))["rows"] == []  # registered, nothing paid yet: empty
