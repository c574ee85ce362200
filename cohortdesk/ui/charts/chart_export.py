"""Writing a chart to PNG or SVG, as it looks on screen.

SVG goes through Qt's own QSvgGenerator (part of PySide6-Essentials): pyqtgraph's SVGExporter
breaks on the path data Qt 6.10+ writes. Graphics views normally paint their background from a
cached bitmap; that cache is switched off while exporting so the SVG stays all vectors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QWidget

from cohortdesk.core.errors import KnownError

PNG_SCALE = 2.0
"""PNGs are written at twice the screen's pixels, sharp enough for a slide or a report."""

FILTERS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}


class ExportError(KnownError):
    """The chart could not be written (the folder is read-only, the disk is full...)."""


@contextmanager
def _vector_views(widget: QWidget) -> Iterator[None]:
    """Switch off the bitmap caches that would turn shapes into pictures in an SVG: the
    views' background cache, and the symbol atlas scatter plots stamp markers from."""
    views = widget.findChildren(QGraphicsView)
    if isinstance(widget, QGraphicsView):
        views.append(widget)
    modes = [view.cacheMode() for view in views]
    scatters = [
        item
        for view in views
        if view.scene() is not None
        for item in view.scene().items()
        if isinstance(item, pg.ScatterPlotItem) and item.opts.get("useCache", False)
    ]
    for view in views:
        view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
    for scatter in scatters:
        scatter.opts["useCache"] = False
    try:
        yield
    finally:
        for view, mode in zip(views, modes, strict=True):
            view.setCacheMode(mode)
        for scatter in scatters:
            scatter.opts["useCache"] = True


def export_png(widget: QWidget, path: Path, scale: float = PNG_SCALE) -> Path:
    """Write what `widget` shows to a PNG file, `scale` times its size in pixels.

    Raises:
        ExportError: the file could not be written.
    """
    size = widget.size()
    image = QImage(
        round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32
    )
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().color(QPalette.ColorRole.Window))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    widget.render(painter, QPoint())
    painter.end()
    if not image.save(str(path)):
        raise ExportError(f"Could not write {path}: check that the folder exists and is writable")
    return path


def export_svg(widget: QWidget, path: Path, title: str = "") -> Path:
    """Write what `widget` shows to an SVG file, shapes and text as vectors.

    Raises:
        ExportError: the file could not be written.
    """
    if not path.parent.is_dir():
        raise ExportError(f"Could not write {path}: the folder does not exist")
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(widget.size())
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    generator.setTitle(title)
    generator.setDescription("Made with cohortdesk")
    with _vector_views(widget):
        painter = QPainter()
        if not painter.begin(generator):
            raise ExportError(f"Could not write {path}: check that the folder is writable")
        painter.fillRect(
            QRect(0, 0, widget.width(), widget.height()),
            widget.palette().color(QPalette.ColorRole.Window),
        )
        widget.render(painter, QPoint())
        painter.end()
    if not path.is_file() or path.stat().st_size == 0:
        raise ExportError(f"Could not write {path}: check that the folder is writable")
    return path


def export_chart(widget: QWidget, path: Path, title: str = "") -> Path:
    """PNG or SVG, chosen by the file's suffix (PNG when it has another one).

    Raises:
        ExportError: the file could not be written.
    """
    if path.suffix.lower() == ".svg":
        return export_svg(widget, path, title)
    if path.suffix.lower() != ".png":
        path = path.with_name(path.name + ".png")
    return export_png(widget, path)


def file_name(title: str, suffix: str) -> str:
    """`Reply network.svg` from a chart's title: no characters file systems refuse."""
    safe = "".join(c for c in title if c.isalnum() or c in " -_()").strip() or "chart"
    return f"{safe}{suffix}"
