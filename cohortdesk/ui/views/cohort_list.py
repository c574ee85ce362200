"""The left-hand list of cohorts, with a two-line item (name, then learners and dates)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.schemas import CohortRow
from cohortdesk.ui.models.cohort_list_model import COHORT_ID_ROLE, SUBTITLE_ROLE, CohortListModel

PADDING = 8
MINIMUM_WIDTH = 170
"""Room for a name like "Leading Online Learning" before it is elided."""


class CohortItemDelegate(QStyledItemDelegate):
    """Paints the cohort name in bold with a smaller, muted second line."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        height = option.fontMetrics.height()
        # No width of its own: the item is as wide as the list, and long names are elided,
        # so the list never scrolls sideways.
        return QSize(1, 2 * height + 2 * PADDING + 2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        style = option.widget.style() if option.widget else None
        self.initStyleOption(option, index)
        text, option.text = option.text, ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        main = option.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = option.palette.color(
            group,
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText,
        )
        rect = option.rect.adjusted(PADDING + 4, PADDING, -PADDING, -PADDING)
        line = option.fontMetrics.height()
        painter.save()
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(main)
        top = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(
            top,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width()),
        )
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        painter.setFont(small)
        painter.setPen(muted)
        bottom = QRect(rect.left(), rect.top() + line + 2, rect.width(), line)
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                str(index.data(SUBTITLE_ROLE) or ""), Qt.TextElideMode.ElideRight, rect.width()
            ),
        )
        painter.restore()


class CohortList(QWidget):
    """The cohorts, and a button to create one. Emits the chosen cohort's id."""

    cohort_selected = Signal(object)  # int, or None when nothing is selected
    create_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CohortListModel(self)
        heading = QLabel("Cohorts")
        heading.setObjectName("sectionHeading")
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(CohortItemDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.setAccessibleName("Cohorts")
        self.new_button = QPushButton("New cohort…")
        self.new_button.setToolTip("Create a cohort (Ctrl+N)")
        self.new_button.clicked.connect(self.create_requested)
        self.setMinimumWidth(MINIMUM_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.new_button)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

    def set_cohorts(self, rows: list[CohortRow], select_id: int | None) -> None:
        """Show `rows`, keeping `select_id` selected when it is among them."""
        self.model.set_rows(rows)
        position = self.model.row_of(select_id) if select_id is not None else None
        if position is None and rows:
            position = 0
        if position is None:
            self.cohort_selected.emit(None)
            return
        # A reset clears the current index, so this always announces the selection.
        self.view.setCurrentIndex(self.model.index(position, 0))

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(COHORT_ID_ROLE) if index.isValid() else None

    def current_row(self) -> CohortRow | None:
        cohort_id = self.current_id()
        return next((r for r in self.model.rows() if r.id == cohort_id), None)

    @Slot(QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self.cohort_selected.emit(current.data(COHORT_ID_ROLE) if current.isValid() else None)
