"""The tests' PostgreSQL server: :mod:`tenge.toolchain.postgres` (`tenge bench index` starts the same one)."""

from tenge.toolchain.postgres import create_database, postgres_server

__all__ = ["create_database", "postgres_server"]
