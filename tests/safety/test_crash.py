"""Kill -9 at random moments during imports, migrations, backups and exports; then check.

After every kill: the database passes `PRAGMA integrity_check` and `foreign_key_check`, every
import that committed is whole (its batch's `inserted` equals its events) and none is partial,
an interrupted import is accounted for, every backup that has its final name is sound, every
export file is complete, the data the migrations carry survives, and cohortdesk opens it.

`make test` runs a short, seeded version (`COHORTDESK_CRASH_KILLS`, default 10); `make stress`
runs hundreds of kills (`COHORTDESK_CRASH_KILLS=300`, `COHORTDESK_CRASH_SEED` to vary them).
A killed worker is forked from a process that has everything imported, so a kill costs
milliseconds rather than a Python start-up.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from cohortdesk.cli.main import main
from cohortdesk.core.paths import DB_FILENAME
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.import_guard import interrupted_import, marker_path
from cohortdesk.core.storage.recovery import check_database
from tests.perf.moodle_log_gen import generate_moodle_log
from tests.safety import crash_child
from tests.safety.conftest import REPO, batches_whole, child_env, integrity

KILLS = int(os.environ.get("COHORTDESK_CRASH_KILLS", "10"))
SEED = int(os.environ.get("COHORTDESK_CRASH_SEED", "20261122"))
MODES = ("import", "migrate", "backup", "export", "import", "mixed")
#: the longest wait before the kill, per mode (seconds): about one or two operations
WINDOWS = {"import": 1.6, "migrate": 1.0, "backup": 0.8, "export": 1.2, "mixed": 1.6}
LOG_ROWS = 3000


@dataclass
class Zygote:
    process: subprocess.Popen[str]
    stdin: IO[str]
    stdout: IO[str]
    errors: Path

    def command(self, line: str) -> str:
        self.stdin.write(line + "\n")
        self.stdin.flush()
        return self.read()

    def read(self) -> str:
        answer = self.stdout.readline()
        if not answer:
            raise AssertionError(f"the crash child died:\n{self.errors.read_text()[-3000:]}")
        return answer.strip()


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    errors = tmp_path_factory.mktemp("zygote") / "stderr.txt"
    with errors.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.safety.crash_child"],
            cwd=REPO,
            env=child_env(tmp_path_factory.mktemp("unused")),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
        )
    assert process.stdin is not None and process.stdout is not None
    yield Zygote(process, process.stdin, process.stdout, errors)
    process.stdin.write("quit\n")
    process.stdin.close()
    process.wait(timeout=30)


def _base(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A demo cohort and three Moodle logs: what every mode starts from (made once, copied)."""
    monkeypatch.setenv("COHORTDESK_HOME", str(home))
    cohort = crash_child.COHORT
    assert main(["demo", "--cohort", cohort, "--members", "12", "--days", "14", "--seed", "5"]) == 0
    for number, name in enumerate(crash_child.LOG_FILES):
        generate_moodle_log(home / name, rows=LOG_ROWS, users=40, seed=number)


def _setup(home: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Make `home` (a copy of the base) ready for `mode`; returns what kills must not change."""
    monkeypatch.setenv("COHORTDESK_HOME", str(home))
    cohort = crash_child.COHORT
    expected: dict[str, object] = {}
    if mode in ("migrate", "mixed"):
        assert main(["import", "moodle-log", str(home / "week1.csv"), "--cohort", cohort]) == 0
    if mode in ("export", "mixed"):
        for name, argv in (
            (crash_child.EXPORT_CSV, ["csv", "--with-events"]),
            (crash_child.EXPORT_XAPI, ["xapi"]),
        ):
            reference = home / f"reference-{name}"
            command = ["export", argv[0], "--cohort", cohort, "-o", str(reference), *argv[1:]]
            assert main(command) == 0
    db_file = home / "data" / DB_FILENAME
    # What no operation of the mode changes (imports add people; undoing them removes them).
    kept = ["cohorts", "member_notes", "motivation_checks"]
    if mode not in ("import", "mixed"):
        kept += ["people", "memberships", "identities", "stage_changes"]
    with closing(sqlite3.connect(db_file)) as raw:
        for table in kept:
            expected[table] = raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return expected


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, object]]]:
    made = {}
    base = tmp_path_factory.mktemp("crash-base")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _base(base, monkeypatch)
        for mode in sorted(set(MODES)):
            home = tmp_path_factory.mktemp(f"crash-{mode}")
            shutil.copytree(base, home, dirs_exist_ok=True)
            made[mode] = (home, _setup(home, mode, monkeypatch))
    return made


def _check_exports(home: Path, exact: bool) -> list[str]:
    """Every export file is complete: equal to the reference made before the kills when the
    data does not change (`exact`), else whole (the CSV ends its last row, the JSON parses)."""
    problems = []
    for name in (crash_child.EXPORT_CSV, "export-events.csv", crash_child.EXPORT_XAPI):
        written = home / name
        if not written.exists():
            continue
        data = written.read_bytes()
        if exact:
            if data != (home / f"reference-{name}").read_bytes():
                problems.append(f"{name} differs from a complete export")
        elif name.endswith(".json"):
            try:
                json.loads(data)
            except ValueError:
                problems.append(f"{name} is not complete JSON")
        elif not data.endswith(b"\r\n") and not data.endswith(b"\n"):
            problems.append(f"{name} stops mid-row")
    return problems


def _verify(home: Path, mode: str, expected: dict[str, object]) -> None:
    db_file = home / "data" / DB_FILENAME
    backups = home / "data" / "backups"
    verdict, broken = integrity(db_file)
    assert verdict == "ok", verdict
    assert broken == []
    assert batches_whole(db_file) == []
    for backup in [*backups.glob("*.sqlite"), home / crash_child.BACKUP_COPY]:
        if backup.exists():
            assert check_database(backup, quick=True).ok, f"{backup.name} is not a sound backup"
    assert _check_exports(home, exact=mode == "export") == []
    noted = marker_path(db_file).exists()

    db = migrate.open_database(f"sqlite:///{db_file}", backups)
    try:
        assert migrate.stored_revision(db) == migrate.head_revision()
        with db.read() as session:
            account = interrupted_import(session, db.file)
        # An import the kill interrupted is accounted for: complete, or not there at all
        # (whole batches are checked above), and the note is gone once told.
        assert (account is not None) == noted
    finally:
        db.dispose()
    assert not marker_path(db_file).exists()
    assert not list(backups.glob("*.partial*")), "a killed backup's leftovers were not removed"
    with closing(sqlite3.connect(db_file)) as raw:
        for table, number in expected.items():
            found = raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert found == number, f"{table}: {found} rows, expected {number}"
    assert integrity(db_file) == ("ok", [])


@pytest.mark.parametrize("kill", range(KILLS))
def test_a_kill_at_a_random_moment_loses_nothing_committed(
    kill: int, zygote: Zygote, homes: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    rng = random.Random(SEED * 1000 + kill)
    mode = MODES[kill % len(MODES)]
    home, expected = homes[mode]
    answer = zygote.command(f"run {mode} {home} {rng.randrange(1 << 30)}")
    assert answer.startswith("ready "), answer
    pid = int(answer.split()[1])
    time.sleep(rng.uniform(0.05, WINDOWS[mode]))
    with contextlib.suppress(ProcessLookupError):  # it stopped by itself: reported below
        os.kill(pid, signal.SIGKILL)
    exited = zygote.read()
    assert exited.startswith(f"exited {pid} "), exited
    status = int(exited.split()[2])
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"the {mode} worker stopped by itself before the kill:\n{zygote.errors.read_text()[-3000:]}"
    )
    _verify(home, mode, expected)
