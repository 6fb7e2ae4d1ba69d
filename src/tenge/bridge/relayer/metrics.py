"""The relayer's Prometheus metrics (prometheus_client) and its structured log lines.

Metrics (prefix ``tenge_relayer_``): ``transfers{state}`` (gauge, from the store: all instances),
``queue_length{queue}`` (due, in_flight), ``delivery_latency_seconds`` (histogram: seen final at the source ->
delivery mined), ``rpc_errors_total{chain}``, ``validator_rejections_total{endpoint,reason}``,
``submissions_total{chain,action}``, ``gas_bumps_total{chain}``, ``state_changes_total{state}``.
Log: one JSON line per state change on stderr (``{"event": "state", "id": ..., "from": ..., "to": ...}``).
"""

from __future__ import annotations

import json
import logging
import sys
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.transfers = Gauge("tenge_relayer_transfers", "Transfers in the store per state", ["state"], registry=r)
        self.queue = Gauge("tenge_relayer_queue_length", "Transfers due now / transactions in flight", ["queue"], registry=r)
        self.latency = Histogram(
            "tenge_relayer_delivery_latency_seconds", "Seen final at the source -> delivery mined", registry=r,
            buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 900),
        )  # fmt: skip
        self.rpc_errors = Counter("tenge_relayer_rpc_errors_total", "RPC errors per chain", ["chain"], registry=r)
        self.rejections = Counter(
            "tenge_relayer_validator_rejections_total", "Validator answers ignored", ["endpoint", "reason"], registry=r
        )
        self.submissions = Counter("tenge_relayer_submissions_total", "Transactions sent", ["chain", "action"], registry=r)
        self.bumps = Counter("tenge_relayer_gas_bumps_total", "Stuck transactions replaced", ["chain"], registry=r)
        self.changes = Counter("tenge_relayer_state_changes_total", "State changes made", ["state"], registry=r)
        self.deferrals = Counter(
            "tenge_relayer_deferrals_total", "Deliveries the BNB-side reserve deferred (delivered again later)", ["chain"],
            registry=r,
        )

    def serve(self, host: str, port: int) -> None:
        start_http_server(port, addr=host, registry=self.registry)


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, message, and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"ts": round(time.time(), 3), "level": record.levelname.lower(), "msg": record.getMessage()}
        data.update(getattr(record, "fields", {}))
        return json.dumps(data, default=str)


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("tenge.relayer")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
