"""Fixtures shared by the deploy, upgrade and fee tests: an empty devnet of their own and a record folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tenge.toolchain.anvil import Devnet, start_anvil


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
