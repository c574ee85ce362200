"""Backups (automatic, checked, pruned as a user would expect), `check`, `restore`, and what
happens to a damaged database at start-up: kept aside, never overwritten, with the newest good
backup or a salvage offered."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cohortdesk.cli.main import main
from cohortdesk.core.errors import KnownError
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.backup import (
    KEEP,
    BackupKind,
    backup_sqlite,
    daily_backup_if_due,
    list_backups,
    make_backup,
    remove_partials,
)
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.import_guard import guarded_import, marker_path
from cohortdesk.core.storage.recovery import CorruptDatabaseError, check_database, set_aside
from cohortdesk.core.storage.restore import restore_backup
from cohortdesk.core.storage.salvage import salvage
from tests.databases import sqlite_only
from tests.perf.moodle_log_gen import generate_moodle_log
from tests.safety.conftest import count, damage, integrity, make_demo, one_line

pytestmark = sqlite_only("backups, checks, recovery and salvage of the SQLite file")

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
COHORT = "Leading Online Learning (demo)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_file(demo_db: Database) -> Path:
    """The demo database, closed (nothing pending in its write-ahead log)."""
    assert demo_db.file is not None
    demo_db.dispose()
    return demo_db.file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- automatic backups and how many are kept ---------------------------------------------


def test_each_kind_of_backup_keeps_what_a_user_would_expect(
    demo_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    for hour in range(14):
        for kind in BackupKind:
            make_backup(demo_file, folder, kind, T0 + timedelta(hours=hour))
    kept = list_backups(folder, demo_file.stem)
    by_kind = {kind: [b for b in kept if b.kind is kind] for kind in BackupKind}
    assert {k: len(v) for k, v in by_kind.items()} == {
        BackupKind.DAILY: 7,
        BackupKind.IMPORT: 10,
        BackupKind.MIGRATION: 5,
        BackupKind.RESTORE: 5,
        BackupKind.MANUAL: 14,  # made by hand: never deleted by cohortdesk
    }
    assert KEEP[BackupKind.DAILY] == 7
    # The newest are kept, newest first.
    assert by_kind[BackupKind.DAILY][0].made_at == T0 + timedelta(hours=13)
    assert by_kind[BackupKind.DAILY][-1].made_at == T0 + timedelta(hours=7)
    assert all(b.size > 0 for b in kept)


def test_a_daily_backup_is_made_once_a_day(demo_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert daily_backup_if_due(demo_file, folder, T0) is not None
    assert daily_backup_if_due(demo_file, folder, T0 + timedelta(hours=23)) is None
    assert daily_backup_if_due(demo_file, folder, T0 + timedelta(hours=25)) is not None
    assert len(list_backups(folder)) == 2


def test_every_command_makes_the_days_backup_and_imports_back_up_first(
    paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "cohort", "create", "Spring")[0] == 0
    kinds = [b.kind for b in list_backups(paths.backup_dir)]
    assert kinds == [BackupKind.DAILY]
    log = tmp_path / "log.csv"
    generate_moodle_log(log, rows=300, users=10)
    assert run(capsys, "import", "moodle-log", str(log), "--cohort", "Spring", "--dry-run")[0] == 0
    assert [b.kind for b in list_backups(paths.backup_dir)] == [BackupKind.DAILY]
    assert run(capsys, "import", "moodle-log", str(log), "--cohort", "Spring")[0] == 0
    kinds = sorted(b.kind.value for b in list_backups(paths.backup_dir))
    assert kinds == ["before-import", "daily"]


def test_an_upgrade_backs_up_the_old_schema_first(paths: AppPaths) -> None:
    db = Database(f"sqlite:///{paths.default_db_file}")
    migrate.upgrade_to(db, "0002")
    db.dispose()
    db = migrate.open_database(f"sqlite:///{paths.default_db_file}", paths.backup_dir)
    db.dispose()
    [backup] = list_backups(paths.backup_dir)
    assert backup.kind is BackupKind.MIGRATION
    with closing(sqlite3.connect(backup.path)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"


def test_a_backup_of_a_damaged_database_is_refused_and_leaves_nothing(
    demo_file: Path, tmp_path: Path
) -> None:
    damage(demo_file, "activity_events")
    target = tmp_path / "copy.sqlite"
    with pytest.raises(KnownError, match=r"failed its check|malformed"):
        backup_sqlite(demo_file, target)
    assert list(tmp_path.glob("copy*")) == []


def test_leftovers_of_a_killed_backup_are_removed_at_start_up(paths: AppPaths) -> None:
    paths.backup_dir.mkdir(parents=True, exist_ok=True)
    for name in ("a.sqlite.partial", "a.sqlite.partial-journal", "a.sqlite.partial-wal"):
        (paths.backup_dir / name).write_bytes(b"half")
    kept = paths.backup_dir / "cohortdesk-20261001-080000-daily.sqlite"
    kept.write_bytes(b"x")
    migrate.open_database(f"sqlite:///{paths.default_db_file}", paths.backup_dir).dispose()
    assert sorted(p.name for p in paths.backup_dir.iterdir()) == [kept.name]
    assert remove_partials(paths.backup_dir) == []


# ---- cohortdesk check --------------------------------------------------------------------


def test_check_says_ok_for_a_sound_database(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check")
    assert (code, err) == (0, "")
    assert out.strip() == f"{demo_file}: ok (integrity, foreign keys and daily counts checked)"


def test_check_names_the_damage_in_one_line(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(demo_file)
    damage(demo_file, "activity_events")
    before = sha256(demo_file)
    code, out, err = run(capsys, "check")
    assert code == 1
    assert out == ""
    line = one_line(err)
    assert str(demo_file) in line and "damaged" in line
    assert sha256(demo_file) == before  # checking changes nothing


def test_check_reports_broken_links(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with closing(sqlite3.connect(demo_file)) as raw:
        raw.execute(
            "INSERT INTO member_notes (membership_id, created_at, body) "
            "VALUES (9999, '2026-10-01 08:00:00', 'orphan')"
        )
        raw.commit()
    code, _out, err = run(capsys, "check")
    assert code == 1
    assert "1 row of member_notes refer to missing memberships" in one_line(err)


def test_check_of_a_missing_database_is_one_line(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "check")
    assert code == 1
    assert "no database file there" in one_line(err)


# ---- restore -------------------------------------------------------------------------------


def test_restore_puts_a_backup_back_and_keeps_the_current_data(
    demo_file: Path, paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "before-spring.sqlite"
    assert run(capsys, "backup", str(backup))[0] == 0
    assert run(capsys, "cohort", "create", "Made after the backup")[0] == 0
    code, out, err = run(capsys, "restore", str(backup))
    assert (code, err) == (0, "")
    assert "Restored" in out and "before-restore" in out
    assert count(demo_file, "SELECT count(*) FROM cohorts WHERE name LIKE 'Made after%'") == 0
    [kept] = [b for b in list_backups(paths.backup_dir) if b.kind is BackupKind.RESTORE]
    assert count(kept.path, "SELECT count(*) FROM cohorts WHERE name LIKE 'Made after%'") == 1
    assert integrity(demo_file) == ("ok", [])


def test_restore_refuses_a_damaged_or_newer_backup_and_changes_nothing(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    assert run(capsys, "backup", str(damaged))[0] == 0
    damage(damaged, "activity_events")
    newer = tmp_path / "newer.sqlite"
    assert run(capsys, "backup", str(newer))[0] == 0
    with closing(sqlite3.connect(newer)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
        raw.commit()
    before = sha256(demo_file)
    for backup, words in ((damaged, "cannot be restored"), (newer, "newer cohortdesk")):
        code, _out, err = run(capsys, "restore", str(backup))
        assert code == 1
        assert words in one_line(err)
    assert sha256(demo_file) == before


def test_restore_upgrades_a_backup_from_an_older_version(
    paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.sqlite"
    db = Database(f"sqlite:///{old}")
    migrate.upgrade_to(db, "0003")
    db.dispose()
    assert run(capsys, "cohort", "create", "Current")[0] == 0
    assert run(capsys, "restore", str(old))[0] == 0
    db = migrate.open_database(f"sqlite:///{paths.default_db_file}", paths.backup_dir)
    try:
        assert migrate.stored_revision(db) == migrate.head_revision()
    finally:
        db.dispose()


# ---- a damaged database at start-up ------------------------------------------------------


def test_a_damaged_database_is_kept_aside_and_the_newest_good_backup_offered(
    demo_file: Path, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "cohort", "list")[0] == 0  # today's backup
    [good] = list_backups(paths.backup_dir)
    damage(demo_file, "activity_events")
    damaged_bytes = sha256(demo_file)

    code, out, err = run(capsys, "status", "--cohort", COHORT)
    assert (code, out) == (1, "")
    line = one_line(err)
    assert "is damaged" in line
    assert f"cohortdesk restore '{good.path}'" in line
    assert "cohortdesk salvage" in line
    assert not demo_file.exists()
    [aside] = list(paths.data_dir.glob("cohortdesk.sqlite.damaged-*"))
    assert sha256(aside) == damaged_bytes  # never written to

    assert run(capsys, "restore", str(good.path))[0] == 0
    code, out, _err = run(capsys, "status", "--cohort", COHORT, "--json")
    assert code == 0
    assert len(json.loads(out)["members"]) == 10
    assert aside.exists()


def test_a_damaged_database_with_no_backup_offers_a_salvage(
    demo_file: Path, paths: AppPaths
) -> None:
    damage(demo_file, "activity_events")
    with pytest.raises(CorruptDatabaseError) as caught:
        migrate.open_database(f"sqlite:///{demo_file}", paths.backup_dir)
    assert caught.value.backup is None
    assert "There is no good backup" in str(caught.value)
    assert caught.value.kept_as.exists()


def test_salvage_rescues_what_can_be_read_from_a_damaged_copy(
    db: Database, paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.write() as session:
        make_demo(session, members=24, days=56)
    assert db.file is not None
    db.dispose()
    events = count(db.file, "SELECT count(*) FROM activity_events")
    notes = count(db.file, "SELECT count(*) FROM member_notes")
    people_before = count(db.file, "SELECT count(*) FROM people")
    hit = damage(db.file, "activity_events", how_many=2)
    assert check_database(db.file).ok is False
    aside = set_aside(db.file)

    code, out, err = run(capsys, "salvage", str(aside))
    assert (code, err) == (0, "")
    assert "Rescued" in out and "some rows of activity_events were lost" in out
    assert integrity(db.file) == ("ok", [])
    rescued = count(db.file, "SELECT count(*) FROM activity_events")
    # Two damaged pages of ~4 KB hold well under a tenth of the events: the rest are back.
    assert events * 0.8 < rescued < events, (len(hit), rescued, events)
    assert count(db.file, "SELECT count(*) FROM member_notes") == notes
    assert count(db.file, "SELECT count(*) FROM people") == people_before
    code, out, _err = run(capsys, "status", "--cohort", COHORT, "--json")
    assert code == 0
    assert len(json.loads(out)["members"]) == 24


def test_salvage_never_overwrites_a_database(demo_file: Path, tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="exists already"):
        salvage(demo_file, demo_file)


def test_restore_into_the_place_of_a_damaged_database_keeps_it_aside(
    demo_file: Path, paths: AppPaths, tmp_path: Path
) -> None:
    good = tmp_path / "good.sqlite"
    backup_sqlite(demo_file, good)
    damage(demo_file, "activity_events")
    result = restore_backup(good, demo_file, paths.backup_dir)
    assert result.kept_as is not None and ".damaged-" in result.kept_as.name
    assert integrity(demo_file) == ("ok", [])


# ---- an import the power cut interrupted -------------------------------------------------


def test_an_interrupted_import_is_accounted_for_at_the_next_start(
    paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "cohort", "create", "Spring")[0] == 0
    log = tmp_path / "week1.csv"
    generate_moodle_log(log, rows=200, users=8)
    db_file = paths.default_db_file
    # A crash between the note and the commit: the note stays, nothing was imported.
    with pytest.raises(KeyboardInterrupt), guarded_import(db_file, paths.backup_dir, log, 1):
        marker = marker_path(db_file).read_bytes()
        raise KeyboardInterrupt
    marker_path(db_file).write_bytes(marker)
    code, _out, err = run(capsys, "cohort", "list")
    assert code == 0
    assert "The import of week1.csv into Spring" in err
    assert "nothing from it was imported" in err
    assert not marker_path(db_file).exists()
    # A crash after the commit, before the note was removed: all of it is in.
    marker_path(db_file).write_bytes(marker)
    assert run(capsys, "import", "moodle-log", str(log), "--cohort", "Spring")[0] == 0
    marker_path(db_file).write_bytes(marker)
    code, _out, err = run(capsys, "cohort", "list", "--json")
    assert "was interrupted after it finished: all of it is in" in err
