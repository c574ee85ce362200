"""Record a motivation check-in: when, how motivated (1 to 5), and what they said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.ui import format as fmt
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.edit_form import day_edit
from cohortdesk.ui.widgets.labels import muted_label


def python_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


@dataclass(frozen=True)
class CheckIn:
    """What the dialog collected, ready for `services.people.tracking.add_motivation`."""

    checked_on: date
    rating: int
    note: str


class MotivationDialog(QDialog):
    """A date (default the cohort's as-of day), five rating buttons and an optional note.

    Args:
        parent: the member panel.
        member_name: whose motivation, for the title.
        today: `AppContext.current_date()`; later dates are not offered.
        day: the default date (the cohort's as-of day: its end once it has ended); today
            without one.
    """

    def __init__(
        self, parent: QWidget | None, member_name: str, today: date, day: date | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Motivation check-in: {member_name}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date_edit = day_edit(min(day or today, today))
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        form.addRow("&Date:", self.date_edit)

        self.rating_group = QButtonGroup(self)
        self.rating_group.setExclusive(True)
        ratings = QHBoxLayout()
        ratings.setSpacing(4)
        for rating, label in fmt.MOTIVATION_LABELS.items():
            button = QPushButton(f"{rating}\n{label}")
            button.setCheckable(True)
            button.setMinimumWidth(72)
            button.setToolTip(f"{rating}: {label}")
            self.rating_group.addButton(button, rating)
            ratings.addWidget(button)
        form.addRow("Motivation:", ratings)

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("What they said, or what you noticed (optional)")
        form.addRow("&Note:", self.note_edit)
        layout.addLayout(form)
        layout.addWidget(
            muted_label("Ask how things are going: a low or falling rating is worth a word.")
        )

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )

        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record")
        self.ok_button.setEnabled(False)
        explain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.rating_group.idToggled.connect(self._update)

    def set_rating(self, rating: int) -> None:
        button = self.rating_group.button(rating)
        if button is not None:
            button.setChecked(True)

    def rating(self) -> int | None:
        checked = self.rating_group.checkedId()
        return None if checked < 0 else checked

    def value(self) -> CheckIn:
        """The check-in; only meaningful once a rating is chosen (OK is disabled before)."""
        rating = self.rating()
        if rating is None:
            raise ValueError("no rating chosen")
        return CheckIn(
            checked_on=python_date(self.date_edit.date()),
            rating=rating,
            note=self.note_edit.text().strip(),
        )

    @Slot()
    def _update(self) -> None:
        self.ok_button.setEnabled(self.rating() is not None)

    def accept(self) -> None:
        if self.rating() is not None:
            super().accept()
