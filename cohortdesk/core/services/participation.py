"""Who has done what: the roster's derived counts.

Counts, last active and peer replies are computed from activity events, never typed in.
A *peer reply* is a reply by a learner to another learner of the same cohort (not to a
facilitator, mentor or manager, and not to oneself): the sign of information exchange in
Salmon's stage 3. A facilitator's or mentor's replies are replies, never peer replies.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.models import (
    AccessIssue,
    ActivityEvent,
    Cohort,
    EventKind,
    Membership,
    MotivationCheck,
    Person,
    Role,
)
from cohortdesk.core.schemas import MemberRow


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _local_date(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(zone).date()


def roster(session: Session, cohort_id: int, membership_id: int | None = None) -> list[MemberRow]:
    """The roster of a cohort, by name; or the one row of `membership_id`.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    zone = ZoneInfo(cohort.timezone)
    event = ActivityEvent
    target = aliased(Membership)
    peer_reply = and_(
        event.kind == EventKind.REPLY,
        Membership.role == Role.LEARNER,
        target.role == Role.LEARNER,
        event.replied_to_id != event.person_id,
    )
    where = [Membership.cohort_id == cohort_id]
    if membership_id is not None:
        where.append(Membership.id == membership_id)
    stmt = (
        select(
            Membership,
            Person,
            _count(event.kind == EventKind.LOGIN),
            _count(event.kind == EventKind.POST),
            _count(event.kind == EventKind.REPLY),
            _count(peer_reply),
            func.count(event.id),
            func.max(event.occurred_at),
        )
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(
            event,
            and_(event.cohort_id == Membership.cohort_id, event.person_id == Membership.person_id),
        )
        .outerjoin(
            target,
            and_(target.cohort_id == event.cohort_id, target.person_id == event.replied_to_id),
        )
        .where(*where)
        .group_by(Membership.id, Person.id)
        .order_by(func.lower(Person.full_name), Membership.id)
    )
    result = session.execute(stmt).all()
    ids = [membership.id for membership, *_ in result]
    open_issues = _open_access_issues(session, ids)
    motivation = _latest_motivation(session, ids)
    rows = []
    for membership, person, logins, threads, replies, peers, events, last in result:
        latest, change = motivation.get(membership.id, (None, None))
        rows.append(
            MemberRow(
                membership_id=membership.id,
                person_id=person.id,
                name=person.full_name,
                email=person.email or "",
                role=membership.role,
                stage=membership.stage,
                access=membership.access,
                open_access_issues=open_issues.get(membership.id, 0),
                motivation=latest,
                motivation_change=change,
                logins=logins,
                threads=threads,
                replies=replies,
                peer_replies=peers,
                events=events,
                last_active=_local_date(last, zone),
            )
        )
    return rows


def roster_row(session: Session, membership_id: int) -> MemberRow:
    """The roster row of one member.

    Raises:
        NotFoundError: no such membership.
    """
    cohort_id = session.scalar(select(Membership.cohort_id).where(Membership.id == membership_id))
    if cohort_id is None:
        raise NotFoundError(f"No member with id {membership_id}")
    return roster(session, cohort_id, membership_id)[0]


def _open_access_issues(session: Session, membership_ids: list[int]) -> dict[int, int]:
    if not membership_ids:
        return {}
    stmt = (
        select(AccessIssue.membership_id, func.count())
        .where(AccessIssue.membership_id.in_(membership_ids), AccessIssue.resolved_at.is_(None))
        .group_by(AccessIssue.membership_id)
    )
    return dict(session.execute(stmt).all())


def _latest_motivation(
    session: Session, membership_ids: list[int]
) -> dict[int, tuple[int, int | None]]:
    """Latest rating and its change from the one before, per membership."""
    if not membership_ids:
        return {}
    stmt = (
        select(MotivationCheck.membership_id, MotivationCheck.rating)
        .where(MotivationCheck.membership_id.in_(membership_ids))
        .order_by(MotivationCheck.membership_id, MotivationCheck.checked_on, MotivationCheck.id)
    )
    history: dict[int, list[int]] = defaultdict(list)
    for mid, rating in session.execute(stmt):
        history[mid].append(rating)
    return {
        mid: (ratings[-1], ratings[-1] - ratings[-2] if len(ratings) > 1 else None)
        for mid, ratings in history.items()
    }
