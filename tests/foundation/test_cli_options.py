"""Options mean something where they are offered (issue 19): a command that sends nothing offers no gas, fee,
timeout, confirmation or duplicate option; `--json` is accepted everywhere, `tenge devnet down` included."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tenge.cli.main import cli
from tenge.toolchain.anvil import free_port

WRITE_ONLY = ("--gas-price", "--max-fee", "--priority-fee", "--timeout", "--confirmations", "--again", "--replace")


@pytest.mark.parametrize("command", [
    ["programme", "status"], ["rewards", "sign-claim"], ["rewards", "status"], ["token", "balance"],
    ["token", "info"], ["vat", "quote"], ["vat", "escrow"], ["vat", "rate", "show"], ["vat", "report"],
    ["vat", "merchant", "list"], ["bridge", "status"],
])  # fmt: skip
def test_read_only_commands_offer_no_sending_options(command: list[str]) -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.stderr
    offered = [option for option in WRITE_ONLY if option in result.stdout]
    assert offered == [], f"{' '.join(command)} sends nothing but offers {offered}"
    assert "--account" in result.stdout and "--rpc-url" in result.stdout


def test_writes_offer_again_and_replace() -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["token", "mint", "--help"])
    assert "--again" in result.stdout and "--replace" in result.stdout


def test_devnet_down_accepts_json() -> None:
    port = free_port()
    result = CliRunner(mix_stderr=False).invoke(cli, ["devnet", "down", "--port", str(port), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"stopped": False, "port": port}
