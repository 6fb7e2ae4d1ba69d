"""Counted nouns as people write them: ``1 allocation``, ``2 allocations``."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` and the noun in the right number (``plural`` defaults to ``singular + "s"``)."""
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"
