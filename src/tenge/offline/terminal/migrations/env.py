"""Alembic environment of the terminal store: runs on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from tenge.offline.terminal.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, version_table="offline_terminal_alembic_version")
with context.begin_transaction():
    context.run_migrations()
