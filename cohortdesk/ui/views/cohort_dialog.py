"""Create or edit a cohort: name, description, dates and time zone."""

from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.localzone import local_zone_name
from cohortdesk.core.schemas import CohortInput, CohortRow, validated
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.optional_date import OptionalDate


class CohortDialog(QDialog):
    """Asks for a cohort's details; `value()` is the validated input once accepted."""

    def __init__(
        self, parent: QWidget | None, title: str, initial: CohortRow | None, today: date
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self._value: CohortInput | None = None
        self.name = QLineEdit(initial.name if initial else "")
        self.name.setPlaceholderText("e.g. Leading Online Learning, spring 2027")
        self.description = QPlainTextEdit(initial.description if initial else "")
        self.description.setPlaceholderText("What the cohort is about, who it is for")
        self.description.setFixedHeight(70)
        self.start = OptionalDate("Starts", initial.start_date if initial else today, today)
        self.end = OptionalDate("Ends", initial.end_date if initial else None, today)
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        zones = sorted(available_timezones())
        self.timezone.addItems(zones)
        completer = self.timezone.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.timezone.setCurrentText(initial.timezone if initial else local_zone_name())
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        hint = QLabel("Times in imported files without a zone are read in this time zone.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        form.addRow("Dates", self.start)
        form.addRow("", self.end)
        form.addRow("Time zone", self.timezone)
        form.addRow("", hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Save" if initial else "Create"
        )
        explain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_ok()

    @Slot()
    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()))

    def accept(self) -> None:
        try:
            self._value = validated(
                CohortInput,
                name=self.name.text(),
                description=self.description.toPlainText().strip(),
                start_date=self.start.value(),
                end_date=self.end.value(),
                timezone=self.timezone.currentText(),
            )
        except KnownError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()

    def value(self) -> CohortInput:
        """The validated details; only after the dialog was accepted."""
        assert self._value is not None
        return self._value
