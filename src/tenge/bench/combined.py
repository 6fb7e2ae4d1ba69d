"""Run every benchmark in turn (each on its own throw-away devnets) and write the figures side by side.

Quick sizes finish in a few minutes on a 2-core machine; :data:`FULL` are the sizes the issues' figures quote.
A benchmark that fails does not stop the others: its section says why, and the caller exits non-zero.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tenge.bench.summary import BUILDERS, SECTION_FILES, Summary, build_summary

Progress = Callable[[str], None]
SECTIONS = tuple(BUILDERS)
SUMMARY_JSON, SUMMARY_MD = "summary.json", "summary.md"


@dataclass(frozen=True)
class Sizes:
    throughput_writes: int
    relayer_transfers: int
    relayer_steady_transfers: int
    relayer_steady_rate: float
    index_payments: int
    index_per_tx: int = 1000


QUICK = Sizes(throughput_writes=50, relayer_transfers=50, relayer_steady_transfers=20, relayer_steady_rate=10.0,
              index_payments=10_000)  # fmt: skip
FULL = Sizes(throughput_writes=200, relayer_transfers=300, relayer_steady_transfers=100, relayer_steady_rate=10.0,
             index_payments=100_000)  # fmt: skip


def _measure(section: str, sizes: Sizes, progress: Progress) -> dict[str, Any]:
    if section == "gas":
        from tenge.bench.runner import run_gas_benchmark

        return run_gas_benchmark(progress=progress).to_json()
    if section == "throughput":
        from tenge.bench.throughput import run_throughput_benchmark

        return run_throughput_benchmark(writes=sizes.throughput_writes, progress=progress).to_json()
    if section == "relayer":
        from tenge.bench.relayer_bench import run_relayer_bench

        return run_relayer_bench(sizes.relayer_transfers, progress=progress, steady_rate=sizes.relayer_steady_rate,
                                 steady_count=sizes.relayer_steady_transfers).to_dict()  # fmt: skip
    from tenge.bench.index_bench import run_index_bench

    return run_index_bench(sizes.index_payments, sizes.index_per_tx, progress=progress).to_dict()


def run_all(sizes: Sizes, sections: tuple[str, ...] = SECTIONS, progress: Progress | None = None,
            ) -> tuple[dict[str, dict[str, Any] | None], dict[str, str]]:  # fmt: skip
    """Every benchmark in ``sections``: its JSON figures, or the reason it has none."""
    say = progress or (lambda _message: None)
    figures: dict[str, dict[str, Any] | None] = {}
    errors: dict[str, str] = {}
    for section in sections:
        say(f"[{section}] starting")
        try:
            figures[section] = json.loads(json.dumps(_measure(section, sizes, lambda m: say(f"[{section}] {m}"))))
        except Exception as exc:  # any failure of one benchmark is reported in its section; the others still run
            figures[section] = None
            errors[section] = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            say(f"[{section}] failed: {errors[section]}")
    return figures, errors


def environment(sizes: Sizes | None) -> dict[str, Any]:
    return {"measuredAt": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": platform.machine(),
            "python": platform.python_version(), **({"sizes": sizes.__dict__} if sizes else {})}  # fmt: skip


def write_all(out: Path, figures: dict[str, dict[str, Any] | None], summary: Summary) -> list[Path]:
    """Each benchmark's figures (``gas.json`` ...), then ``summary.json`` and ``summary.md``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for section, data in figures.items():
        if data is not None:
            path = out / SECTION_FILES[section]
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            written.append(path)
    (out / SUMMARY_JSON).write_text(json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n")
    (out / SUMMARY_MD).write_text(summary.markdown())
    return [*written, out / SUMMARY_JSON, out / SUMMARY_MD]


def load_figures(folder: Path) -> tuple[dict[str, dict[str, Any] | None], dict[str, str]]:
    """The figures a previous run wrote into ``folder`` (a missing or unreadable file: a section with its reason)."""
    figures: dict[str, dict[str, Any] | None] = {}
    errors: dict[str, str] = {}
    for section, name in SECTION_FILES.items():
        path = folder / name
        try:
            figures[section] = json.loads(path.read_text())
        except FileNotFoundError:
            figures[section], errors[section] = None, f"no {path}"
        except (OSError, json.JSONDecodeError) as exc:
            figures[section], errors[section] = None, f"{path} unreadable: {exc}"
    return figures, errors


def summarise(figures: dict[str, dict[str, Any] | None], errors: dict[str, str], sizes: Sizes | None) -> Summary:
    return build_summary(figures, errors, environment(sizes))
