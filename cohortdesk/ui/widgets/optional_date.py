"""A day that may be left unset: a cohort's start and end, an export's period, a setting."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from cohortdesk.ui.widgets.edit_form import chosen_day, day_edit, set_day


class OptionalDate(QWidget):
    """A check box that turns a day picker on; unchecked, the value is None.

    Args:
        text: the check box's words ("Starts", "From"), also the day picker's accessible name.
        value: the day to show checked, or None for unset.
        default: the day the picker offers while unset.
        display_format: how the picker writes a day (Qt's date format).
        parent: the owning widget.
    """

    changed = Signal()
    """Checked, unchecked, or another day picked."""

    def __init__(
        self,
        text: str,
        value: date | None,
        default: date,
        *,
        display_format: str = "d MMM yyyy",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text)
        self.check.setToolTip(f"{text}: tick to choose a day, untick for none")
        self.edit = day_edit(value or default)
        self.edit.setDisplayFormat(display_format)
        self.edit.setAccessibleName(text)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        """The day picked, or None while unchecked."""
        return chosen_day(self.edit) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        """Check and show `value`, or uncheck (the picker keeps its day) for None."""
        if value is not None:
            set_day(self.edit, value)
        self.check.setChecked(value is not None)
