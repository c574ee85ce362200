"""A full disk and a read-only folder: one clear line, nothing half-written, and the same
action succeeds once there is room (or permission) again.

A full disk is simulated with RLIMIT_FSIZE in a child process (SIGXFSZ ignored, so a write past
the limit fails with EFBIG the way a full disk fails with ENOSPC); a read-only folder with
chmod, in a child that has lost root's power to ignore permissions when the tests run as root.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from cohortdesk.cli.main import main
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.storage.errors import (
    Problem,
    StorageError,
    from_os_error,
    from_sqlite_error,
    storage_errors,
)
from tests.perf.moodle_log_gen import generate_moodle_log
from tests.safety.conftest import (
    batches_whole,
    count,
    integrity,
    one_line,
    read_only_works,
    run_cli,
)

COHORT = "Spring"
LIMIT = 1_000_000  # bytes: room for the database and its backups, not for a 12,000-row import


@pytest.fixture
def home(paths: AppPaths, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A data folder with one empty cohort (made in this process)."""
    assert main(["cohort", "create", COHORT]) == 0
    capsys.readouterr()
    return isolated_home


@pytest.fixture
def moodle_log(tmp_path: Path) -> Path:
    path = tmp_path / "logs.csv"
    generate_moodle_log(path, rows=12_000, users=60)
    return path


def here(*argv: str) -> int:
    """Run the command line in this process (no limit needed): the exit code."""
    return main(list(argv))


def leftovers(folder: Path) -> list[str]:
    """Temporary files a failed write must not leave."""
    return sorted(
        p.name
        for p in folder.rglob("*")
        if p.name.endswith((".partial", ".tmp")) or ".partial" in p.name
    )


# ---- the mapping, one error at a time ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "problem", "words"),
    [
        (errno.ENOSPC, Problem.DISK_FULL, "the disk is full"),
        (errno.EFBIG, Problem.DISK_FULL, "the disk is full"),
        (errno.EDQUOT, Problem.DISK_FULL, "the disk is full"),
        (errno.EROFS, Problem.READ_ONLY, "cannot write to"),
        (errno.EACCES, Problem.DENIED, "cannot write to"),
        (errno.EPERM, Problem.DENIED, "cannot write to"),
    ],
)
def test_os_errors_become_one_clear_line(
    tmp_path: Path, code: int, problem: Problem, words: str
) -> None:
    error = from_os_error(OSError(code, "whatever the system says", str(tmp_path / "x")))
    assert error is not None
    assert error.problem is problem
    assert words in str(error)
    assert "\n" not in str(error)


def test_other_os_errors_are_not_storage_problems() -> None:
    assert from_os_error(OSError(errno.ENOENT, "No such file")) is None


def _sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("message", "code", "problem"),
    [
        ("database or disk is full", 13, Problem.DISK_FULL),
        ("attempt to write a readonly database", 8, Problem.READ_ONLY),
        ("database is locked", 5, Problem.BUSY),
        ("database disk image is malformed", 11, Problem.DAMAGED),
        ("file is not a database", 26, Problem.DAMAGED),
    ],
)
def test_sqlite_errors_become_one_clear_line(
    tmp_path: Path, message: str, code: int, problem: Problem
) -> None:
    error = from_sqlite_error(_sqlite_error(message, code), tmp_path / "db.sqlite")
    assert error is not None
    assert error.problem is problem
    assert str(tmp_path / "db.sqlite") in str(error)
    assert "\n" not in str(error)


def test_a_constraint_failure_is_not_a_storage_problem(tmp_path: Path) -> None:
    error = sqlite3.IntegrityError("UNIQUE constraint failed: cohorts.name")
    assert from_sqlite_error(error, tmp_path / "db.sqlite") is None
    with pytest.raises(sqlite3.IntegrityError), storage_errors(tmp_path):
        raise error


# ---- a full disk ---------------------------------------------------------------------------


def test_an_import_on_a_full_disk_stores_nothing_then_succeeds(
    home: Path, paths: AppPaths, moodle_log: Path
) -> None:
    db_file = paths.default_db_file
    full = run_cli(
        home, "import", "moodle-log", str(moodle_log), "--cohort", COHORT, file_size_limit=LIMIT
    )
    assert full.returncode == 1, full.stderr
    line = one_line(full.stderr)
    assert "the disk is full" in line
    assert str(db_file) in line
    assert integrity(db_file) == ("ok", [])
    assert count(db_file, "SELECT count(*) FROM import_batches") == 0
    assert count(db_file, "SELECT count(*) FROM activity_events") == 0
    assert leftovers(home) == []
    assert not db_file.with_name(db_file.name + ".import-in-progress").exists()

    assert here("import", "moodle-log", str(moodle_log), "--cohort", COHORT) == 0
    assert count(db_file, "SELECT count(*) FROM import_batches") == 1
    assert count(db_file, "SELECT count(*) FROM activity_events") > 5_000
    assert batches_whole(db_file) == []
    assert integrity(db_file) == ("ok", [])


def test_a_backup_on_a_full_disk_leaves_no_file_then_succeeds(
    home: Path, paths: AppPaths, moodle_log: Path, tmp_path: Path
) -> None:
    assert here("import", "moodle-log", str(moodle_log), "--cohort", COHORT) == 0
    size = paths.default_db_file.stat().st_size
    assert size > 2 * LIMIT // 3
    target = tmp_path / "copy.sqlite"
    full = run_cli(home, "backup", str(target), file_size_limit=size // 2)
    assert full.returncode == 1, full.stderr
    assert "the disk is full" in one_line(full.stderr)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == []

    assert here("backup", str(target)) == 0
    assert integrity(target) == ("ok", [])
    assert target.stat().st_mode & 0o777 == 0o600


def test_an_export_on_a_full_disk_leaves_no_file_then_succeeds(
    home: Path, moodle_log: Path, tmp_path: Path
) -> None:
    assert here("import", "moodle-log", str(moodle_log), "--cohort", COHORT) == 0
    out = tmp_path / "out"
    out.mkdir()
    target = out / "spring.csv"
    argv = ("export", "csv", "--cohort", COHORT, "-o", str(target), "--with-events")
    full = run_cli(home, *argv, file_size_limit=200_000)
    assert full.returncode == 1, full.stderr
    assert "the disk is full" in one_line(full.stderr)
    assert list(out.iterdir()) == []

    assert here(*argv) == 0
    assert sorted(p.name for p in out.iterdir()) == ["spring-events.csv", "spring.csv"]


# ---- a read-only folder ------------------------------------------------------------------


@pytest.fixture
def read_only_possible(tmp_path: Path) -> None:
    reason = read_only_works(tmp_path)
    if reason is not None:
        pytest.skip(f"a read-only folder cannot be simulated here: {reason}")


@pytest.mark.usefixtures("read_only_possible")
def test_an_import_into_a_read_only_folder_says_so_then_succeeds(
    home: Path, paths: AppPaths, moodle_log: Path
) -> None:
    db_file = paths.default_db_file
    before = db_file.read_bytes()
    paths.data_dir.chmod(0o500)
    try:
        refused = run_cli(
            home,
            "import",
            "moodle-log",
            str(moodle_log),
            "--cohort",
            COHORT,
            permissions_apply=True,
        )
    finally:
        paths.data_dir.chmod(0o700)
    assert refused.returncode == 1, refused.stderr
    line = one_line(refused.stderr)
    assert f"cannot write to {paths.data_dir}" in line
    assert db_file.read_bytes() == before
    assert integrity(db_file) == ("ok", [])

    assert here("import", "moodle-log", str(moodle_log), "--cohort", COHORT) == 0
    assert count(db_file, "SELECT count(*) FROM import_batches") == 1


@pytest.mark.usefixtures("read_only_possible")
def test_a_read_only_database_file_says_so(home: Path, paths: AppPaths) -> None:
    db_file = paths.default_db_file
    db_file.chmod(0o400)
    try:
        refused = run_cli(home, "cohort", "create", "Autumn", permissions_apply=True)
    finally:
        db_file.chmod(0o600)
    assert refused.returncode == 1, refused.stderr
    line = one_line(refused.stderr)
    assert "cannot write to" in line
    assert "read-only" in line
    assert count(db_file, "SELECT count(*) FROM cohorts") == 1
    assert here("cohort", "create", "Autumn") == 0


@pytest.mark.usefixtures("read_only_possible")
def test_an_export_into_a_read_only_folder_says_so(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        refused = run_cli(
            home,
            "export",
            "csv",
            "--cohort",
            COHORT,
            "-o",
            str(out / "spring.csv"),
            permissions_apply=True,
        )
    finally:
        out.chmod(0o700)
    assert refused.returncode == 1, refused.stderr
    assert f"cannot write to {out}" in one_line(refused.stderr)
    assert list(out.iterdir()) == []


def test_a_storage_error_in_a_write_session_is_a_known_error(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohortdesk.core.storage import migrate

    db = migrate.open_database(f"sqlite:///{paths.default_db_file}", paths.backup_dir)
    try:
        with pytest.raises(StorageError, match="the disk is full"), db.write() as session:
            connection = session.connection().connection.driver_connection
            assert connection is not None
            raise _sqlite_error("database or disk is full", 13)
    finally:
        db.dispose()
