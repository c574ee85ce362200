"""Motivation ratings over time, painted as a small line chart (no chart library)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from cohortdesk.core.schemas import AttentionSettings
from cohortdesk.ui import format as fmt

LOW, HIGH = 1, 5
LEFT_MARGIN, RIGHT_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 62.0, 12.0, 8.0, 20.0
EMPTY_TEXT = "No check-ins yet: ask how things are going and record it here"


class MotivationChart(QWidget):
    """Ratings 1 to 5 against their dates, oldest on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: tuple[tuple[date, int], ...] = ()
        self._low = AttentionSettings().low_motivation
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Motivation over time")

    def points(self) -> tuple[tuple[date, int], ...]:
        return self._points

    def set_points(self, points: Sequence[tuple[date, int]], low_motivation: int) -> None:
        """Show these (date, rating) check-ins, in any order; red at or below `low_motivation`."""
        self._points = tuple(sorted(points))
        self._low = low_motivation
        if self._points:
            latest = self._points[-1]
            self.setAccessibleDescription(
                f"{len(self._points)} check-ins; latest {latest[1]} on {fmt.short_date(latest[0])}"
            )
        else:
            self.setAccessibleDescription(EMPTY_TEXT)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 130)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 110)

    def _plot(self) -> QRectF:
        return QRectF(
            LEFT_MARGIN,
            TOP_MARGIN,
            max(1.0, self.width() - LEFT_MARGIN - RIGHT_MARGIN),
            max(1.0, self.height() - TOP_MARGIN - BOTTOM_MARGIN),
        )

    def _position(self, plot: QRectF, day: date, rating: int) -> QPointF:
        first, last = self._points[0][0], self._points[-1][0]
        span = (last - first).days
        share = 0.5 if span == 0 else (day - first).days / span
        y = plot.bottom() - (rating - LOW) / (HIGH - LOW) * plot.height()
        return QPointF(plot.left() + share * plot.width(), y)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        plot = self._plot()
        small = painter.font()
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        grid = QColor(muted)
        grid.setAlpha(60)
        for rating in range(LOW, HIGH + 1):
            y = plot.bottom() - (rating - LOW) / (HIGH - LOW) * plot.height()
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            label = QRectF(0, y - 8, LEFT_MARGIN - 6, 16)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(label, align, f"{fmt.MOTIVATION_LABELS[rating]} {rating}")
        if not self._points:
            painter.setPen(muted)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(plot.adjusted(8, 0, -8, 0), flags, EMPTY_TEXT)
            painter.end()
            return
        self._paint_dates(painter, plot, muted)
        positions = [self._position(plot, day, rating) for day, rating in self._points]
        path = QPainterPath(positions[0])
        for point in positions[1:]:
            path.lineTo(point)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        for (_, rating), point in zip(self._points, positions, strict=True):
            colour = fmt.motivation_colour(rating, self._low) or muted
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 1.5))
            painter.setBrush(colour)
            painter.drawEllipse(point, 4.5, 4.5)
        painter.end()

    def _paint_dates(self, painter: QPainter, plot: QRectF, colour: QColor) -> None:
        painter.setPen(colour)
        first, last = self._points[0][0], self._points[-1][0]
        row = QRectF(plot.left(), plot.bottom() + 4, plot.width(), BOTTOM_MARGIN - 4)
        if first == last:
            painter.drawText(row, Qt.AlignmentFlag.AlignHCenter, fmt.short_date(first))
            return
        painter.drawText(row, Qt.AlignmentFlag.AlignLeft, fmt.short_date(first))
        painter.drawText(row, Qt.AlignmentFlag.AlignRight, fmt.short_date(last))
