"""The facts the attention list is judged on, gathered with a few grouped queries.

Whatever the cohort's size, this is one query per kind of fact: the learners, their activity
counts, open access issues, the last two check-ins, and (for the few it concerns) when a
learner's replies to staff reached the threshold. Only what happened before the cutoff counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.models import (
    AccessIssue,
    AccessStatus,
    ActivityEvent,
    EventKind,
    Membership,
    MotivationCheck,
    Person,
    Role,
)
from cohortdesk.core.schemas import AttentionReason


@dataclass
class Learner:
    """One learner, their activity up to the cutoff, and the reasons found so far."""

    membership_id: int
    person_id: int
    name: str
    email: str
    stage: int
    joined_on: date
    access: AccessStatus
    events: int = 0
    logins: int = 0
    views: int = 0
    posts: int = 0
    peer_replies: int = 0
    staff_replies: int = 0
    last_active: datetime | None = None
    ever_active: bool = False
    reasons: list[AttentionReason] = field(default_factory=list)


def learners(session: Session, cohort_id: int, as_of: date) -> dict[int, Learner]:
    """The cohort's learners who had joined by `as_of`, keyed by person id."""
    stmt = (
        select(
            Membership.id,
            Membership.person_id,
            Person.full_name,
            Person.email,
            Membership.stage,
            Membership.joined_on,
            Membership.access,
        )
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.cohort_id == cohort_id,
            Membership.role == Role.LEARNER,
            Membership.joined_on <= as_of,
        )
    )
    return {
        row[1]: Learner(row[0], row[1], row[2], row[3] or "", row[4], row[5], row[6])
        for row in session.execute(stmt)
    }


def count_activity(
    session: Session, cohort_id: int, cutoff: datetime, learners: dict[int, Learner]
) -> None:
    """Per learner (keyed by person): events, logins, views, posts, replies by whom to.

    Only events before `cutoff` are counted; `ever` (any event at all, later ones too) tells
    access gained through activity from access marked by hand.
    """
    event, target = ActivityEvent, aliased(Membership)
    before = event.occurred_at < cutoff
    is_reply = and_(before, event.kind == EventKind.REPLY)
    peer = and_(is_reply, target.role == Role.LEARNER, event.replied_to_id != event.person_id)
    staff = and_(is_reply, target.role != Role.LEARNER)
    stmt = (
        select(
            event.person_id,
            func.count(event.id).filter(before),
            func.count(event.id).filter(before, event.kind == EventKind.LOGIN),
            func.count(event.id).filter(before, event.kind == EventKind.VIEW),
            func.count(event.id).filter(before, event.kind.in_((EventKind.POST, EventKind.REPLY))),
            func.count(event.id).filter(peer),
            func.count(event.id).filter(staff),
            func.max(event.occurred_at).filter(before),
        )
        .join(
            Membership,
            and_(
                Membership.cohort_id == event.cohort_id,
                Membership.person_id == event.person_id,
                Membership.role == Role.LEARNER,
            ),
        )
        .outerjoin(
            target,
            and_(target.cohort_id == event.cohort_id, target.person_id == event.replied_to_id),
        )
        .where(event.cohort_id == cohort_id)
        .group_by(event.person_id)
    )
    for pid, events, logins, views, posts, peers, staff_count, last in session.execute(stmt):
        if (learner := learners.get(pid)) is None:
            continue
        learner.ever_active = True
        learner.events, learner.logins, learner.views, learner.posts = events, logins, views, posts
        learner.peer_replies, learner.staff_replies, learner.last_active = peers, staff_count, last


def open_issues(
    session: Session, cohort_id: int, cutoff: datetime
) -> dict[int, list[tuple[datetime, str]]]:
    """Access issues open at `cutoff`, per membership: (opened, note)."""
    stmt = (
        select(AccessIssue.membership_id, AccessIssue.opened_at, AccessIssue.note)
        .join(Membership, Membership.id == AccessIssue.membership_id)
        .where(
            Membership.cohort_id == cohort_id,
            AccessIssue.opened_at < cutoff,
            (AccessIssue.resolved_at.is_(None)) | (AccessIssue.resolved_at >= cutoff),
        )
    )
    found: defaultdict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for mid, opened, note in session.execute(stmt):
        found[mid].append((opened, note))
    return found


def last_two_checks(
    session: Session, cohort_id: int, as_of: date
) -> dict[int, list[tuple[date, int, str]]]:
    """Each membership's last two check-ins up to `as_of`, newest first."""
    ranked = (
        select(
            MotivationCheck.membership_id,
            MotivationCheck.checked_on,
            MotivationCheck.rating,
            MotivationCheck.note,
            func.row_number()
            .over(
                partition_by=MotivationCheck.membership_id,
                order_by=(MotivationCheck.checked_on.desc(), MotivationCheck.id.desc()),
            )
            .label("rank"),
        )
        .join(Membership, Membership.id == MotivationCheck.membership_id)
        .where(Membership.cohort_id == cohort_id, MotivationCheck.checked_on <= as_of)
        .subquery()
    )
    stmt = (
        select(ranked.c.membership_id, ranked.c.checked_on, ranked.c.rating, ranked.c.note)
        .where(ranked.c.rank <= 2)
        .order_by(ranked.c.membership_id, ranked.c.rank)
    )
    found: defaultdict[int, list[tuple[date, int, str]]] = defaultdict(list)
    for mid, day, rating, note in session.execute(stmt):
        found[mid].append((day, rating, note))
    return found


def nth_staff_reply(
    session: Session, cohort_id: int, cutoff: datetime, person_ids: Collection[int], n: int
) -> dict[int, datetime]:
    """When each of `person_ids` wrote their `n`-th reply to staff (for those who did)."""
    if not person_ids:
        return {}
    target = aliased(Membership)
    ranked = (
        select(
            ActivityEvent.person_id,
            ActivityEvent.occurred_at,
            func.row_number()
            .over(
                partition_by=ActivityEvent.person_id,
                order_by=(ActivityEvent.occurred_at, ActivityEvent.id),
            )
            .label("rank"),
        )
        .join(
            target,
            and_(
                target.cohort_id == ActivityEvent.cohort_id,
                target.person_id == ActivityEvent.replied_to_id,
            ),
        )
        .where(
            ActivityEvent.cohort_id == cohort_id,
            ActivityEvent.kind == EventKind.REPLY,
            ActivityEvent.person_id.in_(person_ids),
            target.role != Role.LEARNER,
            ActivityEvent.occurred_at < cutoff,
        )
        .subquery()
    )
    stmt = select(ranked.c.person_id, ranked.c.occurred_at).where(ranked.c.rank == n)
    return dict(session.execute(stmt).all())
