"""tenge installed from a real wheel (pip wheel + a fresh virtualenv, offline): no checkout, no node_modules.

Deployment records go to ./deployments of the working directory, never into the virtualenv; commands that
need the checkout or anvil refuse in one line and say what a pip user installs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tenge import paths
from tenge.toolchain.anvil import ANVIL_NPM_PACKAGE, free_port, start_anvil

CHECKOUT = paths.PACKAGE_DIR.parent.parent


@dataclass
class WheelInstall:
    venv: Path
    workdir: Path
    home: Path

    def tenge(self, *argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TENGE_")}
        env.update(TENGE_HOME=str(self.home), PATH=f"{self.venv / 'bin'}:/usr/bin:/bin")
        return subprocess.run(
            [str(self.venv / "bin" / "tenge"), *argv], cwd=cwd or self.workdir, env=env,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip


@pytest.fixture(scope="module")
def wheel_install(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WheelInstall]:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a copy, so the build leaves nothing behind in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(CHECKOUT / name, source / name)
    shutil.copytree(CHECKOUT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp / "dist"), str(source)], check=True, timeout=300)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    wheel = next((tmp / "dist").glob("digital_tenge-*.whl"))
    install = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "-q", "install"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True, timeout=300)
    # The dependencies (web3, click, ...) come from the test environment; its editable tenge does not,
    # because .pth files of a folder added this way are not processed.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    workdir, home = tmp / "work", tmp / "home"
    workdir.mkdir()
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import tenge; print(tenge.__file__)"],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert where.startswith(str(site)), f"tenge imported from {where}, not from the wheel"
    yield WheelInstall(venv, workdir, home)


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_compile_needs_a_checkout_and_says_so(wheel_install: WheelInstall) -> None:
    error = _one_line_error(wheel_install.tenge("compile"))
    assert "needs the project checkout" in error and "ships only the compiled contracts" in error


def test_devnet_up_and_demo_tell_a_pip_user_which_npm_package_carries_anvil(wheel_install: WheelInstall) -> None:
    for argv in (["devnet", "up", "--port", str(free_port())], ["demo"]):
        error = _one_line_error(wheel_install.tenge(*argv))
        assert f"npm install --ignore-scripts {ANVIL_NPM_PACKAGE}" in error, error
        assert "make bootstrap" not in error


def test_anvil_in_the_working_folder_runs_the_devnet(wheel_install: WheelInstall, tmp_path: Path) -> None:
    """What the message tells a pip user to do: node_modules/.bin/anvil in the folder they work in."""
    bin_dir = tmp_path / "node_modules" / ".bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "anvil").symlink_to(CHECKOUT / "node_modules" / ".bin" / "anvil")
    port = str(free_port())
    started = wheel_install.tenge("devnet", "up", "--port", port, "--json", cwd=tmp_path)
    try:
        assert started.returncode == 0, started.stderr
        assert json.loads(started.stdout)["rpc_url"] == f"http://127.0.0.1:{port}"
    finally:
        assert wheel_install.tenge("devnet", "down", "--port", port, cwd=tmp_path).returncode == 0


def test_deployment_records_go_to_the_working_directory_not_the_virtualenv(wheel_install: WheelInstall) -> None:
    with start_anvil() as devnet:
        local = ["--network", "local", "--rpc-url", devnet.rpc_url, "--account", "dev:0"]
        deployed = wheel_install.tenge("deploy", *local, "--json")
        assert deployed.returncode == 0, deployed.stderr
        record = wheel_install.workdir / "deployments" / "local.json"
        assert json.loads(deployed.stdout)["record"] == str(record)
        assert json.loads(record.read_text())["chainId"] == devnet.chain_id
        assert not list(wheel_install.venv.rglob("deployments")), "a record was written inside the virtualenv"
        info = wheel_install.tenge("token", "info", *local[:4], "--json")
        assert info.returncode == 0 and json.loads(info.stdout)["symbol"] == "DKZT", info.stderr
