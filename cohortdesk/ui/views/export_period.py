"""A day that may be left open, for the export dialog's period (From, To)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget


class OptionalDate(QWidget):
    """A date that may be left open: a check box and a date field."""

    changed = Signal()

    def __init__(self, text: str, initial: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text)
        self.edit = QDateEdit(QDate(initial.year, initial.month, initial.day))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        picked = self.edit.date()
        return date(picked.year(), picked.month(), picked.day())

    def set_value(self, value: date | None) -> None:
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))
        self.check.setChecked(value is not None)
