"""Fixtures shared by the deploy, upgrade and fee tests: an empty devnet of their own, a record folder, and the
bsc-testnet set-up (a keystore account and a config) for a chain-97 anvil."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tenge.chain import accounts
from tenge.toolchain.anvil import Devnet, dev_keys, start_anvil


@pytest.fixture
def chain() -> Iterator[Devnet]:
    """A devnet of its own: deploy tests start from an empty chain."""
    with start_anvil() as node:
        yield node


@pytest.fixture
def records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty deployment-record folder (``$TENGE_DEPLOYMENTS_DIR``) for the test."""
    folder = tmp_path / "deployments"
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(folder))
    return folder


@pytest.fixture
def bsc_testnet_deployer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The bsc-testnet network as a user sets it up: a keystore account ``deployer`` (password from the environment)
    and a config whose one confirmation is all an anvil mining on demand will ever give. Its account name."""
    monkeypatch.setenv("TENGE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(accounts.PASSWORD_ENV, "testnet-pw")
    config = tmp_path / "tenge.toml"
    config.write_text("[networks.bsc-testnet]\nconfirmations = 1\n")
    monkeypatch.setenv("TENGE_CONFIG", str(config))
    accounts.import_account("deployer", dev_keys(1)[0].key.to_0x_hex(), "testnet-pw")
    return "deployer"
