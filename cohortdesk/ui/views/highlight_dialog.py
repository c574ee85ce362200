"""Capture or edit a highlight: a success story or a quote, its member, day and tags."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QStringListModel, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from cohortdesk.core.enums import EventKind, HighlightKind
from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import EventRow, validated
from cohortdesk.core.schemas.mentoring import HighlightInput, HighlightRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.widgets.edit_form import (
    chosen_day,
    day_edit,
    lay_out_edit_dialog,
    set_day,
    text_box,
)
from cohortdesk.ui.widgets.labels import error_label, muted_label, show_error

QUOTABLE = (EventKind.POST, EventKind.REPLY, EventKind.SHARE, EventKind.SUBMIT)
MAX_EVENTS = 200


def event_choice(event: EventRow, timezone: str) -> str:
    """`3 Oct 14:05 · Replied to Ben Carter · Week 1`, for the event picker."""
    parts = [
        fmt.local_time(event.occurred_at, timezone),
        fmt.event_text(event.kind, event.replied_to_name),
    ]
    if event.thread:
        parts.append(event.thread)
    return " · ".join(parts)


class HighlightDialog(QDialog):
    """Asks for a highlight; `value()` is the validated input once accepted.

    Args:
        parent: the window it belongs to.
        members: (membership id, name) of whom it can be about.
        today: the default day.
        initial: the highlight being edited, or None to capture one.
        membership_id: the member to preselect (fixed when `members` has only them).
        events: the member's events, to capture the highlight from one of them.
        timezone: the cohort's zone, for event times and days.
        event_id: the event to preselect.
    """

    def __init__(
        self,
        parent: QWidget | None,
        members: Sequence[tuple[int, str]],
        today: date,
        initial: HighlightRow | None = None,
        membership_id: int | None = None,
        events: Sequence[EventRow] = (),
        timezone: str = "UTC",
        event_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit highlight" if initial else "Capture a highlight")
        self.setMinimumWidth(540)
        self._value: HighlightInput | None = None
        self._timezone = timezone
        self._events = {e.id: e for e in events if e.kind in QUOTABLE}

        self.member = QComboBox()
        for mid, name in members:
            self.member.addItem(name, mid)
        wanted = initial.membership_id if initial else membership_id
        self.member.setCurrentIndex(max(self.member.findData(wanted), 0))
        self.member.setEnabled(len(members) > 1)
        self.story = QRadioButton("&Success story")
        self.quote = QRadioButton("&Quote")
        kind = initial.kind if initial else HighlightKind.STORY
        (self.quote if kind is HighlightKind.QUOTE else self.story).setChecked(True)
        kinds = QHBoxLayout()
        kinds.addWidget(self.story)
        kinds.addWidget(self.quote)
        kinds.addStretch(1)
        self.day = day_edit(initial.happened_on if initial else today)
        self.source_event = QComboBox()
        self.source_event.addItem("None: typed in", None)
        for event in list(self._events.values())[:MAX_EVENTS]:
            self.source_event.addItem(event_choice(event, timezone), event.id)
        chosen = initial.event_id if initial else event_id
        self.source_event.setCurrentIndex(max(self.source_event.findData(chosen), 0))
        self.source_event.setVisible(bool(self._events))
        self.event_detail = muted_label()
        self.text = text_box(
            initial.text if initial else "",
            "What they achieved, or what they said, in a sentence or two worth retelling",
            96,
        )
        self.tags = QLineEdit(initial.tag_text if initial else "")
        self.tags.setPlaceholderText("comma-separated, e.g. leadership, first post")
        self._tag_model = QStringListModel(self)
        completer = QCompleter(self._tag_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(completer)
        self.error = error_label()

        form = QFormLayout()
        form.addRow("&Member", self.member)
        form.addRow("Kind", kinds)
        if self._events:
            form.addRow("From &event", self.source_event)
            form.addRow("", self.event_detail)
        form.addRow("&Date", self.day)
        form.addRow("&Text", self.text)
        form.addRow("T&ags", self.tags)
        lay_out_edit_dialog(
            self,
            form,
            "Highlights feed the PDF report and manager summaries: write them to be read.",
            self.error,
        )
        self.source_event.currentIndexChanged.connect(self._event_chosen)
        self._event_chosen(initial is None)
        self.text.setFocus()

    def set_tags(self, tags: Sequence[str]) -> None:
        """Offer these tags as completions."""
        self._tag_model.setStringList(list(tags))

    @Slot()
    def _event_chosen(self, move_day: object = True) -> None:
        event = self._events.get(self.source_event.currentData() or -1)
        self.event_detail.setText(event.detail if event and event.detail else "")
        self.event_detail.setVisible(bool(event and event.detail))
        if event is not None and move_day is not False:
            set_day(self.day, fmt.local_date(event.occurred_at, self._timezone))

    def value(self) -> HighlightInput:
        assert self._value is not None
        return self._value

    @Slot()
    def accept(self) -> None:
        try:
            self._value = validated(
                HighlightInput,
                membership_id=self.member.currentData(),
                kind=HighlightKind.QUOTE if self.quote.isChecked() else HighlightKind.STORY,
                happened_on=chosen_day(self.day),
                text=self.text.toPlainText(),
                tags=self.tags.text(),
                event_id=self.source_event.currentData(),
            )
        except KnownError as exc:
            show_error(self.error, str(exc))
            return
        super().accept()
