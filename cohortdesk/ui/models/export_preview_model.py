"""The export dialog's preview table: the first member rows, exactly as the export writes them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from cohortdesk.core.schemas import ExportPreview

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ExportPreviewModel(QAbstractTableModel):
    """Read-only rows of text under the export's own column headers."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: tuple[str, ...] = ()
        self._rows: tuple[tuple[str, ...], ...] = ()

    def set_preview(self, preview: ExportPreview | None) -> None:
        """Show this preview's columns and rows (None: empty)."""
        self.beginResetModel()
        self._columns = preview.columns if preview else ()
        self._rows = preview.rows if preview else ()
        self.endResetModel()

    def columns(self) -> tuple[str, ...]:
        return self._columns

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = self._rows[index.row()][index.column()].isdigit()
            return RIGHT if numeric else LEFT
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return self._rows[index.row()][index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section]
        return None
