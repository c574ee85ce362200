"""Importing a file as a facilitator asks for it: a dry run, or the import itself, guarded.

`cohortdesk import` and the GUI's import dialog both call `run_import`. A dry run reads and
counts everything in a transaction that is always rolled back (`Database.trial`). A real
import first backs the database up and leaves a note of the import (`import_guard`), outside
its one transaction, so that a crash is explained at the next start; cancelling (the progress
raising) rolls the transaction back and nothing is imported.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.progress import JobProgress, step
from cohortdesk.core.schemas import Changed, Changes, ImportSummary
from cohortdesk.core.services.activity import imports
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.import_guard import guarded_import

BACKING_UP = "Backing up before the import…"
STARTING = "Starting the import…"


@dataclass(frozen=True)
class ImportRequest:
    """One file to import (or preview) into one cohort, with the user's choices."""

    cohort_id: int
    path: Path
    format_name: str
    options: ImportOptions


class ImportPace:
    """How fast an import goes and how long it has left, in words for a progress line.

    The share done is the bytes read over the file's size (rows are not known before the end);
    rows per second and the time left come from the time since the first report.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start = clock()

    def describe(self, rows: int, done: int, size: int) -> str:
        """ "42% · 120,000 rows · 41,000 rows/s · 12 s left" (parts not known are left out)."""
        elapsed = self._clock() - self._start
        parts = [f"{rows:,} rows"]
        if size > 0 and done > 0:
            parts.insert(0, f"{min(done, size) * 100 // size}%")
        if elapsed > 0 and rows > 0:
            parts.append(f"{rows / elapsed:,.0f} rows/s")
            if size > 0 and 0 < done < size:
                parts.append(f"{_duration(elapsed * (size - done) / done)} left")
        return " · ".join(parts)


def _duration(seconds: float) -> str:
    whole = max(1, round(seconds))
    if whole < 60:
        return f"{whole} s"
    return f"{whole // 60} min {whole % 60:02d} s"


def run_import(
    db: Database,
    request: ImportRequest,
    *,
    dry_run: bool = False,
    backup_dir: Path | None = None,
    progress: JobProgress | None = None,
) -> Changed[ImportSummary]:
    """Import the file as one transaction, or (dry run) in one that is always rolled back.

    Args:
        db: the open database.
        request: the file, the cohort and the choices.
        dry_run: count what the import would do, store nothing.
        backup_dir: where a real import backs the database up first (None: no backup).
        progress: told the rows read; raises from `check` to cancel.

    Returns:
        What the import did (or would do); a real one changed the cohort's roster and counts.

    Raises:
        ImportRejectedError: a bad file, naming the row and the reason.
        StorageError: the backup or the note cannot be written; nothing is imported.
        Whatever `progress.check` raises: nothing is imported.
    """
    guard: AbstractContextManager[object] = nullcontext()
    if not dry_run:
        # A server's backups are the server's to make: only a file is copied first.
        step(progress, 0, 0, BACKING_UP if db.file is not None else STARTING)
        guard = guarded_import(db.file, backup_dir, request.path, request.cohort_id)

    pace = ImportPace()

    def rows_read(rows: int, done: int, size: int) -> None:
        step(progress, done, size, pace.describe(rows, done, size))

    unit = db.trial() if dry_run else db.write()
    with guard, unit as session:
        summary = imports.import_file(
            session,
            request.cohort_id,
            request.path,
            request.format_name,
            request.options,
            dry_run=dry_run,
            progress=rows_read if progress is not None else None,
        )
    changes = Changes() if dry_run else imports.imported_into(request.cohort_id)
    return Changed(value=summary, changes=changes)
