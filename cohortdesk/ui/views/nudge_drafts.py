"""Where each message of the nudge dialog stands: its template, filled in, edited, put on its
way (copied, opened in the mail client, saved: logged as a draft nudge), confirmed sent.

No widget here: the dialog shows what this holds and tells it what the user did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cohortdesk.core.enums import NudgeChannel
from cohortdesk.core.schemas import RenderedMessage, TemplateRow
from cohortdesk.ui.message_labels import CHANNEL_LABELS

if TYPE_CHECKING:
    from cohortdesk.core.services.messaging.sending import Draft, Loaded, Recipient, Rendered

SENT_MARK = "✓"
DRAFT_MARK = "…"
FILLING_IN = "Filling in…"


class NudgeDrafts:
    """The messages to `recipients`: each one's template, the filled-in texts, the user's
    edits, which were put on their way through which channel (`sent`, logged as draft
    nudges `nudge_ids`), and which the facilitator confirmed sent."""

    def __init__(self, recipients: list[Recipient]) -> None:
        self.recipients = list(recipients)
        self.templates: dict[int, TemplateRow] = {}
        self.chosen: dict[int, int | None] = {}
        self.rendered: dict[int, Rendered] = {}
        self.edits: dict[int, tuple[str, str]] = {}
        self.sent: dict[int, NudgeChannel] = {}
        self.nudge_ids: dict[int, int] = {}
        self.confirmed: set[int] = set()
        self.loaded = False

    def load(self, loaded: Loaded) -> None:
        """Take the templates, each member's first choice and those filled in."""
        self.templates = {t.id: t for t in loaded.templates}
        self.chosen = dict(loaded.chosen)
        self.rendered.update(loaded.rendered)
        self.loaded = True

    def is_ready(self) -> bool:
        """True once every member's template is filled in."""
        return self.loaded and all(
            tid is None or tid in self.rendered for tid in self.chosen.values()
        )

    def edited(self, recipients: list[Recipient]) -> list[Recipient]:
        """Those of `recipients` whose message the user changed."""
        return [r for r in recipients if r.membership_id in self.edits]

    def unsent(self) -> list[Recipient]:
        return [r for r in self.recipients if r.membership_id not in self.sent]

    def choose(self, template_id: int, recipients: list[Recipient]) -> bool:
        """Give `recipients` this template (their edits are dropped).

        Returns:
            True when the template still has to be filled in.
        """
        for recipient in recipients:
            self.chosen[recipient.membership_id] = template_id
            self.edits.pop(recipient.membership_id, None)
        return template_id not in self.rendered

    def message(self, recipient: Recipient) -> tuple[RenderedMessage | None, str]:
        """The member's message as filled in, or the reason there is none yet."""
        template_id = self.chosen.get(recipient.membership_id)
        rendered = self.rendered.get(template_id) if template_id is not None else None
        if rendered is None:
            return None, "" if self.loaded and template_id is None else FILLING_IN
        if rendered.error:
            return None, rendered.error
        return rendered.messages.get(recipient.membership_id), ""

    def draft(self, recipient: Recipient) -> Draft | None:
        """The message for `recipient` as it stands (edited or as filled in)."""
        from cohortdesk.core.services.messaging.sending import Draft

        mid = recipient.membership_id
        if mid in self.edits:
            subject, body = self.edits[mid]
        else:
            message, _why = self.message(recipient)
            if message is None:
                return None
            subject, body = message.subject, message.body
        return Draft(recipient, self.chosen.get(mid), subject, body)

    def sendable(self, recipient: Recipient | None) -> Draft | None:
        """The draft of `recipient` if it can still be sent (not sent yet, not empty)."""
        if recipient is None or recipient.membership_id in self.sent:
            return None
        draft = self.draft(recipient)
        return draft if draft is not None and draft.body.strip() else None

    def edit(self, recipient: Recipient, subject: str, body: str) -> None:
        """The user typed this; typing the filled-in text back is no edit."""
        original, _why = self.message(recipient)
        if original is not None and (subject, body) == (original.subject, original.body):
            self.edits.pop(recipient.membership_id, None)
        else:
            self.edits[recipient.membership_id] = (subject, body)

    def reset(self, recipient: Recipient) -> None:
        """Forget the user's changes to the message to `recipient`."""
        self.edits.pop(recipient.membership_id, None)

    def mark_sent(self, drafts: list[Draft], channel: NudgeChannel, nudge_ids: list[int]) -> None:
        """These messages left through `channel`, logged as these draft nudges."""
        for draft, nudge_id in zip(drafts, nudge_ids, strict=True):
            self.sent[draft.recipient.membership_id] = channel
            self.nudge_ids[draft.recipient.membership_id] = nudge_id

    def to_confirm(self, recipient: Recipient | None) -> int | None:
        """The draft nudge of `recipient` waiting for "sent", if any."""
        if recipient is None or recipient.membership_id in self.confirmed:
            return None
        return self.nudge_ids.get(recipient.membership_id)

    def mark_confirmed(self, recipient: Recipient) -> None:
        self.confirmed.add(recipient.membership_id)

    def eml_drafts(self) -> list[Draft]:
        """The messages not sent yet to members with an email address."""
        return [d for r in self.unsent() if r.email and (d := self.draft(r)) is not None]

    def label(self, recipient: Recipient) -> str:
        """Two lines for the list: the name (marked once sent), then how or from what."""
        mid = recipient.membership_id
        channel = self.sent.get(mid)
        if channel is not None:
            how = CHANNEL_LABELS[channel].lower()
            if mid in self.confirmed:
                return f"{SENT_MARK} {recipient.name}\nsent ({how})"
            return f"{DRAFT_MARK} {recipient.name}\n{how}: sent? confirm it"
        template = self.templates.get(self.chosen.get(mid) or -1)
        second = template.name if template else "…"
        if mid in self.edits:
            second += " (edited)"
        return f"{recipient.name} · stage {recipient.stage}\n{second}"

    def progress_text(self) -> str:
        total, out, confirmed = len(self.recipients), len(self.sent), len(self.confirmed)
        if out == 0:
            return "Nothing sent yet."
        waiting = out - confirmed
        if waiting == 0:
            if confirmed == total:
                return "All messages sent." if total > 1 else "Sent."
            return f"{confirmed} of {total} sent."
        return f"{confirmed} of {total} confirmed sent, {waiting} waiting for you to confirm."
