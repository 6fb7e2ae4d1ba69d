"""Many rows into one table in one statement round: PostgreSQL's COPY, elsewhere SQLAlchemy's own INSERT run
as one DB-API ``executemany``.

``connection.execute(insert(table), rows)`` spends most of a long sync building SQLAlchemy's per-row
parameter dictionaries, and psycopg then sends one INSERT per row. Here each column's bind processor (the
column type's own conversion: :class:`tenge.index.abi_schema.Uint` to ``Decimal`` or hex text ...) is looked
up once per batch and applied to plain tuples; the statement is the one SQLAlchemy compiles for the table
(``insert(table)``), or on PostgreSQL a ``COPY ... FROM STDIN`` composed by psycopg's ``sql`` module from
the table's and columns' names. Both run inside the caller's transaction; a database error surfaces as
SQLAlchemy's (an ``IntegrityError`` for a row already there), as ``connection.execute`` would raise it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import DBAPIError


def _processors(connection: Connection, tbl: Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    dialect = connection.dialect
    return [tbl.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _tuples(rows: Sequence[dict[str, Any]], columns: Sequence[str], processors: list[Callable[[Any], Any] | None],
            ) -> list[tuple[Any, ...]]:  # fmt: skip
    steps = list(zip(columns, processors))
    if all(process is None for process in processors):
        return [tuple(row[name] for name in columns) for row in rows]
    return [tuple(row[name] if process is None else process(row[name]) for name, process in steps) for row in rows]


def insert_rows(connection: Connection, tbl: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts holding every column of ``tbl``) into ``tbl``, in the current transaction."""
    if not rows:
        return
    columns = [column.name for column in tbl.columns]
    values = _tuples(rows, columns, _processors(connection, tbl, columns))
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy(connection, tbl, columns, values)
        return
    compiled = insert(tbl).compile(dialect=connection.dialect, column_keys=columns)
    if compiled.positiontup is not None:
        order = [columns.index(name) for name in compiled.positiontup]
        params: list[Any] = [tuple(value[i] for i in order) for value in values]
    else:
        params = [dict(zip(columns, value)) for value in values]
    connection.exec_driver_sql(str(compiled), params)


def _copy(connection: Connection, tbl: Table, columns: Sequence[str], values: list[tuple[Any, ...]]) -> None:
    from psycopg import Error, sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(*([tbl.schema] if tbl.schema else []), tbl.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for value in values:
                copy.write_row(value)
    except Error as exc:
        raise DBAPIError.instance(str(statement), None, exc, Error, dialect=connection.dialect) from None
