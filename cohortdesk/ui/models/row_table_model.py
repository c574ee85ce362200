"""The boilerplate every table over immutable DTO rows shares.

A subclass names its columns in `HEADERS` and says how a row reads in each of them
(`display`, and optionally `tooltip`, `foreground`, `alignment`); rows are replaced wholesale
with `set_rows`, since the services hand out fresh tuples after every change. Rows with a
database id use `RowTableModel`; rows without one (a file's preview) `ReadOnlyTableModel`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

ID_ROLE = int(Qt.ItemDataRole.UserRole)
"""The row's database id, for actions on the selected row."""

Index = QModelIndex | QPersistentModelIndex

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
MUTED = QColor("#80868b")
_ROOT = QModelIndex()


class HasId(Protocol):
    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT")
IdRowT = TypeVar("IdRowT", bound=HasId)


class ReadOnlyTableModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table over a tuple of rows; `ID_ROLE` reads `row_id` (None here)."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[RowT, ...] = ()
        self.timezone = "UTC"
        """The zone times are shown in (the cohort's)."""

    def set_rows(self, rows: Sequence[RowT], timezone: str = "UTC") -> None:
        """Show these rows, with their times in `timezone`."""
        self.beginResetModel()
        self._rows = tuple(rows)
        self.timezone = timezone
        self.endResetModel()

    def rows(self) -> tuple[RowT, ...]:
        return self._rows

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    # ---- what subclasses say about a row ----

    def row_id(self, row: RowT) -> int | None:
        """The row's database id, for `ID_ROLE`: rows here have none."""
        return None

    @abstractmethod
    def display(self, row: RowT, column: int) -> str:
        """The cell's text: every table says what its columns show (mypy refuses a model
        that does not)."""

    def tooltip(self, row: RowT, column: int) -> str | None:
        return None

    def foreground(self, row: RowT, column: int) -> QColor | None:
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return LEFT

    # ---- QAbstractTableModel ----

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Headings line up with their column: numbers right, words left.
            across = self.alignment(section) & Qt.AlignmentFlag.AlignHorizontal_Mask
            return across | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == ID_ROLE:
            return self.row_id(row)
        return None


class RowTableModel(ReadOnlyTableModel[IdRowT]):
    """A read-only table over a tuple of rows, each with an `id`."""

    def row_of_id(self, row_id: int) -> int | None:
        """The position of the row with this id, or None."""
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), None)

    def row_id(self, row: IdRowT) -> int:
        return row.id
