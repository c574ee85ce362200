"""The Nudges tab: the messages sent to the member, newest first, with what followed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from cohortdesk.core.enums import NudgeStatus
from cohortdesk.core.schemas import NudgeOutcome, NudgeRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.nudges_model import (
    COL_CHANNEL,
    COL_MEMBER,
    COL_OUTCOME,
    COL_SENT,
    COL_SUBJECT,
    COL_TEMPLATE,
    NudgesModel,
)
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.writer import MemberWriter
from cohortdesk.ui.views.nudge_confirm import ConfirmButtons
from cohortdesk.ui.views.nudge_message_view import NudgeMessageView
from cohortdesk.ui.widgets.labels import muted_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

EMPTY_TEXT = "No nudges sent to this member yet."


class NudgesTab(MemberTab):
    """The member's nudges with their outcomes, the selected one's text, and "Nudge…"."""

    nudge_requested = Signal(int)
    """Write to this member (membership id)."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__(context, writer)
        self._timezone = "UTC"
        self.summary = muted_label()
        self.nudge_button = QPushButton("Nudge…")
        self.nudge_button.setToolTip("Write to this member from a template")
        self.nudge_button.clicked.connect(self._nudge)
        self.confirm_buttons = ConfirmButtons(context)
        self.confirm_buttons.confirmed.connect(writer.status_message)
        self.model = NudgesModel(self)
        self.view = make_table(
            self.model,
            (COL_SUBJECT,),
            fitted=(COL_SENT, COL_TEMPLATE, COL_CHANNEL, COL_OUTCOME),
            empty_text=EMPTY_TEXT,
        )
        self.view.setColumnHidden(COL_MEMBER, True)
        self.view.setAccessibleName("Nudges sent to this member")
        self.message = NudgeMessageView("Select a nudge to read it as it was sent.")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.nudge_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.confirm_buttons)
        confirm_row.addStretch(1)
        below_layout.addLayout(confirm_row)
        below_layout.addWidget(self.message, 1)
        splitter.addWidget(below)
        splitter.setSizes([220, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

    def show_nudges(self, rows: list[NudgeRow], timezone: str) -> None:
        """The member's nudges, read with the member (see `extras.load_member`)."""
        kept = selected_id(self.view)
        self.model.set_rows(rows, timezone)
        self._timezone = timezone
        if kept is not None and self.model.row_of_id(kept) is not None:
            select_id(self.view, kept)
        elif rows:
            self.view.selectRow(0)
        answered = sum(r.outcome is NudgeOutcome.RESPONDED for r in rows)
        drafts = sum(r.status is NudgeStatus.DRAFT for r in rows)
        text = (
            f"{fmt.plural(len(rows), 'nudge')}, {answered} answered" if rows else "Not nudged yet"
        )
        if drafts:
            text += f", {fmt.plural(drafts, 'draft')} to confirm"
        self.summary.setText(text)
        self.message.setVisible(bool(rows))
        self._selection_changed()

    @Slot()
    def _selection_changed(self, *_args: object) -> None:
        position = self.model.row_of_id(selected_id(self.view) or -1)
        row = None if position is None else self.model.row_at(position)
        self.message.show_nudge(row, self._timezone)
        self.confirm_buttons.show_row(row)

    @Slot()
    def _nudge(self) -> None:
        if self.detail is not None:
            self.nudge_requested.emit(self.detail.row.membership_id)
