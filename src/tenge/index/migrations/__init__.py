"""Alembic migrations of the index schema (run by :func:`tenge.index.db.open_index`, never by hand)."""
