"""The code blocks of a Markdown file, as the README examples test runs them.

Convention: every ```python and every ```sh / ```bash / ```console block is run, in the order of the file, unless
the line right before its opening fence is ``<!-- not-run: <reason> -->`` (a reason is required). Python blocks
share one namespace per section (``##`` heading) and run in order; each shell block runs as one ``bash -e``
script. Other blocks (``toml``, diagrams) are not code to run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RUN_LANGUAGES = {"python": "python", "sh": "sh", "bash": "sh", "console": "sh", "shell": "sh"}
NOT_RUN = re.compile(r"^<!--\s*not-run:\s*(.*?)\s*-->$")
FENCE = re.compile(r"^```(\S*)\s*$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: where it is, its language, its code and why it is not run (if it is not)."""

    line: int
    language: str
    section: str
    code: str
    not_run: str | None

    @property
    def kind(self) -> str | None:
        """``python``, ``sh`` or None for a block that is not code to run."""
        return RUN_LANGUAGES.get(self.language)

    @property
    def id(self) -> str:
        words = re.sub(r"[^A-Za-z0-9]+", "-", self.section).strip("-").lower()[:40]
        return f"L{self.line}-{self.language}-{words}"


def blocks(path: Path) -> list[Block]:
    """Every fenced block of ``path`` in order (unterminated fences are an error)."""
    lines = path.read_text().splitlines()
    found: list[Block] = []
    section = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            section = line[3:].strip()
        fence = FENCE.match(line)
        if fence:
            start = index
            index += 1
            body = []
            while index < len(lines) and lines[index].rstrip() != "```":
                body.append(lines[index])
                index += 1
            if index == len(lines):
                raise ValueError(f"{path.name}:{start + 1}: code block never closed")
            previous = next((lines[i].strip() for i in range(start - 1, -1, -1) if lines[i].strip()), "")
            marker = NOT_RUN.match(previous)
            reason = marker.group(1) if marker else None
            found.append(Block(start + 1, fence.group(1), section, "\n".join(body) + "\n", reason))
        index += 1
    return found


def markers(path: Path) -> list[tuple[int, str]]:
    """Every ``not-run`` marker with its line: each must sit right before a runnable block."""
    lines = path.read_text().splitlines()
    return [(n + 1, line) for n, line in enumerate(lines) if line.strip().startswith("<!--") and "not-run" in line]
