"""The database file: pragmas, write locking, migrations, refusing what is not ours."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from cohortdesk.core.errors import DatabaseVersionError, KnownError
from cohortdesk.core.models import Base
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.backup import backup_sqlite, prune
from cohortdesk.core.storage.db import Database
from tests.databases import server_only, sqlite_only


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@sqlite_only("SQLite's pragmas; a server keeps its own settings")
def test_every_connection_gets_the_safe_pragmas(db: Database) -> None:
    for opener in (db.read, db.write):
        with opener() as session:
            values = {
                name: session.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
        assert values == {
            "journal_mode": "wal",
            "synchronous": 2,  # FULL
            "foreign_keys": 1,
            "busy_timeout": 10_000,
        }


@sqlite_only("SQLite's file lock (BEGIN IMMEDIATE); a server locks rows")
def test_a_write_session_holds_the_write_lock_from_its_first_statement(db: Database) -> None:
    assert db.file is not None
    with db.write() as session:
        session.execute(text("SELECT 1"))
        with (
            closing(sqlite3.connect(db.file, timeout=0, isolation_level=None)) as other,
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            other.execute("BEGIN IMMEDIATE")


@sqlite_only("SQLite's file lock; a server's readers never block writers")
def test_a_read_session_does_not_block_writers(db: Database) -> None:
    assert db.file is not None
    with db.read() as session:
        session.execute(text("SELECT count(*) FROM cohorts"))
        with closing(sqlite3.connect(db.file, timeout=0, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")


def test_a_failed_write_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Half done"))
        raise RuntimeError("crash in the middle")
    with db.read() as session:
        assert cohorts.list_cohorts(session) == []


# SQLite cannot reflect expression indexes such as lower(email); both sides say so.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_the_migrations_build_exactly_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [
            d
            for d in compare_metadata(context, Base.metadata)
            # SQLite cannot reflect expression indexes such as lower(email).
            if not (d[0] == "add_index" and d[1].name == "ix_people_email_lower")
        ]
    assert differences == []


@server_only("the names a server gives constraints the migrations leave unnamed")
def test_every_key_and_check_on_a_server_has_the_name_the_models_give_it(db: Database) -> None:
    with db.read() as session:
        found = session.execute(
            text(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint"
                " WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'f', 'u', 'c')"
                " AND conrelid::regclass::text != 'alembic_version'"
            )
        ).all()
    assert found
    prefixes = ("pk_", "fk_", "uq_", "ck_")
    assert [(table, name) for table, name in found if not name.startswith(prefixes)] == []


def test_upgrade_downgrade_upgrade_keeps_a_working_schema(db: Database) -> None:
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Before"))
    migrate.downgrade(db, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(db)
    assert migrate.stored_revision(db) == migrate.head_revision()
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="After"))
    with db.read() as session:
        assert [c.name for c in cohorts.list_cohorts(session)] == ["After"]


def test_upgrading_an_up_to_date_database_changes_nothing(db: Database) -> None:
    assert migrate.upgrade(db, db.file.parent / "backups" if db.file else None) is None


def _made_by_newer_version(db: Database) -> None:
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="From the future"))
        session.execute(text("UPDATE alembic_version SET version_num = 'ffffffff9999'"))
    db.dispose()


@sqlite_only("the bytes of the file and the files beside it")
def test_a_database_from_a_newer_version_is_refused_and_left_byte_identical(db: Database) -> None:
    _made_by_newer_version(db)
    file = db.file
    assert file is not None
    before = sha256(file)
    siblings = sorted(p.name for p in file.parent.iterdir())
    with pytest.raises(DatabaseVersionError, match="newer cohortdesk"):
        migrate.open_database(f"sqlite:///{file}", file.parent / "backups")
    assert sha256(file) == before
    assert sorted(p.name for p in file.parent.iterdir()) == siblings


def test_a_database_from_a_newer_version_on_a_server_is_refused_untouched(db: Database) -> None:
    _made_by_newer_version(db)
    with pytest.raises(DatabaseVersionError, match="newer cohortdesk"):
        migrate.open_database(db.url, None)
    with db.read() as session:
        assert [c.name for c in cohorts.list_cohorts(session)] == ["From the future"]
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "ffffffff9999"
        )


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    file = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(file)) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
        other.commit()
    before = sha256(file)
    with pytest.raises(DatabaseVersionError, match="not a cohortdesk database"):
        migrate.open_database(f"sqlite:///{file}", tmp_path)
    assert sha256(file) == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    file = tmp_path / "notes.sqlite"
    file.write_bytes(b"this is a text file, not SQLite " * 100)
    before = sha256(file)
    with pytest.raises(KnownError, match="not a cohortdesk database"):
        migrate.open_database(f"sqlite:///{file}", tmp_path)
    assert sha256(file) == before


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    db = migrate.open_database(f"sqlite:///{tmp_path / 'new' / 'folder' / 'x.sqlite'}", None)
    db.dispose()
    assert (tmp_path / "new" / "folder" / "x.sqlite").is_file()


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(KnownError, match="cannot create the folder"):
        migrate.open_database(f"sqlite:///{tmp_path / 'a-file' / 'x.sqlite'}", None)


@sqlite_only("a backup is a copy of the SQLite file")
def test_backup_copies_a_consistent_file_and_prunes_old_ones(db: Database, tmp_path: Path) -> None:
    assert db.file is not None
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Kept in the backup"))
    folder = tmp_path / "backups"
    for stamp in ("20260101", "20260102", "20260103"):
        backup_sqlite(db.file, folder / f"x-before-{stamp}.sqlite")
    assert not list(folder.glob("*.partial"))
    copy = Database(f"sqlite:///{folder / 'x-before-20260103.sqlite'}")
    with copy.read() as session:
        assert [c.name for c in cohorts.list_cohorts(session)] == ["Kept in the backup"]
    copy.dispose()
    assert (folder / "x-before-20260103.sqlite").stat().st_mode & 0o777 == 0o600
    removed = prune(folder, "x-before-*.sqlite", keep=2)
    assert [p.name for p in removed] == ["x-before-20260101.sqlite"]


@given(
    socket=st.lists(
        st.text(alphabet="abcdefghij-_.é +%0123456789", min_size=1, max_size=12).filter(
            lambda part: part.strip(". ") == part and part
        ),
        min_size=1,
        max_size=4,
    ),
    password=st.text(alphabet="abcXYZ019/%@:?&=", min_size=1, max_size=12),
)
def test_a_server_url_is_shown_readable_and_without_its_password(
    socket: list[str], password: str
) -> None:
    from sqlalchemy.engine import URL

    from cohortdesk.core.storage.db import readable_url

    folder = "/" + "/".join(socket)
    url = URL.create(
        "postgresql+psycopg",
        username="ana",
        password=password,
        database="team",
        query={"host": folder},
    ).render_as_string(hide_password=False)
    shown = readable_url(url)
    assert shown == f"postgresql+psycopg://ana:***@/team?host={folder}"
