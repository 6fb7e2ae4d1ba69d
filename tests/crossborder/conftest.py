"""Fixtures of the cross-border tests: the three-ledger world (tests/worlds/three_ledgers.py: tenge home, som home,
BNB side; both bridges with real validator and relayer processes), built once for the package. Each test runs
against the live world (the services keep running): tests leave it quiet (every transfer they started delivered or
refunded), and the fixture checks conservation on both bridges after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from three_ledgers import ThreeLedgers, three_ledger_world


@pytest.fixture(scope="package")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreeLedgers]:
    yield from three_ledger_world(tmp_path_factory, "three-ledgers")


@pytest.fixture
def world(ledgers: ThreeLedgers, monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreeLedgers]:
    """The shared world, with TENGE_CONFIG / TENGE_DEPLOYMENTS_DIR set (for CLI calls); after the test, every
    transfer it tracked is delivered or refunded and both bridges conserve."""
    monkeypatch.setenv("TENGE_CONFIG", str(ledgers.config))
    monkeypatch.setenv("TENGE_DEPLOYMENTS_DIR", str(ledgers.records))
    yield ledgers
    ledgers.wait_quiet()
    ledgers.assert_conserved()
