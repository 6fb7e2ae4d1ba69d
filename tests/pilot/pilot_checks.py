"""Shared by the pilot tests: one run's outputs (:class:`PilotRun`), is a process alive, is a port on 127.0.0.1 still taken."""

from __future__ import annotations

import re
import socket
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as gone: it holds no port and does no work)."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return False
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return "Z" not in state.split()[1]


def listening(port: int) -> bool:
    """True when something accepts connections on 127.0.0.1:``port``."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0




@dataclass
class PilotRun:
    report: dict[str, Any]
    json_path: Path
    html_path: Path
    lines: list[str]

    @property
    def pids(self) -> set[int]:
        return {int(p) for line in self.lines for p in re.findall(r"\bpid (\d+)", line)}

    @property
    def ports(self) -> set[int]:
        return {int(p) for line in self.lines for p in re.findall(r"127\.0\.0\.1:(\d+)", line)}
