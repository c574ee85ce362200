"""Writing to members: their messages filled in from templates, then sent and logged.

cohortdesk never sends mail itself: a message leaves through the clipboard, a `mailto:` link or
an `.eml` file (`outbox`), and is logged as a *draft* nudge with its text: none of these is
sending, so the facilitator confirms each one afterwards (`nudges.confirm_nudges`).
`load_messages` and `render_all` are reads. `log_drafts` and `save_emls` are writes: the files
are written first and the nudges logged after, in the caller's transaction, so a file that
cannot be written leaves no other file of the call behind and nothing logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cohortdesk.core.enums import NudgeChannel, NudgeStatus
from cohortdesk.core.rendering import TemplateError
from cohortdesk.core.schemas import (
    Changed,
    Changes,
    NudgeInput,
    NudgeRow,
    RenderedMessage,
    TemplateRow,
)
from cohortdesk.core.services.messaging import nudges, templates
from cohortdesk.core.services.messaging.outbox import (
    MAILTO_SAFE_LENGTH,
    eml_file_name,
    mailto_url,
    write_eml,
)


@dataclass(frozen=True)
class Recipient:
    """A member to write to."""

    membership_id: int
    name: str
    email: str
    stage: int
    suggested_template_id: int | None = None
    suggested_because: str = ""
    """Why that template was suggested, in words (`suggested: silent 12 days at stage 2`)."""


@dataclass(frozen=True)
class Draft:
    """One member's message as it stands (perhaps edited after it was filled in)."""

    recipient: Recipient
    template_id: int | None
    subject: str
    body: str


@dataclass(frozen=True)
class Rendered:
    """One template filled in for every recipient, or why it could not be."""

    template_id: int
    messages: dict[int, RenderedMessage]
    error: str = ""


@dataclass(frozen=True)
class Loaded:
    """What writing to members starts with: the templates, each member's, filled in."""

    templates: list[TemplateRow]
    chosen: dict[int, int | None]
    rendered: dict[int, Rendered]


def render_all(
    session: Session, cohort_id: int, template: TemplateRow, ids: list[int], as_of: date
) -> Rendered:
    """Fill in `template` for each member; a broken template gives `error` instead."""
    try:
        messages = templates.preview_many(
            session, cohort_id, template.subject, template.body, ids, as_of
        )
    except TemplateError as exc:
        return Rendered(template.id, {}, f"“{template.name}” cannot be filled in: {exc}")
    return Rendered(template.id, messages)


def first_choice(rows: list[TemplateRow], recipient: Recipient) -> int | None:
    """The template a member starts with: the one suggested for them, else one for their
    stage (a welcome before others), else the first."""
    if any(t.id == recipient.suggested_template_id for t in rows):
        return recipient.suggested_template_id
    for_stage = [t for t in rows if t.stage == recipient.stage]
    for_stage.sort(key=lambda t: (t.purpose.value != "welcome", t.builtin, t.id))
    if for_stage:
        return for_stage[0].id
    return rows[0].id if rows else None


def load_messages(
    session: Session, cohort_id: int, recipients: list[Recipient], as_of: date
) -> Loaded:
    """The templates (not retired), each recipient's first choice, and those filled in."""
    rows = templates.list_templates(session)
    chosen = {r.membership_id: first_choice(rows, r) for r in recipients}
    ids = [r.membership_id for r in recipients]
    by_id = {t.id: t for t in rows}
    rendered = {
        tid: render_all(session, cohort_id, by_id[tid], ids, as_of)
        for tid in dict.fromkeys(v for v in chosen.values() if v is not None)
    }
    return Loaded(rows, chosen, rendered)


def sent_time(today: date | None, timezone: str) -> datetime | None:
    """When a nudge sent now is logged: now, or now's time on the fixed day of a demo or test.

    Returns None for the real clock (the service then stamps it).
    """
    if today is None:
        return None
    zone = ZoneInfo(timezone)
    now = datetime.now(zone)
    return datetime.combine(today, now.time().replace(microsecond=0), zone).astimezone(UTC)


def mail_link(draft: Draft) -> str | None:
    """The `mailto:` link that opens `draft` in the mail client, or None when the message is
    too long for one (save it as an `.eml` file instead) or has no address."""
    if not draft.recipient.email:
        return None
    url = mailto_url(draft.recipient.email, draft.subject, draft.body)
    return url if len(url) <= MAILTO_SAFE_LENGTH else None


def log_drafts(
    session: Session, drafts: Sequence[Draft], channel: NudgeChannel, when: datetime | None
) -> Changed[list[NudgeRow]]:
    """Log each message put on its way through `channel` (at `when`; None: now) as a draft
    nudge, to be confirmed sent or not sent."""
    logged = [
        nudges.log_nudge(
            session,
            draft.recipient.membership_id,
            NudgeInput(
                template_id=draft.template_id,
                subject=draft.subject,
                body=draft.body,
                channel=channel,
                sent_at=when,
                status=NudgeStatus.DRAFT,
            ),
        )
        for draft in drafts
    ]
    changes = Changes.merged(row.changes for row in logged)
    return Changed(value=[row.value for row in logged], changes=changes)


@dataclass(frozen=True)
class SavedEml:
    """One message saved as an `.eml` file, and its draft nudge."""

    path: Path
    nudge: NudgeRow


def free_name(folder: Path, name: str, taken: set[str]) -> Path:
    """`folder/name`, or `… (2).eml` and so on when that file exists or is taken already."""
    stem, suffix = name[: -len(".eml")], ".eml"
    candidate, n = name, 2
    while candidate.lower() in taken or (folder / candidate).exists():
        candidate, n = f"{stem} ({n}){suffix}", n + 1
    taken.add(candidate.lower())
    return folder / candidate


def save_emls(
    session: Session,
    folder: Path,
    drafts: Sequence[Draft],
    when: datetime | None,
    *,
    create_folder: bool = False,
) -> Changed[list[SavedEml]]:
    """Write one `.eml` file per message into `folder`, then log them all as draft nudges.

    A saved file is not a sent message (the mail client still has to send it): the
    facilitator confirms each one afterwards.

    Args:
        session: the open transaction the nudges are logged in.
        folder: where the files go.
        drafts: the messages, each with its recipient's address.
        when: when they left cohortdesk; None: now.
        create_folder: make `folder` first (readable by the user only) if it does not exist.

    Raises:
        KnownError: a file cannot be written (those already written are removed).
    """
    stamp = when or datetime.now(UTC)
    written: list[Path] = []
    taken: set[str] = set()
    try:
        if create_folder:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for draft in drafts:
            path = free_name(folder, eml_file_name(draft.recipient.name, stamp), taken)
            written.append(
                write_eml(
                    path,
                    to_name=draft.recipient.name,
                    to_address=draft.recipient.email,
                    subject=draft.subject,
                    body=draft.body,
                    date=stamp,
                )
            )
        logged = log_drafts(session, drafts, NudgeChannel.EML, when)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    saved = [SavedEml(path, row) for path, row in zip(written, logged.value, strict=True)]
    return logged.with_value(saved)
