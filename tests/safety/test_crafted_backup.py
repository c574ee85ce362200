"""A database or backup holding what cohortdesk never makes is refused before it runs.

A backup with an extra table and a trigger (`after delete on people ... insert into zz_keep`)
passed every check, was restored, and erase then copied the person into the attacker's table.
Restore, open and check now compare the file's schema with the one cohortdesk made for its
revision: any other table, index, view or trigger is refused.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.paths import app_paths
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.schema_check import SCHEMA_QUERY, current_schema, schema_of
from tests.cli.support import run
from tests.safety.fuzz import FUZZ

KEEP = (
    "CREATE TABLE zz_keep (name TEXT, email TEXT)",
    "CREATE TRIGGER keep_people AFTER DELETE ON people "
    "BEGIN INSERT INTO zz_keep VALUES (old.full_name, old.email); END",
)
#: one foreign object of each kind, on any of cohortdesk's tables
CRAFTS = {
    "table": lambda t: [f"CREATE TABLE zz_{t} (x)"],
    "view": lambda t: [f"CREATE VIEW zz_view_{t} AS SELECT * FROM {t}"],
    "index": lambda t: [f"CREATE INDEX zz_ix_{t} ON {t} (id)"],
    "trigger": lambda t: [
        f"CREATE TRIGGER zz_tr_{t} AFTER DELETE ON {t} BEGIN SELECT 1; END",
    ],
}
TABLES = ["people", "activity_events", "cohorts", "memberships", "member_notes"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _craft(file: Path, statements: list[str] | tuple[str, ...]) -> None:
    with closing(sqlite3.connect(file)) as connection, connection:
        for sql in statements:
            connection.execute(sql)


@pytest.fixture
def backup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    assert run(capsys, "demo", "--members", "8", "--days", "14")[0] == 0
    path = tmp_path / "backup.sqlite"
    assert run(capsys, "backup", str(path))[0] == 0
    return path


def test_the_keep_erased_people_backup_is_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], backup: Path
) -> None:
    _craft(backup, KEEP)
    live = app_paths().default_db_file
    before = _sha(live)
    code, _, err = run(capsys, "restore", str(backup))
    assert code == 1 and "trigger keep_people" in err and "table zz_keep" in err, err
    assert len(err.strip().splitlines()) == 1
    assert _sha(live) == before


@FUZZ
@given(kind=st.sampled_from(sorted(CRAFTS)), table=st.sampled_from(TABLES))
def test_any_foreign_object_in_a_backup_is_refused(
    capsys: pytest.CaptureFixture[str], backup: Path, kind: str, table: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        crafted = Path(folder) / "crafted.sqlite"
        crafted.write_bytes(backup.read_bytes())
        _craft(crafted, CRAFTS[kind](table))
        code, _, err = run(capsys, "restore", str(crafted))
    assert code == 1 and f"{kind} zz_" in err, err


@pytest.mark.parametrize("kind", sorted(CRAFTS))
def test_a_live_database_with_a_foreign_object_is_refused_by_every_command_and_check(
    capsys: pytest.CaptureFixture[str], backup: Path, kind: str
) -> None:
    live = app_paths().default_db_file
    _craft(live, CRAFTS[kind]("people"))
    for command in (("cohort", "list"), ("check",)):
        code, _, err = run(capsys, *command)
        assert code == 1 and f"{kind} zz_" in err and "tampered" in err, (command, err)


def test_an_older_backup_is_judged_by_its_own_revision(
    capsys: pytest.CaptureFixture[str], backup: Path, tmp_path: Path
) -> None:
    older = migrate.revisions_in_order()[-2]
    db = Database(f"sqlite:///{backup}")
    try:
        migrate.downgrade(db, older)
    finally:
        db.dispose()
    clean = tmp_path / "clean.sqlite"
    clean.write_bytes(backup.read_bytes())
    _craft(backup, KEEP)
    code, _, err = run(capsys, "restore", str(backup))
    assert code == 1 and "trigger keep_people" in err, err
    code, _, err = run(capsys, "restore", str(clean))
    assert code == 0, err  # an older backup as cohortdesk made it is restored, then upgraded


def test_the_models_describe_exactly_what_the_migrations_make(tmp_path: Path) -> None:
    # The current revision's schema is read from the models; they must not drift apart.
    file = tmp_path / "fresh.sqlite"
    db = Database(f"sqlite:///{file}")
    try:
        migrate.upgrade(db, None)
    finally:
        db.dispose()
    with closing(sqlite3.connect(file)) as connection:
        assert schema_of(connection.execute(SCHEMA_QUERY)) == current_schema()
