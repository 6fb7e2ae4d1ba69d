"""The README's examples run exactly as written: every ```python block and every shell block, in order.

One devnet and one deploy (the session's ``suite``): the shell blocks run through ``bash -e`` with the ``tenge`` of
this checkout on PATH, ``TENGE_RPC_LOCAL`` pointing at the devnet, ``TENGE_DEPLOYMENTS_DIR`` at its record and
``TENGE_HOME`` in a temporary folder; the Python blocks run in one namespace per section with the same
environment. Within a ``##`` section the blocks share the chain's state in README order; each section starts from
the freshly deployed suite (an anvil snapshot), so its examples carry their own setup (roles, KYC tiers,
allowances) and cannot lean on another section's state. ``print(EXPR)  # VALUE`` comments are checked. A block not run carries ``<!-- not-run: reason -->`` (see
``readme_blocks``); such exceptions are few and listed here by count.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from tests.conftest import Suite
from tests.docs.cli_syntax import invocations, problems
from tests.docs.readme_blocks import Block, blocks, markers

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCKS = [b for b in blocks(README) if b.kind]
RUN = [b for b in BLOCKS if b.not_run is None]
#: The not-run exceptions allowed: raise this only with a reason in the README next to the block.
MAX_NOT_RUN = 14


def test_every_not_run_marker_has_a_reason_and_precedes_a_runnable_block() -> None:
    marked = {b.line for b in BLOCKS if b.not_run is not None}
    assert len(marked) <= MAX_NOT_RUN, f"{len(marked)} README blocks are not run; keep the exceptions few"
    for block in BLOCKS:
        if block.not_run is not None:
            assert len(block.not_run) >= 10, f"README.md:{block.line}: a not-run block needs a reason"
    assert len(markers(README)) == len(marked), "a not-run marker that is not right before a python/shell block"
    assert len(RUN) >= 4 and any(b.kind == "python" for b in RUN) and any(b.kind == "sh" for b in RUN)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.kind == "sh"], ids=lambda b: b.id)
def test_every_tenge_command_line_parses(block: Block) -> None:
    """Run or not, each `tenge …` line names real commands and options and gives the required ones."""
    from tenge.cli.main import cli

    lines = invocations(block.code)
    wrong = [f"tenge {' '.join(args)}: {p}" for args in lines for p in problems(cli, args)]
    assert not wrong, f"README.md:{block.line}: " + "; ".join(wrong)


def test_the_syntax_check_finds_wrong_command_lines() -> None:
    from tenge.cli.main import cli

    code = "tenge token redeem 0xBank 1000 CANTEEN-1   # the reference is -r\ntenge tokn mint 0xA 1 ; tenge vat pay 1 2 X --fast\n"
    lines = invocations(code)
    assert lines == [["token", "redeem", "0xBank", "1000", "CANTEEN-1"], ["tokn", "mint", "0xA", "1"], ["vat", "pay", "1", "2", "X", "--fast"]]
    assert [problems(cli, args) for args in lines] == [
        ["`tenge token redeem` needs --reference"], ["`tenge` has no command 'tokn'"], ["`tenge vat pay` has no option --fast"]]


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.kind == "python"], ids=lambda b: b.id)
def test_every_python_block_compiles(block: Block) -> None:
    """Run or not, each Python example is valid Python."""
    compile("\n" * block.line + block.code, str(README), "exec")


@pytest.fixture(scope="module")
def environment(suite: Suite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The variables the examples run with; the chain is rolled back to the fresh deploy afterwards."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "home").mkdir()
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "TENGE_HOME": str(folder / "home"),
        "TENGE_RPC_LOCAL": suite.rpc_url,
        "TENGE_DEPLOYMENTS_DIR": str(suite.record_dir),
        "TENGE_TX_TIMEOUT": "60",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        for name in ("TENGE_CONFIG", "TENGE_PRIVATE_KEY", "TENGE_KEYSTORE_PASSWORD", "TENGE_RPC_URL"):
            patch.delenv(name, raising=False)  # a developer's own settings must not change what the examples do
        patch.chdir(folder)
        yield {**os.environ}
    _fresh_chain(suite, None)


NAMESPACES: dict[str, dict[str, Any]] = {}
PRINTED = re.compile(r"^print\((?P<expr>.*)\)\s+#\s*(?P<shown>.+?)\s*$")


def documented_results(code: str, namespace: dict[str, Any]) -> list[str]:
    """``print(EXPR)  # VALUE`` lines whose comment is a Python value: EXPR must equal VALUE (else the mismatch)."""
    wrong = []
    for line in code.splitlines():
        match = PRINTED.match(line)
        if not match:
            continue
        try:
            ast.parse(match["shown"], mode="eval")
            expected = eval(match["shown"], dict(namespace))  # noqa: S307 - the README's own example text
        except Exception:  # noqa: BLE001 - a comment in words ("every receipt is in") is not a value to check
            continue
        actual = eval(match["expr"], namespace)  # noqa: S307
        if actual != expected:
            wrong.append(f"{line.strip()!r} shows {actual!r}")
    return wrong


def test_documented_results_are_compared() -> None:
    from decimal import Decimal

    namespace = {"Decimal": Decimal, "x": Decimal("1500.00")}
    assert documented_results("print(x)   # Decimal('1500.00')\nprint(x)  # in words\n", namespace) == []
    assert documented_results("print(x)   # Decimal('1499.00')\n", namespace) == [
        "\"print(x)   # Decimal('1499.00')\" shows Decimal('1500.00')"]
_SNAPSHOT: dict[str, str] = {}


def _fresh_chain(suite: Suite, section: str | None) -> None:
    """Back to the freshly deployed suite when a new section starts (and at the end: ``section`` None)."""
    if _SNAPSHOT.get("section") == section:
        return
    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    if "id" in _SNAPSHOT:
        assert w3.provider.make_request("evm_revert", [_SNAPSHOT.pop("id")])["result"]  # type: ignore[arg-type]
    _SNAPSHOT.clear()
    latest = int(w3.eth.get_block("latest")["timestamp"])
    if latest < time.time() - 5:  # the shared devnet's clock lags after other tests' reverts; the README's
        w3.provider.make_request("evm_setTime", [int(time.time())])  # type: ignore[arg-type]  # offline windows
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]  # assume the real clock
    if section is not None:
        _SNAPSHOT.update(section=section, id=w3.provider.make_request("evm_snapshot", [])["result"])  # type: ignore[arg-type]


@pytest.mark.parametrize("block", RUN, ids=lambda b: b.id)
def test_readme_example_runs_as_written(block: Block, environment: dict[str, str], suite: Suite) -> None:
    where = f"README.md:{block.line}"
    _fresh_chain(suite, block.section)
    if block.kind == "python":
        namespace = NAMESPACES.setdefault(block.section, {"__name__": "readme_example"})
        exec(compile("\n" * block.line + block.code, str(README), "exec"), namespace)
        wrong = documented_results(block.code, namespace)
        assert not wrong, f"{where}: the documented result is not what the example gives: {wrong}"
        return
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block.code], env=environment, cwd=os.getcwd(),
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, f"{where} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, f"{where} printed a traceback:\n{done.stderr}"
