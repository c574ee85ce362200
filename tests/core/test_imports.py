"""The import service: one transaction, people matched, re-imports idempotent, undo exact."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cohortdesk.core.enums import AccessStatus, EventKind, Role, StageChangeSource
from cohortdesk.core.importers import columnar
from cohortdesk.core.importers.base import ImportOptions, ImportRejectedError
from cohortdesk.core.models import ActivityEvent, Identity, ImportBatch, Membership, Person
from cohortdesk.core.schemas import ImportSummary
from cohortdesk.core.services.activity import imports, participation
from cohortdesk.core.services.activity.event_writers import StagedEvents
from cohortdesk.core.services.people import members as members_service
from cohortdesk.core.services.people import tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, make_cohort

HEADER = "Who,When,What,To,Thread\n"
ROWS = [
    "ann@example.org,2025-03-03 09:00,post,,t1\n",
    "bob@example.org,2025-03-03 10:00,reply,ann@example.org,t1\n",
    "Cleo Diaz,2025-03-04 11:30,reply,bob@example.org,t1\n",
    "bob@example.org,2025-03-05 08:15,login,,\n",
]
MAPPING = {"who": "Who", "when": "When", "kind": "What", "replied_to": "To", "thread": "Thread"}


def write(tmp_path: Path, rows: list[str], name: str = "activity.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def run_import(
    db: Database, cohort_id: int, path: Path, *, dry_run: bool = False, fmt: str = "activity-csv"
) -> ImportSummary:
    options = ImportOptions(mapping=MAPPING if fmt == "activity-csv" else None)
    unit = db.trial() if dry_run else db.write()
    with unit as session:
        return imports.import_file(session, cohort_id, path, fmt, options, dry_run=dry_run)


def count(db: Database, model: type[object]) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


@pytest.fixture
def cohort_id(db: Database) -> int:
    with db.write() as session:
        cohort = make_cohort(session, start_date=date(2025, 3, 1))
        add(session, cohort.id, "Ann Lee", email="Ann@Example.org")
        return cohort.id


def test_an_import_creates_the_people_it_does_not_know_and_their_events(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    summary = run_import(db, cohort_id, write(tmp_path, ROWS))

    assert (summary.read, summary.inserted, summary.duplicates) == (4, 4, 0)
    assert summary.people_created == 2
    assert sorted(summary.new_people) == ["Cleo Diaz", "bob"]
    assert summary.batch_id is not None
    with db.read() as session:
        rows = {r.name: r for r in participation.roster(session, cohort_id)}
    assert set(rows) == {"Ann Lee", "bob", "Cleo Diaz"}
    assert rows["Ann Lee"].threads == 1  # matched by email, case-insensitively
    assert rows["bob"].replies == 1 and rows["bob"].logins == 1
    assert rows["Cleo Diaz"].peer_replies == 1  # a learner answering a learner
    assert all(r.access is AccessStatus.ACCESSED for r in rows.values())
    assert all(r.role is Role.LEARNER for r in rows.values())


@pytest.mark.parametrize("per_statement", [1, 2, 10_000])
def test_every_member_the_activity_shows_gets_in_however_the_update_is_split(
    db: Database,
    cohort_id: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    per_statement: int,
) -> None:
    monkeypatch.setattr(imports, "_IDS_PER_STATEMENT", per_statement)
    with db.write() as session:
        add(session, cohort_id, "Quiet Member", email="quiet@example.org")
    run_import(db, cohort_id, write(tmp_path, ROWS))

    with db.read() as session:
        rows = {r.name: r.access for r in participation.roster(session, cohort_id)}
    assert rows.pop("Quiet Member") is AccessStatus.NOT_YET
    assert rows == dict.fromkeys(["Ann Lee", "bob", "Cleo Diaz"], AccessStatus.ACCESSED)


def test_reimporting_the_same_file_inserts_nothing(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    path = write(tmp_path, ROWS)
    run_import(db, cohort_id, path)

    again = run_import(db, cohort_id, path)

    assert (again.read, again.inserted, again.duplicates, again.people_created) == (4, 0, 4, 0)
    assert any("imported before" in note for note in again.notes)
    # the day as every screen writes it ("8 Dec 2026", not "08 Dec 2026")
    day = r"This file was imported before, on [1-9]\d? [A-Z][a-z]{2} \d{4}\."
    assert any(re.fullmatch(day, note) for note in again.notes), again.notes
    assert count(db, ActivityEvent) == 4


def test_an_overlapping_later_export_adds_only_the_new_events(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    run_import(db, cohort_id, write(tmp_path, ROWS[:2], "week1.csv"))

    later = run_import(db, cohort_id, write(tmp_path, ROWS, "week1-2.csv"))

    assert (later.inserted, later.duplicates) == (2, 2)
    assert count(db, ActivityEvent) == 4


def test_identical_rows_in_one_file_are_distinct_events(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    path = write(tmp_path, [ROWS[3], ROWS[3], ROWS[3]])

    first = run_import(db, cohort_id, path)
    second = run_import(db, cohort_id, path)

    assert first.inserted == 3
    assert second.inserted == 0


def test_a_bad_row_anywhere_imports_nothing(db: Database, cohort_id: int, tmp_path: Path) -> None:
    path = write(tmp_path, [*ROWS, "dan@example.org,not a time,post,,\n"])
    people_before = count(db, Person)

    with pytest.raises(ImportRejectedError) as caught:
        run_import(db, cohort_id, path)

    assert caught.value.file == "activity.csv"
    assert caught.value.row is not None
    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0
    assert count(db, Person) == people_before


def test_a_dry_run_counts_exactly_and_stores_nothing(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    summary = run_import(db, cohort_id, write(tmp_path, ROWS), dry_run=True)

    assert (summary.inserted, summary.people_created, summary.batch_id) == (4, 2, None)
    assert summary.dry_run
    assert [row.row for row in summary.sample] == [2, 3, 4, 5]
    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0


def _import_with_progress(
    db: Database, cohort_id: int, file: Path, progress: Callable[[int, int, int], None]
) -> None:
    """Import the activity CSV `file` in one transaction, reporting to `progress`."""
    with db.write() as session:
        imports.import_file(
            session,
            cohort_id,
            file,
            "activity-csv",
            ImportOptions(mapping=MAPPING),
            progress=progress,
        )


def test_cancelling_from_the_progress_callback_rolls_everything_back(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    class StopError(Exception):
        pass

    def cancel(_read: int, _done: int, _size: int) -> None:
        raise StopError

    with pytest.raises(StopError):
        _import_with_progress(db, cohort_id, write(tmp_path, ROWS), cancel)

    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0


def _stored_in_batches(monkeypatch: pytest.MonkeyPatch, fail_at: int | None = None) -> list[int]:
    """Read the file a row or two at a time, each batch stored slowly enough that the next
    one is made meanwhile; storing batch `fail_at` (counted from 1) raises `StoreError`.
    Returns the batches stored so far, as they are."""
    stored: list[int] = []
    store = StagedEvents._store

    def slow_store(self: StagedEvents) -> None:
        time.sleep(0.05)
        store(self)
        stored.append(len(stored) + 1)
        if len(stored) == fail_at:
            raise StoreError

    monkeypatch.setattr(columnar, "BLOCK_BYTES", 64)
    monkeypatch.setattr(StagedEvents, "_store", slow_store)
    return stored


class StoreError(Exception):
    pass


def test_an_error_storing_a_batch_fails_the_import_and_stores_nothing(
    db: Database, cohort_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _stored_in_batches(monkeypatch, fail_at=1)

    with pytest.raises(StoreError):
        run_import(db, cohort_id, write(tmp_path, ROWS))

    assert stored == [1]
    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0


def test_a_cancel_while_a_batch_is_stored_waits_for_it_and_stores_nothing(
    db: Database, cohort_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _stored_in_batches(monkeypatch)

    class StopError(Exception):
        pass

    def cancel(read: int, _done: int, _size: int) -> None:
        if read > 1:
            raise StopError

    with pytest.raises(StopError):
        _import_with_progress(db, cohort_id, write(tmp_path, ROWS), cancel)

    assert stored == [1]  # the batch being stored when the cancel came was waited for
    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0


def test_an_import_in_many_batches_stores_every_event_once(
    db: Database, cohort_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _stored_in_batches(monkeypatch)
    path = write(tmp_path, ROWS)

    first = run_import(db, cohort_id, path)
    again = run_import(db, cohort_id, path)

    assert len(stored) >= 3
    assert (first.inserted, again.inserted, again.duplicates) == (4, 0, 4)
    assert count(db, ActivityEvent) == 4


def test_people_found_by_email_are_known_by_their_id_next_time(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    run_import(db, cohort_id, write(tmp_path, ["5104,2025-03-03 09:00,post,,\n"], "a.csv"))
    people = count(db, Person)

    again = run_import(db, cohort_id, write(tmp_path, ["5104,2025-03-04 09:00,post,,\n"], "b.csv"))

    assert again.people_created == 0
    assert count(db, Person) == people
    with db.read() as session:
        assert session.scalars(select(Identity.external_id)).all() == ["5104"]


def test_the_same_platform_id_in_another_cohort_is_another_person(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    with db.write() as session:
        other = make_cohort(session, "Another site").id
    row = ["5104,2025-03-03 09:00,post,,\n"]
    run_import(db, cohort_id, write(tmp_path, row, "a.csv"))

    summary = run_import(db, other, write(tmp_path, row, "b.csv"))

    assert summary.people_created == 1
    assert count(db, Identity) == 2


def test_new_members_joined_when_their_activity_began_when_the_cohort_has_no_start(
    db: Database, tmp_path: Path
) -> None:
    with db.write() as session:
        cohort = make_cohort(session, "Open dates")

    run_import(db, cohort.id, write(tmp_path, ROWS))

    with db.read() as session:
        joined = set(session.scalars(select(Membership.joined_on)))
    assert joined == {date(2025, 3, 3), date(2025, 3, 4)}


def test_undo_removes_exactly_the_batch_and_the_members_it_added(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    first = run_import(db, cohort_id, write(tmp_path, ROWS[:1], "a.csv"))
    second = run_import(db, cohort_id, write(tmp_path, ROWS[1:], "b.csv"))
    assert first.batch_id is not None and second.batch_id is not None

    with db.write() as session:
        removed = imports.undo_batch(session, second.batch_id).value.events

    assert removed == 3
    assert count(db, ActivityEvent) == 1
    with db.read() as session:
        names = {r.name for r in participation.roster(session, cohort_id)}
        batches = imports.list_batches(session, cohort_id)
    assert names == {"Ann Lee"}
    assert [(b.file_name, b.events_now, b.undone_at is not None) for b in batches] == [
        ("b.csv", 0, True),
        ("a.csv", 1, False),
    ]


def test_undo_keeps_an_imported_member_something_was_written_about(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    summary = run_import(db, cohort_id, write(tmp_path, ROWS[3:]))
    assert summary.batch_id is not None
    with db.write() as session:
        bob = session.scalars(
            select(Membership).join(Person).where(Person.full_name == "bob")
        ).one()
        tracking.add_note(session, bob.id, "Asked for the reading list")

    with db.write() as session:
        imports.undo_batch(session, summary.batch_id)

    with db.read() as session:
        names = {r.name for r in participation.roster(session, cohort_id)}
    assert names == {"Ann Lee", "bob"}


def test_replies_to_oneself_do_not_join_the_reply_network(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    run_import(
        db, cohort_id, write(tmp_path, ["ann@example.org,2025-03-03 09:00,reply,Ann Lee,t1\n"])
    )

    with db.read() as session:
        event = session.scalars(select(ActivityEvent)).one()
        assert event.kind is EventKind.REPLY
        assert event.replied_to_id is None


@pytest.mark.parametrize("start", [None, date(2025, 3, 1), date(2025, 2, 3)])
def test_the_stage_history_dates_joining_by_the_day_a_member_joined_not_the_import_day(
    db: Database, tmp_path: Path, start: date | None
) -> None:
    """A course of 2025 imported in 2026: the history's first row is dated as they joined."""
    with db.write() as session:
        cohort = make_cohort(session, f"Joined {start}", start_date=start)
    run_import(db, cohort.id, write(tmp_path, ROWS))

    with db.read() as session:
        members = session.scalars(select(Membership).where(Membership.cohort_id == cohort.id))
        for member in members:
            detail = members_service.member_detail(session, member.id)
            joined = [c for c in detail.stage_history if c.source is StageChangeSource.JOINED]
            assert [c.joined_on for c in joined] == [member.joined_on]
            assert member.joined_on == (start or member.joined_on) <= date(2025, 3, 4)
            moves = [c for c in detail.stage_history if c.source is not StageChangeSource.JOINED]
            assert all(c.joined_on is None for c in moves)
