"""The note of a running import is told from the note of a dead one by a lock its process holds.

Any other command used to read and delete the note of an import still running ("was
interrupted ... Import the file again" while it went on to finish). Now only a note whose
process has ended, however it ended (kill -9 included), is reported, and exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cohortdesk.core.paths import AppPaths
from cohortdesk.core.storage.import_guard import guarded_import, marker_path
from tests.cli.support import run

HOLD = """
import sys, time
from pathlib import Path
from cohortdesk.core.storage.import_guard import guarded_import
db_file, backups, source = map(Path, sys.argv[1:4])
with guarded_import(db_file, backups, source, cohort_id=1):
    print("holding", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def spring(capsys: pytest.CaptureFixture[str], paths: AppPaths, tmp_path: Path) -> Path:
    assert run(capsys, "cohort", "create", "Spring")[0] == 0
    log = tmp_path / "week1.csv"
    log.write_text("who,when,kind\nAnn,2024-02-13 10:00,post\n")
    return log


@pytest.mark.parametrize(
    "command",
    [("cohort", "list"), ("status", "--cohort", "Spring"), ("report", "--cohort", "Spring")],
)
def test_other_commands_leave_the_note_of_a_running_import_alone(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, spring: Path, command: tuple[str, ...]
) -> None:
    db_file = paths.default_db_file
    with guarded_import(db_file, paths.backup_dir, spring, cohort_id=1):
        code, _, err = run(capsys, *command)
        assert code == 0 and "interrupted" not in err, err
        assert marker_path(db_file).exists()
    assert not marker_path(db_file).exists()
    code, _, err = run(capsys, "cohort", "list")
    assert "interrupted" not in err  # it finished: nothing to report afterwards either


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")
def test_an_import_killed_with_sigkill_is_reported_once_by_the_next_command(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, spring: Path
) -> None:
    db_file = paths.default_db_file
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_file), str(paths.backup_dir), str(spring)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"
        code, _, err = run(capsys, "cohort", "list")
        assert "interrupted" not in err and marker_path(db_file).exists()  # still running
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert marker_path(db_file).exists()
    code, _, err = run(capsys, "cohort", "list")
    assert code == 0 and "The import of week1.csv into Spring" in err, err
    assert "nothing from it was imported" in err
    assert not marker_path(db_file).exists()
    assert "interrupted" not in run(capsys, "cohort", "list")[2]
