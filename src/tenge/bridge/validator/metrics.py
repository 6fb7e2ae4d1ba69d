"""Prometheus metrics of one validator (prometheus_client, its own registry), served at ``GET /metrics``;
and the structured log: one JSON line per state change on stderr."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "ValidatorMetrics", "log_event"]


class ValidatorMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.latest_signed_nonce = Gauge(
            "tenge_validator_latest_signed_nonce", "Highest transfer nonce signed, per source chain", ["chain"], registry=r
        )
        self.signatures = Counter(
            "tenge_validator_signatures", "Attestations signed, by kind", ["kind", "chain"], registry=r
        )
        self.finalized_block = Gauge(
            "tenge_validator_finalized_block", "Latest finalized block processed, per chain", ["chain"], registry=r
        )
        self.rpc_errors = Counter("tenge_validator_rpc_errors", "RPC calls that failed, per chain", ["chain"], registry=r)
        self.orphaned = Counter(
            "tenge_validator_orphaned_events", "Events dropped because their receipt/block changed", ["chain"], registry=r
        )
        self.gaps = Counter("tenge_validator_nonce_gaps", "Nonce gaps found (re-scans started)", ["chain"], registry=r)
        self.halted = Gauge("tenge_validator_halted", "1 when halted on a reorg past finality", ["chain"], registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def log_event(event: str, **fields: Any) -> None:
    """One structured line: ``{"ts": ..., "event": "signed", ...}``."""
    line = {"ts": round(time.time(), 3), "event": event, **fields}
    sys.stderr.write(json.dumps(line, default=str) + "\n")
    sys.stderr.flush()
