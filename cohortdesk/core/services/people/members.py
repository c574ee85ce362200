"""People in cohorts: add, edit, remove, and everything known about one member.

The writes return what they changed (`Changes`, or `Changed` with a result); `member_changes`
and `cohorts_of` are how the other services that write about members say it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.enums import StageChangeSource
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
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
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas import (
    AccessIssueRow,
    Changed,
    Changes,
    EventRow,
    MemberDetail,
    MemberInput,
    MotivationRow,
    NoteRow,
    PersonChoice,
    StageChangeRow,
)
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.services.activity.participation import roster_row
from cohortdesk.core.services.attention.rules import get_rules
from cohortdesk.core.services.people.cohorts import delete_orphans
from cohortdesk.core.stages import FIRST_STAGE, LAST_STAGE
from cohortdesk.core.storage import team_session as team_storage
from cohortdesk.core.storage.server_errors import stale

JOINED_REASON = "Joined the cohort"


def require_membership(session: Session, membership_id: int) -> Membership:
    """The membership with this id.

    Raises:
        NotFoundError: there is none (removed meanwhile, say).
    """
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError(f"No member with id {membership_id}")
    return membership


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    assert person is not None
    return person


def member_changes(membership: Membership) -> Changes:
    """The change of one member's record."""
    return Changes.of_member(membership.cohort_id, membership.id)


def cohorts_of(session: Session, person_ids: Iterable[int]) -> frozenset[int]:
    """The cohorts (ids) these people are members of."""
    wanted = list(person_ids)
    if not wanted:
        return frozenset()
    stmt = select(Membership.cohort_id).where(Membership.person_id.in_(wanted))
    return frozenset(session.scalars(stmt))


def local_today(cohort: Cohort, now: datetime) -> date:
    """The date `now` falls on in the cohort's time zone (where its members' days begin)."""
    return now.astimezone(ZoneInfo(cohort.timezone)).date()


def find_person_id(session: Session, email: str | None) -> int | None:
    """The id of the person with this email, ignoring case, or None.

    Adding someone looks them up here: on a team's server the lookup also finds a person in a
    colleague's cohort, whom this login cannot see (the id alone, nothing else about them),
    so they are linked, not made a second time.
    """
    return team_storage.person_id_by_email(session, email) if email else None


def find_person_by_email(session: Session, email: str) -> Person | None:
    """The person with this email, ignoring case, if this login may see them; else None."""
    person_id = find_person_id(session, email)
    return None if person_id is None else session.get(Person, person_id)


def add_member(
    session: Session,
    cohort_id: int,
    data: MemberInput,
    *,
    stage: int = 1,
    joined_on: date | None = None,
    now: datetime | None = None,
) -> Changed[int]:
    """Add a person to a cohort, reusing the person with the same email if there is one.

    A reused person keeps the details already on record: their name and expertise are what
    other cohorts show, so a differently typed name ("Amina O.") does not rename them. Only
    a detail still empty on record is filled in from `data`. Edit the member afterwards to
    change a name.

    Args:
        session: the open transaction.
        cohort_id: the cohort to join.
        data: who, and their role in this cohort.
        stage: the stage they start at, 1 to 5.
        joined_on: the day they joined; by default today in the cohort's time zone.
        now: the moment recorded as joining (stage since); by default the current time.

    Returns:
        The new membership's id; the cohort's roster and the list of cohorts (its head count)
        changed.

    Raises:
        KnownError: the stage is not 1 to 5.
        NotFoundError: the cohort does not exist.
        ConflictError: that person is already a member.
    """
    if not FIRST_STAGE <= stage <= LAST_STAGE:
        raise KnownError(f"Stage must be {FIRST_STAGE} to {LAST_STAGE}, not {stage}")
    when = now or utcnow()
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    known = find_person_id(session, data.email)
    if known is None:
        person = Person(
            full_name=data.full_name, email=data.email or None, expertise=data.expertise
        )
        session.add(person)
        session.flush()
    elif session.scalar(
        select(Membership.id).where(
            Membership.cohort_id == cohort_id, Membership.person_id == known
        )
    ):
        person = _person(session, known)
        raise ConflictError(f"{person.full_name} <{person.email}> is already in this cohort")
    membership = Membership(
        cohort_id=cohort_id,
        person_id=person.id if known is None else known,
        role=data.role,
        stage=stage,
        stage_since=when,
        joined_on=joined_on or local_today(cohort, when),
    )
    session.add(membership)
    session.flush()
    if known is not None:
        # a member here now, so theirs to see even on a team's server
        person = _person(session, known)
        person.full_name = person.full_name.strip() or data.full_name
        person.expertise = person.expertise.strip() or data.expertise
    session.add(
        StageChange(
            membership_id=membership.id,
            from_stage=None,
            to_stage=stage,
            changed_at=when,
            reason=JOINED_REASON,
            source=StageChangeSource.JOINED,
        )
    )
    session.flush()
    changes = Changes(cohorts=True, rosters=frozenset({cohort_id}))
    return Changed(value=membership.id, changes=changes)


def update_member(
    session: Session,
    membership_id: int,
    data: MemberInput,
    seen: tuple[int, int] | None = None,
) -> Changes:
    """Change a member's name, email, expertise (on the person) and role (in this cohort).

    The name and email are the person's: every cohort they are in shows the new ones.
    `seen` is `MemberDetail.versions` of the copy the edit was made on: when someone else
    saved the person or the membership since, nothing is saved (on a shared server, two
    facilitators editing one member never overwrite each other silently).

    Raises:
        ConflictError: another person already has that email.
        StaleEditError: someone else saved this member since `seen` was read.
    """
    membership = require_membership(session, membership_id)
    person = session.get(Person, membership.person_id)
    assert person is not None
    if seen is not None and seen != (person.version, membership.version):
        raise stale(f"{person.full_name}'s details")
    other = find_person_id(session, data.email)
    if other is not None and other != person.id:
        seen_other = session.get(Person, other)
        who = seen_other.full_name if seen_other else "someone in a cohort you do not facilitate"
        raise ConflictError(f"{data.email} is already the email of {who}")
    person.full_name = data.full_name
    person.email = data.email or None
    person.expertise = data.expertise
    membership.role = data.role
    session.flush()
    return member_changes(membership) | Changes(rosters=cohorts_of(session, [person.id]))


def remove_member(session: Session, membership_id: int) -> Changes:
    """Take a member out of a cohort with everything recorded about them there.

    Others' replies to them in this cohort stay replies, to nobody named: the cohort no
    longer says who they answered. Their replies in other cohorts are untouched.
    """
    membership = require_membership(session, membership_id)
    cohort_id, person_id = membership.cohort_id, membership.person_id
    session.execute(
        delete(ActivityEvent).where(
            ActivityEvent.cohort_id == cohort_id, ActivityEvent.person_id == person_id
        )
    )
    session.execute(
        update(ActivityEvent)
        .where(ActivityEvent.cohort_id == cohort_id, ActivityEvent.replied_to_id == person_id)
        .values(replied_to_id=None)
    )
    session.execute(delete(Membership).where(Membership.id == membership_id))
    rollups.refresh_people(session, [person_id], cohort_ids=[cohort_id])
    delete_orphans(session, [person_id])
    return Changes(cohorts=True, rosters=frozenset({cohort_id}))


def member_choices(session: Session, cohort_id: int) -> list[PersonChoice]:
    """The cohort's members, by name, for pickers."""
    stmt = (
        select(Person.id, Person.full_name, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.cohort_id == cohort_id)
    )
    return sorted(
        (
            PersonChoice(person_id=pid, name=name, role=role)
            for pid, name, role in session.execute(stmt)
        ),
        key=lambda choice: (name_key(choice.name), choice.person_id),
    )


def member_detail(
    session: Session, membership_id: int, *, as_of: date | None = None, event_limit: int = 500
) -> MemberDetail:
    """Everything the member panel shows, newest first; events capped at `event_limit`.

    The counts are the roster's as of the end of `as_of` (by default today, or the cohort's
    end once it has ended); the history and the events are all there are.
    """
    membership = require_membership(session, membership_id)
    cohort = session.get(Cohort, membership.cohort_id)
    person = session.get(Person, membership.person_id)
    assert cohort is not None and person is not None
    mid = membership.id
    history = session.scalars(
        select(StageChange)
        .where(StageChange.membership_id == mid)
        .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
    )
    issues = session.scalars(
        select(AccessIssue)
        .where(AccessIssue.membership_id == mid)
        .order_by(AccessIssue.opened_at.desc(), AccessIssue.id.desc())
    )
    checks = session.scalars(
        select(MotivationCheck)
        .where(MotivationCheck.membership_id == mid)
        .order_by(MotivationCheck.checked_on.desc(), MotivationCheck.id.desc())
    )
    notes = session.scalars(
        select(MemberNote)
        .where(MemberNote.membership_id == mid)
        .order_by(MemberNote.created_at.desc(), MemberNote.id.desc())
    )
    mine = (ActivityEvent.cohort_id == cohort.id, ActivityEvent.person_id == person.id)
    target = aliased(Person)
    events = session.execute(
        select(ActivityEvent, target.full_name)
        .outerjoin(target, target.id == ActivityEvent.replied_to_id)
        .where(*mine)
        .order_by(ActivityEvent.occurred_at.desc(), ActivityEvent.id.desc())
        .limit(event_limit)
    )
    total = session.scalar(select(func.count()).select_from(ActivityEvent).where(*mine)) or 0
    return MemberDetail(
        versions=(person.version, membership.version),
        row=roster_row(session, mid, as_of=as_of),
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        timezone=cohort.timezone,
        low_motivation=get_rules(session, cohort.id).attention.low_motivation,
        joined_on=membership.joined_on,
        stage_since=membership.stage_since,
        expertise=person.expertise,
        stage_history=tuple(
            StageChangeRow(
                id=c.id,
                from_stage=c.from_stage,
                to_stage=c.to_stage,
                changed_at=c.changed_at,
                reason=c.reason,
                source=c.source,
                joined_on=membership.joined_on if c.source is StageChangeSource.JOINED else None,
            )
            for c in history
        ),
        access_issues=tuple(
            AccessIssueRow(
                id=i.id,
                opened_at=i.opened_at,
                note=i.note,
                resolved_at=i.resolved_at,
                resolution=i.resolution,
            )
            for i in issues
        ),
        motivation=tuple(
            MotivationRow(id=c.id, checked_on=c.checked_on, rating=c.rating, note=c.note)
            for c in checks
        ),
        events=tuple(
            EventRow(
                id=e.id,
                occurred_at=e.occurred_at,
                kind=e.kind,
                source=e.source,
                detail=e.detail,
                thread=e.thread,
                replied_to_name=replied_to,
                word_count=e.word_count,
            )
            for e, replied_to in events
        ),
        events_total=total,
        notes=tuple(NoteRow(id=n.id, created_at=n.created_at, body=n.body) for n in notes),
    )
