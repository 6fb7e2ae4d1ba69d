"""`tenge token ...` through click's CliRunner against the test devnet: happy paths with --json, and bad
input that exits non-zero with a specific message while the sender's nonce proves nothing was sent."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from token_world import ADMIN, ALICE, BANK, BOB, CAROL, MERCHANT, NEWKEY, STRANGER, World

from tenge.cli.main import cli


@pytest.fixture
def tenge(world: World, monkeypatch: pytest.MonkeyPatch) -> "Tenge":
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(world.suite.record_dir))
    return Tenge(world)


class Tenge:
    """Runs `tenge token ...` as dev account N on the test devnet."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.runner = CliRunner(mix_stderr=False)

    def __call__(self, *args: str, account: int = ADMIN, ok: bool = True, rpc: bool = True) -> Result:
        options = ["--account", f"dev:{account}"] + (["--rpc-url", self.world.suite.rpc_url] if rpc else [])
        split = args.index("--") if "--" in args else len(args)  # options go before a "--" separator
        argv = ["token", *args[:split], *options, *args[split:]]
        result = self.runner.invoke(cli, argv, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.stderr + result.stdout
        return result

    def json(self, *args: str, account: int = ADMIN) -> Any:
        return json.loads(self(*args, "--json", account=account).stdout)

    def refused(self, *args: str, account: int = ADMIN, code: int = 2, message: str) -> Result:
        """The command must fail with ``code`` and ``message`` and send nothing from ``account``."""
        nonce = self.world.nonce(account)
        result = self(*args, account=account, ok=False)
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert self.world.nonce(account) == nonce, "a refused command must send nothing"
        return result


def test_balance_and_info(tenge: Tenge, world: World) -> None:
    state = tenge.json("balance", world.address(ALICE))
    assert state == {
        "address": world.address(ALICE), "balance": "1000.00", "spendable": "1000.00", "frozen_amount": "0.00",
        "wholly_frozen": False, "tier": 1, "tier_cap": "500000.00",
    }  # fmt: skip
    assert tenge.json("balance", account=BOB)["balance"] == "500.00"  # default: the signer
    info = tenge.json("info")
    assert (info["currency"], info["decimals"], info["total_supply"], info["paused"]) == ("KZT", 2, "1500.00", False)
    text = tenge("balance", world.address(ALICE)).stdout
    assert "balance        1,000.00 KZT" in text and "tier_cap       500,000.00 KZT" in text and "wholly_frozen  no" in text


def test_transfer(tenge: Tenge, world: World) -> None:
    out = tenge.json("transfer", world.address(BOB), "12.50", account=ALICE)
    assert out["action"] == "transfer" and out["amount"] == "12.50" and out["gas_used"] > 0
    assert out["tx_hash"].startswith("0x") and len(out["tx_hash"]) == 66
    assert world.token(ADMIN).balance_of(world.address(BOB)) == Decimal("512.50")


@pytest.mark.parametrize(
    ("to", "amount", "message"),
    [
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79CD", "1", "wrong EIP-55 checksum"),
        ("0x1234", "1", "is not an address"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1.001", "more than 2 decimals"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "-1", "cannot be negative"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "ten", "not a number"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1" + "0" * 80, "beyond what the contract can hold"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1e3", "scientific notation"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0", "greater than zero"),
    ],
)
def test_bad_transfer_input_is_refused(tenge: Tenge, to: str, amount: str, message: str) -> None:
    tenge.refused("transfer", "--", to, amount, account=ALICE, message=message)


def test_a_negative_amount_without_the_separator_is_an_unknown_option(tenge: Tenge, world: World) -> None:
    tenge.refused("transfer", world.address(BOB), "-1", account=ALICE, message="No such option: -1")


def test_contract_rejections_are_decoded(tenge: Tenge, world: World) -> None:
    tenge.refused("transfer", world.address(STRANGER), "1", account=ALICE, code=1, message="AccountNotApproved(account=")
    tenge.refused("transfer", world.address(BOB), "1000.01", account=ALICE, code=1,
                  message="ERC20InsufficientBalance(sender=" + world.address(ALICE) + ", balance=1,000.00 KZT, needed=1,000.01 KZT)")  # fmt: skip
    tenge.refused("mint", world.address(ALICE), "1", account=ALICE, code=1,
                  message="AccessControlUnauthorizedAccount(account=" + world.address(ALICE) + ", neededRole=MINTER_ROLE)")  # fmt: skip


def test_unknown_network_and_dead_rpc(tenge: Tenge, world: World) -> None:
    result = tenge.runner.invoke(cli, ["token", "balance", "--network", "moon", "--account", "dev:0"])
    assert result.exit_code == 2 and "unknown network 'moon'" in result.stderr
    result = tenge.runner.invoke(cli, ["token", "transfer", world.address(BOB), "1", "--account", "dev:2", "--rpc-url", "http://127.0.0.1:9"])
    assert result.exit_code == 1 and "unreachable" in result.stderr


def test_issuance_commands(tenge: Tenge, world: World, tmp_path: Path) -> None:
    out = tenge.json("allowance", "set", world.address(BANK), "5000")
    assert out["allowance"] == "5000.00"
    assert tenge.json("allowance", "get", world.address(BANK))["allowance"] == "5000.00"
    tenge.json("mint", world.address(CAROL), "100", account=BANK)
    payroll = tmp_path / "lunch.csv"
    payroll.write_text(f"address,amount\n{world.address(ALICE)},10.50\n{world.address(CAROL)},20\n")
    out = tenge.json("batch-mint", str(payroll), account=BANK)
    assert out["recipients"] == 2 and out["total"] == "30.50" and len(out["transactions"]) == 1
    assert tenge.json("allowance", "get", world.address(BANK))["allowance"] == "4869.50"
    tenge.json("mint", world.address(BANK), "50", account=BANK)
    tenge.json("burn", "20", account=BANK)
    out = tenge.json("redeem", world.address(BANK), "5", "--reference", "PAY-77", account=ALICE)
    assert out["reference"] == "PAY-77"
    token = world.token(ADMIN)
    assert token.balance_of(world.address(CAROL)) == Decimal("120.00")
    assert token.balance_of(world.address(BANK)) == Decimal("30.00")
    assert token.balance_of(world.address(ALICE)) == Decimal("1005.50")


def test_bad_payout_files_are_refused(tenge: Tenge, world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{world.address(ALICE)},10\n{world.address(CAROL)},1.005\n")
    tenge.refused("payout", str(bad), account=ALICE, message="bad.csv:2: '1.005' has more than 2 decimals")
    tenge.refused("batch-mint", str(tmp_path / "none.csv"), account=BANK, message="cannot read payout file")
    good = tmp_path / "good.csv"
    good.write_text(f"{world.address(BOB)},1\n{world.address(STRANGER)},1\n")
    tenge.refused("payout", str(good), account=ALICE, code=1, message="AccountNotApproved")


def test_payout(tenge: Tenge, world: World, tmp_path: Path) -> None:
    payroll = tmp_path / "payroll.csv"
    payroll.write_text("".join(f"{world.address(i)},{i}.25\n" for i in (BOB, CAROL, MERCHANT)))
    result = tenge("payout", str(payroll), "--chunk-size", "2", "--json", account=ALICE)
    out = json.loads(result.stdout)
    assert out["recipients"] == 3 and len(out["transactions"]) == 2
    assert "payout [" in result.stderr and "2/2 mined" in result.stderr  # the chunks' progress bar, on stderr
    for tx in out["transactions"]:
        assert Decimal(tx["fee"]) > 0 and tx["fee_symbol"] == "ETH"
        assert [e["event"] for e in tx["events"]].count("Transfer") in (1, 2)
    assert world.token(ADMIN).balance_of(world.address(ALICE)) == Decimal("987.25")


def test_compliance_commands(tenge: Tenge, world: World) -> None:
    assert tenge.json("tier", "set", world.address(NEWKEY), "2")["tier"] == 2
    assert tenge.json("tier", "get", world.address(NEWKEY)) == {"address": world.address(NEWKEY), "tier": 2, "cap": "5000000.00"}
    tenge.json("tier-cap", "set", "2", "unlimited")
    assert tenge.json("tier-cap", "get", "2") == {"tier": 2, "cap": "unlimited"}
    tenge.json("tier-cap", "set", "2", "250.00")
    tenge.json("freeze", world.address(ALICE), "--amount", "100")
    tenge.json("unfreeze", world.address(ALICE), "--amount", "40")
    assert tenge.json("balance", world.address(ALICE))["frozen_amount"] == "60.00"
    tenge.json("freeze", world.address(BOB))
    assert tenge.json("balance", world.address(BOB))["wholly_frozen"] is True
    out = tenge.json("force-transfer", world.address(BOB), world.address(NEWKEY), "200", "--reference", "COURT-5/2026")
    assert out["from"] == world.address(BOB) and out["reference"] == "COURT-5/2026"
    tenge.json("wipe", world.address(BOB), "100", "--reference", "COURT-6/2026")
    tenge.json("unfreeze", world.address(BOB))
    tenge.json("tier", "set", world.address(STRANGER), "1")
    tenge.json("recover", world.address(BOB), world.address(STRANGER), "--reference", "RECOVERY-12")
    token = world.token(ADMIN)
    assert token.balance_of(world.address(NEWKEY)) == Decimal("200.00")
    assert token.balance_of(world.address(STRANGER)) == Decimal("200.00")
    assert token.tier_of(world.address(BOB)) == 0
    assert token.frozen_amount_of(world.address(ALICE)) == Decimal("60.00")


def test_bad_compliance_input_is_refused(tenge: Tenge, world: World) -> None:
    alice, bob = world.address(ALICE), world.address(BOB)
    tenge.refused("force-transfer", alice, bob, "1", "--reference", "x" * 33, message="at most 32 fit on chain")
    tenge.refused("force-transfer", alice, bob, "1", message="Missing option '--reference'")
    tenge.refused("tier", "set", alice, "256", message="not a tier")
    tenge.refused("tier-cap", "set", "1", "lots", message="not a number")
    tenge.refused("unfreeze", alice, "--amount", "1", code=1, message="UnfreezeExceedsFrozen")
    tenge.refused("wipe", alice, "1", "--reference", "c", code=1, message="InsufficientFrozenAmount")
    tenge.refused("freeze", alice, account=BOB, code=1, message="AccessControlUnauthorizedAccount")


def test_pause_and_reserve_commands(tenge: Tenge, world: World) -> None:
    tenge.json("pause")
    assert tenge.json("info")["paused"] is True
    tenge.refused("transfer", world.address(BOB), "1", account=ALICE, code=1, message="EnforcedPause")
    tenge.refused("pause", code=1, message="EnforcedPause")
    tenge.json("unpause")
    tenge.json("attest-reserve", "1600")
    out = tenge.json("reserve-gating", "on", "--max-age", "3600")
    assert out == {**out, "enabled": True, "max_attestation_age": 3600}
    tenge.json("mint", world.address(CAROL), "100", account=BANK)
    tenge.refused("mint", world.address(CAROL), "0.01", account=BANK, code=1, message="ReserveExceeded")
    tenge.json("reserve-gating", "off")
    info = tenge.json("info")
    assert (info["reserve"], info["reserve_gating"], info["max_attestation_age"]) == ("1600.00", False, 3600)
    tenge.refused("attest-reserve", "1", "--at", "yesterday", message="not a unix time")
    tenge.refused("reserve-gating", "maybe", message="'maybe' is not one of 'on', 'off'")


def test_role_commands(tenge: Tenge, world: World) -> None:
    out = tenge.json("role", "grant", "pauser", world.address(MERCHANT))
    assert out["role"] == "PAUSER_ROLE"
    assert tenge.json("role", "list", world.address(MERCHANT))["roles"] == ["PAUSER_ROLE"]
    tenge.json("pause", account=MERCHANT)
    tenge.json("role", "revoke", "PAUSER_ROLE", world.address(MERCHANT))
    assert tenge.json("role", "list", account=BANK) == {"address": world.address(BANK), "roles": ["MINTER_ROLE"]}
    tenge.refused("role", "grant", "god", world.address(MERCHANT), message="unknown role 'god'")
    tenge.refused("role", "grant", "minter", world.address(MERCHANT), account=BANK, code=1, message="AccessControlUnauthorizedAccount")


def test_offline_payment_end_to_end(tenge: Tenge, world: World) -> None:
    # Signing needs no connection: the RPC given is dead, the token comes from the deployment record.
    signed = tenge("offline", "sign", world.address(BOB), "25.50", "--valid-for", "2h",
                   "--rpc-url", "http://127.0.0.1:9", account=ALICE, rpc=False)  # fmt: skip
    text = signed.stdout.strip()
    assert text.startswith("dtenge1:") and len(text) == 278
    shown = json.loads(tenge.runner.invoke(cli, ["token", "offline", "show", text, "--json"]).stdout)
    assert (shown["from"], shown["to"], shown["amount"]) == (world.address(ALICE), world.address(BOB), "25.50")
    assert "match" in shown["verified"]
    out = tenge.json("offline", "submit", text, account=BOB)
    assert out["amount"] == "25.50" and out["gas_used"] > 0
    assert world.token(ADMIN).balance_of(world.address(BOB)) == Decimal("525.50")
    tenge.refused("offline", "submit", text, account=BOB, code=1, message="AuthorizationAlreadyUsed")


def test_offline_signing_with_explicit_domain_and_json(tenge: Tenge, world: World) -> None:
    token = world.token(ADMIN)
    out = json.loads(tenge("offline", "sign", world.address(CAROL), "1", "--chain-id", str(token.domain.chain_id),
                           "--token", token.address, "--token-name", token.name, "--json", account=ALICE, rpc=False).stdout)  # fmt: skip
    assert out["payment"].startswith("dtenge1:") and out["to"] == world.address(CAROL)
    tenge.json("offline", "submit", out["payment"], account=STRANGER)
    assert token.balance_of(world.address(CAROL)) == Decimal("1.00")


def test_tampered_or_foreign_offline_payments_are_refused(tenge: Tenge, world: World) -> None:
    text = tenge("offline", "sign", world.address(BOB), "5", account=ALICE, rpc=False).stdout.strip()
    flipped = text[:40] + ("A" if text[40] != "A" else "B") + text[41:]
    tenge.refused("offline", "submit", flipped, account=BOB, message="offline payment rejected (checksum)")
    tenge.refused("offline", "submit", "dtenge9:abc", account=BOB, message="offline payment rejected (prefix)")
    foreign = tenge("offline", "sign", world.address(BOB), "5", "--chain-id", "56", account=ALICE, rpc=False).stdout.strip()
    tenge.refused("offline", "submit", foreign, account=BOB, message="offline payment rejected (chain)")
    other = tenge("offline", "sign", world.address(BOB), "5", "--token-name", "Digital Som", account=ALICE, rpc=False).stdout.strip()
    tenge.refused("offline", "submit", other, account=BOB, message="offline payment rejected (signature)")
    tenge.refused("offline", "sign", world.address(BOB), "5", "--valid-for", "forever", account=ALICE, message="not a positive duration")
