"""A row that centres its widgets, for pages that say one thing in the middle of the window."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget


def centred_row(*widgets: QWidget) -> QHBoxLayout:
    """`widgets` side by side, centred: equal stretch on both sides."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
