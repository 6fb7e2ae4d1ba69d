"""`tenge pvp ...` end to end through click's CliRunner against the PvP world (tenge and som on one devnet)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pvp_world import ADMIN, LP, MERCHANT, PAYER, STRANGER, World

from tenge.cli.main import cli


class Tenge:
    def __init__(self, world: World) -> None:
        self.world = world

    def __call__(self, *args: str, account: int) -> Result:
        argv = [*args, "--network", "local", "--rpc-url", self.world.suite.rpc_url, "--account", f"dev:{account}"]
        return CliRunner(mix_stderr=False).invoke(cli, argv)

    def json(self, *args: str, account: int) -> Any:
        result = self(*args, "--json", account=account)
        assert result.exit_code == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    def refused(self, *args: str, account: int, message: str) -> Result:
        before = self.world.nonce(account)
        result = self(*args, account=account)
        text = result.stdout + result.stderr
        assert result.exit_code != 0 and message in text and "Traceback" not in text, text
        assert self.world.nonce(account) == before, "a refused command must send nothing"
        return result


@pytest.fixture
def tenge(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tenge]:
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))
    yield Tenge(world)


def test_quote_pay_status_cancel_and_limits_from_the_command_line(tenge: Tenge, world: World) -> None:
    pair = ("--sell", world.tenge_address, "--buy", world.som_address)
    quote = tenge("pvp", "quote", *pair, "--rate", "0.1743", "--max-amount", "5000", account=LP)
    assert quote.exit_code == 0, quote.stderr
    signed = quote.stdout.strip()
    assert tenge.json("pvp", "status", signed, account=PAYER)["state"] == "open"
    paid = tenge.json("pvp", "pay", signed, "1000.01", world.address(MERCHANT), account=PAYER)
    assert (paid["sell_amount"], paid["buy_amount"], paid["buy_currency"]) == ("1000.01", "174.31", "KGS")
    assert tenge.json("pvp", "status", signed, account=PAYER)["state"] == "used"
    tenge.refused("pvp", "pay", signed, "1.00", world.address(MERCHANT), account=PAYER, message="QuoteAlreadyUsed")
    other = tenge("pvp", "quote", *pair, "--rate", "0.1743", "--max-amount", "5000", account=LP).stdout.strip()
    nonce = str(json.loads(other)["quote"]["nonce"])
    assert tenge.json("pvp", "cancel-quote", nonce, account=LP)["nonce"] == int(nonce)
    tenge.refused("pvp", "pay", other, "1.00", world.address(MERCHANT), account=PAYER, message="QuoteCancelled")
    tenge.refused("pvp", "quote", *pair, "--rate", "abc", "--max-amount", "5", account=LP, message="not a number")
    limits = tenge.json("pvp", "limits", *pair, account=ADMIN)
    assert Decimal(limits["used_today"]) == Decimal("1000.01") and limits["sell_currency"] == "KZT"
    tenge.refused("pvp", "limits", *pair, "--set", "5", account=STRANGER, message="AccessControlUnauthorizedAccount")
    assert tenge.json("pvp", "limits", *pair, "--set", "5", account=ADMIN)["daily_limit"] == "5.00"
