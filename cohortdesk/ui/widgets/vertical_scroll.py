"""A scroll area that scrolls up and down only, for panes and dialogs taller than a laptop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class VerticalScrollArea(QScrollArea):
    """Shows `content` at the full width it is given, scrolling when it is taller than that.

    Its minimum width is the content's (it never cuts the content off sideways: whatever is in
    it wraps or elides), its minimum height only a few lines: the window can be short, the
    content scrolls.
    """

    MINIMUM_HEIGHT = 120

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        content.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        width = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(width + 2 * self.frameWidth(), self.MINIMUM_HEIGHT)

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint()
        extra = self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(hint.width() + extra, hint.height() + 2 * self.frameWidth())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The content's minimum width changed (a longer name, more buttons): so did ours.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)
