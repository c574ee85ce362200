"""What surrounds an import (outside its one transaction): a backup first, and a note of it.

`guarded_import` makes the pre-import backup, then leaves a small note beside the database
(`cohortdesk.sqlite.import-in-progress`) for as long as the import runs, and holds a lock on
it. The import itself is one transaction, so a crash or power cut leaves either all of it or
none of it; the note tells the next start which file was being imported, and
`interrupted_import` turns it into a clear account: imported completely (the crash came after
the commit) or not imported at all. The lock is what tells a dead import from a running one:
the system releases it when the importing process ends, however it ends, so another command
or window that meets a note it cannot lock leaves it alone.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.models import Cohort, ImportBatch
from cohortdesk.core.storage.backup import BackupKind, make_backup
from cohortdesk.core.storage.errors import storage_errors
from cohortdesk.core.storage.safefile import write_file

MARKER_SUFFIX = ".import-in-progress"

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


def marker_path(db_file: Path) -> Path:
    """Where the note of a running import is kept, beside the database."""
    return db_file.with_name(db_file.name + MARKER_SUFFIX)


@dataclass(frozen=True)
class InterruptedImport:
    """An import that was running when cohortdesk stopped, and what became of it."""

    file_name: str
    cohort: str
    started_at: datetime
    #: True when the import had committed (all of it is in); False when none of it is
    completed: bool
    events: int = 0

    def message(self) -> str:
        when = f"{self.started_at:%Y-%m-%d %H:%M} UTC"
        if self.completed:
            return (
                f"The import of {self.file_name} into {self.cohort} ({when}) was interrupted "
                f"after it finished: all of it is in ({self.events} new events)."
            )
        return (
            f"The import of {self.file_name} into {self.cohort} ({when}) was interrupted: "
            "nothing from it was imported and your data is as it was before. Import the file "
            "again."
        )


@contextmanager
def guarded_import(
    db_file: Path | None,
    backup_dir: Path | None,
    source: Path,
    cohort_id: int,
    now: datetime | None = None,
) -> Iterator[Path | None]:
    """Back the database up, note the import, run the block, then remove the note.

    Yields the backup made (None for a database that is not a file, or not yet written).

    Raises:
        StorageError: the backup or the note cannot be written (disk full, read-only folder);
            the import does not start.
    """
    if db_file is None:
        yield None
        return
    backup = None
    with storage_errors(db_file):
        if backup_dir is not None and db_file.is_file() and db_file.stat().st_size > 0:
            backup = make_backup(db_file, backup_dir, BackupKind.IMPORT, now)
        marker = marker_path(db_file)
        started = (now or datetime.now(UTC)).astimezone(UTC).isoformat()
        note = {"file": source.name[:400], "cohort_id": cohort_id, "started_at": started}
        write_file(marker, json.dumps(note))
        held = os.open(marker, os.O_RDONLY)
    try:
        _try_lock(held)  # ours alone: the note was just written under a fresh name
        yield backup
    finally:
        marker.unlink(missing_ok=True)
        os.close(held)


def interrupted_import(session: Session, db_file: Path | None) -> InterruptedImport | None:
    """The account of an import a crash interrupted, once; None when there was none.

    A note whose import is still running (another window or command holds its lock) is left
    alone and None returned. The note of a dead import is removed once read (or when it
    cannot be understood).
    """
    if db_file is None:
        return None
    marker = marker_path(db_file)
    try:
        probe = os.open(marker, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # unreadable for now (locked on Windows): ask again next time
    try:
        if not _try_lock(probe):
            return None  # the import is running in another process
        return _account(session, marker)
    finally:
        os.close(probe)


def _account(session: Session, marker: Path) -> InterruptedImport | None:
    """Read the note of a dead import, remove it, and say what became of the import."""
    try:
        content = json.loads(marker.read_text("utf-8"))
        file_name = str(content["file"])
        cohort_id = int(content["cohort_id"])
        started = datetime.fromisoformat(str(content["started_at"])).astimezone(UTC)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        marker.unlink(missing_ok=True)
        return None
    cohort = session.scalar(select(Cohort.name).where(Cohort.id == cohort_id)) or "a cohort"
    # Stored times have no sub-second guarantee across databases: compare to the second.
    since = started.replace(microsecond=0)
    batch = session.execute(
        select(ImportBatch.inserted)
        .where(
            ImportBatch.cohort_id == cohort_id,
            ImportBatch.file_name == file_name,
            ImportBatch.imported_at >= since,
        )
        .order_by(ImportBatch.imported_at.desc())
        .limit(1)
    ).first()
    marker.unlink(missing_ok=True)
    return InterruptedImport(
        file_name=file_name,
        cohort=cohort,
        started_at=started,
        completed=batch is not None,
        events=int(batch[0]) if batch is not None else 0,
    )
