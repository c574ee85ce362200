"""A member's stage history: from, to, when, why, and how it was set."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor

from cohortdesk.core.schemas import StageChangeRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import MUTED, RowTableModel

COL_CHANGE, COL_WHEN, COL_REASON, COL_SOURCE = range(4)


class StageHistoryModel(RowTableModel[StageChangeRow]):
    """Stage changes, newest first, as `member_detail` orders them."""

    HEADERS = ("Change", "When", "Why", "Source")

    def day(self, row: StageChangeRow) -> date:
        """The day a row is dated by: the day the member joined for the row of joining (not
        the day an import recorded it), else the day of the change in the cohort's zone."""
        return row.joined_on or fmt.local_date(row.changed_at, self.timezone)

    def display(self, row: StageChangeRow, column: int) -> str:
        if column == COL_CHANGE:
            return fmt.stage_change_text(row.from_stage, row.to_stage)
        if column == COL_WHEN:
            # The day is what matters on the staircase; the time is in the tooltip.
            return fmt.short_date(self.day(row))
        if column == COL_REASON:
            return row.reason
        return fmt.STAGE_SOURCE_LABELS[row.source]

    def tooltip(self, row: StageChangeRow, column: int) -> str | None:
        if column == COL_CHANGE:
            to = fmt.stage_label(row.to_stage)
            if row.from_stage is None:
                return f"Started at {to}"
            return f"From {fmt.stage_label(row.from_stage)} to {to}"
        if column == COL_WHEN:
            recorded = f"{fmt.local_time(row.changed_at, self.timezone)} ({self.timezone})"
            if row.joined_on is None:
                return recorded
            return f"Joined on {fmt.short_date(row.joined_on)}; recorded {recorded}"
        if column == COL_REASON and row.reason:
            return row.reason
        if column == COL_SOURCE:
            return fmt.STAGE_SOURCE_TIPS[row.source]
        return None

    def foreground(self, row: StageChangeRow, column: int) -> QColor | None:
        if column == COL_SOURCE:
            return MUTED
        return None
