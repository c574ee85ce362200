"""A mentor's session notes: when, with whom, notes, goals and next steps."""

from __future__ import annotations

from cohortdesk.core.schemas.mentoring import SessionRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import RowTableModel

COL_DATE, COL_WITH, COL_NOTES, COL_GOALS, COL_NEXT = range(5)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class SessionsModel(RowTableModel[SessionRow]):
    """Sessions, newest first; the whole text is in each row's tooltip."""

    HEADERS = ("Date", "With", "Notes", "Goals", "Next steps")

    def display(self, row: SessionRow, column: int) -> str:
        if column == COL_DATE:
            return fmt.short_date(row.held_on)
        if column == COL_WITH:
            return row.with_whom
        if column == COL_NOTES:
            return _one_line(row.notes)
        if column == COL_GOALS:
            return _one_line(row.goals)
        return _one_line(row.next_steps)

    def tooltip(self, row: SessionRow, column: int) -> str | None:
        parts = [f"{fmt.short_date(row.held_on)} with {row.with_whom}"]
        for label, text in (("Notes", row.notes), ("Goals", row.goals), ("Next", row.next_steps)):
            if text:
                parts.append(f"{label}: {text}")
        return "\n\n".join(parts)
