"""At start: "Did you send these 3?" for nudges copied or mailed but never confirmed sent.

A draft nudge does not count (Today ignores it) until the facilitator says it went out. Sent
and Not sent apply to the messages ticked in the list; Ask later leaves them all as drafts,
to be asked about at the next start (or confirmed in the Nudges list).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from cohortdesk.core.enums import NudgeStatus
from cohortdesk.core.schemas import DraftNudge
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.message_labels import CHANNEL_LABELS
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.views.nudge_confirm import confirm_nudges
from cohortdesk.ui.widgets.dialog_parts import dialog_layout
from cohortdesk.ui.widgets.labels import heading_label, muted_label

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def question(count: int) -> str:
    """`Did you send these 3?`, `Did you send this message?`."""
    return "Did you send this message?" if count == 1 else f"Did you send these {count}?"


def draft_line(draft: DraftNudge) -> str:
    """`Ana Souza: “We miss you”` then `copied 3 Mar 2026 14:05 · Spring cohort`."""
    what = f"“{draft.subject}”" if draft.subject else draft.body.split("\n", 1)[0][:60]
    how = CHANNEL_LABELS[draft.channel].lower()
    when = fmt.local_time(draft.sent_at, draft.timezone)
    return f"{draft.name}: {what}\n{how} {when} · {draft.cohort_name}"


class DraftsQuestion(QDialog):
    """Lists the unconfirmed drafts, all ticked; Sent / Not sent / Ask later.

    Args:
        context: the open database's services.
        drafts: the nudges waiting for confirmation (`nudges.drafts_to_confirm`).
        say: puts what was recorded in the status bar.
        parent: the main window.
    """

    def __init__(
        self,
        context: AppContext,
        drafts: list[DraftNudge],
        say: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.say = say
        self.setWindowTitle("Nudges to confirm")
        self.resize(640, 380)
        self.title = heading_label(question(len(drafts)), scale=1.2)
        self.hint = muted_label(
            "You copied or opened these messages but did not say whether you sent them. "
            "Only sent nudges count on Today (nudged recently, no response)."
        )
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Messages not confirmed as sent")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        for draft in drafts:
            item = QListWidgetItem(draft_line(draft))
            item.setData(ID_ROLE, draft.id)
            item.setToolTip(draft.body)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.sent_button = QPushButton("&Sent")
        self.sent_button.setToolTip("The ticked messages were sent: they count from now on")
        self.sent_button.setDefault(True)
        self.not_sent_button = QPushButton("&Not sent")
        self.not_sent_button.setToolTip("The ticked messages were not sent: they never count")
        self.later_button = QPushButton("Ask &later")
        self.later_button.setToolTip("Leave them as drafts and ask again at the next start")
        for button in (self.not_sent_button, self.later_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sent_button)
        buttons.addWidget(self.not_sent_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = dialog_layout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.sent_button.clicked.connect(lambda: self.answer(NudgeStatus.SENT))
        self.not_sent_button.clicked.connect(lambda: self.answer(NudgeStatus.NOT_SENT))
        self.later_button.clicked.connect(self.reject)
        self.list.itemChanged.connect(self._ticks_changed)

    def ticked(self) -> list[int]:
        """The ids of the nudges ticked in the list."""
        items = (self.list.item(i) for i in range(self.list.count()))
        return [
            int(item.data(ID_ROLE)) for item in items if item.checkState() == Qt.CheckState.Checked
        ]

    @Slot()
    def _ticks_changed(self, *_args: object) -> None:
        some = bool(self.ticked())
        self.sent_button.setEnabled(some)
        self.not_sent_button.setEnabled(some)

    def answer(self, status: NudgeStatus) -> Task | None:
        """Record `status` for the ticked nudges, then close (`say` tells when it is done)."""
        ids = self.ticked()
        if not ids:
            return None
        task = confirm_nudges(self.context, ids, status, self.say)
        self.accept()
        return task
