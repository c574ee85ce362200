"""The first rows of a file as an import reads them, for the import dialog's preview."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import ImportPreviewRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import LEFT, MUTED, RIGHT

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

_ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex


class ImportPreviewModel(QAbstractTableModel):
    """Read-only rows of an `ImportSummary.sample`, with their times in `timezone`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ImportPreviewRow, ...] = ()
        self.timezone = "UTC"

    def set_rows(self, rows: Sequence[ImportPreviewRow], timezone: str = "UTC") -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.timezone = timezone
        self.endResetModel()

    def rows(self) -> tuple[ImportPreviewRow, ...]:
        return self._rows

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_OUTCOME:
                return OUTCOME_TIPS.get(row.outcome)
            if column == COL_DETAIL and row.detail:
                return row.detail
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.outcome == "unattributed" and column == COL_OUTCOME:
                return WARNING
            if row.outcome == "skipped" and column != COL_ROW:
                return MUTED
            return MUTED if column == COL_ROW else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column == COL_ROW else LEFT
        return None

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
