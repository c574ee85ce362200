"""Paints a member's weekly activity as tiny bars in a roster cell: this week on the right.

Bars are scaled per member (their own busiest week fills the cell), so the shape says "going
quiet" or "warming up" for anyone; the tooltip has the exact counts. A silent week is a dot
on the baseline, and under a learner who went quiet (the model's `quiet_role`: the attention
list's *silent*, by the cohort's own days) the baseline of their silent weeks turns red.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from cohortdesk.ui.charts.theme import ALERT_COLOUR, PEER_COLOUR

GAP = 2.0
MARGIN_X, MARGIN_Y = 5.0, 6.0


def bar_rects(counts: Sequence[int], area: QRectF) -> list[QRectF]:
    """One rectangle per week inside `area`, heights scaled to the busiest week."""
    if not counts:
        return []
    width = (area.width() - GAP * (len(counts) - 1)) / len(counts)
    busiest = max(counts) or 1
    rects = []
    for position, count in enumerate(counts):
        height = max(1.5, area.height() * count / busiest) if count else 0.0
        left = area.left() + position * (width + GAP)
        rects.append(QRectF(left, area.bottom() - height, max(1.0, width), height))
    return rects


class SparklineDelegate(QStyledItemDelegate):
    """Draws the list of counts the model gives under `role`; `quiet_role` gives how many of
    the latest weeks to underline as gone quiet (0: none)."""

    def __init__(self, role: int, quiet_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.quiet_role = quiet_role

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # the cell's background and selection as every other cell has them
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        counts = index.data(self.role)
        if not counts:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        area = QRectF(option.rect).adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        latest = QColor(text) if selected else QColor(PEER_COLOUR)
        earlier = QColor(latest)
        earlier.setAlpha(150)
        rects = bar_rects(counts, area)
        for position, rect in enumerate(rects):
            if rect.height() == 0:
                dot = QColor(text)
                dot.setAlpha(90)
                painter.setBrush(dot)
                painter.drawEllipse(QRectF(rect.center().x() - 1, area.bottom() - 2, 2, 2))
                continue
            painter.setBrush(latest if position == len(rects) - 1 else earlier)
            painter.drawRoundedRect(rect, 1, 1)
        weeks = min(int(index.data(self.quiet_role) or 0), len(rects))
        if weeks:
            painter.setBrush(QColor(text) if selected else QColor(ALERT_COLOUR))
            quiet = rects[-weeks:]
            painter.drawRect(
                QRectF(quiet[0].left(), area.bottom() - 1, quiet[-1].right() - quiet[0].left(), 2)
            )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(90, 24)
