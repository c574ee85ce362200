"""Nudge: write to one or more members from templates, each message personal and editable.

Each member starts with the template suggested for them (learners on the Today list come
with one) filled in for them; the facilitator can pick another template for a member, or
use one for everyone, edit any message, then copy it, open it in the mail client
(`mailto:`, or an `.eml` file when the message is too long for a link) or save `.eml` files.
Every message that leaves is logged as a nudge with the channel and the text as sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError
from cohortdesk.core.models import NudgeChannel
from cohortdesk.core.schemas import CohortRow, RenderedMessage, TemplateRow
from cohortdesk.core.services.messaging.outbox import MAILTO_SAFE_LENGTH, mailto_url
from cohortdesk.core.services.messaging.sending import (
    Draft,
    Loaded,
    Recipient,
    Rendered,
    load_messages,
    log_sent,
    render_all,
    save_emls,
    sent_time,
)
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.message_labels import CHANNEL_LABELS
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.views.member_tabs.writer import pass_on_failure
from cohortdesk.ui.views.nudge_sending import fallback_warning
from cohortdesk.ui.views.nudge_template_picker import TemplatePicker
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error

SENT_MARK = "✓"


class NudgeDialog(QDialog):
    """Write to `recipients`; log each message that leaves.

    Args:
        context: the open database's services.
        cohort: the cohort they are in.
        recipients: the members, the current one first.
        parent: the main window.
    """

    status_message = Signal(str)
    """What was sent and logged, for the status bar."""
    messages_ready = Signal()
    """Every member's message is filled in (after loading, or another template)."""
    nudges_logged = Signal(int)
    """This many nudges were logged."""

    def __init__(
        self,
        context: AppContext,
        cohort: CohortRow,
        recipients: list[Recipient],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        self.recipients = list(recipients)
        self.templates: dict[int, TemplateRow] = {}
        self.chosen: dict[int, int | None] = {}
        self.rendered: dict[int, Rendered] = {}
        self.edits: dict[int, tuple[str, str]] = {}
        self.sent: dict[int, NudgeChannel] = {}
        self._loaded = False
        self._showing = False  # filling the editors in: not an edit of the user's

        one = len(recipients) == 1
        who = recipients[0].name if one else fmt.plural(len(recipients), "member")
        self.setWindowTitle(f"Nudge {who}")
        self.setMinimumSize(860, 560)
        self.resize(1080, 700)

        self.title = heading_label(f"Nudge {who}", scale=1.3)
        self.hint = muted_label(
            "Each message is filled in for its member from the template suggested for them: "
            "read it, change what you like, then send it your way. Every message sent is "
            "logged with its text."
        )
        self.picker = TemplatePicker()
        self.recipient_list = QListWidget()
        self.recipient_list.setAccessibleName("Recipients")
        self.recipient_list.setMinimumWidth(220)
        self.recipient_list.setSpacing(2)
        self.recipient_list.setWordWrap(True)
        self.recipient_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.recipient_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for recipient in self.recipients:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, recipient.membership_id)
            self.recipient_list.addItem(item)

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
        self.error_label = error_label()

        editor = QWidget()
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("To:", self.to_label)
        form.addRow("&Subject:", self.subject_edit)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.body_edit, 1)
        editor_layout.addWidget(self.error_label)
        below = QHBoxLayout()
        below.addWidget(self.fallback_label, 1)
        below.addStretch(0)
        below.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
        editor_layout.addLayout(below)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.recipient_list)
        splitter.addWidget(editor)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 780])

        self.copy_button = QPushButton("&Copy to clipboard")
        self.copy_button.setToolTip(
            "Copy this member's message (without the subject) to paste into the course space "
            "or a chat, and log it"
        )
        self.mail_button = QPushButton("Open in &mail client")
        self.mail_button.setToolTip(
            "Open this member's message in your mail client, ready to send, and log it"
        )
        self.eml_button = QPushButton("Save .eml &files…")
        self.eml_button.setToolTip(
            "Save one message file per member not sent yet (with an email address) into a "
            "folder, for your mail client to open; and log them"
        )
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        for button in (
            self.copy_button,
            self.mail_button,
            self.eml_button,
            self.reset_button,
            self.close_button,
        ):
            button.setAutoDefault(False)  # Enter in the message is a new line, never a send
        self.status_label = muted_label()

        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.mail_button)
        buttons.addWidget(self.eml_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.picker)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.picker.template_chosen.connect(self.choose_template)
        self.picker.use_for_everyone.connect(self.use_for_everyone)
        self.recipient_list.currentRowChanged.connect(self._show_current)
        self.subject_edit.textEdited.connect(self._edited)
        self.body_edit.textChanged.connect(self._edited)
        self.reset_button.clicked.connect(self.reset_current)
        self.copy_button.clicked.connect(self.copy_current)
        self.mail_button.clicked.connect(self.mail_current)
        self.eml_button.clicked.connect(self.save_eml_files)
        self.recipient_list.setCurrentRow(0)
        self._relabel()
        self._update_buttons()
        self._load()

    # -- loading and templates -----------------------------------------------------------

    def _load(self) -> None:
        self.status_label.setText("Filling in the messages…")
        cohort_id, today, recipients = self.cohort.id, self.context.current_date(), self.recipients
        self.context.runner.read(
            "Filling in the messages",
            lambda session: load_messages(session, cohort_id, recipients, today),
            self._loaded_messages,
        )

    def _loaded_messages(self, loaded: Loaded) -> None:
        if not shiboken6.isValid(self):
            return
        self.templates = {t.id: t for t in loaded.templates}
        self.chosen = dict(loaded.chosen)
        self.rendered.update(loaded.rendered)
        self._loaded = True
        self.picker.set_templates(loaded.templates)
        if not loaded.templates:
            self.status_label.setText("No templates: write one in Cohort ▸ Message templates…")
        else:
            self.status_label.setText(self._progress_text())
        self._relabel()
        self._show_current()
        self.messages_ready.emit()

    def is_ready(self) -> bool:
        """True once every member's template is filled in."""
        return self._loaded and all(
            tid is None or tid in self.rendered for tid in self.chosen.values()
        )

    def template_id(self) -> int | None:
        """The template of the member on screen."""
        recipient = self.current_recipient()
        return self.chosen.get(recipient.membership_id) if recipient else None

    @Slot(int)
    def choose_template(self, template_id: int) -> None:
        """Fill the shown member's message in from another template."""
        recipient = self.current_recipient()
        if recipient is None or template_id not in self.templates:
            return
        if not self._may_replace([recipient], self.templates[template_id]):
            self._show_current()
            return
        self._apply(template_id, [recipient])

    @Slot()
    def use_for_everyone(self) -> None:
        """Fill every message not sent yet from the shown member's template."""
        template_id = self.template_id()
        if template_id is None:
            return
        waiting = [r for r in self.recipients if r.membership_id not in self.sent]
        if not self._may_replace(waiting, self.templates[template_id]):
            return
        self._apply(template_id, waiting)

    def _may_replace(self, recipients: list[Recipient], template: TemplateRow) -> bool:
        edited = [r.name for r in recipients if r.membership_id in self.edits]
        if not edited:
            return True
        return confirm.confirm(
            self,
            "Use another template",
            f"Replace your changes to the message to {', '.join(edited)} with “{template.name}”?",
            "Replace",
        )

    def _apply(self, template_id: int, recipients: list[Recipient]) -> None:
        for recipient in recipients:
            self.chosen[recipient.membership_id] = template_id
            self.edits.pop(recipient.membership_id, None)
        self._relabel()
        if template_id in self.rendered:
            self._show_current()
            self.messages_ready.emit()
            return
        template = self.templates[template_id]
        ids = [r.membership_id for r in self.recipients]
        cohort_id, today = self.cohort.id, self.context.current_date()
        self._show_current()
        self.context.runner.read(
            "Filling in the messages",
            lambda session: render_all(session, cohort_id, template, ids, today),
            self._rendered,
        )

    def _rendered(self, rendered: Rendered) -> None:
        if not shiboken6.isValid(self):
            return
        self.rendered[rendered.template_id] = rendered
        self._show_current()
        if self.is_ready():
            self.messages_ready.emit()

    # -- the messages --------------------------------------------------------------------

    def current_recipient(self) -> Recipient | None:
        row = self.recipient_list.currentRow()
        return self.recipients[row] if 0 <= row < len(self.recipients) else None

    def _message(self, recipient: Recipient) -> tuple[RenderedMessage | None, str]:
        """The member's message as filled in, or the reason there is none yet."""
        template_id = self.chosen.get(recipient.membership_id)
        rendered = self.rendered.get(template_id) if template_id is not None else None
        if rendered is None:
            return None, "" if self._loaded and template_id is None else "Filling in…"
        if rendered.error:
            return None, rendered.error
        return rendered.messages.get(recipient.membership_id), ""

    def draft(self, recipient: Recipient) -> Draft | None:
        """The message for `recipient` as it stands (edited or as filled in)."""
        mid = recipient.membership_id
        if mid in self.edits:
            subject, body = self.edits[mid]
        else:
            message, _why = self._message(recipient)
            if message is None:
                return None
            subject, body = message.subject, message.body
        return Draft(recipient, self.chosen.get(mid), subject, body)

    @Slot()
    def _show_current(self) -> None:
        recipient = self.current_recipient()
        self._showing = True
        try:
            if recipient is None:
                return
            mid = recipient.membership_id
            address = f" <{recipient.email}>" if recipient.email else " (no email address)"
            self.to_label.setText(recipient.name + address)
            self.picker.show_template(self.chosen.get(mid), recipient.suggested_template_id)
            message, why = self._message(recipient)
            draft = self.draft(recipient)
            self.subject_edit.setText(draft.subject if draft else "")
            self.body_edit.setPlainText(draft.body if draft else "")
            is_error = bool(why) and why != "Filling in…"
            show_error(self.error_label, why if is_error else "")
            self.body_edit.setPlaceholderText(why if not is_error else "")
            warning = fallback_warning(message)
            self.fallback_label.setText(warning)
            self.fallback_label.setVisible(bool(warning))
            readonly = mid in self.sent
            self.subject_edit.setReadOnly(readonly)
            self.body_edit.setReadOnly(readonly)
        finally:
            self._showing = False
            self._update_buttons()

    @Slot()
    def _edited(self) -> None:
        if self._showing:
            return
        recipient = self.current_recipient()
        if recipient is None:
            return
        mid = recipient.membership_id
        typed = (self.subject_edit.text(), self.body_edit.toPlainText())
        original, _why = self._message(recipient)
        if original is not None and typed == (original.subject, original.body):
            self.edits.pop(mid, None)
        else:
            self.edits[mid] = typed
        self._relabel()
        self._update_buttons()

    @Slot()
    def reset_current(self) -> None:
        """Forget the changes to the shown message."""
        recipient = self.current_recipient()
        if recipient is not None:
            self.edits.pop(recipient.membership_id, None)
            self._relabel()
            self._show_current()

    def _relabel(self) -> None:
        for row, recipient in enumerate(self.recipients):
            item = self.recipient_list.item(row)
            mid = recipient.membership_id
            channel = self.sent.get(mid)
            template = self.templates.get(self.chosen.get(mid) or -1)
            if channel is not None:
                first = f"{SENT_MARK} {recipient.name}"
                second = f"sent: {CHANNEL_LABELS[channel].lower()}"
            else:
                first = f"{recipient.name} · stage {recipient.stage}"
                second = template.name if template else "…"
                if mid in self.edits:
                    second += " (edited)"
            item.setText(f"{first}\n{second}")
            item.setToolTip(recipient.email or "No email address: copy the message instead")

    def _progress_text(self) -> str:
        total, sent = len(self.recipients), len(self.sent)
        if sent == 0:
            return "Nothing sent yet."
        if sent == total:
            return "All messages sent and logged." if total > 1 else "Sent and logged."
        return f"{sent} of {total} sent and logged."

    def _update_buttons(self) -> None:
        recipient = self.current_recipient()
        unsent = recipient is not None and recipient.membership_id not in self.sent
        draft = self.draft(recipient) if recipient is not None else None
        ready = unsent and draft is not None and bool(draft.body.strip())
        self.copy_button.setEnabled(ready)
        self.mail_button.setEnabled(ready and recipient is not None and bool(recipient.email))
        self.eml_button.setEnabled(bool(self._eml_drafts()))
        self.reset_button.setEnabled(
            unsent and recipient is not None and recipient.membership_id in self.edits
        )
        self.picker.setEnabled(self._loaded and unsent)

    def _eml_drafts(self) -> list[Draft]:
        return [
            d
            for r in self.recipients
            if r.membership_id not in self.sent and r.email and (d := self.draft(r)) is not None
        ]

    # -- sending -------------------------------------------------------------------------

    def _when(self) -> datetime | None:
        return sent_time(self.context.today, self.cohort.timezone)

    def _current_draft(self) -> Draft | None:
        recipient = self.current_recipient()
        if recipient is None or recipient.membership_id in self.sent:
            return None
        draft = self.draft(recipient)
        return draft if draft is not None and draft.body.strip() else None

    @Slot()
    def copy_current(self) -> Task | None:
        """Copy the shown message to the clipboard and log it."""
        draft = self._current_draft()
        if draft is None:
            return None
        QGuiApplication.clipboard().setText(draft.body)
        name = draft.recipient.name
        return self._log([draft], NudgeChannel.CLIPBOARD, f"Copied the message to {name}")

    @Slot()
    def mail_current(self) -> Task | None:
        """Open the shown message in the mail client (an `.eml` file when too long); log it."""
        draft = self._current_draft()
        if draft is None:
            return None
        recipient = draft.recipient
        if not recipient.email:
            self._say(f"{recipient.name} has no email address: copy the message instead")
            return None
        url = mailto_url(recipient.email, draft.subject, draft.body)
        if len(url) <= MAILTO_SAFE_LENGTH:
            if not self.open_url(QUrl.fromEncoded(url.encode("ascii"))):
                self._say("No mail client opened: save an .eml file or copy the message instead")
                return None
            text = f"Opened the message to {recipient.name} in the mail client"
            return self._log([draft], NudgeChannel.EMAIL, text)
        outbox = self.context.paths.data_dir / "outbox"
        when = self._when()

        return self._run(
            f"Saving the message to {recipient.name}",
            lambda session: save_emls(session, outbox, [draft], when, create_folder=True),
            [draft],
            NudgeChannel.EML,
            lambda paths: self._opened_eml(recipient, paths[0]),
        )

    def _opened_eml(self, recipient: Recipient, path: Path) -> str:
        opened = self.open_url(QUrl.fromLocalFile(str(path)))
        how = "and opened it" if opened else "(open it with your mail client)"
        return (
            f"The message to {recipient.name} is too long for a mailto: link: saved it as "
            f"{path} {how}"
        )

    @Slot()
    def save_eml_files(self) -> Task | None:
        """Save an `.eml` file per member not sent yet, in a folder the user picks; log them."""
        drafts = self._eml_drafts()
        if not drafts:
            return None
        folder = self.choose_folder()
        if folder is None:
            return None
        when = self._when()
        skipped = [
            r.name for r in self.recipients if r.membership_id not in self.sent and not r.email
        ]

        def summary(paths: list[Path]) -> str:
            text = f"Saved {fmt.plural(len(paths), 'message')} as .eml files in {folder}"
            if skipped:
                text += f" (no email address for {', '.join(skipped)}: copy theirs instead)"
            return text

        return self._run(
            "Saving the messages",
            lambda session: save_emls(session, folder, drafts, when),
            drafts,
            NudgeChannel.EML,
            summary,
        )

    def choose_folder(self) -> Path | None:
        """Ask where the `.eml` files go (tests replace this)."""
        chosen = QFileDialog.getExistingDirectory(self, "Save the messages in", str(Path.home()))
        return Path(chosen) if chosen else None

    def open_url(self, url: QUrl) -> bool:
        """Hand a link or file to the desktop (tests replace this)."""
        return QDesktopServices.openUrl(url)

    def _log(self, drafts: list[Draft], channel: NudgeChannel, message: str) -> Task:
        when = self._when()
        return self._run(
            "Logging the nudge",
            lambda session: log_sent(session, drafts, channel, when),
            drafts,
            channel,
            lambda _rows: message + " and logged the nudge",
        )

    def _run(
        self,
        description: str,
        work: Callable[[Session], Any],
        drafts: list[Draft],
        channel: NudgeChannel,
        say: Callable[[Any], str],
    ) -> Task:
        started: list[Task] = []

        def done(result: Any) -> None:
            if shiboken6.isValid(self):
                self._sent(drafts, channel, say(result))
                self.nudges_logged.emit(len(drafts))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, KnownError):
                pass_on_failure(self.context.runner, started[0], exc)
            elif shiboken6.isValid(self):
                show_error(self.error_label, f"Not sent: {exc}")
                self.status_message.emit(f"{description}: {exc}")

        started.append(self.context.runner.write(description, work, done, failed))
        return started[0]

    def _sent(self, drafts: list[Draft], channel: NudgeChannel, text: str) -> None:
        for draft in drafts:
            self.sent[draft.recipient.membership_id] = channel
        self._relabel()
        show_error(self.error_label, "")
        self._say(text)
        following = next(
            (row for row, r in enumerate(self.recipients) if r.membership_id not in self.sent),
            None,
        )
        if following is not None:
            self.recipient_list.setCurrentRow(following)
        self._show_current()

    def _say(self, text: str) -> None:
        progress = self._progress_text()
        self.status_label.setText(f"{text}. {progress}")
        self.status_message.emit(text)
