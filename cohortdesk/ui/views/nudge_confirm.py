"""Saying whether a nudge went out: "Mark sent" and "Not sent" for drafts.

cohortdesk cannot see a message being sent: copied, opened in the mail client or saved as an
`.eml` file, a nudge is a draft until the facilitator confirms it. The nudge dialog, the
member's Nudges tab, the cohort's Nudges list and the start-up question all confirm through
`confirm_nudges` here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from cohortdesk.core.enums import NudgeStatus
from cohortdesk.core.schemas import NudgeRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task


def confirm_nudges(
    context: AppContext,
    nudge_ids: list[int],
    status: NudgeStatus,
    done: Callable[[str], None],
) -> Task:
    """Record `status` for the nudges; `done(sentence)` says what happened."""
    from cohortdesk.core.services.messaging import nudges

    ids = list(nudge_ids)
    word = {NudgeStatus.SENT: "sent", NudgeStatus.NOT_SENT: "not sent"}.get(status, "a draft")
    sentence = f"Marked {fmt.plural(len(ids), 'nudge')} {word}"
    return context.runner.write(
        "Confirming the nudges",
        lambda session: nudges.confirm_nudges(session, ids, status),
        lambda _changes: done(sentence),
    )


class ConfirmButtons(QWidget):
    """ "Mark sent" and "Not sent" for the nudge selected in a list (enabled for drafts)."""

    confirmed = Signal(str)
    """What was recorded, for the status bar."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._row: NudgeRow | None = None
        self.sent_button = QPushButton("Mark &sent")
        self.sent_button.setToolTip(
            "You sent this message: from now on it counts (nudged recently, no response)"
        )
        self.not_sent_button = QPushButton("N&ot sent")
        self.not_sent_button.setToolTip("You did not send this message: it never counts")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sent_button)
        layout.addWidget(self.not_sent_button)
        self.sent_button.clicked.connect(lambda: self.mark(NudgeStatus.SENT))
        self.not_sent_button.clicked.connect(lambda: self.mark(NudgeStatus.NOT_SENT))
        self.show_row(None)

    def show_row(self, row: NudgeRow | None) -> None:
        """The selected nudge: a draft can be confirmed either way, a nudge marked not sent
        can still be marked sent (a slip of the mouse)."""
        self._row = row
        status = row.status if row is not None else None
        self.sent_button.setEnabled(status in (NudgeStatus.DRAFT, NudgeStatus.NOT_SENT))
        self.not_sent_button.setEnabled(status is NudgeStatus.DRAFT)

    @Slot()
    def mark(self, status: NudgeStatus) -> Task | None:
        """Record `status` for the selected nudge."""
        if self._row is None:
            return None
        return confirm_nudges(self.context, [self._row.id], status, self.confirmed.emit)
