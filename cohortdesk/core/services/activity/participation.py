"""Who has done what: the roster's derived counts.

Counts, last active and peer replies are computed from activity events, never typed in:
read from the daily rollups (`services.rollups`), which are always equal to the events
grouped by member and local day, so a roster costs members x days, not events.
A *peer reply* is a reply by a learner to another learner of the same cohort (not to a
facilitator, mentor or manager, and not to oneself): the sign of information exchange in
Salmon's stage 3. A facilitator's or mentor's replies are replies, never peer replies.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.models import (
    AccessIssue,
    Cohort,
    DailyActivity,
    DailyReplies,
    Membership,
    MotivationCheck,
    Person,
    Role,
)
from cohortdesk.core.schemas import MemberRow


def roster(session: Session, cohort_id: int, membership_id: int | None = None) -> list[MemberRow]:
    """The roster of a cohort, by name; or the one row of `membership_id`.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    days = DailyActivity
    activity = (
        select(
            days.person_id,
            func.sum(days.logins).label("logins"),
            func.sum(days.posts).label("posts"),
            func.sum(days.replies).label("replies"),
            func.sum(days.events).label("events"),
            func.max(days.day).label("last_day"),
        )
        .where(days.cohort_id == cohort_id)
        .group_by(days.person_id)
        .subquery()
    )
    sender, receiver = aliased(Membership), aliased(Membership)
    links = DailyReplies
    peers = (
        select(links.from_person_id.label("person_id"), func.sum(links.count).label("peer"))
        .join(
            sender,
            and_(sender.cohort_id == links.cohort_id, sender.person_id == links.from_person_id),
        )
        .join(
            receiver,
            and_(receiver.cohort_id == links.cohort_id, receiver.person_id == links.to_person_id),
        )
        .where(
            links.cohort_id == cohort_id,
            sender.role == Role.LEARNER,
            receiver.role == Role.LEARNER,
            links.from_person_id != links.to_person_id,
        )
        .group_by(links.from_person_id)
        .subquery()
    )
    where = [Membership.cohort_id == cohort_id]
    if membership_id is not None:
        where.append(Membership.id == membership_id)
    stmt = (
        select(
            Membership,
            Person,
            func.coalesce(activity.c.logins, 0),
            func.coalesce(activity.c.posts, 0),
            func.coalesce(activity.c.replies, 0),
            func.coalesce(peers.c.peer, 0),
            func.coalesce(activity.c.events, 0),
            activity.c.last_day,
        )
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(activity, activity.c.person_id == Membership.person_id)
        .outerjoin(peers, peers.c.person_id == Membership.person_id)
        .where(*where)
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
                last_active=last,
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
