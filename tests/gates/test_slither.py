"""Static-analysis gate: slither over the suite's contracts; no High or Medium finding may stand.

How slither runs here (offline, no native solc): through crytic-compile's standard-JSON platform with the
project's solcjs shim. slither's usual folder route globs only the folder's top level and would hand solc an
empty source list for ``contracts/`` (everything sits in sub-folders), so the test writes the standard-JSON
input itself - every production source, the project's compiler settings, the OpenZeppelin remapping - and
points slither at that file with ``--compile-force-framework solc-json``. slither runs from a scratch folder
with ``--solc-working-dir`` at the checkout: started in the checkout, crytic-compile would find
``foundry.toml`` (the invariant fuzzing's) and try to drive forge instead.

Scope: every ``.sol`` under ``contracts/`` except

* ``contracts/bench/`` - benchmark peers (plain and naive OpenZeppelin tokens written only to compare gas
  against; never deployed by ``tenge deploy``), and
* ``contracts/mocks/`` - test doubles (an upgrade target for the upgrade test, a foreign ERC-20 for rescue).

Findings in OpenZeppelin (``node_modules``) are filtered out: the pinned release is audited upstream.

A finding that is a false positive is silenced where it stands, with the reason, by a
``// slither-disable-next-line <detector>`` comment in the contract (reviewed like any code change); this gate
never keeps a list of accepted findings of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from gate_summary import count

from tenge.toolchain.compiler import SETTINGS, project_sources

ROOT = Path(__file__).resolve().parents[2]

#: Folders under contracts/ that are not production code (see the module docstring for why).
OUT_OF_SCOPE = ("contracts/bench/", "contracts/mocks/")

#: Impacts that fail the gate.
BLOCKING = ("High", "Medium")

IMPACT_ORDER = ("High", "Medium", "Low", "Informational", "Optimization")


def in_scope_sources() -> list[str]:
    return [name for name in project_sources(ROOT) if not name.startswith(OUT_OF_SCOPE)]


def standard_json_input(sources: list[str]) -> dict[str, Any]:
    """Standard-JSON input for slither: sources by path (read by the shim), the project's compiler settings."""
    return {
        "language": "Solidity",
        "sources": {name: {"urls": [name]} for name in sources},
        "settings": {
            "evmVersion": SETTINGS["evmVersion"],
            "optimizer": SETTINGS["optimizer"],
            "viaIR": SETTINGS["viaIR"],
            "remappings": ["@openzeppelin/=node_modules/@openzeppelin/"],
        },
    }


def run_slither(input_file: Path) -> dict[str, Any]:
    shim = ROOT / "scripts" / "solc"
    if not (ROOT / "node_modules" / "solc").is_dir() or not shim.exists():
        pytest.fail("the solcjs compiler is not installed: run `make bootstrap` (npm ci)")
    # slither's console entry point, run by this interpreter (`python -m slither` has no __main__ guard).
    command = [
        sys.executable,
        "-c",
        "import sys; from slither.__main__ import main; sys.exit(main())",
        str(input_file),
        "--compile-force-framework",
        "solc-json",
        "--solc",
        str(shim),
        "--solc-working-dir",
        str(ROOT),
        "--filter-paths",
        "node_modules|contracts/bench/|contracts/mocks/",
        "--json",
        "-",
    ]
    proc = subprocess.run(command, cwd=input_file.parent, capture_output=True, text=True, timeout=600, check=False)
    if "No module named 'slither'" in proc.stderr:
        pytest.fail("slither-analyzer is not installed in this environment: run `make bootstrap`")
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"slither produced no JSON report (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    if not report.get("success"):
        pytest.fail(f"slither failed: {report.get('error')}\n{proc.stderr[-4000:]}")
    return report


def describe(finding: dict[str, Any]) -> str:
    first_line = finding["description"].strip().splitlines()[0]
    return f"[{finding['impact']}/{finding['confidence']}] {finding['check']}: {first_line}"


@pytest.mark.slow
def test_slither_finds_no_high_or_medium_issue(tmp_path: Path) -> None:
    sources = in_scope_sources()
    assert any(s.startswith("contracts/token/") for s in sources), "the token sources are missing from the scope"
    input_file = tmp_path / "slither-input.json"
    input_file.write_text(json.dumps(standard_json_input(sources), indent=1))

    report = run_slither(input_file)
    findings: list[dict[str, Any]] = report.get("results", {}).get("detectors", [])
    by_impact = Counter(f["impact"] for f in findings)

    print(f"\nslither over {len(sources)} sources:")
    for impact in IMPACT_ORDER:
        for finding in (f for f in findings if f["impact"] == impact):
            print("  " + describe(finding))
    summary = ", ".join(
        f"{by_impact.get(impact, 0)} {impact.lower()}" for impact in ("High", "Medium", "Low", "Informational")
    )
    count("slither", f"slither: {summary} (over {len(sources)} sources; {{n}} findings in all)", len(findings))

    blocking = [describe(f) for f in findings if f["impact"] in BLOCKING]
    assert not blocking, "slither High/Medium findings (fix them, or suppress inline with the reason):\n" + "\n".join(
        blocking
    )
