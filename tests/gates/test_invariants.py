"""Invariant-fuzzing gate: forge runs the handler-based invariant suites of ``tests/invariants/``.

Every ``*.t.sol`` there is one contract's suite (a handler that drives it with bounded random inputs and a model
of what it must do, and ``invariant_*`` functions over the state it leaves). forge reads ``foundry.toml`` (solcjs
shim, offline, the project's compiler settings; ``runs`` x ``depth`` calls per invariant). This test runs them
all, reads forge's JSON report, prints calls per invariant, and requires zero violations and at least
``MIN_CALLS`` random calls in total. Adding a contract to the gate means adding its handler and its
``<Name>Invariants.t.sol`` - nothing here changes.

A failing sequence is shrunk by forge and saved under ``.build/forge/invariant-failures`` (replayed first on the
next run); the assertion message carries forge's reason and the shrunk call sequence.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gate_summary import count

from tenge.toolchain.compiler import SETTINGS, SOLC_VERSION

ROOT = Path(__file__).resolve().parents[2]
SUITES_DIR = ROOT / "tests" / "invariants"
FORGE = ROOT / "node_modules" / ".bin" / "forge"

#: The issue's floor for one CI run.
MIN_CALLS = 100_000


@dataclass(frozen=True)
class InvariantResult:
    suite: str
    name: str
    ok: bool
    runs: int
    calls: int
    reason: str | None
    counterexample: Any


def forge_env() -> dict[str, str]:
    """The caller's environment without FOUNDRY_* overrides: foundry.toml alone decides runs, depth and seeds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOUNDRY_", "DAPP_"))}
    env["NO_COLOR"] = "1"
    return env


def fuzz_seed() -> str:
    """The fixed fuzz seed of foundry.toml: every run draws the same sequences, so a failure replays exactly."""
    seed = tomllib.loads((ROOT / "foundry.toml").read_text())["profile"]["default"]["fuzz"].get("seed")
    if not seed:
        pytest.fail("foundry.toml sets no [profile.default.fuzz] seed: a failing run could not be replayed")
    return str(seed)


def run_forge(seed: str) -> dict[str, Any]:
    if not FORGE.exists() or not (ROOT / "node_modules" / "solc").is_dir():
        pytest.fail("forge/solcjs are not installed (node_modules): run `make bootstrap` (npm ci)")
    proc = subprocess.run(
        [str(FORGE), "test", "--offline", "--json", "--fuzz-seed", seed],
        cwd=ROOT,
        env=forge_env(),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    # The report is the one JSON object on stdout (compiler chatter, if any, goes before it).
    start = proc.stdout.find("{")
    try:
        report: dict[str, Any] = json.loads(proc.stdout[start:]) if start >= 0 else {}
    except json.JSONDecodeError:
        report = {}
    if not report:
        pytest.fail(
            f"forge produced no test report (exit {proc.returncode}):\n{proc.stderr[-4000:]}\n{proc.stdout[-2000:]}"
        )
    return report


def invariant_results(report: dict[str, Any]) -> tuple[list[InvariantResult], list[str]]:
    """Invariant results, and the names of any other (non-invariant) tests that failed."""
    results: list[InvariantResult] = []
    other_failures: list[str] = []
    for suite, body in report.items():
        for name, test in body.get("test_results", {}).items():
            ok = test.get("status") == "Success"
            kind = test.get("kind") or {}
            if "Invariant" in kind:
                inv = kind["Invariant"]
                results.append(
                    InvariantResult(
                        suite.split(":")[-1],
                        name,
                        ok,
                        int(inv.get("runs", 0)),
                        int(inv.get("calls", 0)),
                        test.get("reason"),
                        test.get("counterexample"),
                    )
                )
            elif not ok:
                other_failures.append(f"{suite}::{name}: {test.get('reason')}")
    return results, other_failures


def test_forge_compiles_like_the_project() -> None:
    """foundry.toml mirrors the pinned compiler settings: the fuzzed bytecode is the deployed bytecode."""
    profile = tomllib.loads((ROOT / "foundry.toml").read_text())["profile"]["default"]
    assert profile["solc"] == "scripts/solc" and profile["offline"] is True
    assert profile["evm_version"] == SETTINGS["evmVersion"]
    assert profile["optimizer"] == SETTINGS["optimizer"]["enabled"]
    assert profile["optimizer_runs"] == SETTINGS["optimizer"]["runs"]
    assert profile["via_ir"] == SETTINGS["viaIR"]
    shim_version = subprocess.run(
        [str(ROOT / "scripts" / "solc"), "--version"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert f"Version: {SOLC_VERSION}" in shim_version


@pytest.mark.slow
def test_invariant_fuzzing_finds_no_violation() -> None:
    suite_files = sorted(p.name for p in SUITES_DIR.glob("*.t.sol"))
    assert suite_files, f"no invariant suites under {SUITES_DIR}"

    seed = fuzz_seed()
    started = time.monotonic()
    report = run_forge(seed)
    elapsed = time.monotonic() - started
    results, other_failures = invariant_results(report)

    calls = sum(r.calls for r in results)
    violations = [r for r in results if not r.ok]
    print(f"\nforge invariant fuzzing ({elapsed:.0f} s, seed {seed}):")
    for r in results:
        print(f"  {'ok  ' if r.ok else 'FAIL'} {r.suite}.{r.name}: {r.runs} runs, {r.calls} calls")
    count(
        "invariants",
        f"invariant fuzzing: {{n}} calls, {len(violations)} violations across {len(results)} invariants"
        f" ({len(report)} suites, {elapsed:.0f} s, fuzz seed {seed}: replay with `forge test --fuzz-seed {seed}`)",
        calls,
    )

    # Every suite file ran and contributed invariants (a suite that fails to set up reports no invariant).
    suites_run = {key.split(":")[0].rsplit("/", 1)[-1] for key in report}
    missing = [f for f in suite_files if f not in suites_run]
    assert not missing, f"invariant suites that did not run: {missing}"
    assert not other_failures, "non-invariant tests failed (e.g. a suite's setUp):\n" + "\n".join(other_failures)
    assert not violations, f"invariant violations (fuzz seed {seed}):\n" + "\n\n".join(
        f"{r.suite}.{r.name}: {r.reason}\n{json.dumps(r.counterexample, indent=1)[:4000]}" for r in violations
    )
    assert calls >= MIN_CALLS, f"only {calls} invariant calls ran; the gate needs at least {MIN_CALLS}"
