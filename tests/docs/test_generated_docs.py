"""The generated files (docs/cli.md, docs/api.md, src/tenge/contract_errors.py) match the code that generates them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tenge.docs.targets import REGENERATE, TARGETS, checkout_root, stale_targets

ROOT = checkout_root()


@pytest.mark.parametrize("relative", list(TARGETS))
def test_committed_file_is_what_the_generator_produces(relative: str) -> None:
    path = ROOT / relative
    assert path.exists(), f"{relative} is missing: run `{REGENERATE}`"
    assert path.read_text() == TARGETS[relative](), f"{relative} is stale: run `{REGENERATE}` and commit it"


def test_generation_is_deterministic_across_processes() -> None:
    """A fresh interpreter (another hash seed, another terminal width) produces the same bytes."""
    code = "from tenge.docs.targets import stale_targets; print(stale_targets())"
    env = {"PYTHONHASHSEED": "12345", "COLUMNS": "37", "PATH": "/usr/bin:/bin", "TENGE_HOME": str(ROOT / "nonexistent")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_check_reports_a_stale_file(tmp_path: Path) -> None:
    """The staleness check really compares: an edited copy is reported, a missing one too, the rest not."""
    for relative in TARGETS:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text((ROOT / relative).read_text())
    assert stale_targets(tmp_path) == []
    cli_md = tmp_path / "docs" / "cli.md"
    cli_md.write_text(cli_md.read_text().replace("tenge accounts new", "tenge acounts new"))
    (tmp_path / "docs" / "api.md").unlink()
    assert stale_targets(tmp_path) == ["docs/cli.md", "docs/api.md"]


def test_check_command_exits_0_on_the_checkout() -> None:
    done = subprocess.run([sys.executable, "-m", "tenge.docs", "--check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_docs_are_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for relative in ("docs/cli.md", "docs/api.md", "docs/deploy-bsc-testnet.md"):
        assert f"({relative})" in readme, f"README.md does not link {relative}"
