"""A cohort's past imports, newest first, for the Imports dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import ImportBatchRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import LEFT, MUTED, RIGHT, RowTableModel

(
    COL_WHEN,
    COL_FILE,
    COL_FORMAT,
    COL_READ,
    COL_NEW,
    COL_DUPLICATES,
    COL_PEOPLE,
    COL_EVENTS_NOW,
    COL_UNDONE,
) = range(9)
NUMERIC = {COL_READ, COL_NEW, COL_DUPLICATES, COL_PEOPLE, COL_EVENTS_NOW}


class ImportBatchesModel(RowTableModel[ImportBatchRow]):
    """One row per import; an undone import is greyed out."""

    HEADERS = (
        "Imported",
        "File",
        "Format",
        "Rows read",
        "New events",
        "Already there",
        "People added",
        "Events now",
        "Undone",
    )

    def display(self, row: ImportBatchRow, column: int) -> str:
        if column == COL_WHEN:
            return fmt.local_time(row.imported_at, self.timezone)
        if column == COL_FILE:
            return row.file_name
        if column == COL_FORMAT:
            return row.format
        if column == COL_UNDONE:
            return fmt.local_time(row.undone_at, self.timezone) if row.undone_at else ""
        value = {
            COL_READ: row.read,
            COL_NEW: row.inserted,
            COL_DUPLICATES: row.duplicates,
            COL_PEOPLE: row.people_created,
            COL_EVENTS_NOW: row.events_now,
        }[column]
        return f"{value:,}"

    def tooltip(self, row: ImportBatchRow, column: int) -> str | None:
        lines = [
            f"{row.file_name} ({row.format}), imported {self.display(row, COL_WHEN)}",
            f"{fmt.plural(row.read, 'row')} read: {row.inserted:,} new events, "
            f"{row.duplicates:,} already there, {row.unattributed:,} unattributed, "
            f"{row.ignored:,} ignored",
            f"{fmt.plural(row.people_created, 'person', 'people')} added",
            f"SHA-256 {row.sha256}",
        ]
        if row.undone_at:
            lines.append(f"Undone {self.display(row, COL_UNDONE)}")
        elif row.events_now != row.inserted:
            lines.append(f"{row.events_now:,} of its events remain (the others were deleted since)")
        return "\n".join(lines)

    def foreground(self, row: ImportBatchRow, column: int) -> QColor | None:
        return MUTED if row.undone_at is not None or column == COL_FORMAT else None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return RIGHT if column in NUMERIC else LEFT
