"""Writing a command's output to a file: one place that turns a path that cannot be written (a folder that
does not exist, /proc, no permission) into a one-line error and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import click


class OutputError(click.ClickException):
    """A file or folder given for output cannot be written (exit 1)."""


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "its folder does not exist"
    return exc.strerror or type(exc).__name__


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path``; :class:`OutputError` naming the path and why when it cannot be written."""
    try:
        path.write_text(text)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)} (nothing was written)") from None


def output_folder(path: Path) -> Path:
    """``path`` created as a folder (with its parents) for output; :class:`OutputError` when it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {path}: {_reason(exc)} (nothing was written)") from None
    return path
