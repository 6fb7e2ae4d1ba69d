"""One pilot run for the whole folder (it takes minutes): the report's JSON and HTML, its progress lines, and the
processes and ports it announced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilot_checks import PilotRun

from tenge.pilot.run import run_pilot


@pytest.fixture(scope="package")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PilotRun]:
    folder = tmp_path_factory.mktemp("pilot")
    lines: list[str] = []
    result = run_pilot(folder / "report", lines.append, work_dir=folder / "work")
    yield PilotRun(result.report, result.json_path, result.html_path, lines)
