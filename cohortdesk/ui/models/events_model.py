"""A member's activity timeline, in the cohort's time zone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import EventRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import LEFT, MUTED, RIGHT, RowTableModel

COL_WHEN, COL_KIND, COL_THREAD, COL_WORDS, COL_DETAIL, COL_SOURCE = range(6)

SECONDARY_COLUMNS = (COL_WORDS, COL_DETAIL, COL_SOURCE)
"""Columns a narrow panel hides at first: every cell's tooltip carries them anyway."""


class EventsModel(RowTableModel[EventRow]):
    """Activity events, newest first; a reply reads `Replied to Ben Okafor`."""

    HEADERS = ("When", "What", "Thread", "Words", "Detail", "Source")

    def display(self, row: EventRow, column: int) -> str:
        if column == COL_WHEN:
            return fmt.local_time(row.occurred_at, self.timezone)
        if column == COL_KIND:
            return fmt.event_text(row.kind, row.replied_to_name)
        if column == COL_THREAD:
            return row.thread or ""
        if column == COL_WORDS:
            return "" if row.word_count is None else str(row.word_count)
        if column == COL_DETAIL:
            return row.detail
        return row.source

    def tooltip(self, row: EventRow, column: int) -> str | None:
        """The whole event, whichever cell: the panel is often narrower than the table."""
        lines = [f"{fmt.EVENT_LABELS[row.kind]}, {self.display(row, COL_WHEN)} ({self.timezone})"]
        if row.thread:
            lines.append(f"Thread: {row.thread}")
        if row.replied_to_name:
            lines.append(f"Replied to: {row.replied_to_name}")
        if row.word_count is not None:
            lines.append(fmt.plural(row.word_count, "word"))
        if row.detail:
            lines.append(row.detail)
        lines.append(f"Source: {row.source}")
        return "\n".join(lines)

    def foreground(self, row: EventRow, column: int) -> QColor | None:
        if column == COL_SOURCE:
            return MUTED
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return RIGHT if column == COL_WORDS else LEFT
