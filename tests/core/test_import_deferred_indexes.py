"""A large import into a table holding few events sets the secondary indexes aside and builds
them again at its end: the same events, the same indexes, and nothing changed when it stops."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from cohortdesk.core.models import ActivityEvent, Person
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.storage import bulk_indexes
from cohortdesk.core.storage.bulk_indexes import DeferredIndexes
from cohortdesk.core.storage.db import Database, sqlite_file
from tests.core.builders import make_cohort
from tests.databases import sqlite_only
from tests.perf.moodle_log_gen import generate_moodle_log

ROWS = 1_500


def _indexes(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        if session.get_bind().dialect.name != "sqlite":
            found = session.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes"
                    " WHERE tablename = 'activity_events' ORDER BY indexname"
                )
            )
        else:
            found = session.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                    " AND tbl_name = 'activity_events' ORDER BY name"
                )
            )
        return [(name, sql) for name, sql in found]


def _events(db: Database, cohort_id: int) -> list[tuple[Any, ...]]:
    """The cohort's events as a reader sees them: by whom (name), when, what, which key."""
    with db.read() as session:
        rows = session.execute(
            select(
                Person.full_name,
                ActivityEvent.occurred_at,
                ActivityEvent.kind,
                ActivityEvent.source_event_id,
                ActivityEvent.detail,
            )
            .join(Person, Person.id == ActivityEvent.person_id)
            .where(ActivityEvent.cohort_id == cohort_id)
            .order_by(ActivityEvent.id)
        )
        return [tuple(row) for row in rows]


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A generated Moodle log read in many small batches."""
    from cohortdesk.core.importers import columnar

    monkeypatch.setattr(columnar, "BLOCK_BYTES", 16_000)
    path = tmp_path / "log.csv"
    generate_moodle_log(path, ROWS, users=40, seed=7)
    return path


def _import(db: Database, name: str, path: Path, **options: Any) -> int:
    from cohortdesk.core.services.activity import imports

    with db.write() as session:
        cohort_id = make_cohort(session, name).id
    with db.write() as session:
        imports.import_file(session, cohort_id, path, "moodle-log", **options)
    return cohort_id


def test_a_large_import_builds_the_same_indexes_and_stores_the_same_events(
    db: Database, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _indexes(db)
    deferred: list[bool] = []
    original = DeferredIndexes.defer_for

    def spy(self: DeferredIndexes, expected_rows: int) -> bool:
        deferred.append(original(self, expected_rows))
        return deferred[-1]

    monkeypatch.setattr(DeferredIndexes, "defer_for", spy)
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    aside = _import(db, "Indexes set aside", log_file)
    assert deferred == [db.file is not None]  # only SQLite sets them aside, once
    assert _indexes(db) == before
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 10**12)
    kept = _import(db, "Indexes kept", log_file)
    assert deferred[-1] is False
    assert _events(db, aside) == _events(db, kept) != []
    with db.read() as session:
        assert rollups.drifted_cohorts(session) == []


def test_a_cancel_after_the_indexes_went_leaves_them_and_no_event(
    db: Database, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _indexes(db)
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    calls: list[int] = []

    def progress(_read: int, _done: int, _size: int) -> None:
        calls.append(1)
        if len(calls) == 3:  # the first batch is stored: the indexes are set aside
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _import(db, "Cancelled", log_file, progress=progress)
    assert _indexes(db) == before
    with db.read() as session:
        assert session.scalar(select(ActivityEvent.id).limit(1)) is None


def test_a_table_with_more_rows_than_the_import_brings_keeps_its_indexes(
    db: Database, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    _import(db, "First", log_file)
    with db.write() as session:
        there = session.scalar(select(ActivityEvent.id).order_by(ActivityEvent.id.desc()))
        assert there
        indexes = DeferredIndexes(session.connection(), "activity_events")
        assert not indexes.defer_for(there // 2)
        assert indexes.defer_for(there) is (db.file is not None)
        assert indexes.deferred is (db.file is not None)
        indexes.restore()
        assert not indexes.deferred


_KILLED_IMPORT = """
import os, sys
from pathlib import Path
from cohortdesk.core.importers import columnar
from cohortdesk.core.services.activity import imports
from cohortdesk.core.storage import bulk_indexes
from cohortdesk.core.storage.db import Database

columnar.BLOCK_BYTES = 16_000
bulk_indexes.MIN_ROWS = 1
db = Database(sys.argv[1])
calls = []

def progress(_read, _done, _size):
    calls.append(1)
    if len(calls) == 4:  # the indexes are gone and events are stored: die without a word
        os._exit(9)

with db.write() as session:
    imports.import_file(session, int(sys.argv[2]), Path(sys.argv[3]), "moodle-log",
                        progress=progress)
"""


@sqlite_only("a process killed in the middle of writing the SQLite file")
def test_a_kill_after_the_indexes_went_leaves_a_sound_file_with_them(
    db: Database, log_file: Path
) -> None:
    before = _indexes(db)
    with db.write() as session:
        cohort_id = make_cohort(session, "Killed").id
    url = str(db.engine.url)
    db.dispose()
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_IMPORT, url, str(cohort_id), str(log_file)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        check=False,
    )
    assert done.returncode == 9, done.stderr
    assert sqlite_file(url) is not None
    assert _indexes(db) == before
    with db.read() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert session.scalar(select(ActivityEvent.id).limit(1)) is None
