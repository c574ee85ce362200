"""People found by expertise: who, what they know about, and where to find them."""

from __future__ import annotations

from PySide6.QtGui import QColor

from cohortdesk.core.schemas.mentoring import ExpertRow
from cohortdesk.ui.models.row_table_model import MUTED, RowTableModel

COL_NAME, COL_MATCHED, COL_EXPERTISE, COL_COHORTS, COL_EMAIL = range(5)


class ExpertsModel(RowTableModel[ExpertRow]):
    """Best match first, as the search ranked them."""

    HEADERS = ("Name", "Knows about", "All expertise", "Cohorts", "Email")

    def display(self, row: ExpertRow, column: int) -> str:
        if column == COL_NAME:
            return row.name
        if column == COL_MATCHED:
            return ", ".join(row.matched)
        if column == COL_EXPERTISE:
            return ", ".join(row.keywords)
        if column == COL_COHORTS:
            return ", ".join(row.cohorts)
        return row.email

    def tooltip(self, row: ExpertRow, column: int) -> str | None:
        return f"{row.name}\nExpertise: {', '.join(row.keywords)}\nIn: {', '.join(row.cohorts)}"

    def foreground(self, row: ExpertRow, column: int) -> QColor | None:
        return MUTED if column in (COL_EXPERTISE, COL_EMAIL) else None
