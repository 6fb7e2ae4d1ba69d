"""The pilot plays on the default configuration: its school-meals VAT category is the shipped one, not the pilot's."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tenge.deploy.suite_config import load_suite_config
from tenge.pilot.world import BNB, HOME, SCHOOL_MEALS, config_text


def test_school_meals_is_a_category_of_the_default_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "tenge.toml"
    empty.write_text("")
    monkeypatch.setenv("TENGE_CONFIG", str(empty))
    for network in ("local", "bsc-testnet"):
        categories = {c.category: c for c in load_suite_config(network).vat.categories}
        assert categories[SCHOOL_MEALS].label == "school meals"
        assert categories[SCHOOL_MEALS].schedule == categories[1].schedule  # the standard rate, 16% since 2026


def test_the_pilot_configuration_does_not_define_its_own_categories() -> None:
    pilot = tomllib.loads(config_text("http://127.0.0.1:1", "http://127.0.0.1:2"))
    assert "vat" not in pilot["suite"]
    for network in (HOME, BNB):
        assert "vat" not in pilot["suite"].get("network", {}).get(network, {})
