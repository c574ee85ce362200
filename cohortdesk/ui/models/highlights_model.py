"""Highlights: success stories and quotes, newest first."""

from __future__ import annotations

from PySide6.QtGui import QColor

from cohortdesk.core.enums import HighlightKind
from cohortdesk.core.schemas.mentoring import HighlightRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import MUTED, RowTableModel

COL_DATE, COL_MEMBER, COL_KIND, COL_TEXT, COL_TAGS, COL_COHORT = range(6)
KIND_LABELS = {HighlightKind.STORY: "Story", HighlightKind.QUOTE: "Quote"}


class HighlightsModel(RowTableModel[HighlightRow]):
    HEADERS = ("Date", "Member", "Kind", "Highlight", "Tags", "Cohort")

    def display(self, row: HighlightRow, column: int) -> str:
        if column == COL_DATE:
            return fmt.short_date(row.happened_on)
        if column == COL_MEMBER:
            return row.member_name
        if column == COL_KIND:
            return KIND_LABELS[row.kind]
        if column == COL_TEXT:
            text = " ".join(row.text.split())
            return f"“{text}”" if row.kind is HighlightKind.QUOTE else text
        if column == COL_TAGS:
            return row.tag_text
        return row.cohort_name

    def tooltip(self, row: HighlightRow, column: int) -> str | None:
        return f"{row.member_name}, {fmt.short_date(row.happened_on)}\n\n{row.text}"

    def foreground(self, row: HighlightRow, column: int) -> QColor | None:
        return MUTED if column in (COL_TAGS, COL_COHORT) else None
