"""`tenge --help` answers without importing web3, eth-account or eth-tester (they cost seconds of start-up).

Checked through ``sys.modules`` in a fresh interpreter, not by timing (timings belong to `tenge bench`).
"""

from __future__ import annotations

import json
import subprocess
import sys

import click

from tenge.cli.main import COMMANDS, SUMMARIES, cli

HEAVY = ("web3", "eth_tester", "eth_account", "eth_abi", "eth", "pydantic", "requests", "aiohttp")

PROBE = """
import json, sys
from tenge.cli.main import cli
try:
    cli({argv!r}, prog_name="tenge")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})))
"""


def _heavy_modules_after(argv: list[str]) -> list[str]:
    code = PROBE.format(argv=argv, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.strip().splitlines()
    loaded: list[str] = json.loads(lines[-1])
    return loaded


def test_help_imports_no_web3_module() -> None:
    assert _heavy_modules_after(["--help"]) == []


def test_version_imports_no_web3_module() -> None:
    assert _heavy_modules_after(["--version"]) == []


def test_a_command_group_s_help_imports_no_web3_module() -> None:
    """Issue 19: `tenge token --help` and `tenge vat pay --help` took 0.56-0.71 s (the progress module imported
    the transaction lifecycle, and with it web3, for a type annotation)."""
    assert _heavy_modules_after(["token", "--help"]) == []
    assert _heavy_modules_after(["vat", "pay", "--help"]) == []


def test_the_probe_sees_web3_when_a_command_needs_it() -> None:
    # The probe itself can fail: a command that talks to a chain does load web3 (here: to find the RPC closed).
    assert "web3" in _heavy_modules_after(["tx", "status", "0x" + "ab" * 32, "--rpc-url", "http://127.0.0.1:1"])


def test_help_lists_every_command_with_its_own_summary() -> None:
    ctx = click.Context(cli)
    assert sorted(SUMMARIES) == sorted(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        assert SUMMARIES[name] == command.get_short_help_str(1000), name


def test_connection_module_does_not_import_the_in_process_chain() -> None:
    code = "import sys, tenge.chain.connection; print('eth_tester' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "False"
