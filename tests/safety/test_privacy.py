"""Nothing leaked: owner-only files, deleted text really gone, erase means everywhere, and
every table holding personal data says how it is exported and erased."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import ForeignKey, Table, Text, delete, insert, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.types import String, TypeDecorator

from cohortdesk.cli.main import main
from cohortdesk.core.models import (
    Base,
    DailyActivity,
    MemberNote,
    Membership,
    MentorLink,
    Person,
    Role,
)
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import Changes
from cohortdesk.core.services.mentoring import review_pack
from cohortdesk.core.services.messaging.outbox import write_eml
from cohortdesk.core.services.people import members
from cohortdesk.core.services.privacy import erase
from cohortdesk.core.services.privacy.registry import ERASED, REGISTRY, Erase
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.backup import BackupKind, list_backups, make_backup
from cohortdesk.core.storage.db import Database
from tests.databases import sqlite_only
from tests.safety.conftest import add_private_records, people

# ---- the registry ------------------------------------------------------------------------


def test_every_table_says_how_it_is_exported_and_erased() -> None:
    missing = sorted(set(Base.metadata.tables) - set(REGISTRY))
    assert missing == [], (
        f"tables without privacy handling: {missing}. Add each to REGISTRY in "
        "core/services/privacy/registry.py: "
        "how an export treats its rows, and what erasing a person does to them."
    )


def test_the_registry_names_only_tables_and_columns_that_exist() -> None:
    tables = Base.metadata.tables
    assert sorted(set(REGISTRY) - set(tables)) == []
    for name, handling in REGISTRY.items():
        columns = tables[name].c
        for column in (*handling.person_columns, *handling.text_columns):
            assert column in columns, f"{name}.{column} does not exist"
        for column in handling.text_columns:
            assert isinstance(columns[column].type, String | Text), f"{name}.{column} is not text"
        if handling.erase is Erase.BY_COLUMNS:
            assert handling.person_columns, f"{name}: which columns name the person?"


def _cascades_to_a_person(table: Table, seen: frozenset[str] = frozenset()) -> bool:
    """True when deleting a person deletes this table's rows (ON DELETE CASCADE chains)."""
    if table.name == "people":
        return True
    for key in table.foreign_keys:
        parent = key.column.table
        if (
            key.ondelete == "CASCADE"
            and not key.parent.nullable
            and parent.name not in seen
            and _cascades_to_a_person(parent, seen | {table.name})
        ):
            return True
    return False


def test_tables_erased_by_cascade_really_cascade_from_the_person() -> None:
    tables = Base.metadata.tables
    wrong = [
        name
        for name, handling in REGISTRY.items()
        if handling.erase is Erase.CASCADE and not _cascades_to_a_person(tables[name])
    ]
    assert wrong == []


def test_tables_without_personal_data_do_not_point_at_people() -> None:
    tables = Base.metadata.tables
    for name, handling in REGISTRY.items():
        if handling.erase is not Erase.NONE:
            continue
        targets = {key.column.table.name for key in tables[name].foreign_keys}
        assert not targets & {"people", "memberships"}, f"{name} points at a person"


# ---- file permissions ----------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: whatever cohortdesk creates must still be owner-only."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_the_data_folder_database_backups_and_exports_are_owner_only(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--members", "8", "--days", "14"]) == 0
    data = isolated_home / "data"
    db_file = data / "cohortdesk.sqlite"
    db = migrate.open_database(f"sqlite:///{db_file}", data / "backups")
    try:
        with db.write() as session:  # the -wal and -shm exist while a connection is open
            session.add(MemberNote(membership_id=1, body="x", created_at=datetime.now(UTC)))
        companions = [db_file.with_name(db_file.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)
        assert [mode(p) for p in (db_file, *companions)] == [0o600] * 3
        with db.read() as session:
            mentor = session.scalar(select(Membership).where(Membership.role == Role.MENTOR))
            mentee = session.scalar(select(Membership).where(Membership.role == Role.LEARNER))
            assert mentor is not None and mentee is not None
            mentor_id, mentee_id = mentor.id, mentee.id
        with db.write() as session:
            session.add(
                MentorLink(
                    mentor_membership_id=mentor_id,
                    mentee_membership_id=mentee_id,
                    created_at=datetime.now(UTC),
                )
            )
        with db.read() as session:
            pack = review_pack.make_review_pack(session, mentor_id, tmp_path / "pack.sqlite")
    finally:
        db.dispose()
    assert main(["backup", str(tmp_path / "manual.sqlite")]) == 0
    cohort = "Leading Online Learning (demo)"
    for fmt in ("csv", "xlsx", "pdf", "xapi"):
        out = tmp_path / f"out.{fmt}"
        assert main(["export", fmt, "--cohort", cohort, "-o", str(out)]) == 0
        assert mode(out) == 0o600, fmt
    eml = write_eml(
        tmp_path / "nudge.eml", to_name="Ana", to_address="ana@example.org", subject="Hi", body="x"
    )
    capsys.readouterr()
    assert mode(data) == 0o700
    assert mode(data / "backups") == 0o700
    assert mode(isolated_home / "config") == 0o700
    backups = list((data / "backups").iterdir())
    assert backups
    assert {p.name: mode(p) for p in backups} == {p.name: 0o600 for p in backups}
    assert mode(tmp_path / "manual.sqlite") == 0o600
    assert mode(Path(pack.path)) == 0o600
    assert mode(eml) == 0o600


def test_a_loose_data_folder_and_database_are_tightened(
    paths: AppPaths, isolated_home: Path
) -> None:
    db_file = paths.default_db_file
    db = migrate.open_database(f"sqlite:///{db_file}", paths.backup_dir)
    db.dispose()
    paths.data_dir.chmod(0o755)
    db_file.chmod(0o644)
    paths.ensure()
    db = migrate.open_database(f"sqlite:///{db_file}", paths.backup_dir)
    try:
        with db.read() as session:
            session.execute(select(1))
    finally:
        db.dispose()
    assert mode(paths.data_dir) == 0o700
    assert mode(db_file) == 0o600


# ---- deleted text is gone ----------------------------------------------------------------


def file_bytes(db_file: Path) -> dict[str, bytes]:
    """The database, its -wal and its -shm, as they are on disk."""
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = db_file.with_name(db_file.name + suffix)
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def holding(files: dict[str, bytes], *texts: str) -> list[str]:
    return [
        f"{text!r} in {name}"
        for text in texts
        for name, data in files.items()
        if text.encode("utf-8") in data
    ]


@sqlite_only("the bytes of the SQLite file and its backups")
def test_a_deleted_note_leaves_no_trace_in_the_file(demo_db: Database) -> None:
    secret = "Confidential: going through a divorce qv8z"
    with demo_db.write() as session:
        session.add(MemberNote(membership_id=1, body=secret, created_at=datetime.now(UTC)))
    with demo_db.write() as session:
        note = session.scalar(select(MemberNote).where(MemberNote.body == secret))
        assert note is not None
        session.delete(note)
    assert demo_db.file is not None
    with demo_db.engine.connect() as connection:  # what an app closing checkpoints, no VACUUM
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert holding(file_bytes(demo_db.file), secret) == []


# ---- erase this person -------------------------------------------------------------------


def filled(table: Table, **given: object) -> dict[str, object]:
    """A row for `table`: the values given, and a plausible value for every other column."""
    row = dict(given)
    for column in table.columns:
        if column.name in row:
            continue
        candidates: list[object] = [datetime(2026, 10, 20, 9, tzinfo=UTC), date(2026, 10, 20), 1]
        if isinstance(column.type, TypeDecorator):
            for candidate in candidates:
                try:
                    column.type.process_bind_param(candidate, sqlite_dialect.dialect())
                except (AttributeError, TypeError, ValueError):
                    continue
                row[column.name] = candidate
                break
            continue
        kind = column.type.python_type
        row[column.name] = next((c for c in candidates if type(c) is kind), "x")
    return row


@pytest.fixture
def erasable(demo_db: Database, paths: AppPaths) -> tuple[Database, Person, Person, dict[str, str]]:
    """The demo cohort; a learner with private records of every kind; a backup holding them."""
    learners = people(demo_db, "learner")
    target, other = learners[0], learners[1]
    with demo_db.write() as session:
        texts = add_private_records(session, target, other)
        # A rollup row of theirs (the rollups hold person ids without a foreign key).
        session.execute(delete(DailyActivity.__table__).where(DailyActivity.person_id == target.id))
        session.execute(
            insert(DailyActivity.__table__).values(
                filled(DailyActivity.__table__, cohort_id=1, person_id=target.id)
            )
        )
    if demo_db.file is not None:  # a server's backups are not ours
        when = datetime(2026, 10, 1, tzinfo=UTC)
        make_backup(demo_db.file, paths.backup_dir, BackupKind.DAILY, when)
    return demo_db, target, other, texts


@sqlite_only("the bytes of the SQLite file and its backups")
def test_erasing_a_person_removes_every_byte_of_them(
    erasable: tuple[Database, Person, Person, dict[str, str]],
    paths: AppPaths,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, target, other, texts = erasable
    assert db.file is not None
    assert target.email is not None
    everything = [target.full_name, target.email, *(texts[k] for k in texts if k != "mention")]
    assert holding(file_bytes(db.file), target.full_name, texts["note"])  # there before
    db.dispose()

    # Another connection stays open (a window on the same database), so the write-ahead log
    # outlives the command: what it held must be gone all the same.
    with closing(sqlite3.connect(db.file)) as window:
        window.execute("SELECT count(*) FROM people").fetchone()
        assert main(["erase", "--email", target.email.upper()]) == 1  # asks first
        assert main(["erase", "--email", target.email.upper(), "--yes"]) == 0
        assert db.file.with_name(db.file.name + "-wal").exists()
        assert holding(file_bytes(db.file), *everything) == []
    out = capsys.readouterr().out
    assert f"Erased {target.full_name}" in out
    assert re.search(r"Deleted [1-9]\d* backups that still held them", out)

    assert holding(file_bytes(db.file), *everything) == []
    for backup in list_backups(paths.backup_dir):
        assert holding({backup.path.name: backup.path.read_bytes()}, *everything) == []
    with closing(sqlite3.connect(db.file)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert (
            raw.execute("SELECT count(*) FROM people WHERE id = ?", (target.id,)).fetchone()[0] == 0
        )
        for table, handling in REGISTRY.items():
            for column in handling.person_columns:
                rows = raw.execute(
                    f"SELECT count(*) FROM {table} WHERE {column} = ?", (target.id,)
                ).fetchone()[0]
                assert rows == 0, f"{table}.{column}"
        replied = raw.execute(
            "SELECT count(*) FROM activity_events WHERE replied_to_id = ?", (target.id,)
        ).fetchone()[0]
        assert replied == 0
        # The other member's records stay, with the mention replaced.
        mention = texts["mention"].replace(target.full_name, ERASED).replace(target.email, ERASED)
        bodies = [r[0] for r in raw.execute("SELECT body FROM interventions")]
        assert mention in bodies
        assert (
            raw.execute("SELECT count(*) FROM people WHERE id = ?", (other.id,)).fetchone()[0] == 1
        )


def test_erase_person_is_one_transaction_and_names_what_went(
    erasable: tuple[Database, Person, Person, dict[str, str]],
) -> None:
    db, target, _other, _texts = erasable
    with db.read() as session:
        assert erase.people_with_email(session, f"  {target.email}  ") == [target.id]
    with pytest.raises(RuntimeError), db.write() as session:
        erase.erase_person(session, target.id)
        raise RuntimeError("power cut")
    with db.read() as session:
        assert session.get(Person, target.id) is not None  # rolled back: nothing half-erased
    [done] = erase.erase(db, [target.id])
    assert done.name == target.full_name
    assert done.events > 0
    assert done.mentions_scrubbed >= 2
    assert "Erased" in done.message()
    with db.read() as session:
        assert session.get(Person, target.id) is None
        assert erase.people_with_email(session, target.email or "") == []


def test_erasing_everywhere_names_the_cohorts_it_changed_and_may_keep_the_backups(
    erasable: tuple[Database, Person, Person, dict[str, str]], paths: AppPaths
) -> None:
    db, target, _other, _texts = erasable
    with db.read() as session:
        their_cohorts = members.cohorts_of(session, [target.id])
    backups = list_backups(paths.backup_dir)
    done = erase.erase_everywhere(db, [target.id], paths.backup_dir, keep_backups=True)
    assert their_cohorts and done.changes == Changes(cohorts=True, rosters=their_cohorts)
    assert [p.person_id for p in done.value.people] == [target.id]
    assert (done.value.backups_deleted, done.value.fresh_backup) == (0, None)
    assert list_backups(paths.backup_dir) == backups  # still holding them, as asked


def test_erasing_an_unknown_email_is_a_clear_error(
    demo_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["erase", "--email", "nobody@example.org", "--yes"]) == 1
    assert "Nobody is known by nobody@example.org" in capsys.readouterr().err


def test_the_registry_declares_the_text_columns_erase_scrubs() -> None:
    # Free text about people must be scrubbed somewhere: the notes, nudges and sessions.
    scrubbed = {(t, c) for t, h in REGISTRY.items() for c in h.text_columns}
    for expected in [
        ("member_notes", "body"),
        ("interventions", "body"),
        ("mentoring_sessions", "notes"),
        ("highlights", "text"),
        ("activity_events", "detail"),
    ]:
        assert expected in scrubbed
    # Every foreign key to people is either a cascade or is cleared explicitly.
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "people":
                assert key.ondelete in ("CASCADE", "SET NULL"), f"{table.name}.{key.parent.name}"
    assert isinstance(Membership.__table__.c.person_id.foreign_keys.pop(), ForeignKey)
