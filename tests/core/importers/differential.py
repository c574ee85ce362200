"""Importing one file twice, a row at a time and in batches of columns, to compare what each
leaves and says (the columnar readers must give the row-by-row readers' answers)."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cohortdesk.core.importers.base import ImportOptions, ImportRejectedError
from cohortdesk.core.importers.registry import get_format
from cohortdesk.core.models import ActivityEvent, Identity, Membership, Person
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.activity import imports, rollups
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from tests.core.importers import (
    activity_csv_rows,
    moodle_forum_rows,
    moodle_log_rows,
    roster_rows,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
#: every CSV fixture: each columnar reader is tried on all of them (most are refused, and
#: must be refused the same way)
CSV_FIXTURES = sorted(FIXTURES.glob("**/*.csv"))


@functools.cache
def _migrated() -> Path:
    """An empty migrated database, made once and copied for each import (faster than
    migrating a new one every time)."""
    folder = Path(tempfile.mkdtemp(prefix="cohortdesk-differential-"))
    file = folder / "empty.db"
    db = Database(f"sqlite:///{file}")
    migrate.upgrade(db, folder / "backups")
    db.dispose()
    return file


#: the row-by-row readers the columnar ones replaced, by format
ROW_READERS = {
    "moodle-log": moodle_log_rows.parse,
    "activity-csv": activity_csv_rows.parse,
    "roster": roster_rows.parse,
    "moodle-forum": moodle_forum_rows.parse,
}


def outcome(
    folder: Path, path: Path, fmt: str, columnar: bool, options: ImportOptions | None = None
) -> dict[str, Any]:
    """Everything an import of `path` leaves and says, in a fresh database: read in columns,
    or (`columnar` False) by the row-by-row reader the columnar one replaced."""
    # a fresh folder each time: hypothesis calls a test many times with one tmp_path
    file = Path(tempfile.mkdtemp(dir=folder)) / ("columns.db" if columnar else "rows.db")
    shutil.copyfile(_migrated(), file)
    db = Database(f"sqlite:///{file}")
    with db.write() as session:
        cohort = cohorts.create_cohort(
            session, CohortInput(name="Same answers", timezone="Europe/London")
        ).value
    module = get_format(fmt)
    product = module.parse
    try:
        if not columnar:
            module.parse = ROW_READERS[fmt]  # type: ignore[misc]
        with db.write() as session:
            summary = imports.import_file(session, cohort.id, path, fmt, options, columnar=columnar)
    except ImportRejectedError as refused:
        db.dispose()
        return {"refused": (refused.file, refused.row, refused.reason)}
    finally:
        module.parse = product  # type: ignore[misc]
    with db.read() as session:
        names = dict(session.execute(select(Person.id, Person.full_name)).all())
        events = _sorted(
            (
                names[e.person_id],
                e.occurred_at.isoformat(),
                e.kind,
                e.source,
                e.source_event_id,
                e.thread,
                names.get(e.replied_to_id) if e.replied_to_id else None,
                e.word_count,
                e.detail,
            )
            for e in session.scalars(select(ActivityEvent))
        )
        people = _sorted(
            tuple(person)
            for person in session.execute(
                select(
                    Person.full_name,
                    Person.email,
                    Membership.role,
                    Membership.joined_on,
                    Person.expertise,
                ).join(Membership, Membership.person_id == Person.id)
            )
        )
        identities = _sorted(
            (names[p], s, i)
            for p, s, i in session.execute(
                select(Identity.person_id, Identity.source, Identity.external_id)
            )
        )
        stored = rollups._stored(session, cohort.id)
    db.dispose()
    return {
        "summary": summary.model_dump(exclude={"batch_id"}),
        "events": events,
        "people": people,
        "identities": identities,
        "rollups": [sorted(part) for part in stored],
    }


def _sorted(rows: Any) -> list[tuple[Any, ...]]:
    """Rows in a stable order, None sorting first."""
    return sorted(rows, key=lambda row: tuple((value is not None, str(value)) for value in row))


def same(folder: Path, path: Path, fmt: str, options: ImportOptions | None = None) -> None:
    rows = outcome(folder, path, fmt, columnar=False, options=options)
    columns = outcome(folder, path, fmt, columnar=True, options=options)
    if "summary" in rows and "summary" in columns:  # name the field that differs first
        for name, value in rows["summary"].items():
            assert (name, columns["summary"][name]) == (name, value)
    assert columns == rows
