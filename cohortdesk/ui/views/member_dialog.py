"""A person's details in a cohort: name, email, role, expertise (add or edit)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import MemberInput, validated
from cohortdesk.ui import format as fmt
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.labels import error_label, show_error

FRIENDLY_ERRORS = {
    "Name": "Enter the person's name (up to 200 characters).",
    "Email": "That email address does not look right: it needs a name, an @ and a domain, "
    "like ana@example.org (or leave it empty).",
}
"""What to do about the validation failures people actually hit, by the field's label."""


def friendly_message(error: KnownError) -> str:
    """`validated()` says what is wrong (`Email: not a valid email address (dev@)`); in this
    dialog, say what to type instead."""
    label = str(error).split(":", 1)[0]
    return FRIENDLY_ERRORS.get(label, str(error))


class MemberDialog(QDialog):
    """Edit or enter a member; OK keeps the dialog open, with the reason, until the input is valid.

    Args:
        parent: the window the dialog belongs to.
        title: the window title ("Add member", "Edit Ana Souza").
        initial: the current details, or None for a new member (a learner).
    """

    def __init__(self, parent: QWidget | None, title: str, initial: MemberInput | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Full name")
        form.addRow("&Name:", self.name_edit)
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("name@example.org (optional)")
        form.addRow("&Email:", self.email_edit)
        self.role_combo = QComboBox()
        for role, label in fmt.ROLE_LABELS.items():
            self.role_combo.addItem(label, role)
        form.addRow("&Role:", self.role_combo)
        self.expertise_edit = QLineEdit()
        self.expertise_edit.setPlaceholderText("Keywords, e.g. data protection, Moodle, coaching")
        self.expertise_edit.setToolTip("What others could ask them about")
        form.addRow("E&xpertise:", self.expertise_edit)
        layout.addLayout(form)
        self.error_label = error_label()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if initial else "Add")
        explain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if initial is not None:
            self.set_value(initial)

    def set_value(self, data: MemberInput) -> None:
        self.name_edit.setText(data.full_name)
        self.email_edit.setText(data.email)
        self.role_combo.setCurrentIndex(self.role_combo.findData(data.role))
        self.expertise_edit.setText(data.expertise)

    def role(self) -> Role:
        # Item data comes back as a plain str: Qt keeps no Python enum type.
        return Role(self.role_combo.currentData())

    def value(self) -> MemberInput:
        """The details as typed.

        Raises:
            KnownError: the name is empty or the email malformed (say).
        """
        return validated(
            MemberInput,
            full_name=self.name_edit.text(),
            email=self.email_edit.text(),
            role=self.role(),
            expertise=self.expertise_edit.text().strip(),
        )

    def error(self) -> str:
        """The inline error shown, or an empty string."""
        return "" if self.error_label.isHidden() else self.error_label.text()

    def accept(self) -> None:
        try:
            self.value()
        except KnownError as exc:
            show_error(self.error_label, friendly_message(exc))
            return
        show_error(self.error_label, "")
        super().accept()
