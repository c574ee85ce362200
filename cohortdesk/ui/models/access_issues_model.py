"""A member's access problems: when opened, what, when resolved, and how."""

from __future__ import annotations

from PySide6.QtGui import QColor

from cohortdesk.core.enums import AccessStatus
from cohortdesk.core.schemas import AccessIssueRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import RowTableModel

COL_OPENED, COL_NOTE, COL_RESOLVED, COL_RESOLUTION = range(4)

OPEN_TEXT = "Open"


class AccessIssuesModel(RowTableModel[AccessIssueRow]):
    """Access issues, newest first; open ones read `Open` in the access problem colour."""

    HEADERS = ("Opened", "Problem", "Resolved", "Resolution")

    def display(self, row: AccessIssueRow, column: int) -> str:
        # Days are what a follow-up needs; the times are in the tooltips.
        if column == COL_OPENED:
            return fmt.short_date(fmt.local_date(row.opened_at, self.timezone))
        if column == COL_NOTE:
            return row.note
        if column == COL_RESOLVED:
            if row.resolved_at is None:
                return OPEN_TEXT
            return fmt.short_date(fmt.local_date(row.resolved_at, self.timezone))
        return row.resolution

    def tooltip(self, row: AccessIssueRow, column: int) -> str | None:
        if column == COL_OPENED:
            return f"Opened {fmt.local_time(row.opened_at, self.timezone)} ({self.timezone})"
        if column == COL_RESOLVED and row.resolved_at is not None:
            return f"Resolved {fmt.local_time(row.resolved_at, self.timezone)} ({self.timezone})"
        if column == COL_NOTE and row.note:
            return row.note
        if column == COL_RESOLUTION and row.resolution:
            return row.resolution
        if column == COL_RESOLVED and row.is_open:
            return "Not resolved yet: select it and press Resolve… once it is sorted"
        return None

    def foreground(self, row: AccessIssueRow, column: int) -> QColor | None:
        if column == COL_RESOLVED and row.is_open:
            return fmt.ACCESS_COLOURS[AccessStatus.PROBLEM]
        return None
