"""Enter an activity event by hand, in the cohort's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.enums import EventKind
from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import EventInput, PersonChoice, validated
from cohortdesk.ui import format as fmt
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.edit_form import day_edit
from cohortdesk.ui.widgets.labels import error_label, muted_label, show_error

ANSWERING_KINDS = frozenset({EventKind.REPLY, EventKind.REACTION})
"""Kinds that answer someone, so "replied to" applies."""

NOBODY = "(nobody in particular)"
LOADING = "Loading members…"


def python_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def python_time(clock: QTime) -> time:
    return time(clock.hour(), clock.minute())


def to_utc(day: date, clock: time, zone: str) -> datetime:
    """A wall-clock date and time in `zone` as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)


class EventDialog(QDialog):
    """Kind, date and time (cohort's zone), detail, thread, and whom a reply answers.

    The "replied to" choices arrive later (`set_choices`), read off the GUI thread.

    Args:
        parent: the member panel.
        member_name: whose event, for the title.
        timezone: the cohort's IANA time zone; the time typed is read in it.
        now: the default date and time, already in `timezone`.
    """

    def __init__(
        self, parent: QWidget | None, member_name: str, timezone: str, now: datetime
    ) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self.setWindowTitle(f"Add event for {member_name}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        for kind, label in fmt.EVENT_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(EventKind.POST))
        form.addRow("&What:", self.kind_combo)

        self.date_edit = day_edit(now.date())
        self.time_edit = QTimeEdit(QTime(now.hour, now.minute))
        self.time_edit.setDisplayFormat("HH:mm")
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        when.addWidget(self.time_edit)
        when.addWidget(muted_label(timezone, wrap=False), 1)
        when_label = QLabel("Wh&en:")
        when_label.setBuddy(self.date_edit)  # a row holding a layout gets no buddy by itself
        form.addRow(when_label, when)

        self.thread_edit = QLineEdit()
        self.thread_edit.setPlaceholderText("Discussion or thread title (optional)")
        form.addRow("&Thread:", self.thread_edit)
        self.replied_to_combo = QComboBox()
        self.replied_to_combo.addItem(LOADING, None)
        form.addRow("&Replied to:", self.replied_to_combo)
        self.words_spin = QSpinBox()
        self.words_spin.setRange(0, 100_000)
        self.words_spin.setSpecialValueText("not counted")
        self.words_spin.setSuffix(" words")
        form.addRow("Len&gth:", self.words_spin)
        self.detail_edit = QLineEdit()
        self.detail_edit.setPlaceholderText("What happened, in a few words (optional)")
        form.addRow("&Detail:", self.detail_edit)
        layout.addLayout(form)

        self.error_label = error_label()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add event")
        explain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.kind_combo.currentIndexChanged.connect(self._update)
        self._update()

    def set_choices(self, choices: Sequence[PersonChoice]) -> None:
        """Fill "replied to" with these members (the member themself already left out)."""
        self.replied_to_combo.clear()
        self.replied_to_combo.addItem(NOBODY, None)
        for choice in choices:
            role = fmt.ROLE_LABELS[choice.role]
            self.replied_to_combo.addItem(f"{choice.name} ({role.lower()})", choice.person_id)

    def kind(self) -> EventKind:
        # Item data comes back as a plain str: Qt keeps no Python enum type.
        return EventKind(self.kind_combo.currentData())

    def set_kind(self, kind: EventKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def set_replied_to(self, person_id: int) -> None:
        self.replied_to_combo.setCurrentIndex(self.replied_to_combo.findData(person_id))

    def value(self) -> EventInput:
        """The event as typed, its time converted to UTC.

        Raises:
            KnownError: a field is out of range.
        """
        answering = self.kind() in ANSWERING_KINDS
        replied_to = self.replied_to_combo.currentData() if answering else None
        words = self.words_spin.value()
        return validated(
            EventInput,
            kind=self.kind(),
            occurred_at=to_utc(
                python_date(self.date_edit.date()),
                python_time(self.time_edit.time()),
                self.timezone,
            ),
            detail=self.detail_edit.text().strip(),
            thread=self.thread_edit.text().strip() or None,
            replied_to_person_id=replied_to,
            word_count=words or None,
        )

    @Slot()
    def _update(self) -> None:
        answering = self.kind() in ANSWERING_KINDS
        self.replied_to_combo.setEnabled(answering)
        self.replied_to_combo.setToolTip(
            "" if answering else "Only replies and reactions answer someone"
        )

    def accept(self) -> None:
        try:
            self.value()
        except KnownError as exc:
            show_error(self.error_label, str(exc))
            return
        super().accept()
