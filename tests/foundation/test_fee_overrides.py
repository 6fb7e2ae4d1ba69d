"""--gas-price / --max-fee / --priority-fee on write commands: gwei as Decimal, legacy on BSC, EIP-1559 elsewhere,
meaningless combinations refused before anything is signed (or a connection is opened)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from web3 import Web3

from tenge.chain.fees import FeeOverrides
from tenge.chain.networks import get_network
from tenge.cli.main import cli
from tenge.errors import InvalidInput
from tenge.toolchain.anvil import free_port, start_anvil

GWEI = 10**9


def run(*argv: str) -> Result:
    return CliRunner(mix_stderr=False).invoke(cli, list(argv))


def _deploy_txs(url: str, record_file: Path) -> list[dict]:  # type: ignore[type-arg]
    w3 = Web3(Web3.HTTPProvider(url))
    record = json.loads(record_file.read_text())
    hashes = [e["txHash"] for e in record["contracts"].values()] + [c["txHash"] for c in record["calls"].values()]
    return [dict(w3.eth.get_transaction(h)) for h in hashes]


def test_eip1559_fees_set_by_hand_are_the_fees_sent(records: Path) -> None:
    with start_anvil() as node:
        result = run("deploy", "--network", "local", "--rpc-url", node.rpc_url, "--account", "dev:0",
                     "--max-fee", "7", "--priority-fee", "1.5")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        sent = _deploy_txs(node.rpc_url, records / "local.json")
        assert len(sent) > 10
        assert {(tx["type"], tx["maxFeePerGas"], tx["maxPriorityFeePerGas"]) for tx in sent} == {(2, 7 * GWEI, 1500 * 10**6)}


def test_a_legacy_gas_price_set_by_hand_on_bsc(bsc_testnet_deployer: str, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with start_anvil(chain_id=97) as bsc:
        monkeypatch.setenv("TENGE_RPC_BSC_TESTNET", bsc.rpc_url)
        dry = run("deploy", "--network", "bsc-testnet", "--account", "deployer", "--gas-price", "3.25", "--dry-run", "--json")
        assert dry.exit_code == 0, dry.stderr
        priced = json.loads(dry.stdout)
        assert priced["gas_price_wei"] == 3_250_000_000, "the dry run prices the deploy at the fee set by hand"
        assert Decimal(priced["cost"]) == Decimal(priced["gas"] * 3_250_000_000) / 10**18
        result = run("deploy", "--network", "bsc-testnet", "--account", "deployer", "--gas-price", "3.25")
        assert result.exit_code == 0, result.stderr
        sent = _deploy_txs(bsc.rpc_url, records / "bsc-testnet.json")
        assert {(tx["type"], tx["gasPrice"]) for tx in sent} == {(0, 3_250_000_000)}


@pytest.mark.parametrize(
    ("network", "options", "message"),
    [
        ("bsc-testnet", ["--max-fee", "5"], "bsc-testnet takes legacy transactions (one gasPrice): --max-fee and "
                                            "--priority-fee mean nothing there; use --gas-price"),
        ("bsc", ["--priority-fee", "1"], "bsc takes legacy transactions (one gasPrice)"),
        ("local", ["--gas-price", "5"], "local takes EIP-1559 transactions: --gas-price means nothing there; use "
                                        "--max-fee (the most paid per gas) and/or --priority-fee (the tip)"),
        ("opbnb", ["--gas-price", "5"], "opbnb takes EIP-1559 transactions"),
        ("local", ["--max-fee", "2", "--priority-fee", "3"], "--priority-fee 3 gwei exceeds --max-fee 2 gwei"),
    ],
)
def test_meaningless_fee_options_are_refused_before_connecting(
    network: str, options: list[str], message: str, records: Path
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: the refusal must come before any connection
    result = run("deploy", "--network", network, "--rpc-url", closed, "--account", "dev:0", *options)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
    assert not records.exists()


@pytest.mark.parametrize("value", ["-1", "0.0000000001", "abc", "NaN"])
def test_a_fee_that_is_not_gwei_is_refused(value: str) -> None:
    result = run("deploy", "--network", "local", "--gas-price", value)
    assert result.exit_code == 2
    assert "Invalid value for '--gas-price'" in result.stderr and "gwei" in result.stderr


def test_fee_overrides_follow_the_fee_model() -> None:
    FeeOverrides(gas_price=5 * GWEI).check(get_network("bsc"))
    FeeOverrides(max_fee=5 * GWEI, priority_fee=5 * GWEI).check(get_network("opbnb"))
    with pytest.raises(InvalidInput, match="legacy"):
        FeeOverrides(max_fee=5 * GWEI).check(get_network("bsc"))
    with pytest.raises(InvalidInput, match="EIP-1559"):
        FeeOverrides(gas_price=5 * GWEI).check(get_network("opbnb-testnet"))
    assert FeeOverrides(max_fee=int(Decimal("2.5") * GWEI)).describe() == "--max-fee 2.5 gwei"
    assert not FeeOverrides()


def test_every_write_command_takes_the_fee_options() -> None:
    import click

    from tenge.cli.main import COMMANDS

    writes = []

    def walk(command: click.Command, path: str) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")
            return
        flags = {opt for p in command.params for opt in p.opts}
        if "--timeout" in flags and "--account" in flags:  # a command that signs and waits
            writes.append(path)
            assert {"--gas-price", "--max-fee", "--priority-fee"} <= flags, path

    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        walk(command, name)
    assert {"deploy", "token transfer"} <= set(writes) and len(writes) > 40
