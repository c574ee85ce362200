"""A cohort's members and their mentors, for assigning mentees."""

from __future__ import annotations

from PySide6.QtGui import QColor

from cohortdesk.core.schemas.mentoring import AssignmentRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import MUTED, RowTableModel

COL_NAME, COL_ROLE, COL_STAGE, COL_MENTOR, COL_GROUP = range(5)


class AssignmentsModel(RowTableModel[AssignmentRow]):
    HEADERS = ("Member", "Role", "Stage", "Mentor", "Group")

    def display(self, row: AssignmentRow, column: int) -> str:
        if column == COL_NAME:
            return row.name
        if column == COL_ROLE:
            return fmt.ROLE_LABELS[row.role]
        if column == COL_STAGE:
            return fmt.stage_label(row.stage)
        if column == COL_MENTOR:
            return row.mentor_name or "—"
        return row.group_name or ""

    def tooltip(self, row: AssignmentRow, column: int) -> str | None:
        return row.email or None

    def foreground(self, row: AssignmentRow, column: int) -> QColor | None:
        if column == COL_MENTOR and row.mentor_name is None:
            return MUTED
        return None
