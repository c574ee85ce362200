"""Delegates for the Today list: a button in a cell, a small badge, and lines with a lead."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
_MARGIN = 5


class ButtonDelegate(QStyledItemDelegate):
    """Draws the cell's text as a push button in the middle of the cell; a click emits `clicked`.

    The button is painted, not a widget per row, so it survives model resets and costs
    nothing for long lists.
    """

    clicked = Signal(QModelIndex)
    """The button of this row was clicked (the index of its cell)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pressed: QPersistentModelIndex | None = None

    def _button_rect(self, cell: QRect, text: str, widget: QWidget | None) -> QRect:
        metrics = (widget or QApplication.activeWindow() or QWidget()).fontMetrics()
        width = min(cell.width() - 2 * _MARGIN, metrics.horizontalAdvance(text) + 28)
        height = min(cell.height() - 2 * _MARGIN, metrics.height() + 12)
        left = cell.left() + (cell.width() - width) // 2
        return QRect(left, cell.top() + (cell.height() - height) // 2, width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        text = str(index.data() or "")
        button = QStyleOptionButton()
        button.rect = self._button_rect(option.rect, text, widget)
        button.text = text
        button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        if self._pressed is not None and self._pressed == QPersistentModelIndex(index):
            button.state |= QStyle.StateFlag.State_Sunken
        button.palette = option.palette
        style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, widget)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        widget = option.widget
        metrics = (widget or QWidget()).fontMetrics()
        text = str(index.data() or "")
        return QSize(
            metrics.horizontalAdvance(text) + 28 + 2 * _MARGIN, metrics.height() + 12 + 2 * _MARGIN
        )

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return super().editorEvent(event, model, option, index)
        inside = self._button_rect(
            option.rect,
            str(index.data() or ""),
            option.widget,
        ).contains(event.position().toPoint())
        if event.type() == QEvent.Type.MouseButtonPress and inside:
            self._pressed = QPersistentModelIndex(index)
            return False  # let the view select the row too
        if event.type() == QEvent.Type.MouseButtonRelease:
            was_pressed = self._pressed is not None and self._pressed == QPersistentModelIndex(
                index
            )
            self._pressed = None
            if inside and was_pressed:
                self.clicked.emit(index.model().index(index.row(), index.column()))
                return True
        if event.type() == QEvent.Type.MouseButtonDblClick and inside:
            return True  # a quick second click on the button is not a double-click on the row
        return super().editorEvent(event, model, option, index)


class BadgeDelegate(QStyledItemDelegate):
    """Draws the text as a rounded badge when `flag_role` is true; plain text otherwise."""

    def __init__(
        self,
        flag_role: int,
        background: str = "#fbe9c8",
        foreground: str = "#7a4d00",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._role = flag_role
        self._background = QColor(background)
        self._foreground = QColor(foreground)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not index.data(self._role):
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        text = str(index.data() or "")
        metrics = option.fontMetrics
        cell: QRect = option.rect
        width = min(cell.width() - 8, metrics.horizontalAdvance(text) + 16)
        height = metrics.height() + 6
        badge = QRect(cell.left() + 4, cell.top() + (cell.height() - height) // 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._background)
        painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
        painter.setPen(self._foreground)
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        if index.data(self._role):
            hint.setWidth(hint.width() + 24)
        return hint


class LinesDelegate(QStyledItemDelegate):
    """Draws `lines_role` (a list of `(lead, text)`) as a two-column block with hanging text.

    Each line's lead (a number, say) sits in a narrow column of its own and the text wraps
    beside it, so several wrapped lines in one cell stay apart. Rows are as tall as the text
    at the column's width.
    """

    PADDING = 4

    def __init__(self, lines_role: int, view: QTableView) -> None:
        super().__init__(view)
        self._role = lines_role
        self._view = view

    def _document(self, index: Index, width: int, colour: QColor, lead: QColor) -> QTextDocument:
        rows = "".join(
            f"<tr><td style='color:{lead.name()}' align='right'>{escape(a)}&nbsp;&nbsp;</td>"
            f"<td>{escape(b)}</td></tr>"
            for a, b in (index.data(self._role) or [])
        )
        document = QTextDocument()
        document.setDefaultFont(self._view.font())
        document.setDocumentMargin(self.PADDING)
        document.setDefaultStyleSheet(f"body {{ color: {colour.name()}; }}")
        document.setHtml(f"<body><table cellspacing='0' cellpadding='0'>{rows}</table></body>")
        document.setTextWidth(max(40, width))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            colour = palette.color(QPalette.ColorRole.HighlightedText)
            lead = colour
        else:
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            colour = (
                foreground
                if isinstance(foreground, QColor)
                else palette.color(QPalette.ColorRole.Text)
            )
            lead = palette.color(QPalette.ColorRole.PlaceholderText)
        cell: QRect = option.rect
        document = self._document(index, cell.width(), colour, lead)
        painter.save()
        top = cell.top() + max(0, (cell.height() - int(document.size().height())) // 2)
        painter.translate(cell.left(), top)
        painter.setClipRect(QRect(0, 0, cell.width(), cell.height()))
        document.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._view.columnWidth(index.column()) if index.isValid() else 200
        palette = self._view.palette()
        document = self._document(
            index,
            width,
            palette.color(QPalette.ColorRole.Text),
            palette.color(QPalette.ColorRole.Text),
        )
        return QSize(width, int(document.size().height()) + self.PADDING)
