"""The pieces a small edit dialog is built from, so every one of them looks and reads the same:
a day picker, a few-line text box, and the foot under the form (a hint, the inline error,
Save and Cancel)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from cohortdesk.core.dates import FIRST_DAY, LAST_DAY
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.labels import muted_label


def day_edit(day: date | None = None, name: str = "") -> QDateEdit:
    """A day picker with a calendar pop-up, reading `3 Oct 2026`, set to `day`.

    It offers only the days cohortdesk keeps (`core/dates.py`); `name` is its accessible name.
    """
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setDateRange(_qdate(FIRST_DAY), _qdate(LAST_DAY))
    if name:
        edit.setAccessibleName(name)
    if day is not None:
        set_day(edit, day)
    return edit


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def set_day(edit: QDateEdit, day: date) -> None:
    """Show `day` in a day picker."""
    edit.setDate(_qdate(day))


def chosen_day(edit: QDateEdit) -> date:
    """The day a day picker shows."""
    day = edit.date().toPython()
    assert isinstance(day, date)
    return day


def text_box(text: str, placeholder: str, height: int) -> QPlainTextEdit:
    """A plain-text box `height` pixels tall; Tab moves on to the next field (no tab is typed).

    Args:
        text: what it holds at first.
        placeholder: the hint shown while it is empty.
        height: its fixed height in pixels.
    """
    edit = QPlainTextEdit(text)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def lay_out_edit_dialog(dialog: QDialog, form: QFormLayout, hint: str, error: QLabel) -> None:
    """Give `dialog` its layout: the form, a muted hint, the inline error, Save and Cancel.

    Save calls the dialog's `accept` (which validates) and Cancel its `reject`.

    Args:
        dialog: the dialog, still without a layout.
        form: its fields.
        hint: one line under the form on what the entry is for or who sees it.
        error: the label `show_error` fills when the entry does not validate.
    """
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    explain_buttons(buttons)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(muted_label(hint))
    layout.addWidget(error)
    layout.addWidget(buttons)
