"""A short summary of one learner for their line manager: what it holds (see
`core/exporters/manager_summary.py` for its text and PDF).

Managers are the strongest motivators a learner has; this gives them something to talk about:
where the learner is on Salmon's staircase, how they take part, and their highlights (success
stories and quotes). It never holds anything private: no facilitator notes, no mentoring
sessions, no motivation ratings or their notes, no access problems, no nudges.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.metrics.counts import active_days, activity_span
from cohortdesk.core.metrics.period import cohort_period, cohort_week, week_anchor
from cohortdesk.core.models import Cohort, Highlight, Membership
from cohortdesk.core.schemas.mentoring import ManagerSummary, SummaryHighlight
from cohortdesk.core.services.activity.participation import roster_row
from cohortdesk.core.stages import stage

MAX_HIGHLIGHTS = 6


def manager_summary(
    session: Session, membership_id: int, as_of: date | None = None
) -> ManagerSummary:
    """The summary of one member of one cohort, as of the end of `as_of` (by default today,
    or the cohort's end once it has ended). Active weeks are weeks of the cohort.

    Raises:
        NotFoundError: no such member.
    """
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError(f"No member with id {membership_id}")
    cohort = session.get(Cohort, membership.cohort_id)
    assert cohort is not None
    zone = ZoneInfo(cohort.timezone)
    period = cohort_period(session, cohort.id, as_of=as_of)
    day = period.as_of
    row = roster_row(session, membership_id, as_of=day)
    days = active_days(session, cohort.id, membership.person_id, period)
    anchor = week_anchor(cohort.start_date, activity_span(session, cohort.id)[0])
    weeks = {cohort_week(d, anchor) for d in days} if anchor is not None else set()
    highlights = session.scalars(
        select(Highlight)
        .where(Highlight.membership_id == membership.id, Highlight.happened_on <= day)
        .order_by(Highlight.happened_on.desc(), Highlight.id.desc())
        .limit(MAX_HIGHLIGHTS)
    ).all()
    current = stage(membership.stage)
    return ManagerSummary(
        learner=row.name,
        cohort=cohort.name,
        start_date=cohort.start_date,
        end_date=cohort.end_date,
        as_of=day,
        stage=current.number,
        stage_name=current.name,
        stage_since=membership.stage_since.astimezone(zone).date(),
        joined_on=membership.joined_on,
        logins=row.logins,
        threads=row.threads,
        replies=row.replies,
        peer_replies=row.peer_replies,
        active_days=len(days),
        active_weeks=len(weeks),
        last_active=row.last_active,
        highlights=tuple(
            SummaryHighlight(happened_on=h.happened_on, kind=h.kind, text=h.text)
            for h in highlights
        ),
    )
