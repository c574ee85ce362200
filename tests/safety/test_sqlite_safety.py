"""SQLite used safely: the pragmas on every connection cohortdesk opens, BEGIN IMMEDIATE for
every write, and one writer at a time."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from pytestqt.qtbot import QtBot
from sqlalchemy import event, text

from cohortdesk.cli.main import main
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import BUSY_TIMEOUT_MS, Database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.tasks import TaskRunner
from tests.databases import sqlite_only

pytestmark = sqlite_only("SQLite's own locking and pragmas")

PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "secure_delete")
APP_DATABASE = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "secure_delete": 1,
}

_real_connect = sqlite3.connect


class Recorded:
    """The pragmas of every sqlite3 connection, read just before it closes."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []
        self.open: list[tuple[str, sqlite3.Connection]] = []

    def read(self, target: str, connection: sqlite3.Connection) -> None:
        try:
            values = {p: connection.execute(f"PRAGMA {p}").fetchone()[0] for p in PRAGMAS}
        except sqlite3.ProgrammingError:
            return  # closed already
        self.seen.append((target, values))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorded]:
    log = Recorded()

    class Recording(sqlite3.Connection):
        target = ""

        def close(self) -> None:
            log.read(self.target, self)
            super().close()

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs["factory"] = Recording
        connection = _real_connect(database, *args, **kwargs)
        assert isinstance(connection, Recording)
        connection.target = str(database)
        log.open.append((str(database), connection))
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect)  # what SQLAlchemy calls
    yield log
    for target, connection in log.open:  # pooled connections never closed: read them too
        log.read(target, connection)


def test_every_connection_cohortdesk_opens_gets_the_safe_pragmas(
    recorded: Recorded, paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file = paths.default_db_file
    during_migration: list[dict[str, Any]] = []
    real_upgrade = command.upgrade

    def upgrade(config: Any, revision: str) -> None:
        connection = config.attributes["connection"]
        during_migration.append(
            {p: connection.exec_driver_sql(f"PRAGMA {p}").scalar() for p in PRAGMAS}
            | {"in_transaction": connection.in_transaction()}
        )
        real_upgrade(config, revision)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(command, "upgrade", upgrade)
        assert main(["demo", "--members", "8", "--days", "14"]) == 0
    assert main(["cohort", "list"]) == 0
    assert main(["backup", str(tmp_path / "copy.sqlite")]) == 0
    assert main(["check"]) == 0
    assert main(["restore", str(tmp_path / "copy.sqlite")]) == 0
    assert main(["erase", "--email", "nobody@example.org", "--yes"]) == 1
    capsys.readouterr()

    assert during_migration, "the migration connection was not seen"
    for values in during_migration:
        # Foreign keys are off only while the schema changes (checked before the commit).
        assert values == APP_DATABASE | {"foreign_keys": 0, "in_transaction": True}

    app = [values for target, values in recorded.seen if Path(target) == db_file]
    assert len(app) >= 3
    for values in app:
        assert values == APP_DATABASE
    others = [(t, v) for t, v in recorded.seen if Path(t) != db_file]
    assert others, "backups, checks and restores open connections of their own"
    for target, values in others:
        # Backups, checks and read-only looks: the same timeout, foreign keys, secure delete.
        assert values["busy_timeout"] == BUSY_TIMEOUT_MS, target
        assert values["secure_delete"] == 1, target
        assert values["foreign_keys"] == 1, target


def _traced(db: Database) -> list[str]:
    statements: list[str] = []

    @event.listens_for(db.engine, "connect")
    def trace(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    db.dispose()  # new connections, traced from their first statement
    return statements


def test_every_write_starts_with_begin_immediate(db: Database) -> None:
    statements = _traced(db)
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Traced"))
    with db.read() as session:
        cohorts.list_cohorts(session)
    with db.write() as session:
        row = cohorts.list_cohorts(session)[0]
        cohorts.set_archived(session, row.id, True)
    writes, current = 0, None
    for statement in statements:
        verb = statement.split()[0].upper()
        if verb == "BEGIN":
            current = statement.upper()
        elif verb in ("COMMIT", "ROLLBACK"):
            current = None
        elif verb in ("INSERT", "UPDATE", "DELETE"):
            writes += 1
            assert current == "BEGIN IMMEDIATE", f"{statement!r} ran in {current!r}"
    assert writes >= 2


def test_two_writes_at_once_take_turns(db: Database) -> None:
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def write(name: str) -> None:
        with db.write() as session:
            session.execute(text("SELECT 1"))  # the write lock is held from here on
            start = time.monotonic()
            cohorts.create_cohort(session, CohortInput(name=name))
            time.sleep(0.3)
            end = time.monotonic()
        with lock:
            spans.append((start, end))

    threads = [threading.Thread(target=write, args=(f"Cohort {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (_, a_end), (b_start, _) = sorted(spans)
    assert a_end <= b_start, "the second write ran while the first held the lock"
    with db.read() as session:
        assert len(cohorts.list_cohorts(session)) == 2


def test_the_gui_sends_every_write_through_one_thread(qtbot: QtBot, db: Database) -> None:
    runner = TaskRunner(db, ChangeNotifier())
    spans: list[tuple[str, float, float]] = []

    def slow(name: str) -> Any:
        def change(session: Any) -> None:
            start = time.monotonic()
            cohorts.create_cohort(session, CohortInput(name=name))
            time.sleep(0.2)
            spans.append((threading.current_thread().name, start, time.monotonic()))

        return change

    try:
        runner.write("first", slow("First"))
        runner.write("second", slow("Second"))
        assert runner.wait_idle(10_000)
    finally:
        runner.shutdown()
    (_, _, a_end), (_, b_start, _) = sorted(spans, key=lambda s: s[1])
    assert a_end <= b_start
    assert runner._write_pool.maxThreadCount() == 1
