"""Gate: the CLI's output has one style (issue #13, "CLI output is consistent").

* ``--json``: every key snake_case (keys that are data - addresses, numbers, role constants - aside), amounts
  as decimal strings with 2 places (never a JSON number, never a float anywhere), dates as ISO 8601 strings.
* ``--json`` errors: one JSON document ``{"error": {"code", "message", "exit_code"}}`` on stdout, the same
  non-zero exit code as without ``--json``, nothing on stderr but progress.
* Text: amounts ``1,300.00 KZT``, dates ISO 8601 in ``[display] timezone``.

The scenario runs the token and VAT commands (and the read-only commands of tx/accounts) with ``--json``
against the test devnet, each command once, and checks every document. Every command with a ``--json``
option must be either run here or named in :data:`NOT_RUN_HERE` with where its output is exercised, and
no CLI module may print JSON except through :func:`tenge.cli.common.emit` / ``json_text`` (which apply the
style), so a new command cannot slip past the style.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click
import pytest
from chain_helpers import rolled_back
from click.testing import CliRunner, Result
from gate_summary import count
from vat_world import ADMIN, ALICE, BANK, BOB, COURIER, SHOP, SHOP_ID, STRANGER, TREASURY, build_world

from tenge.cli.display import SNAKE_KEY, is_data_key
from tenge.cli.main import COMMANDS, cli

Suite = Any
ROOT = Path(__file__).resolve().parents[2]

#: Keys whose values are amounts of tenge: decimal strings with exactly 2 places ("1300.00").
AMOUNT_KEYS = frozenset({
    "amount", "balance", "spendable", "frozen_amount", "total_supply", "reserve", "allowance", "gross", "net", "vat",
    "total", "escrow", "refundable", "refunded", "total_refunded", "withdrawable", "spendable_escrow",
})  # fmt: skip
TWO_PLACES = re.compile(r"^\d+\.\d{2}$")
ALMATY_NEW_YEAR_2099 = datetime(2099, 1, 1, tzinfo=timezone(timedelta(hours=5)))

#: Commands with --json this scenario does not run, and where their output is exercised instead (all print
#: through emit/json_text, which the static check below holds every CLI module to).
NOT_RUN_HERE = {
    "bench all": "tests/bench/test_bench_summary.py (its own devnets; JSON and Markdown written and read back)",
    "bench summary": "tests/bench/test_bench_summary.py (rebuilt from measured figures)",
    "bench offline": "tests/offline/test_simulation.py (the simulated week)",
    "bridge deferral-timeout": "tests/bridge/test_bridge_stranded_cli.py (two chains; bad input: the matrix)",
    "bridge release-stranded": "tests/bridge/test_bridge_stranded_cli.py (two chains, validator signatures)",
    "bridge reserve": "tests/bridge/test_bridge_stranded_cli.py (two chains)",
    "bridge sign release": "tests/bridge/test_bridge_stranded_cli.py (validator keystores)",
    "offline accept": "tests/offline/test_power_loss.py (a terminal process killed with SIGKILL)",
    "offline purse close": "tests/offline/test_purses.py (the purse world)",
    "offline purse open": "tests/offline/test_purses.py (the purse world)",
    "offline purse revoke": "tests/offline/test_purses.py (the purse world)",
    "offline purse status": "tests/offline/test_purses.py (the purse world)",
    "offline settle": "tests/offline/test_terminal_settle.py (the purse world; a settle process killed and re-run)",
    "pay-abroad": "tests/crossborder/test_pay_abroad.py (three ledgers, real validators and relayers of both bridges)",
    "pvp cancel-quote": "tests/pvp/test_pvp_cli.py (tenge and som on one chain)",
    "pvp limits": "tests/pvp/test_pvp_cli.py (tenge and som on one chain)",
    "pvp pay": "tests/pvp/test_pvp_cli.py (tenge and som on one chain)",
    "pvp settle": "tests/pvp/test_pvp_cli.py (tenge and som on one chain)",
    "pvp status": "tests/pvp/test_pvp_cli.py (tenge and som on one chain)",
    "accounts change-password": "tests/foundation/test_accounts.py (keystores)",
    "accounts delete": "tests/foundation/test_accounts.py (keystores)",
    "accounts import": "tests/foundation/test_accounts.py (keystores)",
    "accounts new": "tests/foundation/test_accounts.py (keystores)",
    "audit privacy": "tests/index (the audit needs the event index)",
    "bench gas": "tests/bench (minutes of benchmarks on throw-away anvils)",
    "bench index": "tests/bench, tests/index",
    "bench relayer": "tests/bench, tests/relayer",
    "bench throughput": "tests/bench",
    "bridge cancel": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge complete": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge deliver": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge hold": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge limits delay": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge limits max-transfer": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge limits set": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge pause": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge refund": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge reject": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge release": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge relayer show": "tests/relayer (a relayer database)",
    "bridge send": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge sign escrow": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge sign refund": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge sign transfer": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge status": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge unpause": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge validators update": "tests/bridge/test_bridge_cli.py (two chains)",
    "bridge validators cancel": "tests/bridge/test_bridge_governance.py (two chains)",
    "bridge validators delay": "tests/bridge/test_bridge_governance.py (two chains)",
    "bridge validators remove": "tests/bridge/test_bridge_governance.py (two chains)",
    "bridge replace": "tests/bridge/test_bridge_replacement.py (two chains, a successor deployed)",
    "compile": "tests/foundation/test_compiler.py (solc takes 20-60 s)",
    "demo": "tests/pilot (two chains and the bridge services of its own)",
    "deploy": "tests/foundation/test_deploy.py (a devnet of its own)",
    "devnet down": "tests/foundation/test_cli_options.py (no devnet to stop: the JSON of nothing stopped)",
    "devnet status": "tests/foundation/test_devnet_up.py",
    "devnet up": "tests/foundation/test_devnet_up.py",
    "index status": "tests/index/test_index_cli.py",
    "index sync": "tests/index/test_index_cli.py",
    "programme allocate": "tests/programmes/test_programme_cli.py",
    "programme create": "tests/programmes/test_programme_cli.py",
    "programme fund": "tests/programmes/test_programme_cli.py",
    "programme reclaim": "tests/programmes/test_programme_cli.py",
    "programme spend": "tests/programmes/test_programme_cli.py",
    "programme status": "tests/programmes/test_programme_cli.py",
    "programme submit": "tests/programmes/test_programme_cli.py",
    "rewards claim": "tests/programmes/test_programme_cli.py",
    "rewards close": "tests/programmes/test_programme_cli.py",
    "rewards create": "tests/programmes/test_programme_cli.py",
    "rewards fund": "tests/programmes/test_programme_cli.py",
    "rewards pause": "tests/programmes/test_programme_cli.py",
    "rewards status": "tests/programmes/test_programme_cli.py",
    "token recover": "tests/token/test_token_cli.py (moves a whole account)",
    "tx wait": "tests/foundation/test_tx_lifecycle.py",
    "verify": "tests/foundation/test_verify.py (compiles the recorded input with solc; explorers are offline here)",
}


def _leaf_commands(command: click.Command, path: list[str]) -> Iterator[tuple[str, click.Command]]:
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _leaf_commands(sub, [*path, name])
    else:
        yield " ".join(path), command


def json_commands() -> set[str]:
    """Every command (hidden aliases too) with a --json option."""
    ctx = click.Context(cli)
    found = set()
    for name in COMMANDS:
        top = cli.get_command(ctx, name)
        assert top is not None
        for path, command in _leaf_commands(top, [name]):
            if any(p.name == "as_json" for p in command.params):
                found.add(path)
    return found


def command_path(args: tuple[str, ...]) -> str:
    """The command ``args`` invoke (``token role grant``), without its arguments."""
    ctx = click.Context(cli)
    command: click.Command | None = cli
    path = []
    for word in args:
        if not isinstance(command, click.Group):
            break
        command = command.get_command(ctx, word)
        path.append(word)
    return " ".join(path)


def style_problems(data: Any, where: str = "$") -> list[str]:
    """What in a --json document breaks the style (empty: none)."""
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            if not (SNAKE_KEY.match(key) or is_data_key(key)):
                problems.append(f"{where}: key {key!r} is not snake_case")
            if key in AMOUNT_KEYS and value is not None and not (isinstance(value, str) and TWO_PLACES.match(value)):
                if not (isinstance(value, str) and value in ("unlimited", "whole account")):
                    problems.append(f"{where}.{key}: amount {value!r} is not a decimal string with 2 places")
            problems += style_problems(value, f"{where}.{key}")
    elif isinstance(data, list):
        for i, item in enumerate(data):
            problems += style_problems(item, f"{where}[{i}]")
    elif isinstance(data, float):
        problems.append(f"{where}: {data!r} is a float (amounts are decimal strings)")
    return problems


class Cli:
    """Runs ``tenge ...`` with --json as dev account N against the test devnet and checks each document."""

    def __init__(self, suite: Suite, home: Path) -> None:
        self.suite = suite
        self.env = {"TENGE_DEPLOYMENTS_DIR": str(suite.record_dir), "TENGE_HOME": str(home), "TENGE_CONFIG": None}
        self.ran: set[str] = set()
        self.documents = 0

    def run(self, *args: str, account: int | None = ADMIN, network: bool = True, rpc: bool = True,
            env: dict[str, str | None] | None = None) -> Result:  # fmt: skip
        options = (["--network", "local"] if network else []) + (["--rpc-url", self.suite.rpc_url] if rpc else [])
        options += ["--account", f"dev:{account}"] if account is not None else []
        self.ran.add(command_path(args))
        return CliRunner(mix_stderr=False).invoke(cli, [*args, "--json", *options], env={**self.env, **(env or {})})

    def json(self, *args: str, **options: Any) -> Any:
        result = self.run(*args, **options)
        assert result.exit_code == 0, f"{args}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        data = json.loads(result.stdout)
        assert style_problems(data) == [], f"{args}: {style_problems(data)}"
        self.documents += 1
        return data


@pytest.fixture(scope="module")
def world(suite: Suite) -> Iterator[Suite]:
    with rolled_back(suite.rpc_url, "the CLI output world"):
        build_world(suite)
        yield suite


@pytest.fixture
def tenge(world: Suite, tmp_path: Path) -> Iterator[Cli]:
    with rolled_back(world.rpc_url, "the test's state"):
        yield Cli(world, tmp_path / "home")


def _iso(text: str) -> datetime:
    """An ISO 8601 date with its offset (a unix number or a naive date fails here)."""
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, text
    return value


def test_every_command_with_json_runs_here_or_says_where(tenge: Cli, world: Suite, tmp_path: Path) -> None:
    a = world.address
    # --- token -------------------------------------------------------------------------------------
    assert tenge.json("token", "info")["total_supply"] == "2000000.00"
    tenge.json("token", "balance", a(ALICE))
    sent = tenge.json("token", "transfer", a(BOB), "1300", account=ALICE)
    assert (sent["amount"], sent["tx_hash"][:2], sent["fee_symbol"]) == ("1300.00", "0x", "ETH")
    tenge.json("token", "approve", a(BOB), "5", account=ALICE)
    tenge.json("token", "allowance", "set", a(BANK), "5000")
    assert tenge.json("token", "allowance", "get", a(BANK))["allowance"] == "5000.00"
    tenge.json("token", "mint", a(ALICE), "10", account=BANK)
    tenge.json("token", "tier", "set", a(STRANGER), "1")
    assert tenge.json("token", "tier", "get", a(STRANGER))["tier"] == 1
    tenge.json("token", "tier-cap", "set", "1", "600000")
    assert tenge.json("token", "tier-cap", "get", "1") == {"tier": 1, "cap": "600000.00"}
    tenge.json("token", "freeze", a(BOB), "--amount", "5")
    tenge.json("token", "unfreeze", a(BOB), "--amount", "5")
    tenge.json("token", "force-transfer", a(ALICE), a(BOB), "1", "--reference", "court-1")
    tenge.json("token", "freeze", a(BOB))
    tenge.json("token", "wipe", a(BOB), "1", "--reference", "court-2")
    tenge.json("token", "unfreeze", a(BOB))
    tenge.json("token", "pause")
    tenge.json("token", "unpause")
    attested = tenge.json("token", "attest-reserve", "5000000")
    assert attested["amount"] == "5000000.00"
    _iso(tenge.json("token", "info")["reserve_attested_at"])
    assert tenge.json("token", "reserve-gating", "off")["max_attestation_age"] >= 0
    tenge.json("token", "redeem", a(BANK), "1", "--reference", "acct-1", account=ALICE)
    tenge.json("token", "tier", "set", a(BANK), "3")
    tenge.json("token", "mint", a(BANK), "10", account=BANK)
    assert tenge.json("token", "burn", "1", account=BANK)["amount"] == "1.00"
    rows = tmp_path / "rows.csv"
    with rows.open("w", newline="") as handle:
        csv.writer(handle).writerows([["address", "amount"], [a(BOB), "1.50"], [a(SHOP), "2.50"]])
    assert tenge.json("token", "payout", str(rows), account=ALICE)["total"] == "4.00"
    assert len(tenge.json("token", "batch-mint", str(rows), account=BANK)["transactions"]) == 1
    granted = tenge.json("token", "role", "grant", "pauser", a(BOB))
    assert (granted["action"], granted["role"], granted["address"]) == ("grant role", "PAUSER_ROLE", a(BOB))
    assert tenge.json("token", "role", "list", a(BOB)) == {"address": a(BOB), "roles": ["PAUSER_ROLE"]}
    tenge.json("token", "role", "revoke", "pauser", a(BOB))
    signed = tenge.json("token", "offline", "sign", a(BOB), "2.00", account=ALICE, rpc=False)
    assert (signed["chain_id"], signed["amount"]) == (31337, "2.00") and _iso(signed["valid_before"])
    tenge.json("token", "offline", "show", signed["payment"], account=None, rpc=False)
    tenge.json("token", "offline", "submit", signed["payment"], account=COURIER)
    # --- VAT -----------------------------------------------------------------------------------------
    quote = tenge.json("vat", "quote", str(SHOP_ID), "1160")
    assert (quote["gross"], quote["net"], quote["vat"], quote["merchant_id"]) == ("1160.00", "1000.00", "160.00", SHOP_ID)
    paid = tenge.json("vat", "pay", str(SHOP_ID), "1160.00", "INV-G1", account=ALICE)
    assert (paid["payment_id"][:2], paid["invoice_ref"], paid["rate_bps"]) == ("0x", "INV-G1", 1600)
    tenge.json("vat", "payment", str(SHOP_ID), a(ALICE), "INV-G1")
    assert tenge.json("vat", "refund", str(SHOP_ID), a(ALICE), "INV-G1", "580.00", account=SHOP)["vat"] == "80.00"
    booked = tenge.json("vat", "pay", str(SHOP_ID), "1160.00", "INV-G2", "--invoice-no", "7", account=ALICE)
    assert booked["gross"] == "1160.00"
    refunded = tenge.json("vat", "refund-invoice", str(SHOP_ID), "7", account=SHOP)  # all of it: escrow as before
    assert (refunded["amount"], refunded["vat"]) == ("1160.00", "160.00")
    tenge.json("vat", "set-reserve", "0")
    tenge.json("vat", "set-treasury", a(TREASURY))
    assert tenge.json("vat", "withdraw", "--reference", "2026-11", account=TREASURY)["amount"] == "80.00"
    assert tenge.json("vat", "escrow")["escrow"] == "0.00"
    tenge.json("vat", "pause")
    tenge.json("vat", "unpause")
    tenge.json("vat", "merchant", "register", "2001", a(BOB), "--category", "2")
    assert tenge.json("vat", "merchant", "show", "2001")["vat_registered"] is True
    tenge.json("vat", "merchant", "update", "2001", "--category", "1")
    tenge.json("vat", "merchant", "deactivate", "2001")
    tenge.json("vat", "merchant", "activate", "2001")
    assert 2001 in {m["merchant_id"] for m in tenge.json("vat", "merchant", "list")}
    tenge.json("vat", "rate", "schedule", "9", "7.5%")
    later = tenge.json("vat", "rate", "schedule", "9", "8%", "--from", "2099-01-01")
    # --from is read in the display zone (+05:00 by default) and shown in it: the same day, not the eve (issue 19)
    assert _iso(later["effective_from"]) == ALMATY_NEW_YEAR_2099 and later["effective_from"] == "2099-01-01T00:00:00+05:00"
    tenge.json("vat", "rate", "label", "9", "test goods")
    (shown,) = tenge.json("vat", "rate", "show", "9")
    assert (shown["rate_in_force"], shown["pending_rate"], shown["pending_from"]) == ("7.5%", "8%", later["effective_from"])
    tenge.json("vat", "rate", "cancel", "9")
    report = tenge.json("vat", "report", "--merchant", str(SHOP_ID), "--source", "scan", "--from", "2026-01-01")
    assert report["totals"]["vat_due"] == "80.00" and report["reconciliation"]["reconciled"] is True
    assert report["period"]["start"] == "2026-01-01T00:00:00+05:00"  # in the report's zone ([suite.vat] utc_offset)
    for group in (("vat", "role"), ("vat",)):  # the role group and the older spellings, hidden aliases
        grant, revoke = (*group, "grant"), (*group, "revoke")
        out = tenge.json(*grant, "registrar", a(BOB))
        assert (out["action"], out["role"], out["address"]) == ("grant role", "REGISTRAR_ROLE", a(BOB))
        assert tenge.json("vat", "role", "list", a(BOB))["roles"] == ["REGISTRAR_ROLE"]
        tenge.json(*revoke, "registrar", a(BOB))
        assert tenge.json("vat", "role", "list", a(BOB)) == {"address": a(BOB), "roles": []}
    voucher = tenge.json("vat", "offline", "sign", str(SHOP_ID), "11.60", "INV-G2", account=BOB, rpc=False)
    tenge.json("vat", "offline", "show", voucher["payment"], account=None, rpc=False)
    tenge.json("vat", "offline", "submit", voucher["payment"], account=COURIER)
    # --- offline purse payment (device side, no connection; the purse of the bad-input matrix, device dev:5) ------
    from bad_input_offline import MERCHANT as PURSE_MERCHANT, NOW as PURSE_NOW, purse_state
    from tenge.offline.device import save_state

    purse_file = tmp_path / "purse.json"
    save_state(purse_file, purse_state())
    paid_offline = tenge.json("offline", "pay", "--purse", str(purse_file), "--at", str(PURSE_NOW), "--invoice",
                              "INV-G3", PURSE_MERCHANT, "12.50", account=5, rpc=False)  # fmt: skip
    assert (paid_offline["amount"], paid_offline["cumulative"], paid_offline["sequence"]) == ("12.50", "12.50", 1)
    assert paid_offline["payment"].startswith("dtoff1:") and paid_offline["merchant"] == PURSE_MERCHANT
    # --- transactions and accounts --------------------------------------------------------------------
    assert tenge.json("tx", "journal", account=None, rpc=False), "the commands above were journalled"
    tenge.json("tx", "status", paid["tx_hash"], account=None)
    assert tenge.json("accounts", "list", account=None, network=False, rpc=False) == []
    recorded = tenge.json("deployments", "show", account=None, rpc=False)
    assert recorded["chain_id"] == 31337 and recorded["contracts"], recorded

    missing = json_commands() - tenge.ran - set(NOT_RUN_HERE)
    assert missing == set(), f"commands with --json neither run here nor named in NOT_RUN_HERE: {sorted(missing)}"
    assert set(NOT_RUN_HERE) <= json_commands(), "NOT_RUN_HERE names a command that has no --json (any more)"
    count("cli-style", "CLI output style: {n} --json documents checked", tenge.documents)


def test_errors_with_json_are_one_json_document_with_the_same_exit_code(tenge: Cli, world: Suite) -> None:
    a = world.address
    cases = [
        # (arguments, account, exit code, error code, message part)
        (("token", "transfer", a(BOB), "1.001"), ALICE, 2, "BadParameter", "more than 2 decimals"),
        (("token", "transfer", a(SHOP), "5000000"), ALICE, 1, "ERC20InsufficientBalance", "needed=5,000,000.00 KZT"),
        (("vat", "report", "--merchant", "4242"), ADMIN, 2, "InvalidInput", "merchant 4242 is not registered"),
        (("vat", "role", "grant", "minter", a(BOB)), ADMIN, 2, "BadParameter", "unknown VatPayments role"),
        (("token", "role", "grant", "minter", a(BOB)), BANK, 1, "AccessControlUnauthorizedAccount", "neededRole="),
    ]
    for args, account, exit_code, code, message in cases:
        with_json = tenge.run(*args, account=account)
        assert with_json.exit_code == exit_code, (args, with_json.stdout, with_json.stderr)
        error = json.loads(with_json.stdout)["error"]
        assert (error["code"], error["exit_code"]) == (code, exit_code), error
        assert message in error["message"] and "\n" not in error["message"], error
        assert style_problems(error) == [], style_problems(error)
        assert "Error" not in with_json.stderr and "Traceback" not in with_json.stdout + with_json.stderr
        argv = [*args, "--network", "local", "--rpc-url", world.rpc_url, "--account", f"dev:{account}"]
        plain = CliRunner(mix_stderr=False).invoke(cli, argv, env=tenge.env)
        assert plain.exit_code == exit_code and plain.stdout == "", (args, plain.stdout)
        assert message in plain.stderr and "Traceback" not in plain.stderr, plain.stderr
        count("cli-style", "CLI output style: {n} --json documents checked")


def test_text_output_shows_amounts_with_separators_and_dates_in_the_configured_zone(
    tenge: Cli, world: Suite, tmp_path: Path
) -> None:
    config = tmp_path / "tenge.toml"
    config.write_text('[display]\ntimezone = "Asia/Almaty"\n')
    tenge.json("token", "attest-reserve", "1234567.89")
    argv = ["token", "info", "--network", "local", "--rpc-url", world.rpc_url]
    text = CliRunner(mix_stderr=False).invoke(cli, argv, env={**tenge.env, "TENGE_CONFIG": str(config)}).stdout
    assert re.search(r"^reserve\s+1,234,567\.89 KZT$", text, re.MULTILINE), text
    assert re.search(r"^total_supply\s+2,000,000\.00 KZT$", text, re.MULTILINE), text
    attested = re.search(r"^reserve_attested_at\s+(\S+)$", text, re.MULTILINE)
    assert attested and attested.group(1).endswith("+05:00"), text  # Asia/Almaty, not unix seconds
    as_json = tenge.json("token", "info", env={"TENGE_CONFIG": str(config)})
    assert as_json["reserve_attested_at"] == attested.group(1)
    transfer = ["token", "transfer", world.address(BOB), "1300", "--network", "local", "--rpc-url", world.rpc_url,
                "--account", f"dev:{ALICE}"]  # fmt: skip
    sent = CliRunner(mix_stderr=False).invoke(cli, transfer, env=tenge.env)
    assert sent.exit_code == 0 and "amount=1,300.00 KZT" in sent.stdout, sent.stdout
    quote = CliRunner(mix_stderr=False).invoke(cli, ["vat", "quote", "--network", "local", "--rpc-url", world.rpc_url,
                                                      str(SHOP_ID), "11600"], env=tenge.env).stdout  # fmt: skip
    assert "gross 11,600.00 KZT = net 10,000.00 KZT + VAT 1,600.00 KZT" in quote, quote
    journal = tenge.json("tx", "journal", account=None, rpc=False, env={"TENGE_CONFIG": str(config)})
    assert journal and all(entry["time"].endswith("+05:00") for entry in journal), journal  # kept in UTC, shown here


def test_cli_modules_print_json_only_through_the_styled_helpers() -> None:
    """``json.dumps`` in a CLI module would print JSON the style never saw. File formats other tools read are
    exempt, each named here: the benchmark figure files (also ``bench all``'s summary), the signed claim of
    ``rewards sign-claim`` (the input of ``rewards claim``), the signed quote of ``pvp quote`` (the input of
    ``pvp pay``), the one-line-per-event stream of ``offline accept`` (a till's screen or its supervisor reads it
    live) and ``deployments export --format json`` (addresses and ABIs for frontends, ABI keys as
    solc writes them)."""
    file_formats = {
        "bench_cmds.py": ("path.write_text(json.dumps(",),
        "rewards_cmds.py": ("json.dumps(signed.to_dict())",),
        "deployments_cmds.py": ("json.dumps(as_json(record)",),
        "bench_all_cmds.py": ("json.dumps(data, indent=2, ensure_ascii=False)",),
        "pvp_cmds.py": ("json.dumps(signed.to_json(client.domain))",),
        "offline_accept.py": ("json.dumps(data) if as_json else text",),
    }
    offenders = []
    for module in sorted((ROOT / "src" / "tenge" / "cli").glob("*.py")):
        for number, line in enumerate(module.read_text().splitlines(), 1):
            if "json.dumps(" in line and module.name != "common.py":
                if not any(allowed in line for allowed in file_formats.get(module.name, ())):
                    offenders.append(f"{module.name}:{number}: {line.strip()}")
    assert offenders == []


def test_the_style_check_finds_what_it_must() -> None:
    assert style_problems({"paymentId": 1}) == ["$: key 'paymentId' is not snake_case"]
    assert style_problems({"amount": 1300}) == ["$.amount: amount 1300 is not a decimal string with 2 places"]
    assert style_problems({"x": [{"rate": 0.16}]}) == ["$.x[0].rate: 0.16 is a float (amounts are decimal strings)"]
    assert style_problems({"0xAbC": {"MINTER_ROLE": ["a"], "1001": "1.00"}, "amount": "1.00"}) == []
