"""The import dialog's work on files and the database, run in workers, and its words for errors.

Nothing here touches a widget: these functions run in the `TaskRunner`'s threads (except
`rejection_text` and `dropped_file`, which only format or read an event).
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent

from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.base import (
    DEFAULT_MAX_BYTES,
    ImportOptions,
    ImportRejectedError,
    SourceFile,
)
from cohortdesk.core.importers.registry import detect_format
from cohortdesk.core.importers.textio import read_csv
from cohortdesk.core.schemas import ImportSummary
from cohortdesk.core.services.activity import imports
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.import_guard import guarded_import
from cohortdesk.ui.tasks import Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileInfo:
    """What a look at the file found: the format it seems to be (None: not recognised)."""

    path: Path
    detected: str | None


def inspect_file(path: Path) -> FileInfo:
    """Detect the format of `path` (it reads the file's first bytes)."""
    try:
        detected = detect_format(path)
    except ImportError:  # an importer module that failed to load: choose by hand
        log.warning("Format detection failed for %s", path, exc_info=True)
        detected = None
    return FileInfo(path, detected)


def read_header(path: Path) -> list[str]:
    """The header of a CSV file, for the column mapping.

    Raises:
        ImportRejectedError: not a readable CSV.
    """
    table = read_csv(SourceFile(path), DEFAULT_MAX_BYTES)
    close = getattr(table.rows, "close", None)
    if close is not None:
        close()  # closes the file the row iterator holds open
    return table.header


@dataclass(frozen=True)
class ImportRequest:
    """One file to import (or preview) into one cohort, with the user's choices."""

    cohort_id: int
    path: Path
    format_name: str
    options: ImportOptions


def run_import(
    db: Database,
    request: ImportRequest,
    progress: Progress,
    *,
    dry_run: bool,
    backup_dir: Path | None = None,
) -> ImportSummary:
    """Import the file as one transaction, or (dry run) in one that is always rolled back.

    A real import backs the database up into `backup_dir` first and leaves a note while it
    runs (`import_guard`), outside its transaction. Cancelling makes the progress callback
    raise `CancelledError`: the transaction is rolled back and nothing is imported.
    """
    if dry_run:
        guard: AbstractContextManager[object] = nullcontext()
    else:
        progress.report(0, 0, "Backing up before the import…")
        guard = guarded_import(db.file, backup_dir, request.path, request.cohort_id)
    unit = db.trial() if dry_run else db.write()
    with guard, unit as session:
        return imports.import_file(
            session,
            request.cohort_id,
            request.path,
            request.format_name,
            request.options,
            dry_run=dry_run,
            progress=reporter(progress),
        )


def reporter(progress: Progress) -> imports.ProgressCallback:
    """The import's progress callback: raises when cancelled, else reports the rows read."""

    def report(rows: int) -> None:
        progress.check()
        progress.report(rows, 0, "")

    return report


def rejection_text(exc: KnownError) -> str:
    """`Cannot import tiny.csv, row 4: the time …` for a rejected file, in the dialog's words."""
    if isinstance(exc, ImportRejectedError):
        where = f"{exc.file}, row {exc.row}" if exc.row is not None else exc.file
        text = f"Cannot import {where}: {exc.reason}"
    else:
        text = str(exc)
    # Core messages name the command-line option; here it is the box in the dialog.
    return text.replace("with --time-format", "in Time format").replace(
        "--time-format", "Time format"
    )


def dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The first local file of a drag, if it carries one."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None
