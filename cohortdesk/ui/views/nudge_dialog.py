"""Nudge: write to one or more members from templates, each message personal and editable.

Each member starts with the template suggested for them (learners on the Today list come
with one) filled in for them; the facilitator can pick another template for a member, or
use one for everyone, edit any message, then copy it (subject and body), open it in the mail
client (`mailto:`, or an `.eml` file when the message is too long for a link) or save `.eml`
files. None of that sends it: each message that leaves is logged as a draft nudge with the
channel and the text, and counts once the facilitator presses "Mark as sent" (here, in the
Nudges list or tab, or when cohortdesk asks at the next start).

The parts: `NudgeDrafts` holds where each message stands, `RecipientList` and
`MessageEditor` show it, `TemplatePicker` chooses templates, `NudgeSender` logs what left.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.enums import NudgeChannel, NudgeStatus
from cohortdesk.core.schemas import CohortRow, TemplateRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.views.nudge_confirm import confirm_nudges
from cohortdesk.ui.views.nudge_drafts import NudgeDrafts
from cohortdesk.ui.views.nudge_editor import MessageEditor
from cohortdesk.ui.views.nudge_recipients import RecipientList
from cohortdesk.ui.views.nudge_sender import NudgeSender
from cohortdesk.ui.views.nudge_template_picker import TemplatePicker
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.labels import heading_label, muted_label, show_error

if TYPE_CHECKING:
    from cohortdesk.core.services.messaging.sending import Draft, Loaded, Recipient, Rendered


def clipboard_text(draft: Draft) -> str:
    """What Copy puts on the clipboard: the subject, a blank line, then the body."""
    subject = " ".join(draft.subject.split())
    return f"{subject}\n\n{draft.body}" if subject else draft.body


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
    """This many draft nudges were logged."""
    nudges_confirmed = Signal(int)
    """This many nudges were confirmed sent."""

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
        self.drafts = NudgeDrafts(recipients)
        self.sending = NudgeSender(context, cohort, self)

        one = len(recipients) == 1
        who = recipients[0].name if one else fmt.plural(len(recipients), "member")
        self.setWindowTitle(f"Nudge {who}")
        self.setMinimumSize(860, 560)
        self.resize(1080, 700)
        self._build(who)
        self._connect()
        self.recipient_list.setCurrentRow(0)
        self.recipient_list.relabel(self.drafts)
        self._update_buttons()
        self._load()

    # -- building ------------------------------------------------------------------------

    def _build(self, who: str) -> None:
        self.title = heading_label(f"Nudge {who}", scale=1.3)
        self.hint = muted_label(
            "Each message is filled in for its member from the template suggested for them: "
            "read it, change what you like, then send it your way and mark it sent. A message "
            "counts as a nudge once you confirm it was sent."
        )
        self.picker = TemplatePicker()
        self.recipient_list = RecipientList(self.recipients)
        self.editor = MessageEditor()
        # the parts tests and keyboard users reach directly
        self.subject_edit = self.editor.subject_edit
        self.body_edit = self.editor.body_edit
        self.fallback_label = self.editor.fallback_label
        self.reset_button = self.editor.reset_button
        self.error_label = self.editor.error_label
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.recipient_list)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 780])

        self.copy_button = QPushButton("&Copy to clipboard")
        self.copy_button.setToolTip(
            "Copy this member's message, subject and body, to paste into the course space or "
            "a chat; it is logged as a draft until you mark it sent"
        )
        self.mail_button = QPushButton("Open in &mail client")
        self.mail_button.setToolTip(
            "Open this member's message in your mail client, ready to send; it is logged as a "
            "draft until you mark it sent"
        )
        self.eml_button = QPushButton("Save .eml &files…")
        self.eml_button.setToolTip(
            "Save one message file per member not sent yet (with an email address) into a "
            "folder, for your mail client to open and send; logged as drafts until you mark "
            "them sent"
        )
        self.confirm_button = QPushButton("Mark as sen&t")
        self.confirm_button.setToolTip(
            "You sent this member's message: from now on it counts as a nudge"
        )
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close; messages not marked sent are asked about later")
        self.suggestion_label = muted_label()
        self.suggestion_label.setAccessibleName("Why this template")
        buttons_row = (
            self.copy_button,
            self.mail_button,
            self.eml_button,
            self.confirm_button,
            self.close_button,
        )
        for button in buttons_row:
            button.setAutoDefault(False)  # Enter in the message is a new line, never a send
        self.status_label = muted_label()

        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.mail_button)
        buttons.addWidget(self.eml_button)
        buttons.addWidget(self.confirm_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.picker)
        layout.addWidget(self.suggestion_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.close_button.clicked.connect(self.reject)
        self.picker.template_chosen.connect(self.choose_template)
        self.picker.use_for_everyone.connect(self.use_for_everyone)
        self.recipient_list.currentRowChanged.connect(self._show_current)
        self.editor.edited.connect(self._edited)
        self.reset_button.clicked.connect(self.reset_current)
        self.copy_button.clicked.connect(self.copy_current)
        self.mail_button.clicked.connect(self.mail_current)
        self.eml_button.clicked.connect(self.save_eml_files)
        self.confirm_button.clicked.connect(self.confirm_current)
        self.sending.sent.connect(self._sent)
        self.sending.not_sent.connect(self._not_sent)

    # -- where the messages stand --------------------------------------------------------

    @property
    def recipients(self) -> list[Recipient]:
        return self.drafts.recipients

    @property
    def chosen(self) -> dict[int, int | None]:
        """Each member's template (membership id -> template id)."""
        return self.drafts.chosen

    @property
    def sent(self) -> dict[int, NudgeChannel]:
        """The members whose message went, and how."""
        return self.drafts.sent

    def is_ready(self) -> bool:
        """True once every member's template is filled in."""
        return self.drafts.is_ready()

    def current_recipient(self) -> Recipient | None:
        return self.recipient_list.current_recipient()

    def template_id(self) -> int | None:
        """The template of the member on screen."""
        recipient = self.current_recipient()
        return self.chosen.get(recipient.membership_id) if recipient else None

    def draft(self, recipient: Recipient) -> Draft | None:
        """The message for `recipient` as it stands (edited or as filled in)."""
        return self.drafts.draft(recipient)

    # -- loading and templates -----------------------------------------------------------

    def _load(self) -> None:
        from cohortdesk.core.services.messaging.sending import load_messages

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
        self.drafts.load(loaded)
        self.picker.set_templates(loaded.templates)
        if not loaded.templates:
            self.status_label.setText("No templates: write one in Cohort ▸ Message templates…")
        else:
            self.status_label.setText(self.drafts.progress_text())
        self.recipient_list.relabel(self.drafts)
        self._show_current()
        self.messages_ready.emit()

    @Slot(int)
    def choose_template(self, template_id: int) -> None:
        """Fill the shown member's message in from another template."""
        recipient = self.current_recipient()
        if recipient is None or template_id not in self.drafts.templates:
            return
        if not self._may_replace([recipient], self.drafts.templates[template_id]):
            self._show_current()
            return
        self._apply(template_id, [recipient])

    @Slot()
    def use_for_everyone(self) -> None:
        """Fill every message not sent yet from the shown member's template."""
        template_id = self.template_id()
        if template_id is None:
            return
        waiting = self.drafts.unsent()
        if not self._may_replace(waiting, self.drafts.templates[template_id]):
            return
        self._apply(template_id, waiting)

    def _may_replace(self, recipients: list[Recipient], template: TemplateRow) -> bool:
        edited = [r.name for r in self.drafts.edited(recipients)]
        if not edited:
            return True
        return confirm.confirm(
            self,
            "Use another template",
            f"Replace your changes to the message to {', '.join(edited)} with “{template.name}”?",
            "Replace",
        )

    def _apply(self, template_id: int, recipients: list[Recipient]) -> None:
        from cohortdesk.core.services.messaging.sending import render_all

        to_fill_in = self.drafts.choose(template_id, recipients)
        self.recipient_list.relabel(self.drafts)
        self._show_current()
        if not to_fill_in:
            self.messages_ready.emit()
            return
        template = self.drafts.templates[template_id]
        ids = [r.membership_id for r in self.recipients]
        cohort_id, today = self.cohort.id, self.context.current_date()
        self.context.runner.read(
            "Filling in the messages",
            lambda session: render_all(session, cohort_id, template, ids, today),
            self._rendered,
        )

    def _rendered(self, rendered: Rendered) -> None:
        if not shiboken6.isValid(self):
            return
        self.drafts.rendered[rendered.template_id] = rendered
        self._show_current()
        if self.is_ready():
            self.messages_ready.emit()

    # -- the message on screen -----------------------------------------------------------

    @Slot()
    def _show_current(self) -> None:
        recipient = self.current_recipient()
        if recipient is not None:
            mid = recipient.membership_id
            self.picker.show_template(self.chosen.get(mid), recipient.suggested_template_id)
            self.suggestion_label.setText(self._suggestion_text(recipient))
            message, why = self.drafts.message(recipient)
            self.editor.show_message(
                recipient, self.draft(recipient), message, why, sent=mid in self.sent
            )
        self._update_buttons()

    @Slot()
    def _edited(self) -> None:
        recipient = self.current_recipient()
        if recipient is None:
            return
        self.drafts.edit(recipient, *self.editor.typed())
        self.recipient_list.relabel(self.drafts)
        self._update_buttons()

    @Slot()
    def reset_current(self) -> None:
        """Forget the changes to the shown message."""
        recipient = self.current_recipient()
        if recipient is not None:
            self.drafts.reset(recipient)
            self.recipient_list.relabel(self.drafts)
            self._show_current()

    def _update_buttons(self) -> None:
        recipient = self.current_recipient()
        unsent = recipient is not None and recipient.membership_id not in self.sent
        ready = self.drafts.sendable(recipient) is not None
        self.copy_button.setEnabled(ready)
        self.confirm_button.setEnabled(self.drafts.to_confirm(recipient) is not None)
        self.mail_button.setEnabled(ready and recipient is not None and bool(recipient.email))
        self.eml_button.setEnabled(bool(self.drafts.eml_drafts()))
        self.reset_button.setEnabled(
            unsent and recipient is not None and recipient.membership_id in self.drafts.edits
        )
        self.picker.setEnabled(self.drafts.loaded and unsent)

    # -- sending -------------------------------------------------------------------------

    @Slot()
    def copy_current(self) -> Task | None:
        """Copy the shown message, subject and body, to the clipboard; log it as a draft."""
        draft = self.drafts.sendable(self.current_recipient())
        if draft is None:
            return None
        QGuiApplication.clipboard().setText(clipboard_text(draft))
        text = f"Copied the message to {draft.recipient.name} (subject and body)"
        return self.sending.log([draft], NudgeChannel.CLIPBOARD, text)

    @Slot()
    def mail_current(self) -> Task | None:
        """Open the shown message in the mail client (an `.eml` file when too long); log it."""
        from cohortdesk.core.services.messaging.sending import mail_link

        draft = self.drafts.sendable(self.current_recipient())
        if draft is None:
            return None
        recipient = draft.recipient
        if not recipient.email:
            self._say(f"{recipient.name} has no email address: copy the message instead")
            return None
        link = mail_link(draft)
        if link is not None:
            if not self.open_url(QUrl.fromEncoded(link.encode("ascii"))):
                self._say("No mail client opened: save an .eml file or copy the message instead")
                return None
            text = f"Opened the message to {recipient.name} in the mail client"
            return self.sending.log([draft], NudgeChannel.EMAIL, text)
        return self.sending.save_emls(
            f"Saving the message to {recipient.name}",
            self.context.paths.data_dir / "outbox",
            [draft],
            lambda paths: self._opened_eml(recipient, paths[0]),
            create_folder=True,
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
        drafts = self.drafts.eml_drafts()
        if not drafts:
            return None
        folder = self.choose_folder()
        if folder is None:
            return None
        skipped = [r.name for r in self.drafts.unsent() if not r.email]

        def summary(paths: list[Path]) -> str:
            text = f"Saved {fmt.plural(len(paths), 'message')} as .eml files in {folder}"
            if skipped:
                text += f" (no email address for {', '.join(skipped)}: copy theirs instead)"
            return text

        return self.sending.save_emls("Saving the messages", folder, drafts, summary)

    def choose_folder(self) -> Path | None:
        """Ask where the `.eml` files go (tests replace this)."""
        chosen = QFileDialog.getExistingDirectory(self, "Save the messages in", str(Path.home()))
        return Path(chosen) if chosen else None

    def open_url(self, url: QUrl) -> bool:
        """Hand a link or file to the desktop (tests replace this)."""
        return QDesktopServices.openUrl(url)

    @Slot(object, object, str, object)
    def _sent(
        self, drafts: list[Draft], channel: NudgeChannel, text: str, nudge_ids: list[int]
    ) -> None:
        self.drafts.mark_sent(drafts, channel, nudge_ids)
        self.recipient_list.relabel(self.drafts)
        show_error(self.error_label, "")
        self._say(f"{text}: send it, then press Mark as sent")
        self._show_current()
        self.nudges_logged.emit(len(drafts))
        if self.confirm_button.isEnabled():
            self.confirm_button.setFocus()

    @Slot()
    def confirm_current(self) -> Task | None:
        """The shown member's message was sent: it counts from now on."""
        recipient = self.current_recipient()
        nudge_id = self.drafts.to_confirm(recipient)
        if recipient is None or nudge_id is None:
            return None

        def done(sentence: str) -> None:
            if not shiboken6.isValid(self):
                return
            self.drafts.mark_confirmed(recipient)
            self.recipient_list.relabel(self.drafts)
            self._say(f"{sentence} (to {recipient.name})")
            self.recipient_list.select_next_unsent(self.drafts)
            self._show_current()
            self.nudges_confirmed.emit(1)

        return confirm_nudges(self.context, [nudge_id], NudgeStatus.SENT, done)

    def _suggestion_text(self, recipient: Recipient) -> str:
        chosen = self.chosen.get(recipient.membership_id)
        if chosen is None or chosen != recipient.suggested_template_id:
            return ""
        return recipient.suggested_because.capitalize()

    @Slot(str, str)
    def _not_sent(self, description: str, reason: str) -> None:
        show_error(self.error_label, f"Not sent: {reason}")
        self.status_message.emit(f"{description}: {reason}")

    def _say(self, text: str) -> None:
        self.status_label.setText(f"{text}. {self.drafts.progress_text()}")
        self.status_message.emit(text)
