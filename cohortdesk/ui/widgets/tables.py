"""How tables look and how views find the rows selected in them, the same in every view.

Every read-only table in cohortdesk is made by `make_table`; its rows carry their id under
`ID_ROLE` (see `RowTableModel`), which `selected_id`, `selected_ids` and `select_id` read.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from cohortdesk.ui.models.row_table_model import ID_ROLE
from cohortdesk.ui.widgets.empty_table import EmptyStateTable


class PaddedDelegate(QStyledItemDelegate):
    """Some air above and below wrapped text, which otherwise touches the grid."""

    PADDING = 6

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return super().sizeHint(option, index) + QSize(0, self.PADDING)


def make_table(
    model: QAbstractItemModel,
    stretch: tuple[int, ...],
    *,
    fitted: tuple[int, ...] = (),
    wrap: bool = False,
    empty_text: str = "",
) -> EmptyStateTable:
    """A read-only, row-selecting table.

    Args:
        model: the rows.
        stretch: the columns that share the spare width.
        fitted: the columns as wide as their contents.
        wrap: wrap long text and make rows as tall as it needs (for tables of a few rows).
        empty_text: what the table says while it has no rows.
    """
    view = EmptyStateTable(empty_text)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(wrap)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = view.verticalHeader()
    vertical.hide()
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 10)
    if wrap:
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.setItemDelegate(PaddedDelegate(view))
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(False)
    for column in fitted:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return view


def selected_id(view: QTableView) -> int | None:
    """The id of the selected row, or None."""
    rows = view.selectionModel().selectedRows()
    if not rows:
        return None
    value = rows[0].data(ID_ROLE)
    return int(value) if value is not None else None


def selected_ids(view: QTableView) -> list[int]:
    """The ids of the selected rows, in the order they were selected."""
    return [int(index.data(ID_ROLE)) for index in view.selectionModel().selectedRows()]


def select_id(view: QTableView, row_id: int | None) -> None:
    """Select the row with this id again after a reload, if it is still there."""
    model = view.model()
    if row_id is None:
        return
    for row in range(model.rowCount()):
        if model.index(row, 0).data(ID_ROLE) == row_id:
            view.selectRow(row)
            return
