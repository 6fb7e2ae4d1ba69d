"""`[relayer]` in tenge.toml: schema-checked (unknown keys refused, types strict), command-line options win."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenge.bridge.relayer.settings import load_settings
from tenge.errors import ConfigError

TABLE = '[relayer]\nnetworks = ["a", "b"]\nvalidators = ["http://127.0.0.1:1"]\naccount = "r1"\nstuck_after = 5\n'


def test_relayer_table_is_read_and_options_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tenge.toml").write_text(TABLE)
    monkeypatch.setenv("TENGE_CONFIG", str(tmp_path / "tenge.toml"))
    settings = load_settings(account="r2", database="sqlite:///x.db")
    assert (settings.networks, settings.account, settings.stuck_after, settings.database) == (["a", "b"], "r2", 5.0, "sqlite:///x.db")


@pytest.mark.parametrize(
    "extra, message",
    [
        ("bogus = 1\n", r"relayer\.bogus: unknown key"),
        ('lease_seconds = "30"\n', r"relayer\.lease_seconds: Input should be a valid integer"),
        ("gas_bump_percent = 5\n", r"relayer\.gas_bump_percent: Input should be greater than or equal to 10"),
    ],
)
def test_a_bad_relayer_table_is_refused_naming_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, message: str) -> None:
    (tmp_path / "tenge.toml").write_text(TABLE + extra)
    monkeypatch.setenv("TENGE_CONFIG", str(tmp_path / "tenge.toml"))
    with pytest.raises(ConfigError, match=message):
        load_settings()
