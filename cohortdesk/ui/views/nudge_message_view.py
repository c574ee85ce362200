"""The text of one logged nudge, exactly as it was sent (under a table of nudges)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QVBoxLayout, QWidget

from cohortdesk.core.enums import NudgeStatus
from cohortdesk.core.schemas import NudgeRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.message_labels import CHANNEL_TIPS, nudge_state
from cohortdesk.ui.widgets.labels import heading_label, muted_label


class NudgeMessageView(QWidget):
    """Subject, how and when it went, and the body, read-only."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text
        self.subject = heading_label()
        self.subject.setWordWrap(True)
        self.meta = muted_label()
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setStyleSheet("QPlainTextEdit { background: palette(alternate-base); }")
        self.body.setAccessibleName("Message as sent")
        for label in (self.subject, self.meta):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.subject)
        layout.addWidget(self.meta)
        layout.addWidget(self.body, 1)
        self.show_nudge(None, "UTC")

    def show_nudge(self, row: NudgeRow | None, timezone: str) -> None:
        if row is None:
            self.subject.setText("")
            self.subject.hide()
            self.meta.setText(self._empty_text)
            self.body.clear()
            self.body.hide()
            return
        self.subject.setText(row.subject or "(no subject)")
        self.subject.show()
        template = f"from “{row.template_name}”" if row.template_name else "written by hand"
        meta = (
            f"To {row.name}, {fmt.local_time(row.sent_at, timezone)}, {template}. "
            f"{CHANNEL_TIPS[row.channel]}. {_state_words(row)}"
        )
        if row.active_again_at is not None:
            meta += f" (active again {fmt.local_time(row.active_again_at, timezone)})"
        self.meta.setText(meta + ".")
        self.body.setPlainText(row.body)
        self.body.show()


def _state_words(row: NudgeRow) -> str:
    if row.outcome is not None:
        return f"Outcome: {nudge_state(row).lower()}"
    if row.status is NudgeStatus.DRAFT:
        return "Not confirmed as sent yet: it counts once you mark it sent"
    return "Marked not sent: it does not count"
