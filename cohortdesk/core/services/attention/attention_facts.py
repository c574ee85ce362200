"""The facts the attention list is judged on, gathered with a few grouped queries.

Whatever the cohort's size, this is one query per kind of fact: the learners, their activity
counts (`core/metrics/counts.py`, the same as the roster's), open access issues, the last two
check-ins, and (for the few it concerns) when a learner's replies to staff reached the
threshold. Only what happened up to the end of the as-of day counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.metrics.counts import (
    NO_COUNTS,
    MemberCounts,
    counts_of,
    member_counts,
    people_with_activity,
)
from cohortdesk.core.metrics.period import Period
from cohortdesk.core.metrics.terms import staff_reply_sql
from cohortdesk.core.models import AccessIssue, ActivityEvent, Membership, MotivationCheck, Person
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
    counts: MemberCounts = NO_COUNTS
    """What they did up to the end of the as-of day."""
    ever_active: bool = False
    """Whether they have any activity at all on record, later days included."""
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
    session: Session, cohort_id: int, period: Period, learners: dict[int, Learner]
) -> None:
    """Each learner's counts up to the end of the as-of day (keyed by person).

    `ever_active` (any activity at all, later too) tells access marked by hand from access
    that came with activity.
    """
    ids = list(learners)
    counts = member_counts(session, cohort_id, period, ids)
    ever = people_with_activity(session, cohort_id, ids)
    for pid, learner in learners.items():
        learner.counts = counts_of(counts, pid)
        learner.ever_active = pid in ever


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
    sender, target = aliased(Membership), aliased(Membership)
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
        .join(
            sender,
            and_(
                sender.cohort_id == ActivityEvent.cohort_id,
                sender.person_id == ActivityEvent.person_id,
            ),
        )
        .where(
            ActivityEvent.cohort_id == cohort_id,
            ActivityEvent.person_id.in_(person_ids),
            staff_reply_sql(
                ActivityEvent.person_id,
                sender.role,
                ActivityEvent.replied_to_id,
                target.role,
                ActivityEvent.kind,
            ),
            ActivityEvent.occurred_at < cutoff,
        )
        .subquery()
    )
    stmt = select(ranked.c.person_id, ranked.c.occurred_at).where(ranked.c.rank == n)
    return dict(session.execute(stmt).all())
