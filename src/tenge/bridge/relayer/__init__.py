"""The bridge relayer: discovers transfers, gathers validators' signatures over HTTP, delivers, refunds.

Modules: ``settings`` (``[relayer]`` in tenge.toml + CLI), ``store`` (SQLAlchemy + alembic: per-transfer state,
leases, transactions), ``gatherer`` (validators' HTTP API, every signature verified locally), ``submitter``
(pipelined sends per key, gas escalation), ``lanes`` (one source -> destination direction), ``run`` (the loop),
``metrics`` (prometheus_client).
"""
