"""docs/deploy-bsc-testnet.md as a newcomer follows it, against a local chain-97 stand-in for BSC testnet.

The shell blocks that can run without the real testnet run as written, in order (``accounts new`` with the
password from ``$TENGE_KEYSTORE_PASSWORD``, ``deploy --dry-run`` against the stand-in through
``TENGE_RPC_BSC_TESTNET``); the faucet is played by ``anvil_setBalance`` once the key exists. The rest carry a
``not-run`` reason, and every ``tenge`` line of the walkthrough is checked against the click commands.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from tenge.toolchain.anvil import Devnet, start_anvil
from tests.docs.cli_syntax import invocations, problems
from tests.docs.readme_blocks import Block, blocks, markers

ROOT = Path(__file__).resolve().parents[2]
WALKTHROUGH = ROOT / "docs" / "deploy-bsc-testnet.md"
BLOCKS = [b for b in blocks(WALKTHROUGH) if b.kind]
def test_the_walkthrough_runs_the_offline_steps_and_says_why_the_others_do_not() -> None:
    run = [b.code for b in BLOCKS if b.not_run is None]
    assert any("tenge accounts new" in code for code in run) and any("--dry-run" in code for code in run)
    assert all(len(b.not_run) >= 10 for b in BLOCKS if b.not_run is not None)
    assert len(markers(WALKTHROUGH)) == sum(b.not_run is not None for b in BLOCKS)
    text = WALKTHROUGH.read_text()
    for step in ("tenge accounts new", "faucet", "--dry-run", "tenge deploy --network bsc-testnet --account deployer\n",
                 "tenge verify --network bsc-testnet", "tenge verify --check --network bsc-testnet",
                 "tenge deployments export --network bsc-testnet --format hardhat"):  # fmt: skip
        assert step in text, f"the walkthrough lost the step {step!r}"


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.kind == "sh"], ids=lambda b: b.id)
def test_every_tenge_line_parses(block: Block) -> None:
    from tenge.cli.main import cli

    lines = list(invocations(block.code))
    wrong = [f"tenge {' '.join(args)}: {p}" for args in lines for p in problems(cli, args)]
    assert not wrong, f"{WALKTHROUGH.name}:{block.line}: " + "; ".join(wrong)


@pytest.fixture
def stand_in() -> Iterator[Devnet]:
    with start_anvil(chain_id=97) as node:
        yield node


def test_walkthrough_offline_steps_run_as_written(stand_in: Devnet, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "TENGE_HOME": str(home), "TENGE_KEYSTORE_PASSWORD": "walkthrough-password",
           "TENGE_RPC_BSC_TESTNET": stand_in.rpc_url, "TENGE_DEPLOYMENTS_DIR": str(tmp_path / "deployments")}  # fmt: skip
    for name in ("TENGE_CONFIG", "TENGE_PRIVATE_KEY"):
        env.pop(name, None)
    w3 = Web3(Web3.HTTPProvider(stand_in.rpc_url))
    funded: str | None = None
    outputs = []
    for block in (b for b in BLOCKS if b.not_run is None):
        assert block.kind == "sh", f"{WALKTHROUGH.name}:{block.line}: only shell blocks here"
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", block.code], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)  # fmt: skip
        where = f"{WALKTHROUGH.name}:{block.line}"
        assert done.returncode == 0, f"{where} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{where} printed a traceback:\n{done.stderr}"
        outputs.append(done.stdout)
        keystore = home / "keystores" / "deployer.json"
        if funded is None and keystore.exists():
            # Step 2, the faucet: 1 tBNB to the new key.
            funded = Web3.to_checksum_address("0x" + json.loads(keystore.read_text())["address"])
            w3.provider.make_request("anvil_setBalance", [funded, hex(10**18)])  # type: ignore[arg-type]
    assert funded is not None, "the walkthrough created no keystore named deployer"
    assert funded in outputs[0], "`tenge accounts list` did not show the address to fund"
    assert w3.eth.get_transaction_count(funded) == 0, "the dry run sent a transaction"
    assert "tBNB" in outputs[-1], "the dry run did not price the deploy in tBNB"
