"""The cohort list: one item per cohort, active first, archived greyed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from cohortdesk.core.schemas import CohortRow
from cohortdesk.ui import format as fmt

COHORT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3


def subtitle(row: CohortRow) -> str:
    """`21 learners · from 1 Sep 2026` (with `archived` when it is)."""
    parts = [fmt.plural(row.learners, "learner")]
    if row.start_date:
        parts.append(f"from {fmt.short_date(row.start_date)}")
    if row.archived:
        parts.append("archived")
    return " · ".join(parts)


class CohortListModel(QAbstractListModel):
    """Adapter over a list of `CohortRow`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CohortRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == SUBTITLE_ROLE:
            return subtitle(row)
        if role == COHORT_ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{row.name}\n{row.description}".strip()
                + f"\n{fmt.plural(row.members, 'member')}, {row.timezone}"
            )
        if role == Qt.ItemDataRole.FontRole and row.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.archived:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def set_rows(self, rows: list[CohortRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> tuple[CohortRow, ...]:
        return tuple(self._rows)

    def row_of(self, cohort_id: int) -> int | None:
        for position, row in enumerate(self._rows):
            if row.id == cohort_id:
                return position
        return None
