"""Figures the gates print at the end of a run: each gate counts what it checked, and the terminal
summary hook of tests/conftest.py prints one line per gate (only for gates that ran).

    count("access", "access-control matrix: {n} rows × 14 callers checked")

Under pytest-xdist the gates count on the workers: each hands :func:`export_counts` to the controller, which
adds them up with :func:`merge_counts` before printing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

_counts: Counter[str] = Counter()
_templates: dict[str, str] = {}


def count(key: str, template: str, n: int = 1) -> None:
    """Add ``n`` to the figure ``key``; its summary line is ``template`` with ``{n}`` filled in."""
    _counts[key] += n
    _templates[key] = template


def summary_lines() -> list[str]:
    return [_templates[key].format(n=_counts[key]) for key in _templates]


def export_counts() -> dict[str, Any]:
    """This process's figures, in a form that crosses to the xdist controller (plain dicts)."""
    return {"counts": dict(_counts), "templates": dict(_templates)}


def merge_counts(exported: dict[str, Any]) -> None:
    """Add a worker's :func:`export_counts` to this process's figures."""
    for key, n in exported["counts"].items():
        count(key, exported["templates"][key], n)
