"""The process the crash tests kill: it imports, migrates, backs up and exports, forever.

Started once per test run as `python -m tests.safety.crash_child`, it imports cohortdesk and
then waits for orders on stdin, one per line: `run MODE HOME SEED`. For each it forks a worker
(cheap: everything is imported already, and no database is open in this process), answers
`ready PID`, and the worker loops over MODE's operations in HOME until it is killed. When the
worker dies this process answers `exited PID STATUS`. `quit` ends it.

Modes:
    import   import Moodle logs through the command line (backup, note, one transaction),
             undoing the oldest import now and then so the database stays small;
    migrate  downgrade to an older schema and open the database again (backup, upgrade);
    backup   `cohortdesk backup FILE` and automatic backups with their pruning;
    export   `cohortdesk export csv --with-events` and `export xapi` to fixed files;
    mixed    any of the above, at random.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from contextlib import closing, redirect_stderr, redirect_stdout
from pathlib import Path

from cohortdesk.cli.main import main
from cohortdesk.core.paths import DB_FILENAME
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.backup import BackupKind, make_backup
from cohortdesk.core.storage.db import Database, connect_sqlite

COHORT = "Crash cohort"
LOG_FILES = ("week1.csv", "week2.csv", "week3.csv")
EXPORT_CSV = "export.csv"
EXPORT_XAPI = "export.json"
BACKUP_COPY = "copy.sqlite"


def _cli(*argv: str) -> int:
    with Path(os.devnull).open("w") as sink, redirect_stdout(sink), redirect_stderr(sink):
        return main(list(argv))


def _db_file(home: Path) -> Path:
    return home / "data" / DB_FILENAME


def step_import(home: Path, rng: random.Random) -> None:
    _cli("import", "moodle-log", str(home / rng.choice(LOG_FILES)), "--cohort", COHORT)
    if rng.random() < 0.4:
        with closing(connect_sqlite(_db_file(home))) as raw:
            row = raw.execute(
                "SELECT min(id) FROM import_batches WHERE undone_at IS NULL"
            ).fetchone()
        if row and row[0] is not None:
            _cli("imports", "undo", str(row[0]))


def step_migrate(home: Path, rng: random.Random) -> None:
    url = f"sqlite:///{_db_file(home)}"
    revisions = sorted(migrate.known_revisions() - {migrate.head_revision()})
    db = Database(url)
    try:
        migrate.downgrade(db, rng.choice(revisions))
    finally:
        db.dispose()
    migrate.open_database(url, home / "data" / "backups").dispose()


def step_backup(home: Path, rng: random.Random) -> None:
    if rng.random() < 0.5:
        _cli("backup", str(home / BACKUP_COPY))
    else:
        kind = rng.choice([BackupKind.DAILY, BackupKind.IMPORT, BackupKind.MIGRATION])
        make_backup(_db_file(home), home / "data" / "backups", kind)


def step_export(home: Path, rng: random.Random) -> None:
    if rng.random() < 0.5:
        _cli("export", "csv", "--cohort", COHORT, "-o", str(home / EXPORT_CSV), "--with-events")
    else:
        _cli("export", "xapi", "--cohort", COHORT, "-o", str(home / EXPORT_XAPI))


STEPS = {
    "import": step_import,
    "migrate": step_migrate,
    "backup": step_backup,
    "export": step_export,
}


def work(mode: str, home: Path, seed: int) -> None:
    """Loop over the mode's operations until killed."""
    os.environ["COHORTDESK_HOME"] = str(home)
    rng = random.Random(seed)
    while True:
        name = rng.choice(list(STEPS)) if mode == "mixed" else mode
        STEPS[name](home, rng)


def serve() -> None:
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            return
        _, mode, home, seed = parts
        pid = os.fork()
        if pid == 0:  # the worker: never returns to the loop above, whatever happens
            try:
                work(mode, Path(home), int(seed))
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            os._exit(3)
        print(f"ready {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exited {pid} {status}", flush=True)


if __name__ == "__main__":
    serve()
