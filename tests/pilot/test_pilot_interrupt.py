"""Ctrl-C in the middle of the pilot: SIGINT once its chains and services run and it is playing the scenario;
it stops everything it started - no process and no port on 127.0.0.1 left behind - and exits without a
traceback."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pilot_checks import alive, listening

#: A pilot started and interrupted (its chains, deploys and services first): `make test` starts it early (tests/conftest.py).
pytestmark = pytest.mark.slow


def test_sigint_mid_run_leaves_no_process_and_no_port(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tenge.pilot", str(tmp_path / "report")], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
    )  # fmt: skip
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip())
        if line.startswith("[2] "):  # chains deployed, validators and relayer started; the scenario under way
            break
    assert lines and lines[-1].startswith("[2] "), "\n".join(lines)
    text = "\n".join(lines)
    pids = {int(p) for p in re.findall(r"\bpid (\d+)", text)}
    ports = {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", text)}
    assert len(pids) == 8 and len(ports) == 8, text  # two anvils, five validators, the relayer
    assert all(alive(pid) for pid in pids)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=120)
    assert process.returncode == 130, rest
    assert "Traceback" not in rest and "interrupted" in rest, rest
    assert [pid for pid in pids if alive(pid)] == []
    assert [port for port in ports if listening(port)] == []
    assert not (tmp_path / "report").exists()
