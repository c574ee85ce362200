"""Delegates for the Today list: a button in a cell, a small badge, and a line of chips."""

from __future__ import annotations

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
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
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


class ChipsDelegate(QStyledItemDelegate):
    """Draws `chips_role` (a list of `(text, quiet)`) as rounded chips on one line.

    A chip marked quiet (one that lowers the priority, say) is drawn muted. Chips that do
    not fit the cell give way to a `+N` chip: the full text is in the cell's tooltip, so a
    row stays one line high however many reasons it has.
    """

    GAP = 4

    def __init__(self, chips_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = chips_role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        chips: list[tuple[str, bool]] = list(index.data(self._role) or [])
        palette = option.palette
        metrics = option.fontMetrics
        cell: QRect = option.rect
        height = min(cell.height() - 4, metrics.height() + 4)
        top = cell.top() + (cell.height() - height) // 2
        right = cell.right() - _MARGIN
        x = cell.left() + _MARGIN
        text_colour = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        fill = QColor(palette.color(QPalette.ColorRole.Highlight))
        fill.setAlpha(38)
        if option.state & QStyle.StateFlag.State_Selected:  # stays legible on the highlight
            text_colour = muted = palette.color(QPalette.ColorRole.HighlightedText)
            fill = QColor(text_colour)
            fill.setAlpha(56)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for n, (text, quiet) in enumerate(chips):
            width = metrics.horizontalAdvance(text) + 14
            rest = len(chips) - n - 1
            more = f"+{rest}" if rest else ""
            reserve = metrics.horizontalAdvance(more) + 14 + self.GAP if more else 0
            if x + width + reserve > right:
                self._chip(painter, QRect(x, top, 0, height), f"+{rest + 1}", fill, muted)
                break
            colour = muted if quiet else text_colour
            self._chip(painter, QRect(x, top, width, height), text, fill, colour)
            x += width + self.GAP
        painter.restore()

    def _chip(self, painter: QPainter, rect: QRect, text: str, fill: QColor, ink: QColor) -> None:
        if rect.width() == 0:
            rect.setWidth(painter.fontMetrics().horizontalAdvance(text) + 14)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(ink)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = option.fontMetrics
        chips: list[tuple[str, bool]] = list(index.data(self._role) or [])
        width = sum(metrics.horizontalAdvance(t) + 14 + self.GAP for t, _ in chips)
        return QSize(width + 2 * _MARGIN, metrics.height() + 10)
