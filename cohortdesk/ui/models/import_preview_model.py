"""The first rows of a file as an import reads them, for the import dialog's preview."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import ImportPreviewRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import LEFT, MUTED, RIGHT, ReadOnlyTableModel

COL_ROW, COL_OUTCOME, COL_WHO, COL_WHEN, COL_KIND, COL_DETAIL = range(6)
HEADERS = ("Row", "Outcome", "Who", "When", "Kind", "Detail")
HEADER_TIPS = {
    COL_ROW: "The row in the file (the header is row 1), as a spreadsheet numbers it",
    COL_OUTCOME: "What the import does with the row",
    COL_WHEN: "When it happened, in the time zone chosen for the import",
}

OUTCOME_LABELS = {
    "event": "Event",
    "person": "Person",
    "skipped": "Skipped",
    "unattributed": "Unattributed",
}
OUTCOME_TIPS = {
    "event": "Stored as an activity event (unless it is already there)",
    "person": "A person the file lists: matched to a member, or added as one",
    "skipped": "Left out, for the reason in Detail",
    "unattributed": "Names nobody (a guest or a system row): counted, never made a person",
}
WARNING = QColor("#b26a00")


class ImportPreviewModel(ReadOnlyTableModel[ImportPreviewRow]):
    """Read-only rows of an `ImportSummary.sample`, with their times in `timezone`."""

    HEADERS = HEADERS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return None  # the preview's headings keep the style's alignment
        return super().headerData(section, orientation, role)

    def tooltip(self, row: ImportPreviewRow, column: int) -> str | None:
        if column == COL_OUTCOME:
            return OUTCOME_TIPS.get(row.outcome)
        if column == COL_DETAIL and row.detail:
            return row.detail
        return None

    def foreground(self, row: ImportPreviewRow, column: int) -> QColor | None:
        if row.outcome == "unattributed" and column == COL_OUTCOME:
            return WARNING
        if row.outcome == "skipped" and column != COL_ROW:
            return MUTED
        return MUTED if column == COL_ROW else None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return RIGHT if column == COL_ROW else LEFT

    def display(self, row: ImportPreviewRow, column: int) -> str:
        if column == COL_ROW:
            return f"{row.row:,}"
        if column == COL_OUTCOME:
            return OUTCOME_LABELS.get(row.outcome, row.outcome.capitalize())
        if column == COL_WHO:
            return row.who
        if column == COL_WHEN:
            return fmt.local_time(row.when, self.timezone) if row.when else ""
        if column == COL_KIND:
            return fmt.EVENT_LABELS[row.kind] if row.kind else ""
        return row.detail
