"""What the facilitator records about a member: stage, access, motivation, activity, notes.

Each write returns what it changed: the member's record (and, for a reply, the record of the
member replied to, whose figures move too).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, StageChangeSource
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.metrics.terms import is_reply
from cohortdesk.core.models import (
    AccessIssue,
    ActivityEvent,
    Cohort,
    MemberNote,
    Membership,
    MotivationCheck,
    Person,
    StageChange,
    utcnow,
)
from cohortdesk.core.schemas import (
    AccessIssueRow,
    Changed,
    Changes,
    EventInput,
    EventRow,
    MotivationRow,
    NoteRow,
    StageChangeRow,
)
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.services.people.members import (
    local_today,
    member_changes,
    require_membership,
)
from cohortdesk.core.stages import stage as stage_info

MANUAL_SOURCE = "manual"


def change_stage(
    session: Session,
    membership_id: int,
    to_stage: int,
    reason: str,
    *,
    source: StageChangeSource = StageChangeSource.MANUAL,
    evidence: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Changed[StageChangeRow]:
    """Move a member to another stage, recording from, to, when and why.

    Stages may be skipped or revisited: the model is a guide, not a state machine.

    Raises:
        KnownError: no reason given, an unknown stage, or the member is already there.
    """
    if not 1 <= to_stage <= 5:
        raise KnownError(f"Stage must be 1 to 5, not {to_stage}")
    reason = reason.strip()
    if not reason:
        raise KnownError("Say why the stage changes: the reason is kept in the stage history")
    membership = require_membership(session, membership_id)
    if membership.stage == to_stage:
        raise KnownError(f"Already at stage {to_stage} ({stage_info(to_stage).name})")
    when = now or utcnow()
    change = StageChange(
        membership_id=membership_id,
        from_stage=membership.stage,
        to_stage=to_stage,
        changed_at=when,
        reason=reason,
        source=source,
        evidence=json.dumps(evidence, sort_keys=True) if evidence else None,
    )
    membership.stage = to_stage
    membership.stage_since = when
    session.add(change)
    session.flush()
    row = StageChangeRow(
        id=change.id,
        from_stage=change.from_stage,
        to_stage=change.to_stage,
        changed_at=change.changed_at,
        reason=change.reason,
        source=change.source,
    )
    return Changed(value=row, changes=member_changes(membership))


def _issue_row(issue: AccessIssue) -> AccessIssueRow:
    return AccessIssueRow(
        id=issue.id,
        opened_at=issue.opened_at,
        note=issue.note,
        resolved_at=issue.resolved_at,
        resolution=issue.resolution,
    )


def open_access_issue(
    session: Session, membership_id: int, note: str, *, now: datetime | None = None
) -> Changed[AccessIssueRow]:
    """Log an access problem (cannot log in, say); the member's access becomes `problem`."""
    note = note.strip()
    if not note:
        raise KnownError("Describe the access problem, so it can be followed up")
    membership = require_membership(session, membership_id)
    issue = AccessIssue(membership_id=membership_id, opened_at=now or utcnow(), note=note)
    membership.access = AccessStatus.PROBLEM
    session.add(issue)
    session.flush()
    return Changed(value=_issue_row(issue), changes=member_changes(membership))


def resolve_access_issue(
    session: Session, issue_id: int, resolution: str = "", *, now: datetime | None = None
) -> Changed[AccessIssueRow]:
    """Close an access problem. With none left open, the member counts as having access."""
    issue = session.get(AccessIssue, issue_id)
    if issue is None:
        raise NotFoundError(f"No access issue with id {issue_id}")
    if issue.resolved_at is not None:
        raise KnownError("This access issue is already resolved")
    issue.resolved_at = now or utcnow()
    issue.resolution = resolution.strip()
    session.flush()
    still_open = session.scalar(
        select(AccessIssue.id).where(
            AccessIssue.membership_id == issue.membership_id, AccessIssue.resolved_at.is_(None)
        )
    )
    membership = require_membership(session, issue.membership_id)
    if still_open is None:
        membership.access = AccessStatus.ACCESSED
    session.flush()
    return Changed(value=_issue_row(issue), changes=member_changes(membership))


def set_access(
    session: Session, membership_id: int, status: AccessStatus, *, now: datetime | None = None
) -> Changes:
    """Set access by hand. Marking `accessed` or `not_yet` resolves any open issue.

    Raises:
        KnownError: `problem` is asked for: open an access issue instead, with its note.
    """
    if status is AccessStatus.PROBLEM:
        raise KnownError("Open an access issue to record a problem, with a note of what is wrong")
    membership = require_membership(session, membership_id)
    label = "accessed" if status is AccessStatus.ACCESSED else "not accessed yet"
    session.execute(
        update(AccessIssue)
        .where(AccessIssue.membership_id == membership_id, AccessIssue.resolved_at.is_(None))
        .values(resolved_at=now or utcnow(), resolution=f"Marked as {label}")
    )
    membership.access = status
    session.flush()
    return member_changes(membership)


def add_motivation(
    session: Session,
    membership_id: int,
    rating: int,
    note: str = "",
    *,
    checked_on: date | None = None,
    now: datetime | None = None,
) -> Changed[MotivationRow]:
    """Record a motivation check-in: 1 (very low) to 5 (very high), with an optional note.

    Args:
        session: the open transaction.
        membership_id: the member checked in with.
        rating: 1 to 5.
        note: what they said, if anything.
        checked_on: the day of the check-in; by default today in the cohort's time zone.
        now: when it is recorded; by default the current time.

    Raises:
        KnownError: the rating is not 1 to 5.
    """
    if not 1 <= rating <= 5:
        raise KnownError(f"Motivation is rated 1 to 5, not {rating}")
    membership = require_membership(session, membership_id)
    when = now or utcnow()
    if checked_on is None:
        cohort = session.get(Cohort, membership.cohort_id)
        assert cohort is not None  # a membership's cohort is never missing (foreign key)
        checked_on = local_today(cohort, when)
    check = MotivationCheck(
        membership_id=membership_id,
        checked_on=checked_on,
        rating=rating,
        note=note.strip(),
        recorded_at=when,
    )
    session.add(check)
    session.flush()
    row = MotivationRow(id=check.id, checked_on=check.checked_on, rating=rating, note=check.note)
    return Changed(value=row, changes=member_changes(membership))


def add_event(
    session: Session, membership_id: int, data: EventInput, *, source: str = MANUAL_SOURCE
) -> Changed[EventRow]:
    """Record something a member did. Any activity shows they have got in.

    Raises:
        KnownError: the person replied to is not in the same cohort.
    """
    membership = require_membership(session, membership_id)
    replied_to_name = None
    target: Membership | None = None
    changes = member_changes(membership)
    if data.replied_to_person_id is not None:
        target = session.scalar(
            select(Membership).where(
                Membership.cohort_id == membership.cohort_id,
                Membership.person_id == data.replied_to_person_id,
            )
        )
        if target is None:
            raise KnownError("The person replied to is not a member of this cohort")
        replied_to_name = _person_name(session, data.replied_to_person_id)
        changes |= member_changes(target)  # their replies received move too
    event = ActivityEvent(
        cohort_id=membership.cohort_id,
        person_id=membership.person_id,
        occurred_at=data.occurred_at,
        kind=data.kind,
        source=source,
        thread=data.thread,
        replied_to_id=data.replied_to_person_id,
        word_count=data.word_count,
        detail=data.detail.strip(),
    )
    session.add(event)
    # Access (`metrics.terms.has_access_evidence`): activity shows the author got in, and a
    # reply shows the person answered had posted.
    answered = target if target is not None and is_reply(data.kind) else None
    for member in (membership, answered):
        if member is not None and member.access is AccessStatus.NOT_YET:
            member.access = AccessStatus.ACCESSED
    session.flush()
    rollups.add_event(session, event)
    row = EventRow(
        id=event.id,
        occurred_at=event.occurred_at,
        kind=event.kind,
        source=event.source,
        detail=event.detail,
        thread=event.thread,
        replied_to_name=replied_to_name,
        word_count=event.word_count,
    )
    return Changed(value=row, changes=changes)


def _person_name(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return person.full_name if person else ""


def delete_event(session: Session, event_id: int) -> Changes:
    """Delete one activity event (one entered by mistake, say)."""
    event = session.get(ActivityEvent, event_id)
    if event is None:
        raise NotFoundError(f"No activity event with id {event_id}")
    people = [p for p in (event.person_id, event.replied_to_id) if p is not None]
    touched = session.scalars(
        select(Membership).where(
            Membership.cohort_id == event.cohort_id, Membership.person_id.in_(people)
        )
    )
    changes = Changes.merged(member_changes(m) for m in touched)
    rollups.forget_event(session, event_id)  # before the delete: it reads the event's day
    session.execute(delete(ActivityEvent).where(ActivityEvent.id == event_id))
    session.expire_all()
    return changes


def add_note(
    session: Session, membership_id: int, body: str, *, now: datetime | None = None
) -> Changed[NoteRow]:
    """Keep a note about a member."""
    body = body.strip()
    if not body:
        raise KnownError("The note is empty")
    membership = require_membership(session, membership_id)
    note = MemberNote(membership_id=membership_id, body=body, created_at=now or utcnow())
    session.add(note)
    session.flush()
    row = NoteRow(id=note.id, created_at=note.created_at, body=note.body)
    return Changed(value=row, changes=member_changes(membership))


def delete_note(session: Session, note_id: int) -> Changes:
    """Delete a note."""
    note = session.get(MemberNote, note_id)
    if note is None:
        raise NotFoundError(f"No note with id {note_id}")
    changes = member_changes(require_membership(session, note.membership_id))
    session.execute(delete(MemberNote).where(MemberNote.id == note_id))
    return changes
