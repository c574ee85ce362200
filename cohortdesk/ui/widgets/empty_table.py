"""A table view that says why it is empty instead of showing a blank box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QTableView, QWidget

EMPTY_MARGIN = 24


class EmptyStateTable(QTableView):
    """A `QTableView` that draws `empty_text` in muted words while it has no rows.

    Args:
        empty_text: what to say when there is nothing to show ("No notes yet…").
        parent: the owning widget.
    """

    def __init__(self, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text

    def empty_text(self) -> str:
        return self._empty_text

    def set_empty_text(self, text: str) -> None:
        """Say something else while empty (a filter matched nobody, say)."""
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def is_showing_empty_text(self) -> bool:
        """True when the table has no rows and says why: what a person sees."""
        model = self.model()
        return bool(self._empty_text) and (model is None or model.rowCount() == 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.is_showing_empty_text():
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = (
            self.viewport()
            .rect()
            .adjusted(EMPTY_MARGIN, EMPTY_MARGIN, -EMPTY_MARGIN, -EMPTY_MARGIN)
        )
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        painter.drawText(area, int(flags) | int(Qt.TextFlag.TextWordWrap), self._empty_text)
        painter.end()
