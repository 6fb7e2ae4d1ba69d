"""Named networks, overrides, chain id checks and an unreachable RPC."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tenge.chain.connection import connect
from tenge.chain.networks import get_network, networks
from tenge.cli.main import cli
from tenge.errors import ChainIdMismatch, RpcUnreachable, UnknownNetwork
from tenge.toolchain.anvil import Devnet, free_port


def test_builtin_networks_and_chain_ids() -> None:
    known = networks()
    assert {n: known[n].chain_id for n in ("bsc-testnet", "bsc", "opbnb-testnet", "opbnb")} == {
        "bsc-testnet": 97,
        "bsc": 56,
        "opbnb-testnet": 5611,
        "opbnb": 204,
    }
    assert known["bsc-testnet"].fee_model == "legacy" and known["bsc"].fee_model == "legacy"
    assert known["opbnb"].fee_model == "eip1559"
    assert known["local"].local and known["tester"].local and not known["bsc"].local


def test_unknown_network_is_refused() -> None:
    with pytest.raises(UnknownNetwork, match="unknown network 'bsc-mainnet'"):
        get_network("bsc-mainnet")


def test_env_var_overrides_rpc_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENGE_RPC_BSC_TESTNET", "http://127.0.0.1:1")
    assert get_network("bsc-testnet").rpc_url == "http://127.0.0.1:1"


def test_config_file_overrides_and_adds_networks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "tenge.toml"
    config.write_text(
        '[networks.bsc]\nrpc_url = "http://example.invalid"\nconfirmations = 9\n'
        '[networks.home]\nrpc_url = "http://127.0.0.1:9"\nchain_id = 7777\n'
    )
    monkeypatch.setenv("TENGE_CONFIG", str(config))
    assert get_network("bsc").rpc_url == "http://example.invalid"
    assert get_network("bsc").confirmations == 9 and get_network("bsc").chain_id == 56
    assert get_network("home").chain_id == 7777


def test_chain_id_mismatch_is_refused(devnet: Devnet) -> None:
    with pytest.raises(ChainIdMismatch, match="serves chain id 31337.*'bsc-testnet' is chain id 97"):
        connect(get_network("bsc-testnet"), rpc_url=devnet.rpc_url)


def test_unreachable_rpc_fails_fast_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(RpcUnreachable, match=url):
        connect(get_network("local"), rpc_url=url)
    assert time.monotonic() - started < 15, "an unreachable RPC must fail within seconds, never hang"


def test_cli_unknown_network_exits_non_zero() -> None:
    result = CliRunner().invoke(cli, ["deploy", "--network", "moon"])
    assert result.exit_code == 2
    assert "unknown network 'moon'" in result.output


def test_tester_network_runs_in_process() -> None:
    w3 = connect(get_network("tester"))
    assert w3.eth.get_balance("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") > 0
