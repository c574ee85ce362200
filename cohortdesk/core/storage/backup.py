"""Copies of the database file made with SQLite's online backup API, and how many are kept.

A copy is written beside its final name (owner-only from its first byte), checked with
`PRAGMA integrity_check`, and only then renamed into place, so a half-written backup never
looks like a good one; a backup killed half-way leaves a `.partial` file that the next start
removes.

Automatic backups live in the data folder's `backups/`, named
`cohortdesk-20261122-081500-daily.sqlite` (database stem, UTC time, kind), and are kept as a
user would expect:

- `daily`: one a day, made at start-up when the newest is more than a day old; the last 7;
- `before-import`: before every import; the last 10;
- `before-upgrade`: before a new version changes the schema; the last 5;
- `before-restore`: the database as it was before a restore replaced it; the last 5;
- `manual`: "Back up now" into the backups folder; never deleted by cohortdesk.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cohortdesk.core.errors import KnownError
from cohortdesk.core.paths import check_regular_file
from cohortdesk.core.storage.db import OWNER_ONLY, connect_sqlite, create_private_file
from cohortdesk.core.storage.errors import as_storage_error
from cohortdesk.core.storage.safefile import sync_folder


class BackupKind(StrEnum):
    """Why a backup was made; each kind has its own retention."""

    DAILY = "daily"
    IMPORT = "before-import"
    MIGRATION = "before-upgrade"
    RESTORE = "before-restore"
    MANUAL = "manual"


#: how many automatic backups of each kind are kept (manual ones are never pruned)
KEEP: dict[BackupKind, int] = {
    BackupKind.DAILY: 7,
    BackupKind.IMPORT: 10,
    BackupKind.MIGRATION: 5,
    BackupKind.RESTORE: 5,
}
DAILY_EVERY = timedelta(days=1)
PARTIAL_SUFFIX = ".partial"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>"
    + "|".join(re.escape(k.value) for k in BackupKind)
    + r")\.sqlite$"
)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, as the restore dialog lists it."""

    path: Path
    kind: BackupKind
    made_at: datetime
    size: int

    @property
    def label(self) -> str:
        """`daily`, `before import`... in words."""
        return self.kind.value.replace("-", " ")


_PARTIAL_COMPANIONS = ("", "-journal", "-wal", "-shm")


def _remove_partial(partial: Path) -> None:
    for suffix in _PARTIAL_COMPANIONS:
        partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy the SQLite database at `source` to `destination`, checked and atomically.

    Raises:
        StorageError: the disk is full or the folder cannot be written.
        KnownError: the copy cannot be made or does not pass the integrity check.
    """
    check_regular_file(destination)  # never rename a copy over a device or a pipe
    partial = destination.with_name(destination.name + PARTIAL_SUFFIX)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _remove_partial(partial)
        create_private_file(partial)
        with (
            closing(connect_sqlite(source, read_only=True)) as src,
            closing(connect_sqlite(partial)) as dst,
        ):
            src.backup(dst)
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise KnownError(f"{destination}: the backup copy failed its check ({verdict})")
        partial.chmod(OWNER_ONLY)
        partial.replace(destination)
        sync_folder(destination.parent)
    except (OSError, sqlite3.Error) as exc:
        mapped = as_storage_error(exc, destination)
        if mapped is not None:
            raise mapped from exc
        raise KnownError(f"{destination}: cannot write the backup ({exc})") from exc
    finally:
        _remove_partial(partial)
    return destination


def backup_name(stem: str, kind: BackupKind, now: datetime | None = None) -> str:
    """`cohortdesk-20261122-081500-daily.sqlite`: sorts by time among backups of one database."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP)
    return f"{stem}-{moment}-{kind.value}.sqlite"


def prune(folder: Path, pattern: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` files matching `pattern`; return what was deleted."""
    files = sorted(folder.glob(pattern), key=lambda p: p.name, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
    return files[keep:]


def make_backup(db_file: Path, folder: Path, kind: BackupKind, now: datetime | None = None) -> Path:
    """Back `db_file` up into `folder` as a backup of `kind`, then drop the oldest of that kind.

    Raises:
        StorageError, KnownError: as `backup_sqlite`.
    """
    made = backup_sqlite(db_file, folder / backup_name(db_file.stem, kind, now))
    keep = KEEP.get(kind)
    if keep is not None:
        prune(folder, f"{db_file.stem}-????????-??????-{kind.value}.sqlite", keep)
    return made


def list_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """The backups in `folder` (of the database called `stem`, if given), newest first."""
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for path in folder.glob("*.sqlite"):
        match = _NAME.match(path.name)
        if match is None or (stem is not None and match["stem"] != stem):
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        made_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        found.append(BackupInfo(path, BackupKind(match["kind"]), made_at, size))
    found.sort(key=lambda b: (b.made_at, b.path.name), reverse=True)
    return found


def daily_backup_if_due(db_file: Path, folder: Path, now: datetime | None = None) -> Path | None:
    """Make today's daily backup unless the newest one is less than a day old.

    Returns:
        The backup made, or None when none was due (or there is no database yet).
    """
    moment = now or datetime.now(UTC)
    if not db_file.is_file() or db_file.stat().st_size == 0:
        return None
    dailies = [b for b in list_backups(folder, db_file.stem) if b.kind is BackupKind.DAILY]
    if dailies and moment - dailies[0].made_at < DAILY_EVERY:
        return None
    return make_backup(db_file, folder, BackupKind.DAILY, moment)


def remove_partials(folder: Path) -> list[Path]:
    """Delete what a backup killed half-way left behind (never a finished backup)."""
    if not folder.is_dir():
        return []
    leftovers = [
        p for suffix in _PARTIAL_COMPANIONS for p in folder.glob(f"*{PARTIAL_SUFFIX}{suffix}")
    ]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return leftovers
