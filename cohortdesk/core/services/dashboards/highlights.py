"""Highlights: success stories and quotes, captured as they happen, found again by search.

A highlight belongs to a member of a cohort and may point at the event it was captured from
(a post worth quoting). Search ignores case and accents and needs every word typed to appear
in the text, the tags, the member's name or the cohort's name. The PDF report reads this table
too (`exporters.report_data.load_highlights`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import HighlightKind
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import ActivityEvent, Cohort, Highlight, Membership, Person, utcnow
from cohortdesk.core.schemas import Changed, Changes
from cohortdesk.core.schemas.mentoring import HighlightInput, HighlightRow, split_tags
from cohortdesk.core.services.people.expertise import fold


def _membership(session: Session, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError(f"No member with id {membership_id}")
    return membership


def _check_event(session: Session, membership: Membership, event_id: int | None) -> None:
    if event_id is None:
        return
    event = session.get(ActivityEvent, event_id)
    if event is None:
        raise NotFoundError(f"No event with id {event_id}")
    if (event.cohort_id, event.person_id) != (membership.cohort_id, membership.person_id):
        raise KnownError("That event is someone else's: a highlight quotes its own member")


def event_day(session: Session, event_id: int) -> date:
    """The day an event happened in its cohort's time zone (a highlight's default date)."""
    event = session.get(ActivityEvent, event_id)
    if event is None:
        raise NotFoundError(f"No event with id {event_id}")
    cohort = session.get(Cohort, event.cohort_id)
    assert cohort is not None
    return event.occurred_at.astimezone(ZoneInfo(cohort.timezone)).date()


def _changed(*memberships: Membership) -> Changes:
    return Changes(highlights=frozenset(m.cohort_id for m in memberships))


def add_highlight(
    session: Session, data: HighlightInput, *, now: datetime | None = None
) -> Changed[HighlightRow]:
    """Capture a highlight.

    Raises:
        NotFoundError: the member or event does not exist.
        KnownError: the event is another member's.
    """
    membership = _membership(session, data.membership_id)
    _check_event(session, membership, data.event_id)
    when = now or utcnow()
    record = Highlight(
        membership_id=membership.id,
        kind=data.kind,
        happened_on=data.happened_on,
        text=data.text,
        tags=data.tags,
        event_id=data.event_id,
        created_at=when,
        updated_at=when,
    )
    session.add(record)
    session.flush()
    return Changed(value=get_highlight(session, record.id), changes=_changed(membership))


def update_highlight(
    session: Session, highlight_id: int, data: HighlightInput, *, now: datetime | None = None
) -> Changed[HighlightRow]:
    """Change a highlight's text, date, kind, tags (or member)."""
    record = session.get(Highlight, highlight_id)
    if record is None:
        raise NotFoundError(f"No highlight with id {highlight_id}")
    before = _membership(session, record.membership_id)
    membership = _membership(session, data.membership_id)
    _check_event(session, membership, data.event_id)
    record.membership_id = membership.id
    record.kind, record.happened_on = data.kind, data.happened_on
    record.text, record.tags, record.event_id = data.text, data.tags, data.event_id
    record.updated_at = now or utcnow()
    session.flush()
    changes = _changed(before, membership)
    return Changed(value=get_highlight(session, record.id), changes=changes)


def delete_highlight(session: Session, highlight_id: int) -> Changes:
    """Delete a highlight."""
    record = session.get(Highlight, highlight_id)
    if record is None:
        raise NotFoundError(f"No highlight with id {highlight_id}")
    changes = _changed(_membership(session, record.membership_id))
    session.delete(record)
    session.flush()
    return changes


def _rows(session: Session, *where: object) -> list[HighlightRow]:
    stmt = (
        select(Highlight, Membership.cohort_id, Cohort.name, Person.full_name)
        .join(Membership, Membership.id == Highlight.membership_id)
        .join(Cohort, Cohort.id == Membership.cohort_id)
        .join(Person, Person.id == Membership.person_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(Highlight.happened_on.desc(), Highlight.id.desc())
    )
    return [
        HighlightRow(
            id=h.id,
            membership_id=h.membership_id,
            cohort_id=cohort_id,
            cohort_name=cohort_name,
            member_name=name,
            kind=h.kind,
            happened_on=h.happened_on,
            text=h.text,
            tags=split_tags(h.tags),
            event_id=h.event_id,
            created_at=h.created_at,
        )
        for h, cohort_id, cohort_name, name in session.execute(stmt)
    ]


def get_highlight(session: Session, highlight_id: int) -> HighlightRow:
    """One highlight.

    Raises:
        NotFoundError: there is none.
    """
    rows = _rows(session, Highlight.id == highlight_id)
    if not rows:
        raise NotFoundError(f"No highlight with id {highlight_id}")
    return rows[0]


def list_highlights(
    session: Session,
    cohort_id: int | None = None,
    *,
    search: str = "",
    tag: str | None = None,
    kind: HighlightKind | None = None,
    membership_id: int | None = None,
) -> list[HighlightRow]:
    """Highlights, newest first: of one cohort (or all), matching `search` and `tag`.

    Args:
        session: the open session.
        cohort_id: one cohort, or None for every cohort.
        search: words that must all appear (ignoring case and accents) in the text, the
            tags, the member's name or the cohort's name.
        tag: a tag the highlight must carry (ignoring case and accents).
        kind: stories or quotes only.
        membership_id: one member's highlights.
    """
    where: list[object] = []
    if cohort_id is not None:
        where.append(Membership.cohort_id == cohort_id)
    if membership_id is not None:
        where.append(Highlight.membership_id == membership_id)
    if kind is not None:
        where.append(Highlight.kind == kind)
    rows = _rows(session, *where)
    words = fold(search).split()
    wanted_tag = fold(tag or "").strip()
    found = []
    for row in rows:
        if wanted_tag and wanted_tag not in {fold(t) for t in row.tags}:
            continue
        haystack = fold(" ".join((row.text, row.tag_text, row.member_name, row.cohort_name)))
        if all(word in haystack for word in words):
            found.append(row)
    return found


def all_tags(session: Session, cohort_id: int | None = None) -> list[str]:
    """Every tag in use (in one cohort, or all), by how often, then alphabetically."""
    stmt = select(Highlight.tags).join(Membership, Membership.id == Highlight.membership_id)
    if cohort_id is not None:
        stmt = stmt.where(Membership.cohort_id == cohort_id)
    counts: dict[str, tuple[str, int]] = {}
    for text in session.scalars(stmt):
        for tag in split_tags(text):
            key = fold(tag)
            shown, count = counts.get(key, (tag, 0))
            counts[key] = (shown, count + 1)
    return [shown for shown, _ in sorted(counts.values(), key=lambda t: (-t[1], fold(t[0])))]


def count_highlights(session: Session, cohort_id: int) -> int:
    """How many highlights a cohort has."""
    stmt = (
        select(func.count())
        .select_from(Highlight)
        .join(Membership, Membership.id == Highlight.membership_id)
        .where(Membership.cohort_id == cohort_id)
    )
    return int(session.scalar(stmt) or 0)
