"""Keystores: scrypt-encrypted, mode 600, wrong password refused, raw keys only on local networks."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tenge.chain import accounts
from tenge.chain.networks import get_network
from tenge.cli.main import cli
from tenge.errors import KeystoreError, RawKeyRefused, WrongPassword

# anvil's public dev key 1; never a real key.
DEV_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
DEV_ADDRESS_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TENGE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(accounts.PASSWORD_ENV, raising=False)
    monkeypatch.delenv(accounts.RAW_KEY_ENV, raising=False)
    return tmp_path / "home"


def test_import_writes_scrypt_keystore_with_mode_600() -> None:
    entry = accounts.import_account("ops", DEV_KEY_1, "correct horse")
    assert entry.address == DEV_ADDRESS_1
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600
    assert json.loads(entry.path.read_text())["crypto"]["kdf"] == "scrypt"
    assert DEV_KEY_1[2:] not in entry.path.read_text()
    assert accounts.load_keystore("ops", "correct horse").address == DEV_ADDRESS_1


def test_wrong_password_is_refused() -> None:
    accounts.import_account("ops", DEV_KEY_1, "correct horse")
    with pytest.raises(WrongPassword, match="wrong password for account 'ops'"):
        accounts.load_keystore("ops", "battery staple")


def test_keystore_readable_by_others_is_refused() -> None:
    entry = accounts.import_account("ops", DEV_KEY_1, "pw")
    entry.path.chmod(0o644)
    with pytest.raises(KeystoreError, match="readable by others"):
        accounts.load_keystore("ops", "pw")


def test_raw_keys_and_dev_keys_only_on_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(accounts.RAW_KEY_ENV, DEV_KEY_1)
    assert accounts.resolve_signer(get_network("local"), None).address == DEV_ADDRESS_1
    with pytest.raises(RawKeyRefused, match="only on local networks"):
        accounts.resolve_signer(get_network("bsc-testnet"), None)
    monkeypatch.delenv(accounts.RAW_KEY_ENV)
    with pytest.raises(RawKeyRefused, match="dev keys are local-only"):
        accounts.resolve_signer(get_network("bsc"), "dev:0")


def test_cli_new_import_list_never_print_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.setenv(accounts.PASSWORD_ENV, "pw")
    monkeypatch.setenv("TENGE_IMPORT_KEY", DEV_KEY_1)
    imported = runner.invoke(cli, ["accounts", "import", "bank"])
    created = runner.invoke(cli, ["accounts", "new", "fresh", "--json"])
    listed = runner.invoke(cli, ["accounts", "list", "--json"])
    assert imported.exit_code == created.exit_code == listed.exit_code == 0, imported.output + created.output
    aliases = {e["alias"]: e["address"] for e in json.loads(listed.output)}
    assert aliases["bank"] == DEV_ADDRESS_1 and "fresh" in aliases
    for output in (imported.output, created.output, listed.output):
        assert DEV_KEY_1[2:] not in output.lower()
        assert "private" not in output.lower()
    duplicate = runner.invoke(cli, ["accounts", "import", "bank"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output


def test_cli_wrong_password_exits_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    accounts.import_account("ops", DEV_KEY_1, "right")
    monkeypatch.setenv(accounts.PASSWORD_ENV, "wrong")
    # An offline signature unlocks the key with no connection (a deploy would reach the network first:
    # keys are unlocked only when something is signed).
    token = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    argv = ["token", "offline", "sign", "--network", "bsc-testnet", "--account", "ops", "--chain-id", "97",
            "--token", token, "--token-name", "Digital Tenge", DEV_ADDRESS_1, "1.00"]  # fmt: skip
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code != 0
    assert "wrong password for account 'ops'" in result.output


def test_cli_delete_asks_first_and_refuses_an_unknown_alias() -> None:
    entry = accounts.import_account("ops", DEV_KEY_1, "pw")
    runner = CliRunner(mix_stderr=False)
    declined = runner.invoke(cli, ["accounts", "delete", "ops"], input="n\n")
    assert declined.exit_code == 1 and f"Delete account ops ({DEV_ADDRESS_1})?" in declined.stdout
    assert entry.path.exists(), "a declined delete removed the keystore"
    confirmed = runner.invoke(cli, ["accounts", "delete", "ops"], input="y\n")
    assert confirmed.exit_code == 0 and not entry.path.exists(), confirmed.stderr
    accounts.import_account("ops", DEV_KEY_1, "pw")
    assert runner.invoke(cli, ["accounts", "delete", "ops", "--yes"]).exit_code == 0 and not entry.path.exists()
    unknown = runner.invoke(cli, ["accounts", "delete", "ghost"])
    assert unknown.exit_code == 1 and "no account 'ghost'" in unknown.stderr and "Delete" not in unknown.stdout


def test_cli_change_password_re_encrypts_and_keeps_mode_600() -> None:
    entry = accounts.import_account("ops", DEV_KEY_1, "old-pw")
    runner = CliRunner(mix_stderr=False)
    wrong = runner.invoke(cli, ["accounts", "change-password", "ops"], input="not-it\n")
    assert wrong.exit_code == 1 and "wrong password for account 'ops'" in wrong.stderr
    assert "New password" not in wrong.stdout
    assert accounts.load_keystore("ops", "old-pw").address == DEV_ADDRESS_1
    changed = runner.invoke(cli, ["accounts", "change-password", "ops"], input="old-pw\nnew-pw\nnew-pw\n")
    assert changed.exit_code == 0, changed.stderr
    assert accounts.load_keystore("ops", "new-pw").address == DEV_ADDRESS_1
    with pytest.raises(WrongPassword):
        accounts.load_keystore("ops", "old-pw")
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600
    assert json.loads(entry.path.read_text())["crypto"]["kdf"] == "scrypt"
    assert DEV_KEY_1[2:] not in changed.stdout + changed.stderr
    assert list(entry.path.parent.iterdir()) == [entry.path], "a temporary file was left next to the keystore"
    env = {accounts.PASSWORD_ENV: "new-pw", "TENGE_NEW_KEYSTORE_PASSWORD": "newer-pw"}
    assert runner.invoke(cli, ["accounts", "change-password", "ops"], env=env).exit_code == 0
    assert accounts.load_keystore("ops", "newer-pw").address == DEV_ADDRESS_1
