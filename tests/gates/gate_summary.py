"""Figures the gates print at the end of a run: each gate counts what it checked, and the terminal
summary hook of tests/gates/conftest.py prints one line per gate (only for gates that ran).

    count("access", "access-control matrix: {n} rows × 14 callers checked")
"""

from __future__ import annotations

from collections import Counter

_counts: Counter[str] = Counter()
_templates: dict[str, str] = {}


def count(key: str, template: str, n: int = 1) -> None:
    """Add ``n`` to the figure ``key``; its summary line is ``template`` with ``{n}`` filled in."""
    _counts[key] += n
    _templates[key] = template


def summary_lines() -> list[str]:
    return [_templates[key].format(n=_counts[key]) for key in _templates]
