"""A cohort's nudges: who was written to, from which template, how, when, and what followed."""

from __future__ import annotations

from collections import Counter

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QSplitter, QWidget

from cohortdesk.core.enums import NudgeStatus
from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import CohortRow, NudgeOutcome, NudgeRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.message_labels import OUTCOME_LABELS, STATUS_LABELS, nudge_state
from cohortdesk.ui.models.nudges_model import (
    COL_CHANNEL,
    COL_MEMBER,
    COL_OUTCOME,
    COL_SENT,
    COL_SUBJECT,
    COL_TEMPLATE,
    NudgesModel,
)
from cohortdesk.ui.tasks import Task, pass_on_failure
from cohortdesk.ui.views.cohort_scoped_dialog import CohortListDialog, selected_row
from cohortdesk.ui.views.nudge_confirm import ConfirmButtons
from cohortdesk.ui.views.nudge_message_view import NudgeMessageView
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.dialog_parts import dialog_layout
from cohortdesk.ui.widgets.labels import muted_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

EMPTY_TEXT = "No nudges yet: select learners on Today (or in the Roster) and press Nudge…"


def outcome_summary(rows: list[NudgeRow]) -> str:
    """`12 nudges · 5 responded · 3 waiting · 4 no response · 2 drafts to confirm`."""
    if not rows:
        return "No nudges logged yet"
    counts = Counter(nudge_state(row) for row in rows)
    parts = [fmt.plural(len(rows), "nudge")]
    parts += [
        f"{counts[label]} {label.lower()}"
        for label in (OUTCOME_LABELS[o] for o in NudgeOutcome)
        if counts[label]
    ]
    drafts = sum(row.status is NudgeStatus.DRAFT for row in rows)
    if drafts:
        parts.append(f"{fmt.plural(drafts, 'draft')} to confirm")
    not_sent = sum(row.status is NudgeStatus.NOT_SENT for row in rows)
    if not_sent:
        parts.append(f"{not_sent} not sent")
    return " · ".join(parts)


def _states(row: NudgeRow) -> set[str]:
    """The filter values a nudge matches: its outcome when sent, else its status."""
    return {row.outcome.value} if row.outcome is not None else {row.status.value}


class NudgesDialog(CohortListDialog):
    """The Nudges list of one cohort, newest first, with each message as sent.

    Args:
        context: the open database's services.
        cohort: whose nudges.
        parent: the main window.
    """

    TITLE = "Nudges in {name}"
    MINIMUM_SIZE = (820, 520)
    SIZE = (1100, 700)

    nudges_loaded = Signal()
    """The list was (re)loaded."""
    status_message = Signal(str)

    def __init__(
        self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, cohort, parent)
        self._rows: list[NudgeRow] = []
        self.summary = muted_label()
        self.outcome_filter = QComboBox()
        self.outcome_filter.addItem("All outcomes", None)
        for outcome in NudgeOutcome:
            self.outcome_filter.addItem(OUTCOME_LABELS[outcome], outcome.value)
        for status in (NudgeStatus.DRAFT, NudgeStatus.NOT_SENT):
            self.outcome_filter.addItem(STATUS_LABELS[status], status.value)
        self.outcome_filter.setAccessibleName("Show nudges")
        self.outcome_filter.setToolTip("Only the nudges with this outcome, or drafts to confirm")
        self.model = NudgesModel(self)
        self.table = make_table(
            self.model,
            (COL_SUBJECT,),
            fitted=(COL_SENT, COL_MEMBER, COL_TEMPLATE, COL_CHANNEL, COL_OUTCOME),
            empty_text=EMPTY_TEXT,
        )
        self.table.setAccessibleName("Nudges")
        self.message = NudgeMessageView("Select a nudge to read it as it was sent.")
        self.confirm_buttons = ConfirmButtons(context)
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setToolTip("Remove a nudge logged by mistake")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close the list of nudges")

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.outcome_filter)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.message)
        splitter.setSizes([380, 240])
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_buttons)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = dialog_layout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.outcome_filter.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.delete_button.clicked.connect(self.delete_selected)
        self.confirm_buttons.confirmed.connect(self.status_message)
        self.close_button.clicked.connect(self.reject)
        self.follow_roster(self.reload, context.changes.nudges_changed)
        self._selection_changed()
        self.reload()

    def reload(self) -> Task:
        """Read the cohort's nudges again, with their outcomes as of today."""
        from cohortdesk.core.services.messaging import nudges

        cohort_id, today = self.cohort.id, self.context.current_date()
        return self.reads.read(
            "Loading the nudges",
            lambda session: nudges.list_nudges(session, cohort_id, as_of=today),
            self._arrived,
        )

    def _arrived(self, rows: list[NudgeRow]) -> None:
        self._rows = rows
        self.summary.setText(outcome_summary(rows))
        self._show_rows()
        self.nudges_loaded.emit()

    def _show_rows(self) -> None:
        wanted = self.outcome_filter.currentData()
        kept = selected_id(self.table)
        shown = [r for r in self._rows if wanted is None or wanted in _states(r)]
        self.model.set_rows(shown, self.cohort.timezone)
        if kept is not None:
            select_id(self.table, kept)
        self._selection_changed()

    def selected_nudge(self) -> NudgeRow | None:
        return selected_row(self.table, self.model)

    @Slot()
    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_nudge()
        self.message.show_nudge(row, self.cohort.timezone)
        self.confirm_buttons.show_row(row)
        self.delete_button.setEnabled(row is not None)

    @Slot()
    def delete_selected(self) -> Task | None:
        """Ask, then remove the selected nudge from the log."""
        from cohortdesk.core.services.messaging import nudges

        row = self.selected_nudge()
        if row is None:
            return None
        when = fmt.local_time(row.sent_at, self.cohort.timezone)
        if not confirm.confirm(
            self,
            "Delete nudge",
            f"Delete the nudge to {row.name} of {when} from the log? Use this for a nudge "
            "logged by mistake: the message itself is not recalled.",
            "Delete nudge",
        ):
            return None
        started: list[Task] = []

        def done(_none: object) -> None:
            self.status_message.emit(f"Deleted the nudge to {row.name} of {when}")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError):
                self.status_message.emit(f"Cannot delete the nudge: {exc}")
                if shiboken6.isValid(self):
                    self.reload()
            else:
                pass_on_failure(self.context.runner, started[0], exc)

        started.append(
            self.context.runner.write(
                "Deleting the nudge",
                lambda session: nudges.delete_nudge(session, row.id),
                done,
                failed,
            )
        )
        return started[0]
