"""Putting a backup back: checked first, the current database kept aside, then copied in.

The copy goes through SQLite's backup API into the database file itself, as one transaction:
a crash half-way leaves the database as it was, and a window that has the database open sees
the restored data on its next read. Afterwards the caller opens the database as usual, which
upgrades a backup made by an older cohortdesk; a program that has it open already calls
`restore_open_database`, which upgrades it in place.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cohortdesk.core.errors import KnownError
from cohortdesk.core.paths import check_regular_file
from cohortdesk.core.schemas import Changed, Changes
from cohortdesk.core.storage.backup import BackupKind, make_backup
from cohortdesk.core.storage.db import Database, connect_sqlite, create_private_file
from cohortdesk.core.storage.errors import storage_errors
from cohortdesk.core.storage.migrate import known_revisions, upgrade
from cohortdesk.core.storage.recovery import check_database, find_damage, set_aside


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did."""

    restored_from: Path
    database: Path
    #: the database as it was before: a `before-restore` backup, or the damaged file set aside
    kept_as: Path | None

    def message(self) -> str:
        kept = f"; the database as it was is kept as {self.kept_as}" if self.kept_as else ""
        return f"Restored {self.database} from {self.restored_from.name}{kept}"


def check_backup(backup: Path) -> str:
    """Check that `backup` is a sound cohortdesk database this version can open.

    Returns:
        Its schema revision.

    Raises:
        KnownError: missing, damaged, not a cohortdesk database, or from a newer cohortdesk.
    """
    report = check_database(backup)
    if not report.ok:
        raise KnownError(f"{backup} cannot be restored: {report.line().split(': ', 1)[1]}")
    try:
        with closing(connect_sqlite(backup, read_only=True)) as raw:
            row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise KnownError(f"{backup} cannot be restored: not a cohortdesk database") from exc
    if row is None:
        raise KnownError(f"{backup} cannot be restored: not a cohortdesk database")
    revision = str(row[0])
    if revision not in known_revisions():
        raise KnownError(
            f"{backup} was made by a newer cohortdesk (schema {revision}); update cohortdesk "
            "to restore it"
        )
    return revision


def restore_backup(
    backup: Path, db_file: Path, backup_dir: Path, now: datetime | None = None
) -> RestoreResult:
    """Replace the database at `db_file` with the content of `backup`.

    The current database is kept first: backed up as `before-restore` when sound, renamed
    aside when damaged. Nothing is changed if the backup fails its check.

    Raises:
        KnownError: the backup cannot be restored (see `check_backup`).
        StorageError: the disk is full or the folder cannot be written.
    """
    check_regular_file(db_file)
    if backup.resolve() == db_file.resolve():
        raise KnownError(f"{backup} is the database itself, not a backup of it")
    check_backup(backup)
    kept_as: Path | None = None
    with storage_errors(db_file):
        if db_file.is_file() and db_file.stat().st_size > 0:
            if find_damage(db_file) is None:
                kept_as = make_backup(db_file, backup_dir, BackupKind.RESTORE, now)
            else:
                kept_as = set_aside(db_file, now)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(db_file)
        with (
            closing(connect_sqlite(backup, read_only=True)) as source,
            closing(connect_sqlite(db_file)) as target,
        ):
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            verdict = target.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":  # pragma: no cover - the backup passed its check just before
        raise KnownError(f"{db_file}: the restored database failed its check ({verdict})")
    return RestoreResult(backup, db_file, kept_as)


def restore_open_database(db: Database, backup: Path, backup_dir: Path) -> Changed[RestoreResult]:
    """Restore `backup` into the database file `db` has open, then upgrade it if it is older.

    Everything read from the database before is stale afterwards: the change is everything.

    Raises:
        KnownError: `db` is not a database file, or the backup cannot be restored.
        StorageError: the disk is full or the folder cannot be written.
    """
    if db.file is None:
        raise KnownError("Only an SQLite database file can be restored from a backup")
    result = restore_backup(backup, db.file, backup_dir)
    upgrade(db, backup_dir)
    return Changed(value=result, changes=Changes(everything=True))
