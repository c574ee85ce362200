"""The facilitator's notes about a member: when and what."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import NoteRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import MUTED, RowTableModel

COL_WHEN, COL_BODY = range(2)


class NotesModel(RowTableModel[NoteRow]):
    """Notes, newest first; the body wraps, so the view sizes rows to their contents."""

    HEADERS = ("Written", "Note")

    def display(self, row: NoteRow, column: int) -> str:
        if column == COL_WHEN:
            return fmt.local_time(row.created_at, self.timezone)
        return row.body

    def foreground(self, row: NoteRow, column: int) -> QColor | None:
        return MUTED if column == COL_WHEN else None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
