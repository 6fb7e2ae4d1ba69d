"""The configuration file is checked against a schema; every error names the file and the key; no file can
relax key safety on a public network."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from tenge.chain.accounts import RAW_KEY_ENV
from tenge.chain.networks import get_network
from tenge.chain.signers import locate_signer
from tenge.cli.main import cli
from tenge.config import configured_timezone, load_config
from tenge.deploy.suite_config import load_suite_config
from tenge.errors import ConfigError

PAYEE = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder as the working directory; no config from the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TENGE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TENGE_CONFIG", raising=False)
    monkeypatch.delenv(RAW_KEY_ENV, raising=False)
    return tmp_path


def _cli_error(*argv: str) -> str:
    result = CliRunner(mix_stderr=False).invoke(cli, list(argv))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_project_file_cannot_make_a_public_network_local(project: Path) -> None:
    """`local = true` used to switch the dev-key and raw-key guard off for bsc-testnet."""
    (project / "tenge.toml").write_text("[networks.bsc-testnet]\nlocal = true\n")
    with pytest.raises(ConfigError, match=r"^tenge\.toml: networks\.bsc-testnet\.local: a configuration file cannot "
                                          r"make the public network bsc-testnet local"):  # fmt: skip
        locate_signer(get_network("bsc-testnet"), "dev:0")
    stderr = _cli_error("token", "transfer", "--network", "bsc-testnet", "--account", "dev:0", PAYEE, "1.00")
    assert "tenge.toml: networks.bsc-testnet.local" in stderr


def test_a_new_network_on_a_public_chain_id_cannot_be_local(project: Path) -> None:
    (project / "tenge.toml").write_text('[networks.my-bsc]\nrpc_url = "http://127.0.0.1:9"\nchain_id = 56\nlocal = true\n')
    with pytest.raises(ConfigError, match=r"networks\.my-bsc\.local: .* public network my-bsc \(chain id 56, bsc\)"):
        get_network("my-bsc")
    (project / "tenge.toml").write_text('[networks.lab]\nrpc_url = "http://127.0.0.1:9"\nchain_id = 1337\nlocal = true\n')
    assert get_network("lab").local and get_network("lab").chain_id == 1337


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[networks.bsc-testnet]\nchain_id = "97"\n',
         r"^tenge\.toml: networks\.bsc-testnet\.chain_id: Input should be a valid integer \(got '97'\)$"),
        ("[networks.bsc]\nconfirmations = 0\n", r"^tenge\.toml: networks\.bsc\.confirmations: Input should be greater than or equal to 1"),
        ('[networks.bsc]\nfee_model = "eip-1559"\n', r"^tenge\.toml: networks\.bsc\.fee_model: Input should be 'legacy' or 'eip1559'"),
        ('[networks.bsc]\nrpc = "http://x"\n', r"^tenge\.toml: networks\.bsc\.rpc: unknown key$"),
        ('[suite.token]\nbusiness_tier = "3"\n', r"^tenge\.toml: suite\.token\.business_tier: Input should be a valid integer"),
        ("[suite.token.tier_caps]\n1 = 1.5\n", r"^tenge\.toml: suite\.token\.tier_caps\.1: Input should be a valid string or a valid integer \(got 1\.5\)"),
        ('[suite.vat.categories.1]\nschedule = [[1200, "soon"]]\n', r"^tenge\.toml: suite\.vat\.categories\.1\.schedule\.0\.1: Input should be a valid integer"),
        ('[suite]\ncurency = {code = "KGS"}\n', r"^tenge\.toml: suite\.curency: unknown key$"),
        ("[networks.bsc-testnet\nchain_id = 97\n", r"^tenge\.toml is not valid TOML: Expected '\]' .*line 1"),
        ('[display]\ntimezone = "Almaty"\n', r"^tenge\.toml: display\.timezone: Value error, unknown time zone 'Almaty'"),
        ("[display]\ntimezone = 5\n", r"^tenge\.toml: display\.timezone: Input should be a valid string \(got 5\)$"),
        ('[display]\ntz = "UTC"\n', r"^tenge\.toml: display\.tz: unknown key$"),
    ],
    ids=["string chain id", "zero confirmations", "unknown fee model", "unknown network key", "string tier",
         "float cap", "string timestamp", "misspelt suite table", "malformed TOML", "unknown time zone",
         "numeric time zone", "misspelt display key"],
)  # fmt: skip
def test_configuration_errors_name_the_file_and_the_key(project: Path, text: str, message: str) -> None:
    (project / "tenge.toml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config()
    stderr = _cli_error("token", "info", "--network", "bsc-testnet")
    assert stderr.startswith("Error: tenge.toml")


def test_the_user_config_file_and_tenge_config_are_checked_too(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = project / "home" / "config.toml"
    user.parent.mkdir()
    user.write_text("[networks.opbnb]\nlocal = true\n")
    with pytest.raises(ConfigError, match=rf"^{user}: networks\.opbnb\.local"):
        get_network("opbnb")
    monkeypatch.setenv("TENGE_CONFIG", str(project / "missing.toml"))
    with pytest.raises(ConfigError, match=r"\$TENGE_CONFIG names .*missing\.toml, which is not a file"):
        get_network("opbnb")


def test_a_valid_suite_override_still_applies(project: Path) -> None:
    (project / "tenge.toml").write_text('[suite.currency]\nname = "Digital Som"\nsymbol = "DKGS"\ncode = "KGS"\n'
                                        '[suite.token.tier_caps]\n1 = 1000\n')  # fmt: skip
    config = load_suite_config("local")
    assert (config.name, config.currency, config.tier_caps_tiyn[1]) == ("Digital Som", "KGS", 100_000)


def test_the_display_time_zone_is_configured_or_plus_five(project: Path) -> None:
    # One rule for every date the CLI reads and prints: the configured zone, by default +05:00 (Kazakhstan's time).
    assert configured_timezone() == timezone(timedelta(hours=5))
    (project / "tenge.toml").write_text('[display]\ntimezone = "Asia/Almaty"\n')
    zone = configured_timezone()
    assert zone == ZoneInfo("Asia/Almaty") and datetime(2026, 11, 30, tzinfo=zone).utcoffset() == timedelta(hours=5)
