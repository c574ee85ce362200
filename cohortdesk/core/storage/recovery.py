"""Checking the database file, and what happens when it is damaged.

`check_database` is `cohortdesk check`: SQLite's integrity check and the foreign keys, read
only. At start-up `find_damage` runs the quick variant; a damaged file is never written to or
overwritten: `set_aside` renames it (with its -wal and -shm) to `NAME.damaged-STAMP` and
`CorruptDatabaseError` names the newest backup that passes its check (restore it) and the
file kept aside (salvage what can still be read from it).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cohortdesk.core.errors import DatabaseVersionError
from cohortdesk.core.storage.backup import BackupInfo, list_backups
from cohortdesk.core.storage.db import connect_sqlite
from cohortdesk.core.storage.schema_check import foreign_in, refusal
from cohortdesk.core.text import plural

SQLITE_HEADER = b"SQLite format 3\x00"
_COMPANIONS = ("-wal", "-shm")
_SHOWN_PROBLEMS = 3


def _one_line(text: object) -> str:
    """SQLite's reports span lines ("*** in database main ***\nPage 79: ..."): join them."""
    return " ".join(str(text).replace("*** in database main ***", "").split())


def looks_like_sqlite(file: Path) -> bool:
    """True when `file` starts with SQLite's header (an empty file does not)."""
    try:
        with file.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


@dataclass(frozen=True)
class CheckReport:
    """What `check_database` found: nothing (ok), or the problems, worst first."""

    file: Path
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        """One line for the command line and the status bar."""
        if self.ok:
            return f"{self.file}: ok (integrity and foreign keys checked)"
        shown = "; ".join(self.problems[:_SHOWN_PROBLEMS])
        more = len(self.problems) - _SHOWN_PROBLEMS
        return f"{self.file}: {shown}" + (f" (and {more} more problems)" if more > 0 else "")


def _foreign_key_problems(connection: sqlite3.Connection) -> list[str]:
    counts: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check"):
        counts[(table, parent)] = counts.get((table, parent), 0) + 1
    return [
        f"{plural(n, 'row')} of {table} refer to missing {parent}"
        for (table, parent), n in counts.items()
    ]


def check_database(file: Path, *, quick: bool = False) -> CheckReport:
    """Check `file` without changing it: integrity (or `quick`: the faster check) and foreign keys.

    A missing file, or one that is not SQLite at all, is reported as a problem too.
    """
    if not file.is_file():
        return CheckReport(file, ["no database file there"])
    if file.stat().st_size and not looks_like_sqlite(file):
        return CheckReport(file, ["not an SQLite database"])
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with closing(connect_sqlite(file, read_only=True)) as connection:
            verdicts = [_one_line(row[0]) for row in connection.execute(f"PRAGMA {pragma}")]
            problems = [] if verdicts == ["ok"] else [f"damaged: {v}" for v in verdicts]
            problems += _foreign_key_problems(connection)
            found = [] if problems else foreign_in(connection)
            if found:
                problems.append(refusal(found))
    except sqlite3.Error as exc:
        return CheckReport(file, [f"damaged: {_one_line(exc)}"])
    return CheckReport(file, problems)


def find_damage(file: Path) -> str | None:
    """The start-up check: None when `file` is sound, absent or not SQLite at all (that is
    refused elsewhere, untouched); else the first problem SQLite's quick check reports."""
    if not file.is_file() or file.stat().st_size == 0 or not looks_like_sqlite(file):
        return None
    try:
        with closing(connect_sqlite(file, read_only=True)) as connection:
            verdict = _one_line(connection.execute("PRAGMA quick_check(1)").fetchone()[0])
    except sqlite3.Error as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None  # in use by another program: not damage
        return _one_line(exc)
    return None if verdict == "ok" else verdict


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")


def set_aside(file: Path, now: datetime | None = None, label: str = "damaged") -> Path:
    """Rename `file` and its -wal and -shm to `NAME.LABEL-STAMP`; return the new name.

    The companions keep their suffixes, so SQLite still finds the write-ahead log of the copy
    kept aside (salvage reads what it holds).
    """
    aside = file.with_name(f"{file.name}.{label}-{_stamp(now)}")
    number = 1
    while aside.exists():
        number += 1
        aside = file.with_name(f"{file.name}.{label}-{_stamp(now)}-{number}")
    for suffix in _COMPANIONS:
        companion = file.with_name(file.name + suffix)
        if companion.exists():
            companion.replace(aside.with_name(aside.name + suffix))
    file.replace(aside)
    return aside


def newest_good_backup(folder: Path, stem: str) -> BackupInfo | None:
    """The newest backup of the database called `stem` that passes SQLite's quick check."""
    for backup in list_backups(folder, stem):
        if check_database(backup.path, quick=True).ok:
            return backup
    return None


class CorruptDatabaseError(DatabaseVersionError):
    """The database was damaged: it has been kept aside, and here is what the user can do.

    Attributes:
        file: where the database was (and where a restore or salvage puts it back).
        kept_as: the damaged file, renamed.
        problem: what SQLite reported.
        backup: the newest good backup, if there is one.
    """

    def __init__(self, file: Path, kept_as: Path, problem: str, backup: BackupInfo | None) -> None:
        self.file = file
        self.kept_as = kept_as
        self.problem = problem
        self.backup = backup
        if backup is not None:
            offer = (
                f"Restore the newest good backup ({backup.made_at:%Y-%m-%d %H:%M} UTC) with: "
                f"cohortdesk restore '{backup.path}'; or rescue what can be read with: "
            )
        else:
            offer = "There is no good backup; rescue what can be read with: "
        super().__init__(
            f"{file} is damaged ({problem}). It was kept as {kept_as.name} and nothing was "
            f"overwritten. {offer}cohortdesk salvage '{kept_as}'"
        )


def set_aside_if_damaged(file: Path, backup_dir: Path | None) -> None:
    """At start-up: keep a damaged database aside and raise `CorruptDatabaseError`.

    Raises:
        CorruptDatabaseError: `file` is damaged; it has been renamed aside.
    """
    problem = find_damage(file)
    if problem is None:
        return
    kept_as = set_aside(file)
    backup = newest_good_backup(backup_dir, file.stem) if backup_dir is not None else None
    raise CorruptDatabaseError(file, kept_as, problem, backup)
