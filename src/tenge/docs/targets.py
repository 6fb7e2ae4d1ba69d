"""The generated files of the checkout and how each is produced (one place for the command and the tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tenge import paths

REGENERATE = "python -m tenge.docs"


def checkout_root() -> Path:
    """The project checkout (generation reads the Solidity sources and writes docs/)."""
    return paths.PACKAGE_DIR.parent.parent


def _cli() -> str:
    from tenge.docs.cli_reference import render

    return render()


def _api() -> str:
    from tenge.docs.api_reference import render

    return render()


def _errors() -> str:
    from tenge.docs.errors_module import render

    return render(checkout_root())


#: path relative to the checkout -> its generator. The error classes come first: the API page documents them.
TARGETS: dict[str, Callable[[], str]] = {
    "src/tenge/contract_errors.py": _errors,
    "docs/cli.md": _cli,
    "docs/api.md": _api,
}


def stale_targets(root: Path | None = None) -> list[str]:
    """The generated files (under ``root``, default the checkout) whose text differs from what the generators
    produce now."""
    root = root or checkout_root()
    stale = []
    for relative, produce in TARGETS.items():
        path = root / relative
        if not path.exists() or path.read_text() != produce():
            stale.append(relative)
    return stale


def write_targets() -> list[str]:
    """Regenerate every file (the error classes first, so the API page sees the new ones)."""
    root = checkout_root()
    written = []
    for relative, produce in TARGETS.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(produce())
        written.append(relative)
    return written
