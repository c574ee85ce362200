"""The Activity tab: the member's timeline, with events added or deleted by hand."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QVBoxLayout
from sqlalchemy.orm import Session

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.schemas import EventInput, EventRow, MemberDetail, PersonChoice
from cohortdesk.core.schemas.dashboard import MemberActivity
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.events_model import (
    COL_KIND,
    COL_THREAD,
    COL_WHEN,
    SECONDARY_COLUMNS,
    EventsModel,
)
from cohortdesk.ui.views.event_dialog import EventDialog
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.writer import MemberTarget, MemberWriter
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.labels import heading_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

EMPTY_TEXT = "No activity recorded yet. Import a platform's export, or add an event by hand."
SECONDARY_WIDTH = 110

if TYPE_CHECKING:
    from cohortdesk.ui.charts.member_activity_chart import MemberActivityChart


def count_text(shown: int, total: int) -> str:
    """`42 events`, or `Showing latest 500 of 812 events` when the list is capped."""
    if shown < total:
        return f"Showing latest {shown} of {total} events"
    return fmt.plural(total, "event")


def event_summary(event: EventRow, timezone: str) -> str:
    """`Replied on 3 Oct 2026 14:05 in “Week 1”`, for confirmations."""
    text = f"{fmt.event_text(event.kind, event.replied_to_name)}"
    text += f" on {fmt.local_time(event.occurred_at, timezone)}"
    return text + (f" in “{event.thread}”" if event.thread else "")


class ActivityTab(MemberTab):
    """Event count, "Add event…", "Delete event", and the timeline table."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__(context, writer)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.count_label = heading_label(scale=1.15)
        top.addWidget(self.count_label, 1)
        self.add_button = QPushButton("Add event…")
        self.add_button.setToolTip("Record something this member did that no import holds")
        self.add_button.clicked.connect(self.add_event)
        self.delete_button = QPushButton("Delete event")
        self.delete_button.setToolTip("Delete the selected event added by hand")
        self.delete_button.clicked.connect(self.delete_selected)
        top.addWidget(self.add_button)
        top.addWidget(self.delete_button)
        layout.addLayout(top)
        # Their weeks at a glance, with stage changes marked; loaded in the background, and
        # built (with the charting library) when the tab is first looked at.
        self._chart: MemberActivityChart | None = None
        self._chart_place = QVBoxLayout()
        self._chart_place.setContentsMargins(0, 0, 0, 0)
        self._chart_request = 0
        self._chart_for: MemberDetail | None = None
        layout.addLayout(self._chart_place)
        self.events_model = EventsModel(self)
        # When, what (and to whom) and the thread fill the panel; words, detail and source
        # are in every row's tooltip, and the header's menu shows them as columns.
        self.events_view = make_table(
            self.events_model, (COL_KIND, COL_THREAD), fitted=(COL_WHEN,), empty_text=EMPTY_TEXT
        )
        header = self.events_view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.column_actions: dict[int, QAction] = {}
        for column in SECONDARY_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.events_view.setColumnWidth(column, SECONDARY_WIDTH)
            self.events_view.setColumnHidden(column, True)
            action = QAction(f"Show {EventsModel.HEADERS[column].lower()}", header)
            action.setCheckable(True)
            action.toggled.connect(
                lambda shown, c=column: self.events_view.setColumnHidden(c, not shown)
            )
            header.addAction(action)
            self.column_actions[column] = action
        layout.addWidget(self.events_view, 1)
        self.events_view.selectionModel().selectionChanged.connect(self._update_delete)
        self._update_delete()

    def show_detail(self, detail: MemberDetail) -> None:
        super().show_detail(detail)
        self.count_label.setText(count_text(len(detail.events), detail.events_total))
        kept = selected_id(self.events_view)
        self.events_model.set_rows(detail.events, detail.timezone)
        select_id(self.events_view, kept)
        self._update_delete()
        self._chart_for = detail
        if self.isVisible():
            self._load_chart(detail)

    @property
    def chart(self) -> MemberActivityChart:
        """The member's weeks chart (built on first use)."""
        if self._chart is None:
            from cohortdesk.ui.charts.member_activity_chart import MemberActivityChart

            self._chart = MemberActivityChart(self)
            self._chart_place.addWidget(self._chart)
        return self._chart

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.chart  # noqa: B018 (built on first show)
        # The chart loads when the tab is looked at, not for every member clicked past.
        if self._chart_for is not None:
            self._load_chart(self._chart_for)

    def _load_chart(self, detail: MemberDetail) -> None:
        from cohortdesk.core.services.dashboards import dashboard

        self._chart_for = None
        self._chart_request += 1
        request, membership_id = self._chart_request, detail.row.membership_id
        as_of = self.context.as_of.shown_day()

        def query(session: Session) -> MemberActivity | None:
            try:
                return dashboard.member_activity(session, membership_id, as_of=as_of)
            except NotFoundError:
                return None  # removed meanwhile: the panel is about to say so

        def arrived(activity: MemberActivity | None) -> None:
            if request == self._chart_request:
                self.chart.set_data(activity, detail.stage_history, detail.timezone)

        self.context.runner.read("Load activity chart", query, arrived)

    def selected_event(self) -> EventRow | None:
        row = self.events_model.row_of_id(selected_id(self.events_view) or -1)
        return None if row is None else self.events_model.row_at(row)

    @Slot()
    def _update_delete(self) -> None:
        self.delete_button.setEnabled(self.selected_event() is not None)

    @Slot()
    def add_event(self) -> EventDialog | None:
        """Open the event dialog, filling "replied to" with the cohort's other members."""
        from cohortdesk.core.services.people import members

        target, detail = self.target(), self.detail
        if target is None or detail is None:
            return None
        clock = datetime.now(ZoneInfo(detail.timezone))
        # on the day the cohort is judged as of (an ended cohort's last day), at this hour
        now = datetime.combine(self.context.as_of.shown_day(), clock.time())
        dialog = EventDialog(self, target.name, detail.timezone, now)
        zone = detail.timezone
        dialog.accepted.connect(lambda: self._write(target, dialog.value(), zone))
        dialog.finished.connect(dialog.deleteLater)
        me = detail.row.person_id

        def fill(choices: list[PersonChoice]) -> None:
            if shiboken6.isValid(dialog):
                dialog.set_choices([c for c in choices if c.person_id != me])

        self.context.runner.read(
            "Load members", lambda s: members.member_choices(s, target.cohort_id), fill
        )
        dialog.open()
        return dialog

    def _write(self, target: MemberTarget, event: EventInput, timezone: str) -> None:
        from cohortdesk.core.services.people import tracking

        when = fmt.local_time(event.occurred_at, timezone)
        self.writer.write(
            "Add event",
            target,
            lambda s: tracking.add_event(s, target.membership_id, event),
            f"Added “{fmt.EVENT_LABELS[event.kind]}” on {when} to {target.name}'s activity",
        )

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected event, after asking."""
        from cohortdesk.core.services.people import tracking

        target, event = self.target(), self.selected_event()
        if target is None or event is None or self.detail is None:
            return
        question = (
            f"Delete this event from {target.name}'s activity?\n\n"
            f"{event_summary(event, self.detail.timezone)}\n\n"
            "Their counts change with it. An imported event comes back if the same file is "
            "imported again."
        )
        if not confirm.confirm(self, "Delete event", question, "Delete"):
            return
        self.writer.write(
            "Delete event",
            target,
            lambda s: tracking.delete_event(s, event.id),
            f"Deleted an event from {target.name}'s activity",
        )
