"""The README stands alone and matches the code (issue #19: docs that no longer matched)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tenge.cli.main import cli
from tenge.docs.targets import TARGETS, checkout_root

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_the_readme_stands_alone_and_is_current() -> None:
    assert "../shared" not in README, "a user's clone has no ../shared: the README must stand alone"
    assert "(next) a bridge" not in README
    assert "on 8545" not in README.split("## Layout")[0], "make demo picks a free port"


def test_the_layout_table_names_every_source_and_contract_folder() -> None:
    table = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    folders = [f"contracts/{p.name}/" for p in sorted((ROOT / "contracts").iterdir()) if p.is_dir()]
    folders += [f"src/tenge/{p.name}/" for p in sorted((ROOT / "src/tenge").iterdir())
                if p.is_dir() and not p.name.startswith("_") and p.name not in ("defaults", "docs", "bench")]
    missing = [f for f in folders if f"`{f}" not in table]
    assert not missing, f"the README's Layout table lacks {missing}"


def repeated_phrases(text: str, words: int = 6) -> list[str]:
    """Runs of ``words`` words written twice in one paragraph of prose (code blocks left out)."""
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    prose = "\n".join(line for line in prose.splitlines() if not line.lstrip().startswith("|"))  # tables repeat cells
    found = []
    for paragraph in re.split(r"\n\s*\n|\n\s*[-*] |\n\s*\d+\. ", prose):  # paragraphs and list items
        tokens = paragraph.split()
        grams = [" ".join(tokens[i:i + words]) for i in range(len(tokens) - words + 1)]
        found += sorted({g for g in grams if grams.count(g) > 1})
    return found


def test_no_phrase_is_written_twice_in_a_paragraph() -> None:
    assert not repeated_phrases(README), repeated_phrases(README)[:3]
    assert repeated_phrases("a b c d e f. a b c d e f.") != []


def test_the_school_lunch_example_defines_its_category() -> None:
    section = README.split("## Purpose-bound programmes and rewards", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code and re.search(r"^SCHOOL_MEALS = \d+", code.group(1), re.M), "SCHOOL_MEALS must be defined in the example"


def test_run_examples_do_not_depend_on_todays_date() -> None:
    from tests.docs.readme_blocks import blocks

    for block in blocks(ROOT / "README.md"):
        if block.kind == "sh" and block.not_run is None:
            dated = [line for line in block.code.splitlines() if re.search(r"vat report[^#]*--(from|to) \d{4}-", line)]
            assert not dated, f"README.md:{block.line}: a report of fixed dates is empty when run later: {dated}"


def test_rewards_sign_claim_says_what_period_is() -> None:
    result = CliRunner().invoke(cli, ["rewards", "sign-claim", "--help"])
    assert result.exit_code == 0 and "PERIOD is the attester's own whole number" in " ".join(result.output.split())


def test_python_m_tenge_docs_help_shows_help_and_writes_nothing() -> None:
    targets = [checkout_root() / t for t in TARGETS]
    before = {str(p): p.stat().st_mtime_ns for p in targets}
    done = subprocess.run([sys.executable, "-m", "tenge.docs", "--help"], capture_output=True, text=True, timeout=60,
                          env={**os.environ})  # fmt: skip
    assert done.returncode == 0 and "usage: python -m tenge.docs" in done.stdout and "--check" in done.stdout
    assert "wrote " not in done.stdout
    assert {str(p): p.stat().st_mtime_ns for p in targets} == before


def test_the_node_version_claim_is_honest() -> None:
    import json

    engines = json.loads((ROOT / "node_modules/@requestnetwork/smart-contracts/package.json").read_text()).get("engines", {})
    if engines.get("node", "").startswith(">=22"):
        assert "Node 20 (or newer)" in README and '"node": ">=22.0.0"' in README
