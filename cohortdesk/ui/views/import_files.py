"""The import dialog's look at a file, run in workers, and its words for errors.

Nothing here touches a widget: `inspect_file` and `read_header` run in the `TaskRunner`'s
threads; `rejection_text` and `dropped_file` only format or read an event. The import itself
is the use case the command line runs too (`core.services.activity.importing`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent

from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.activity_csv import check_header
from cohortdesk.core.importers.base import DEFAULT_MAX_BYTES, ImportRejectedError, SourceFile
from cohortdesk.core.importers.registry import detect_format
from cohortdesk.core.importers.textio import read_csv

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
        ImportRejectedError: not a readable CSV, or not a table (`activity_csv.check_header`),
            with the same words as the command line's import.
    """
    source = SourceFile(path)
    table = read_csv(source, DEFAULT_MAX_BYTES)
    close = getattr(table.rows, "close", None)
    if close is not None:
        close()  # closes the file the row iterator holds open
    check_header(source, table.header)
    return table.header


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
