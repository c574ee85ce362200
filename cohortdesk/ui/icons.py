"""Icons drawn at run time or loaded from package resources (no icon theme needed)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap


def app_icon() -> QPixmap:
    """The staircase logo."""
    data = resources.files("cohortdesk.resources").joinpath("cohortdesk.svg").read_bytes()
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(data), "SVG")
    return pixmap


@cache
def dot_icon(colour: str, size: int = 10) -> QIcon:
    """A filled circle, for status colours in tables and lists."""
    return _shape_icon(colour, size, radius=size / 2)


@cache
def square_icon(colour: str, size: int = 12) -> QIcon:
    """A rounded square, for stage colours."""
    return _shape_icon(colour, size, radius=3)


def _shape_icon(colour: str, size: int, radius: float) -> QIcon:
    """The shape in its colour; on a selected row (the highlight may be the same blue as a
    stage) the same shape ringed in white, so it never vanishes into the highlight."""
    icon = QIcon(_shape(colour, size, radius, ring=None))
    icon.addPixmap(_shape(colour, size, radius, ring=QColor("white")), QIcon.Mode.Selected)
    return icon


def _shape(colour: str, size: int, radius: float, ring: QColor | None) -> QPixmap:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if ring is None:
        painter.setPen(Qt.PenStyle.NoPen)
    else:
        painter.setPen(QPen(ring, 1.5))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), radius, radius)
    painter.end()
    return pixmap
