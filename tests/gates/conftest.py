"""Safety gates: each gate reports what it checked through ``gate_summary.count(...)`` and this hook
prints one line per gate that ran at the end of the run (slither findings, invariant calls, matrix rows)."""

from __future__ import annotations

import pytest
from gate_summary import summary_lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    lines = summary_lines()
    if lines:
        terminalreporter.write_sep("=", "safety gates")
        for line in lines:
            terminalreporter.write_line(line)
