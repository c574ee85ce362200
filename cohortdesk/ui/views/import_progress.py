"""The import dialog's progress: a bar and the rows read, shown only while importing."""

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
        self.label.setMinimumWidth(metrics.horizontalAdvance("99,999,999 rows read  "))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(DIALOG_SPACING)  # as the row had in the dialog's page
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)
        self.hide()

    def start(self, total: int) -> None:
        """Show an empty bar; `total` rows is full (0: unknown)."""
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.label.setText("Importing…")
        self.show()

    def advance(self, rows: int) -> None:
        if self.bar.maximum() and rows <= self.bar.maximum():
            self.bar.setValue(rows)
        self.label.setText(f"{rows:,} rows read")

    def cancelling(self) -> None:
        self.label.setText("Cancelling…")
