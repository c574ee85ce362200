"""A mentor's mentees: where each is, how they are doing, and whether they need attention."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import AttentionSettings
from cohortdesk.core.schemas.mentoring import MenteeOverview
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import CENTER, LEFT, MUTED, RIGHT, RowTableModel

(
    COL_NAME,
    COL_STAGE,
    COL_ACCESS,
    COL_MOTIVATION,
    COL_RECENT,
    COL_LAST,
    COL_ATTENTION,
    COL_CHANGES,
) = range(8)
ATTENTION_COLOUR = QColor("#d93f3f")


class MenteesModel(RowTableModel[MenteeOverview]):
    """One row per mentee; `today` is the day "last active" is counted from."""

    HEADERS = ("Mentee", "Stage", "Access", "Motivation", "Recent", "Last active", "Needs", "New")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today: date | None = None
        self.recent_days = 14
        self.low_motivation = AttentionSettings().low_motivation

    def display(self, row: MenteeOverview, column: int) -> str:
        if column == COL_NAME:
            return row.name + (f"  ·  {row.group_name}" if row.group_name else "")
        if column == COL_STAGE:
            return fmt.stage_label(row.stage)
        if column == COL_ACCESS:
            return fmt.ACCESS_LABELS[row.access]
        if column == COL_MOTIVATION:
            return fmt.motivation_text(row.motivation, row.motivation_change)
        if column == COL_RECENT:
            return str(row.recent_events)
        if column == COL_LAST:
            return fmt.relative_day(row.last_active, self.today)
        if column == COL_ATTENTION:
            needs = [r for r in row.reasons if r.weight > 0]
            return fmt.plural(len(needs), "reason") if needs else "—"
        return str(len(row.changes)) if row.changes else "—"

    def tooltip(self, row: MenteeOverview, column: int) -> str | None:
        if column == COL_ATTENTION:
            return "\n".join(r.detail for r in row.reasons) or "Nothing to worry about"
        if column == COL_CHANGES:
            return "\n".join(c.text for c in row.changes) or "Nothing new since your last review"
        if column == COL_RECENT:
            return (
                f"{fmt.plural(row.recent_events, 'event')}, "
                f"{fmt.plural(row.recent_posts, 'post')} in the last {self.recent_days} days"
            )
        return None

    def foreground(self, row: MenteeOverview, column: int) -> QColor | None:
        if column == COL_ACCESS:
            return fmt.ACCESS_COLOURS[row.access]
        if column == COL_MOTIVATION:
            return fmt.motivation_colour(row.motivation, self.low_motivation)
        if column == COL_ATTENTION and any(r.weight > 0 for r in row.reasons):
            return ATTENTION_COLOUR
        if column in (COL_CHANGES, COL_LAST) and not row.changes:
            return MUTED
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        if column == COL_RECENT:
            return RIGHT
        if column == COL_CHANGES:
            return CENTER
        return LEFT
