"""The nudge dialog's message editor: To, Subject and the message of the member on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.schemas import RenderedMessage
from cohortdesk.ui.views.nudge_drafts import FILLING_IN
from cohortdesk.ui.widgets.labels import error_label, muted_label, show_error

if TYPE_CHECKING:
    from cohortdesk.core.services.messaging.sending import Draft, Recipient


def fallback_warning(message: RenderedMessage | None) -> str:
    """A warning when the message uses a stand-in ('[date]', 'the course space')."""
    if message is None or not message.fallback_fields:
        return ""
    tokens = ", ".join("{" + name + "}" for name in message.fallback_fields)
    return (
        f"⚠ Uses a stand-in for {tokens}: check the wording, or fill in the cohort's message "
        "settings (Cohort ▸ Attention and message settings…)."
    )


class MessageEditor(QWidget):
    """One member's message: who it goes to, its subject and text, and "Undo my changes"."""

    edited = Signal()
    """The user changed the subject or the text (not the editor filling them in)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._showing = False  # filling the editors in: not an edit of the user's
        self.to_label = QLabel()
        self.to_label.setTextFormat(Qt.TextFormat.PlainText)
        self.to_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject_edit = QLineEdit()
        self.subject_edit.setAccessibleName("Subject")
        self.body_edit = QPlainTextEdit()
        self.body_edit.setAccessibleName("Message")
        self.body_edit.setTabChangesFocus(True)
        self.fallback_label = muted_label()
        self.fallback_label.hide()
        self.reset_button = QPushButton("&Undo my changes")
        self.reset_button.setToolTip("Go back to the template as filled in for this member")
        self.reset_button.setAutoDefault(False)  # Enter in the message is a new line
        self.error_label = error_label()

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("To:", self.to_label)
        form.addRow("&Subject:", self.subject_edit)
        below = QHBoxLayout()
        below.addWidget(self.fallback_label, 1)
        below.addStretch(0)
        below.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.body_edit, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(below)

        self.subject_edit.textEdited.connect(self._typed)
        self.body_edit.textChanged.connect(self._typed)

    def show_message(
        self,
        recipient: Recipient,
        draft: Draft | None,
        message: RenderedMessage | None,
        why: str,
        *,
        sent: bool,
    ) -> None:
        """Show the message to `recipient`: `draft` as it stands, or `why` there is none.

        Args:
            recipient: who it goes to.
            draft: the text as it stands (None: not filled in yet, or it cannot be).
            message: the text as filled in from the template, for its stand-in warning.
            why: why there is no text (an error, or "Filling in…"), else empty.
            sent: it went already: read-only.
        """
        self._showing = True
        try:
            address = f" <{recipient.email}>" if recipient.email else " (no email address)"
            self.to_label.setText(recipient.name + address)
            self.subject_edit.setText(draft.subject if draft else "")
            self.body_edit.setPlainText(draft.body if draft else "")
            is_error = bool(why) and why != FILLING_IN
            show_error(self.error_label, why if is_error else "")
            self.body_edit.setPlaceholderText(why if not is_error else "")
            warning = fallback_warning(message)
            self.fallback_label.setText(warning)
            self.fallback_label.setVisible(bool(warning))
            self.subject_edit.setReadOnly(sent)
            self.body_edit.setReadOnly(sent)
        finally:
            self._showing = False

    def typed(self) -> tuple[str, str]:
        """The subject and text as they stand in the editor."""
        return self.subject_edit.text(), self.body_edit.toPlainText()

    @Slot()
    def _typed(self) -> None:
        if not self._showing:
            self.edited.emit()
