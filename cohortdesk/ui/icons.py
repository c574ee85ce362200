"""Icons drawn at run time or loaded from package resources (no icon theme needed)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap


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
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, radius, radius)
    painter.end()
    return QIcon(pixmap)
