"""Bad input to `tenge bridge relayer run`: one specific line on stderr, non-zero exit, no traceback, and nothing
sent (the relayer key's nonce is unchanged on both chains)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from bridge_world import BNB, HOME
from relayer_world import RelayerWorld

from tenge.toolchain.anvil import free_port

KEY = 4


def run(rworld: RelayerWorld, *args: str, config: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TENGE_CONFIG": config or str(rworld.bridge.config), "TENGE_DEPLOYMENTS_DIR": str(rworld.bridge.records),
           "TENGE_HOME": str(rworld.tmp / "home")}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "tenge.cli", "bridge", "relayer", "run", "--once", *args],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip


def base(rworld: RelayerWorld, db: str | None = None) -> list[str]:
    args = ["-n", HOME, "-n", BNB, "-a", f"dev:{KEY}", "--db", db or f"sqlite:///{rworld.tmp / 'r.sqlite'}"]
    return args + [a for s in rworld.servers for a in ("--validator", s.url)]


@pytest.mark.parametrize(
    "case, expected",
    [
        ("db-down", r"cannot open the relayer database '127\.0\.0\.1:\d+/relayer': .*(refused|failed)"),
        ("db-scheme", "cannot use relayer database URL 'nosuch://db'"),
        ("unknown-chain", "unknown network 'mars'"),
        ("wrong-chain-id", r"serves chain id 97, but network 'bnb-local' is chain id 98"),
        ("validator-url", "validator endpoint 'ftp://127.0.0.1:1' is not an http\\(s\\) URL"),
        ("one-network", "needs at least two networks"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_sent(rworld: RelayerWorld, case: str, expected: str) -> None:
    rworld.start_validators()
    nonces = {c: rworld.bridge.nonce(KEY, c) for c in (HOME, BNB)}
    args = base(rworld)
    config = None
    if case == "db-down":
        args = base(rworld, f"postgresql://postgres@127.0.0.1:{free_port()}/relayer")
    elif case == "db-scheme":
        args = base(rworld, "nosuch://db")
    elif case == "unknown-chain":
        args[args.index(BNB)] = "mars"
    elif case == "wrong-chain-id":
        # a network pinned to chain 98 whose RPC answers chain 97
        path = rworld.tmp / "wrong.toml"
        path.write_text(rworld.bridge.config.read_text().replace(f"[networks.{BNB}]\n", f"[networks.{BNB}]\nchain_id = 98\n", 1))
        config = str(path)
    elif case == "validator-url":
        args += ["--validator", "ftp://127.0.0.1:1"]
    elif case == "one-network":
        args = args[:2] + args[4:]
    result = run(rworld, *args, config=config)
    assert result.returncode != 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(expected, lines[0]), lines[0]
    assert {c: rworld.bridge.nonce(KEY, c) for c in (HOME, BNB)} == nonces, "something was sent"
