"""`tenge bridge validator run`: one validator process (a thin layer over tenge.bridge.validator)."""

from __future__ import annotations

import click


@click.group("validator")
def validator_group() -> None:
    """Run a bridge validator: watch both bridges, sign at finality, serve the signatures over HTTP."""


@validator_group.command("run")
@click.option("--network", "-n", default=None, help="The home network (its bridge is TengeBridgeHome). [validator] network")
@click.option("--peer", "peers", multiple=True, help="A BNB-side network (repeatable). [validator] peers")
@click.option("--account", "-a", default=None, help="Keystore alias of the validator key (dev:N on local networks only).")
@click.option("--listen", default=None, help="HOST:PORT of the read-only HTTP API (default 127.0.0.1:8700).")
@click.option("--db", "database_url", default=None, help="SQLAlchemy URL of the store (default sqlite:///tenge-validator.db).")
@click.option("--poll-interval-ms", type=int, default=None, help="Pause between polls when caught up (default 500).")
@click.option("--log-range", type=int, default=None, help="Blocks per eth_getLogs request (default 500).")
@click.option("--escrow-every-blocks", type=int, default=None, help="Escrow attestation at least every N home blocks (default 100).")
@click.option("--halt-linger-seconds", type=int, default=None, help="After a halt, serve /v1/status this long, then exit 3 (default 10).")
def run_cmd(**options: object) -> None:
    """Watch TransferSent on both bridges, sign Transfer / Refund / EscrowAttestation messages at finality, store
    them (SQLite by default) and serve them read-only at /v1/... ; Prometheus metrics at /metrics.

    The keystore password comes from $TENGE_KEYSTORE_PASSWORD. Exits 3 when halted on a reorg past finality."""
    from tenge.bridge.validator.run import run
    from tenge.bridge.validator.settings import load_settings

    for name in ("poll_interval_ms", "log_range", "escrow_every_blocks"):
        value = options.get(name)
        if isinstance(value, int) and value < 1:
            raise click.BadParameter(f"must be at least 1, not {value}", param_hint="--" + name.replace("_", "-"))
    run(load_settings(**options))
