"""Typing gate: ``mypy --strict`` over ``src/tenge`` must report no error.

mypy runs from this interpreter (``sys.executable -m mypy``, the pinned dev dependency) in the checkout, so it
reads ``[tool.mypy]`` of pyproject.toml: strict mode, ``files = ["src/tenge"]``, Python 3.11, and the per-module
overrides for third-party packages (each listed there by name with its reason; never a global
``ignore_missing_imports``). Its incremental cache sits in ``.mypy_cache/`` (gitignored): the first run on a fresh
checkout analyses web3 and friends (~45 s on the shared machine), later runs take a few seconds.

The gate also checks that the configuration it relies on is still there (strict, the package as the file set) and
that mypy really checked every module of the package, so weakening the config cannot turn it green silently.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from gate_summary import count

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "tenge"

SUCCESS = re.compile(r"^Success: no issues found in (\d+) source files?$", re.MULTILINE)
FAILURE = re.compile(r"^Found (\d+) errors? in \d+ files? \(checked (\d+) source files?\)$", re.MULTILINE)


def mypy_config() -> dict[str, object]:
    config: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    return config


def test_mypy_config_is_strict_over_the_package() -> None:
    config = mypy_config()
    assert config.get("strict") is True, "[tool.mypy] must keep strict = true"
    assert config.get("files") == ["src/tenge"], "[tool.mypy] files must be the whole package, src/tenge"
    assert "ignore_missing_imports" not in config, (
        "ignore_missing_imports must never be global: list the untyped module under [[tool.mypy.overrides]]"
    )


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    output = (proc.stdout + proc.stderr).strip()
    if "No module named mypy" in proc.stderr:
        pytest.fail("mypy is not installed in this environment: run `make bootstrap`")

    modules = sum(1 for _ in PACKAGE.rglob("*.py"))
    success = SUCCESS.search(proc.stdout)
    failure = FAILURE.search(proc.stdout)
    errors = int(failure.group(1)) if failure else 0
    if success:
        checked = int(success.group(1))
    elif failure:
        checked = int(failure.group(2))
    else:
        checked = 0
    count("mypy", f"mypy --strict: {errors} errors over {{n}} source files of src/tenge", checked)

    assert proc.returncode == 0 and success, f"mypy --strict found errors (exit {proc.returncode}):\n{output}"
    assert checked == modules, f"mypy checked {checked} source files but src/tenge has {modules}:\n{output}"
