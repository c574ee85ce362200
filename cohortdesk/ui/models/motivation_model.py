"""A member's motivation check-ins: date, rating with its label, note."""

from __future__ import annotations

from PySide6.QtGui import QColor

from cohortdesk.core.schemas import AttentionSettings, MotivationRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import RowTableModel

COL_DATE, COL_RATING, COL_NOTE = range(3)


def rating_text(rating: int) -> str:
    """`4 · Good`."""
    return f"{rating} · {fmt.MOTIVATION_LABELS[rating]}"


class MotivationModel(RowTableModel[MotivationRow]):
    """Check-ins, newest first."""

    HEADERS = ("Date", "Motivation", "Note")

    #: the cohort's low-motivation rating, set with the rows (`MemberDetail.low_motivation`)
    low_motivation = AttentionSettings().low_motivation

    def display(self, row: MotivationRow, column: int) -> str:
        if column == COL_DATE:
            return fmt.short_date(row.checked_on)
        if column == COL_RATING:
            return rating_text(row.rating)
        return row.note

    def tooltip(self, row: MotivationRow, column: int) -> str | None:
        if column == COL_NOTE and row.note:
            return row.note
        return None

    def foreground(self, row: MotivationRow, column: int) -> QColor | None:
        if column == COL_RATING:
            return fmt.motivation_colour(row.rating, self.low_motivation)
        return None
