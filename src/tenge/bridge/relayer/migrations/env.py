"""Alembic environment: the relayer store opens a connection and hands it over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# its own version table: the relayer may share a database with the index or a validator
context.configure(connection=connection, target_metadata=None, version_table="relayer_alembic_version")
with context.begin_transaction():
    context.run_migrations()
