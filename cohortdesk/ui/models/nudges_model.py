"""Logged nudges with their outcomes: the cohort's Nudges list and the member's Nudges tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import NudgeRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.message_labels import (
    CHANNEL_LABELS,
    CHANNEL_TIPS,
    nudge_state,
    nudge_state_colour,
    nudge_state_tip,
)
from cohortdesk.ui.models.row_table_model import LEFT, MUTED, RowTableModel

COL_SENT, COL_MEMBER, COL_TEMPLATE, COL_CHANNEL, COL_OUTCOME, COL_SUBJECT = range(6)


class NudgesModel(RowTableModel[NudgeRow]):
    """One row per nudge, newest first, as `services.messaging.nudges.list_nudges` orders them."""

    HEADERS = ("Sent", "Member", "Template", "Channel", "Outcome", "Subject")

    def display(self, row: NudgeRow, column: int) -> str:
        if column == COL_SENT:
            return fmt.local_time(row.sent_at, self.timezone)
        if column == COL_MEMBER:
            return row.name
        if column == COL_TEMPLATE:
            return row.template_name or "(written by hand)"
        if column == COL_CHANNEL:
            return CHANNEL_LABELS[row.channel]
        if column == COL_OUTCOME:
            return nudge_state(row)
        return row.subject or row.body.split("\n", 1)[0]

    def tooltip(self, row: NudgeRow, column: int) -> str | None:
        if column == COL_CHANNEL:
            return CHANNEL_TIPS[row.channel]
        if column == COL_OUTCOME:
            tip = nudge_state_tip(row)
            if row.active_again_at is not None:
                tip += f"; active again {fmt.local_time(row.active_again_at, self.timezone)}"
            return tip
        if column == COL_MEMBER:
            return row.email or None
        if column == COL_SUBJECT:
            return row.body
        return None

    def foreground(self, row: NudgeRow, column: int) -> QColor | None:
        if column == COL_OUTCOME:
            return nudge_state_colour(row)
        if column == COL_TEMPLATE and row.template_name is None:
            return MUTED
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return LEFT
