"""The README's two-devnet bridge walkthrough, run as written: its `tenge.toml` and its shell block, on two free
ports instead of 8545/8546 (the only change), with the `tenge` of this checkout on PATH."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.docs.readme_blocks import blocks

from tenge.toolchain.anvil import free_port

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
HEADING = "### Two devnets, step by step"


def _walkthrough() -> tuple[str, str]:
    text = README.read_text()
    assert HEADING in text, "the README lost its two-devnet walkthrough"
    start = text[: text.index(HEADING)].count("\n") + 1
    end = start + text[text.index(HEADING):].split("\n**", 1)[0].count("\n")
    found = [b for b in blocks(README) if start <= b.line <= end]
    toml = next(b.code for b in found if b.kind == "toml" or "[suite.bridge]" in b.code)
    shell = next(b.code for b in found if "tenge devnet up" in b.code)
    return toml, shell


def test_the_two_devnet_walkthrough_runs_as_written(tmp_path: Path) -> None:
    toml, shell = _walkthrough()
    home_port, bnb_port = free_port(), free_port()
    while bnb_port == home_port:
        bnb_port = free_port()
    ports = {"8545": str(home_port), "8546": str(bnb_port)}
    swap = lambda text: re.sub(r"\b(8545|8546)\b", lambda m: ports[m.group(1)], text)  # noqa: E731
    (tmp_path / "tenge.toml").write_text(swap(toml))
    (tmp_path / "home").mkdir()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "TENGE_HOME": str(tmp_path / "home"), "TENGE_DEPLOYMENTS_DIR": str(tmp_path / "deployments")}  # fmt: skip
    for key in ("TENGE_CONFIG", "TENGE_RPC_LOCAL", "TENGE_INDEX_URL"):
        env.pop(key, None)
    try:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", swap(shell)], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=600)  # fmt: skip
    finally:
        for port in ports.values():  # the block stops its devnets; a failed run must not leave them running
            subprocess.run([sys.executable, "-m", "tenge.cli", "devnet", "down", "--port", port], env=env,
                           capture_output=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "25.00" in done.stdout, done.stdout[-2000:]
    assert re.search(r"\bdelivered\b", done.stdout), done.stdout[-2000:]
