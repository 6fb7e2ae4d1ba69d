"""`tenge devnet up` reuses only the devnet it was asked for and says why it cannot start one."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenge.cli.main import cli
from tenge.toolchain.anvil import Devnet, free_port


def _up(*args: str) -> Any:
    result = CliRunner(mix_stderr=False).invoke(cli, ["devnet", "up", *args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TENGE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def tracked_port(home: Path) -> Iterator[int]:
    port = free_port()
    started = _up("--port", str(port))
    assert started.exit_code == 0, started.stderr
    yield port
    assert CliRunner().invoke(cli, ["devnet", "down", "--port", str(port)]).exit_code == 0


def test_another_chain_id_on_a_running_devnet_is_refused(tracked_port: int) -> None:
    refused = _up("--port", str(tracked_port), "--chain-id", "97")
    assert refused.exit_code == 1
    assert f"a devnet with chain id 31337 already runs on port {tracked_port}" in refused.stderr
    assert f"tenge devnet down --port {tracked_port}" in refused.stderr
    reused = _up("--port", str(tracked_port), "--chain-id", "31337")
    assert reused.exit_code == 0 and "devnet already running at" in reused.stdout and "chain id 31337" in reused.stdout


def test_a_port_held_by_another_process_is_refused_with_the_reason(home: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        refused = _up("--port", str(port))
    assert refused.exit_code == 1
    assert f"port {port} is in use by another process (Address already in use)" in refused.stderr


def test_a_port_served_by_an_untracked_node_is_refused(home: Path, devnet: Devnet) -> None:
    port = devnet.info.port
    refused = _up("--port", str(port), "--chain-id", "97")
    assert refused.exit_code == 1
    assert f"port {port} is already served by another node (chain id 31337)" in refused.stderr
