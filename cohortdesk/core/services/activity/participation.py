"""Who has done what: the roster's rows, judged as of one day.

Every count comes from `core/metrics/counts.py` (the daily rollups, so a roster costs members
x days, not events) over the period that ends on the as-of day (`core/metrics/period.py`): by
default today, or the cohort's end once it has ended. Motivation is the latest check-in up to
that day; stage, access and open access problems are as they are now (they are not history).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.metrics.counts import counts_of, member_counts
from cohortdesk.core.metrics.period import Period, cohort_period
from cohortdesk.core.models import AccessIssue, Membership, MotivationCheck, Person
from cohortdesk.core.name_order import by_name
from cohortdesk.core.schemas import MemberRow


def roster(
    session: Session,
    cohort_id: int,
    membership_id: int | None = None,
    *,
    as_of: date | None = None,
    period: Period | None = None,
) -> list[MemberRow]:
    """The roster of a cohort, by name; or the one row of `membership_id`.

    Args:
        session: an open session.
        cohort_id: the cohort.
        membership_id: only this member's row.
        as_of: the day to judge as of (`metrics.period.default_as_of` when None).
        period: the period to count instead (its as-of day wins over `as_of`).

    Raises:
        NotFoundError: the cohort does not exist.
    """
    period = period or cohort_period(session, cohort_id, as_of=as_of)
    where = [Membership.cohort_id == cohort_id]
    if membership_id is not None:
        where.append(Membership.id == membership_id)
    result = by_name(
        session.execute(
            select(Membership, Person).join(Person, Person.id == Membership.person_id).where(*where)
        ).all()
    )
    people = [person.id for _, person in result] if membership_id is not None else None
    counts = member_counts(session, cohort_id, period, people)
    ids = [membership.id for membership, _ in result]
    open_issues = _open_access_issues(session, ids)
    motivation = _latest_motivation(session, ids, period.as_of)
    rows = []
    for membership, person in result:
        latest, change = motivation.get(membership.id, (None, None))
        did = counts_of(counts, person.id)
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
                logins=did.logins,
                threads=did.threads,
                replies=did.replies,
                posts=did.posts,
                peer_replies=did.peer_replies,
                events=did.events,
                last_active=did.last_active,
            )
        )
    return rows


def roster_row(session: Session, membership_id: int, *, as_of: date | None = None) -> MemberRow:
    """The roster row of one member.

    Raises:
        NotFoundError: no such membership.
    """
    cohort_id = session.scalar(select(Membership.cohort_id).where(Membership.id == membership_id))
    if cohort_id is None:
        raise NotFoundError(f"No member with id {membership_id}")
    return roster(session, cohort_id, membership_id, as_of=as_of)[0]


def _open_access_issues(session: Session, membership_ids: list[int]) -> dict[int, int]:
    """Access problems open now, per membership."""
    if not membership_ids:
        return {}
    stmt = (
        select(AccessIssue.membership_id, func.count())
        .where(AccessIssue.membership_id.in_(membership_ids), AccessIssue.resolved_at.is_(None))
        .group_by(AccessIssue.membership_id)
    )
    return dict(session.execute(stmt).all())


def _latest_motivation(
    session: Session, membership_ids: list[int], as_of: date
) -> dict[int, tuple[int, int | None]]:
    """Latest rating up to `as_of` and its change from the one before, per membership."""
    if not membership_ids:
        return {}
    stmt = (
        select(MotivationCheck.membership_id, MotivationCheck.rating)
        .where(
            MotivationCheck.membership_id.in_(membership_ids), MotivationCheck.checked_on <= as_of
        )
        .order_by(MotivationCheck.membership_id, MotivationCheck.checked_on, MotivationCheck.id)
    )
    history: dict[int, list[int]] = defaultdict(list)
    for mid, rating in session.execute(stmt):
        history[mid].append(rating)
    return {
        mid: (ratings[-1], ratings[-1] - ratings[-2] if len(ratings) > 1 else None)
        for mid, ratings in history.items()
    }
