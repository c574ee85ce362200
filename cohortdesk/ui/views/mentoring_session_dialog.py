"""Write or edit a mentoring session: when, with whom, notes, goals and next steps."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QPlainTextEdit, QWidget

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import validated
from cohortdesk.core.schemas.mentoring import GroupRow, MenteeOverview, SessionInput, SessionRow
from cohortdesk.ui.widgets.edit_form import chosen_day, day_edit, lay_out_edit_dialog, text_box
from cohortdesk.ui.widgets.labels import error_label, show_error

PRIVATE_HINT = "Only you, the mentor, see these notes (and your facilitator, once you send them)."


class MentoringSessionDialog(QDialog):
    """Asks for a session's details; `value()` is the validated input once accepted.

    Args:
        parent: the mentor view.
        mentees: whom the session can be with.
        groups: the mentor's groups (a session can be with a whole group).
        today: the default date.
        initial: the session being edited, or None for a new one.
        mentee_id: the mentee to preselect for a new session.
    """

    def __init__(
        self,
        parent: QWidget | None,
        mentees: tuple[MenteeOverview, ...],
        groups: tuple[GroupRow, ...],
        today: date,
        initial: SessionRow | None = None,
        mentee_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit session" if initial else "New mentoring session")
        self.setMinimumWidth(520)
        self._value: SessionInput | None = None
        self.held_on = day_edit(initial.held_on if initial else today)
        self.with_whom = QComboBox()
        # Item data is "mentee:ID" or "group:ID" (Qt compares strings reliably, not tuples).
        for mentee in mentees:
            self.with_whom.addItem(mentee.name, f"mentee:{mentee.membership_id}")
        for group in groups:
            self.with_whom.addItem(f"Group: {group.name}", f"group:{group.id}")
        if initial is not None and initial.mentee_membership_id is not None:
            wanted = f"mentee:{initial.mentee_membership_id}"
        elif initial is not None:
            wanted = f"group:{initial.group_id}"
        else:
            wanted = f"mentee:{mentee_id}"
        index = self.with_whom.findData(wanted)
        if index < 0 and initial is not None:  # a former mentee: keep them choosable
            self.with_whom.addItem(initial.with_whom, wanted)
            index = self.with_whom.count() - 1
        self.with_whom.setCurrentIndex(max(index, 0))
        self.notes = self._text(initial.notes if initial else "", "What you talked about")
        self.goals = self._text(initial.goals if initial else "", "What they are working towards")
        self.next_steps = self._text(initial.next_steps if initial else "", "Who does what next")
        self.error = error_label()

        form = QFormLayout()
        form.addRow("&Date", self.held_on)
        form.addRow("&With", self.with_whom)
        form.addRow("&Notes", self.notes)
        form.addRow("&Goals", self.goals)
        form.addRow("Ne&xt steps", self.next_steps)
        lay_out_edit_dialog(self, form, PRIVATE_HINT, self.error)
        self.notes.setFocus()

    @staticmethod
    def _text(initial: str, placeholder: str) -> QPlainTextEdit:
        return text_box(initial, placeholder, 74)

    def value(self) -> SessionInput:
        assert self._value is not None
        return self._value

    @Slot()
    def accept(self) -> None:
        kind, _, number = str(self.with_whom.currentData() or ":").partition(":")
        ident = int(number) if number else None
        try:
            self._value = validated(
                SessionInput,
                held_on=chosen_day(self.held_on),
                mentee_membership_id=ident if kind == "mentee" else None,
                group_id=ident if kind == "group" else None,
                notes=self.notes.toPlainText(),
                goals=self.goals.toPlainText(),
                next_steps=self.next_steps.toPlainText(),
            )
        except KnownError as exc:
            show_error(self.error, str(exc))
            return
        super().accept()
