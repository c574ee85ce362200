"""Running a test folder against both SQLite and PostgreSQL.

The core, CLI and safety folders import `database_kind` below into their conftest, so that
every test there using `db` (in the CLI folder, every test) runs on an SQLite file and on a
database of its own on the session's PostgreSQL server; the commands it runs
(`cohortdesk.cli.main`) open that database too. A test about the SQLite file
itself (its bytes, its backups, its permissions, a kill -9 in the middle of writing it) says so
with `sqlite_only(reason)`.
"""

from __future__ import annotations

from typing import Any

import pytest

DATABASE_KINDS = ("sqlite", "postgresql")


@pytest.fixture(params=DATABASE_KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    """Each of the two databases in turn (import this into a folder's conftest)."""
    return str(request.param)


@pytest.fixture(autouse=True)
def every_command_on_both(database_kind: str, database_url: str) -> None:
    """Autouse in the CLI folder: every test there runs on both databases, its commands on
    the test's own (`database_url` sets COHORTDESK_DB to a server database)."""


def sqlite_only(reason: str) -> Any:
    """Mark a test (or, as `pytestmark`, a module) as about the SQLite file: its PostgreSQL
    run is left out (`leave_out_server_runs`). `reason` says why, for the reader: what the test
    checks has no server counterpart."""
    assert reason, "say why the test is about the SQLite file"
    return pytest.mark.sqlite_only(reason)


def server_only(reason: str) -> Any:
    """Mark a test as about a database server: its SQLite run is left out."""
    assert reason, "say why the test is about a server"
    return pytest.mark.server_only(reason)


def leave_out_server_runs(items: list[pytest.Item], config: pytest.Config) -> None:
    """Deselect the PostgreSQL runs of the tests marked `sqlite_only`, and the SQLite runs of
    those marked `server_only`."""
    kept, left_out = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        kind = callspec.params.get("database_kind") if callspec is not None else None
        unwanted = (kind == "postgresql" and item.get_closest_marker("sqlite_only")) or (
            kind == "sqlite" and item.get_closest_marker("server_only")
        )
        (left_out if unwanted else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
