"""What the pilot records while it plays: steps (with their gas and time), refusals, chain samples (supply and
attested reserve), payments, programme spends per day, bridge transfers with their latency. Plain data: the
JSON report is :meth:`PilotRecord.to_dict`, and the summary and the HTML page are built from that dict only."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Say = Callable[[str], None]


def money(value: Decimal) -> str:
    """An amount as the report writes it: a decimal string with two places."""
    return f"{value.quantize(Decimal('0.01'))}"


@dataclass
class StepRecord:
    number: int
    title: str
    lines: list[str] = field(default_factory=list)
    gas: int = 0
    seconds: float = 0.0


@dataclass
class PilotRecord:
    say: Say
    started: float = field(default_factory=time.monotonic)
    steps: list[StepRecord] = field(default_factory=list)
    refusals: list[dict[str, str]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    spends: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    services: list[dict[str, Any]] = field(default_factory=list)
    deployments: dict[str, Any] = field(default_factory=dict)
    _step_started: float = 0.0

    # --- steps ----------------------------------------------------------------------------------------------

    def step(self, title: str) -> None:
        """Start step N (the previous one ends)."""
        self._close_step()
        self.steps.append(StepRecord(len(self.steps) + 1, title))
        self._step_started = time.monotonic()
        self.say(f"[{len(self.steps)}] {title}")

    def _close_step(self) -> None:
        if self.steps:
            self.steps[-1].seconds = round(time.monotonic() - self._step_started, 2)

    def did(self, line: str, gas: int = 0) -> None:
        """One thing done in the current step (its gas counted in the step's)."""
        step = self.steps[-1]
        step.lines.append(line)
        step.gas += gas
        self.say(f"    {line}" + (f"  (gas {gas:,})" if gas else ""))

    def refused(self, what: str, error: BaseException) -> None:
        """A refusal the scenario expects: what was tried and the readable reason given."""
        name = getattr(error, "error_name", None) or type(error).__name__
        reason = str(error).splitlines()[0] if str(error) else name
        self.refusals.append({"step": str(len(self.steps)), "what": what, "error": name, "reason": reason})
        self.did(f"refused as expected - {what}: {name}: {reason}")

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def sample(self, label: str, figures: dict[str, Decimal]) -> None:
        self.samples.append({"t": self.elapsed(), "label": label, **{k: money(v) for k, v in figures.items()}})

    # --- the report -----------------------------------------------------------------------------------------

    def finish(self) -> None:
        self._close_step()
        self.facts["wallSeconds"] = self.elapsed()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": "Digital tenge pilot - two chains, real services",
            "wallSeconds": self.facts.get("wallSeconds", self.elapsed()),
            "steps": [s.__dict__ for s in self.steps],
            "gasTotal": sum(s.gas for s in self.steps),
            "refusals": self.refusals,
            "samples": self.samples,
            "spends": self.spends,
            "transfers": self.transfers,
            "services": self.services,
            "deployments": self.deployments,
            **{k: v for k, v in self.facts.items() if k != "wallSeconds"},
        }
