"""Prompt templates: the built-in library, the facilitator's own, and filling them in.

The built-in library ships in `resources/templates.json` and is copied into the database by
the migration that creates the table; `ensure_builtin_templates` adds any built-in a later
version ships, by key, and is idempotent. Built-in templates are kept as shipped: to adapt
one, duplicate it. Templates are never deleted, only retired (hidden from pickers by default)
so the nudge log keeps saying which template a message came from.

Which template answers a need (`pick_template`): among the templates for that purpose that
are not retired, the facilitator's own before the built-in ones, then one written for the
member's stage before one for any stage before one for another stage, then the oldest.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date, datetime
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import TemplatePurpose
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
from cohortdesk.core.models import Intervention, PromptTemplate, utcnow
from cohortdesk.core.rendering import check, render_message
from cohortdesk.core.schemas import Changed, Changes, RenderedMessage, TemplateInput, TemplateRow
from cohortdesk.core.services.messaging.message_context import context_for, contexts_for
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.server_errors import RefusedError


class BuiltinTemplate(BaseModel):
    """One template of the shipped library, as written in `templates.json`."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    purpose: TemplatePurpose
    stage: int | None
    subject: str
    body: tuple[str, ...]

    @property
    def text(self) -> str:
        """The body as one text."""
        return "\n".join(self.body)


class _Library(BaseModel):
    about: str
    templates: tuple[BuiltinTemplate, ...]


@cache
def builtin_library() -> tuple[BuiltinTemplate, ...]:
    """The shipped templates, loaded once from the package resources."""
    text = resources.files("cohortdesk.resources").joinpath("templates.json").read_text("utf-8")
    return _Library.model_validate(json.loads(text)).templates


def _missing_builtins(session: Session) -> list[BuiltinTemplate]:
    """The shipped templates whose key the database does not hold."""
    present = set(
        session.scalars(select(PromptTemplate.key).where(PromptTemplate.key.is_not(None)))
    )
    return [entry for entry in builtin_library() if entry.key not in present]


def ensure_builtin_templates(session: Session, *, now: datetime | None = None) -> int:
    """Add any built-in template the database does not have yet (matched by key).

    Templates already there, edited or retired, are left alone. Returns how many were added.
    """
    when = now or utcnow()
    added = 0
    for entry in _missing_builtins(session):
        session.add(
            PromptTemplate(
                key=entry.key,
                name=entry.name,
                purpose=entry.purpose,
                stage=entry.stage,
                subject=entry.subject,
                body=entry.text,
                builtin=True,
                retired=False,
                created_at=when,
                updated_at=when,
            )
        )
        added += 1
    session.flush()
    return added


def add_builtin_templates(db: Database) -> int:
    """Add the built-in templates the database lacks: those a later version ships (by key).

    Looks with a read first, so a database that has them all is not written to (a command that
    only reads leaves the file as it was); the additions are one transaction of their own.
    Returns how many were added (none for a team login whose role may not add them).
    """
    with db.read() as session:
        if not _missing_builtins(session):
            return 0
    try:
        with db.write() as session:
            return ensure_builtin_templates(session)
    except RefusedError:
        # a team login that may not write templates: the owner's `team init` adds them
        return 0


def list_templates(
    session: Session,
    *,
    include_retired: bool = False,
    purpose: TemplatePurpose | None = None,
) -> list[TemplateRow]:
    """The templates, by stage (any stage last) and name; retired ones only when asked."""
    uses = (
        select(Intervention.template_id, func.count().label("uses"))
        .where(Intervention.template_id.is_not(None))
        .group_by(Intervention.template_id)
        .subquery()
    )
    stmt = select(PromptTemplate, uses.c.uses).outerjoin(
        uses, uses.c.template_id == PromptTemplate.id
    )
    if not include_retired:
        stmt = stmt.where(PromptTemplate.retired.is_(False))
    if purpose is not None:
        stmt = stmt.where(PromptTemplate.purpose == purpose)
    stmt = stmt.order_by(
        PromptTemplate.stage.is_(None),
        PromptTemplate.stage,
        func.lower(PromptTemplate.name),
        PromptTemplate.id,
    )
    return [_row(template, count or 0) for template, count in session.execute(stmt)]


def get_template(session: Session, template_id: int) -> TemplateRow:
    """One template, retired or not.

    Raises:
        NotFoundError: there is none.
    """
    template = _require(session, template_id)
    uses = session.scalar(
        select(func.count())
        .select_from(Intervention)
        .where(Intervention.template_id == template_id)
    )
    return _row(template, uses or 0)


#: what every change to the library announces
LIBRARY_CHANGED = Changes(templates=True)


def create_template(
    session: Session, data: TemplateInput, *, now: datetime | None = None
) -> Changed[TemplateRow]:
    """Save a new template of the facilitator's own.

    Raises:
        TemplateError: the subject or body has an unknown or malformed placeholder.
        ConflictError: another template has that name.
    """
    _check(session, data)
    when = now or utcnow()
    template = PromptTemplate(
        name=data.name,
        purpose=data.purpose,
        stage=data.stage,
        subject=" ".join(data.subject.split()),
        body=data.body,
        builtin=False,
        retired=False,
        created_at=when,
        updated_at=when,
    )
    session.add(template)
    session.flush()
    return Changed(value=_row(template, 0), changes=LIBRARY_CHANGED)


def update_template(
    session: Session, template_id: int, data: TemplateInput, *, now: datetime | None = None
) -> Changed[TemplateRow]:
    """Change one of the facilitator's own templates.

    Raises:
        KnownError: it is built in (duplicate it to adapt it).
        TemplateError: the subject or body has an unknown or malformed placeholder.
        ConflictError: another template has that name.
        NotFoundError: there is none.
    """
    template = _require(session, template_id)
    if template.builtin:
        raise KnownError(
            f"“{template.name}” is built in and kept as shipped: duplicate it to make your "
            "own version"
        )
    _check(session, data, template_id)
    template.name = data.name
    template.purpose = data.purpose
    template.stage = data.stage
    template.subject = " ".join(data.subject.split())
    template.body = data.body
    template.updated_at = now or utcnow()
    session.flush()
    return Changed(value=get_template(session, template_id), changes=LIBRARY_CHANGED)


def duplicate_template(
    session: Session, template_id: int, *, now: datetime | None = None
) -> Changed[TemplateRow]:
    """A copy of a template, of the facilitator's own, named "… (copy)", "… (copy 2)"...

    Raises:
        NotFoundError: there is none.
    """
    source = _require(session, template_id)
    taken = {n.lower() for n in session.scalars(select(PromptTemplate.name))}
    stem = source.name[:190]
    name, n = f"{stem} (copy)", 2
    while name.lower() in taken:
        name, n = f"{stem} (copy {n})", n + 1
    when = now or utcnow()
    copy = PromptTemplate(
        name=name,
        purpose=source.purpose,
        stage=source.stage,
        subject=source.subject,
        body=source.body,
        builtin=False,
        retired=False,
        created_at=when,
        updated_at=when,
    )
    session.add(copy)
    session.flush()
    return Changed(value=_row(copy, 0), changes=LIBRARY_CHANGED)


def set_retired(
    session: Session, template_id: int, retired: bool = True, *, now: datetime | None = None
) -> Changed[TemplateRow]:
    """Retire a template (hidden from pickers, kept for the nudge log), or bring it back.

    Raises:
        NotFoundError: there is none.
    """
    template = _require(session, template_id)
    template.retired = retired
    template.updated_at = now or utcnow()
    session.flush()
    return Changed(value=get_template(session, template_id), changes=LIBRARY_CHANGED)


def pick_template(
    templates: list[TemplateRow], purpose: TemplatePurpose, stage: int
) -> TemplateRow | None:
    """The template to suggest for `purpose` to a member at `stage` (see the module doc)."""
    fitting = [t for t in templates if t.purpose is purpose and not t.retired]
    if not fitting:
        return None

    def preference(t: TemplateRow) -> tuple[bool, int, int]:
        closeness = 0 if t.stage == stage else 1 if t.stage is None else 2
        return (t.builtin, closeness, t.id)

    return min(fitting, key=preference)


def preview(
    session: Session, subject: str, body: str, membership_id: int, as_of: date
) -> RenderedMessage:
    """A template (saved or still being edited) filled in for a real member.

    Raises:
        TemplateError: an unknown or malformed placeholder, with its position.
        NotFoundError: no such member.
    """
    context = context_for(session, membership_id, as_of)
    return render_message(subject, body, context.fields, context.fallbacks)


def preview_many(
    session: Session,
    cohort_id: int,
    subject: str,
    body: str,
    membership_ids: Collection[int],
    as_of: date,
) -> dict[int, RenderedMessage]:
    """One template filled in for each of several members of a cohort (the nudge dialog).

    A fixed number of queries however many members; members not in the cohort are left out.

    Raises:
        TemplateError: an unknown or malformed placeholder, with its position.
        NotFoundError: the cohort does not exist.
    """
    contexts = contexts_for(session, cohort_id, membership_ids, as_of)
    return {
        mid: render_message(subject, body, context.fields, context.fallbacks)
        for mid, context in contexts.items()
    }


def render_for(
    session: Session, template_id: int, membership_id: int, as_of: date
) -> RenderedMessage:
    """A saved template filled in for a member (what the nudge dialog shows first).

    Raises:
        NotFoundError: no such template or member.
    """
    template = _require(session, template_id)
    return preview(session, template.subject, template.body, membership_id, as_of)


def _require(session: Session, template_id: int) -> PromptTemplate:
    template = session.get(PromptTemplate, template_id)
    if template is None:
        raise NotFoundError(f"No template with id {template_id}")
    return template


def _check(session: Session, data: TemplateInput, template_id: int | None = None) -> None:
    check(data.subject, "Subject")
    check(data.body, "Body")
    clash = session.scalar(
        select(PromptTemplate.id).where(
            func.lower(PromptTemplate.name) == data.name.lower(),
            PromptTemplate.id != (template_id or -1),
        )
    )
    if clash is not None:
        raise ConflictError(f"A template called “{data.name}” exists already")


def _row(template: PromptTemplate, uses: int) -> TemplateRow:
    return TemplateRow(
        id=template.id,
        key=template.key,
        name=template.name,
        purpose=template.purpose,
        stage=template.stage,
        subject=template.subject,
        body=template.body,
        builtin=template.builtin,
        retired=template.retired,
        created_at=template.created_at,
        updated_at=template.updated_at,
        uses=uses,
    )
