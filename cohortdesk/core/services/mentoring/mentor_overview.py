"""The mentor view: one mentor's mentees, and nothing about anyone else.

For each mentee: stage, access, motivation and recent activity (from the roster), the reasons
the attention list gives (`core/services/attention/attention.py`), the mentor's own sessions
with them or their group, and what changed since the mentor last marked a review. "Changed"
means *recorded* since then (an import on Friday of Monday's activity is news on Friday), so
nothing slips between two reviews.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import StageChangeSource
from cohortdesk.core.metrics.counts import member_counts
from cohortdesk.core.metrics.period import RECENT_DAYS, Period, cohort_period
from cohortdesk.core.metrics.terms import REPLY_KINDS, THREAD_KINDS, kind_in
from cohortdesk.core.models import (
    AccessIssue,
    ActivityEvent,
    Cohort,
    Highlight,
    Membership,
    MotivationCheck,
    StageChange,
)
from cohortdesk.core.rendering import day_label
from cohortdesk.core.schemas import AttentionReason, MemberRow
from cohortdesk.core.schemas.mentoring import (
    ChangeLine,
    MenteeOverview,
    MentorOverview,
    SessionRow,
)
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.attention import attention
from cohortdesk.core.services.attention.rules import get_rules
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.text import plural

_SHOWN = 80


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def mentor_overview(
    session: Session,
    mentor_membership_id: int,
    as_of: date | None = None,
    *,
    recent_days: int = RECENT_DAYS,
) -> MentorOverview:
    """Everything the mentor view shows for one mentor, as of the end of `as_of`.

    Args:
        session: the open session.
        mentor_membership_id: the mentor.
        as_of: the day to judge (cohort time zone); by default today there.
        recent_days: how many days "recent activity" covers.

    Raises:
        NotFoundError: no such member.
    """
    mentor = mentoring.mentor_row(session, mentor_membership_id)
    membership = session.get(Membership, mentor_membership_id)
    assert membership is not None
    cohort = session.get(Cohort, membership.cohort_id)
    assert cohort is not None
    period = cohort_period(session, cohort.id, as_of=as_of)
    zone, day = period.zone, period.as_of
    since = mentor.last_reviewed_at
    links = mentoring.current_links(session, cohort.id)
    mine = {m: link for m, link in links.items() if link.mentor_membership_id == mentor.id}
    groups = mentoring.list_groups(session, mentor.id)
    group_names = {g.id: g.name for g in groups}
    sessions = mentoring.list_sessions(session, mentor.id)
    roster = {
        r.membership_id: r
        for r in participation.roster(session, cohort.id, period=period)
        if r.membership_id in mine
    }
    reasons = _reasons(session, cohort.id, day, set(mine))
    recent = _recent(session, cohort.id, list(roster.values()), period, recent_days)
    changes = _changes(session, cohort.id, set(mine), since, zone, day)
    stage_since = dict(
        session.execute(
            select(Membership.id, Membership.stage_since).where(Membership.id.in_(list(mine)))
        ).all()
    )
    mentees = []
    for mid, row in roster.items():
        link = mine[mid]
        own: list[SessionRow] = [
            s
            for s in sessions
            if s.mentee_membership_id == mid
            or (
                s.mentee_membership_id is None
                and s.group_id is not None
                and s.group_id == link.group_id
            )
        ]
        events, posts = recent.get(row.person_id, (0, 0))
        mentees.append(
            MenteeOverview(
                membership_id=mid,
                person_id=row.person_id,
                name=row.name,
                email=row.email,
                stage=row.stage,
                stage_since=stage_since[mid],
                access=row.access,
                open_access_issues=row.open_access_issues,
                motivation=row.motivation,
                motivation_change=row.motivation_change,
                posts=row.posts,
                peer_replies=row.peer_replies,
                last_active=row.last_active,
                recent_events=events,
                recent_posts=posts,
                group_name=group_names.get(link.group_id) if link.group_id else None,
                reasons=reasons.get(mid, ()),
                changes=tuple(changes.get(mid, [])),
                sessions=tuple(own),
            )
        )
    return MentorOverview(
        mentor=mentor,
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        timezone=cohort.timezone,
        as_of=day,
        recent_days=recent_days,
        low_motivation=get_rules(session, cohort.id).attention.low_motivation,
        since=since,
        mentees=tuple(mentees),
        groups=tuple(groups),
        group_sessions=tuple(s for s in sessions if s.mentee_membership_id is None),
    )


def _reasons(
    session: Session, cohort_id: int, day: date, mentee_ids: set[int]
) -> dict[int, tuple[AttentionReason, ...]]:
    """The attention list's reasons for the mentees, by membership."""
    if not mentee_ids:
        return {}
    items = attention.attention(session, cohort_id, day)
    return {i.membership_id: i.reasons for i in items if i.membership_id in mentee_ids}


def _recent(
    session: Session, cohort_id: int, rows: list[MemberRow], period: Period, days: int
) -> dict[int, tuple[int, int]]:
    """Events and posts (contributions) in the `days` days up to the as-of day, by person."""
    people = [r.person_id for r in rows]
    if not people:
        return {}
    window = Period(
        as_of=period.as_of,
        last=period.as_of,
        first=period.as_of - timedelta(days=days - 1),
        zone=period.zone,
    )
    counts = member_counts(session, cohort_id, window, people)
    return {pid: (c.events, c.posts) for pid, c in counts.items()}


def _changes(
    session: Session,
    cohort_id: int,
    mentee_ids: set[int],
    since: datetime | None,
    zone: ZoneInfo,
    today: date,
) -> dict[int, list[ChangeLine]]:
    """What was recorded about each mentee after `since` (nothing before a first review)."""
    found: defaultdict[int, list[ChangeLine]] = defaultdict(list)
    if since is None or not mentee_ids:
        return found
    ids = list(mentee_ids)

    def label(moment: datetime) -> str:
        return day_label(moment.astimezone(zone).date(), today)

    for change in session.scalars(
        select(StageChange).where(
            StageChange.membership_id.in_(ids),
            StageChange.changed_at > since,
            StageChange.source != StageChangeSource.JOINED,
        )
    ):
        text = f"Stage {change.from_stage or '?'} → {change.to_stage} ({label(change.changed_at)})"
        if change.reason:
            text += f": {_short(change.reason)}"
        found[change.membership_id].append(
            ChangeLine(kind="stage", at=change.changed_at, text=text)
        )

    person_of = dict(
        session.execute(
            select(Membership.person_id, Membership.id).where(Membership.id.in_(ids))
        ).all()
    )
    event = ActivityEvent
    stmt = (
        select(
            event.person_id,
            func.count(event.id),
            func.count(event.id).filter(kind_in(event.kind, THREAD_KINDS)),
            func.count(event.id).filter(kind_in(event.kind, REPLY_KINDS)),
            func.max(event.occurred_at),
        )
        .where(
            event.cohort_id == cohort_id,
            event.person_id.in_(list(person_of)),
            event.created_at > since,
        )
        .group_by(event.person_id)
    )
    for pid, count, posts, replies, last in session.execute(stmt):
        parts = [plural(count, "new event")]
        if posts or replies:
            threads = f"{plural(posts, 'thread')} started"
            parts.append(f"{threads}, {plural(replies, 'reply', 'replies')}")
        text = ": ".join(parts) + (f" (latest {label(last)})" if last else "")
        found[person_of[pid]].append(ChangeLine(kind="activity", at=last, text=text))

    for check in session.scalars(
        select(MotivationCheck)
        .where(MotivationCheck.membership_id.in_(ids), MotivationCheck.recorded_at > since)
        .order_by(MotivationCheck.checked_on)
    ):
        text = f"Motivation check-in: {check.rating} of 5 ({day_label(check.checked_on, today)})"
        if check.note:
            text += f": {_short(check.note)}"
        at = datetime.combine(check.checked_on, datetime.min.time(), UTC)
        found[check.membership_id].append(ChangeLine(kind="motivation", at=at, text=text))

    for issue in session.scalars(
        select(AccessIssue).where(
            AccessIssue.membership_id.in_(ids),
            (AccessIssue.opened_at > since) | (AccessIssue.resolved_at > since),
        )
    ):
        if issue.opened_at > since:
            text = f"Access problem reported ({label(issue.opened_at)})"
            text += f": {_short(issue.note)}" if issue.note else ""
            found[issue.membership_id].append(
                ChangeLine(kind="access", at=issue.opened_at, text=text)
            )
        if issue.resolved_at is not None and issue.resolved_at > since:
            text = f"Access problem solved ({label(issue.resolved_at)})"
            text += f": {_short(issue.resolution)}" if issue.resolution else ""
            found[issue.membership_id].append(
                ChangeLine(kind="access", at=issue.resolved_at, text=text)
            )

    for highlight in session.scalars(
        select(Highlight).where(Highlight.membership_id.in_(ids), Highlight.created_at > since)
    ):
        text = f"Highlight ({day_label(highlight.happened_on, today)}): {_short(highlight.text)}"
        found[highlight.membership_id].append(
            ChangeLine(kind="highlight", at=highlight.created_at, text=text)
        )

    for lines in found.values():
        lines.sort(key=lambda line: line.at or datetime.min.replace(tzinfo=UTC))
    return found
