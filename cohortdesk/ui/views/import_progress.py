"""The import dialog's progress: a bar of the file read and the pace, shown only while importing."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from cohortdesk.ui.widgets.dialog_parts import DIALOG_SPACING
from cohortdesk.ui.widgets.labels import muted_label


class ImportProgress(QWidget):
    """How far the import got; hidden (taking no room) until it starts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.label = muted_label(wrap=False)
        metrics = self.label.fontMetrics()
        self.label.setMinimumWidth(
            metrics.horizontalAdvance("100% · 99,999,999 rows · 999,999 rows/s · 99 min 59 s left ")
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(DIALOG_SPACING)  # as the row had in the dialog's page
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)
        self.hide()

    def start(self) -> None:
        """Show an empty bar, its end not known yet."""
        self.bar.setRange(0, 0)
        self.bar.setValue(0)
        self.label.setText("Importing…")
        self.show()

    def advance(self, done: int, total: int, message: str) -> None:
        """`done` of `total` (the file's bytes; 0: not known), and what the import says:
        the share of the file read, rows, rows per second and time left."""
        if total > 0:
            if self.bar.maximum() != total:
                self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if message:
            self.label.setText(message)

    def cancelling(self) -> None:
        self.label.setText("Cancelling…")
