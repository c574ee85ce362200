"""The participation dashboards: a cohort at a glance, one member's weeks, cohorts compared.

Everything here reads the daily rollups (`services.rollups`), memberships, stage history and
motivation check-ins; never the events themselves, so the cost grows with people x days, not
with the number of events. Definitions the charts share:

- weeks are weeks of the cohort (`dashboard_schemas`): week 1 starts on the cohort's start
  date, or on its first day with activity when it has none; days are local to the cohort;
- a *contribution* is a post or a reply (`CONTRIBUTIONS`); other kinds are activity;
- a *peer reply* is a reply by a learner to another learner; a *reply to staff* is a reply by
  a learner to a facilitator, mentor or manager; both by the members' roles now;
- learner figures (stages, access, motivation, key numbers, adopters) count learners only;
  the activity charts, heatmap and reply network show every member;
- the range runs from the start of the cohort (or `start`) to `as_of` (today in the cohort's
  time zone), or to the cohort's end date when it ended earlier and nothing happened since.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, Select, Table, case, func, select, type_coerce
from sqlalchemy.orm import Session

from cohortdesk.core.collector import collector_paused
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import (
    DAILY_KIND_COLUMNS,
    AccessStatus,
    Cohort,
    EventKind,
    LocalDay,
    Membership,
    MotivationCheck,
    Person,
    Role,
)
from cohortdesk.core.schemas.dashboard import (
    CohortComparison,
    CohortDashboard,
    CohortSeries,
    HeatmapRow,
    KeyNumbers,
    KindWeek,
    MemberActivity,
    ReplyWeek,
    Week,
)
from cohortdesk.core.services.activity.rollups import DAILY, REPLIES, TOTALS
from cohortdesk.core.services.dashboards.adopters import adopter_curve, staircase
from cohortdesk.core.services.dashboards.network import Member, read_replies, reply_network
from cohortdesk.core.stages import FIRST_STAGE, LAST_STAGE

#: what counts as contributing to the discussion (node size, adopters, comparisons)
CONTRIBUTIONS = (EventKind.POST, EventKind.REPLY)
#: "this week": the last seven days of the range
ACTIVE_DAYS = 7
STAGES = range(FIRST_STAGE, LAST_STAGE + 1)
_ROLE_ORDER = {Role.FACILITATOR: 0, Role.MENTOR: 1, Role.MANAGER: 2, Role.LEARNER: 3}


# ---- the range and its weeks ---------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """A cohort, the days asked about and the cohort weeks that cover them."""

    cohort: Cohort
    zone: ZoneInfo
    anchor: date  # the first day of week 1
    start: date
    end: date
    #: the cohort's first and last days with activity (None without any)
    first_activity: date | None
    last_activity: date | None

    @property
    def before_start(self) -> bool:
        """Whether there is activity before the range."""
        return self.first_activity is not None and self.first_activity < self.start

    @property
    def after_end(self) -> bool:
        """Whether there is activity after the range."""
        return self.last_activity is not None and self.last_activity > self.end

    @property
    def first_week(self) -> int:
        """The 0-based week (from the anchor) holding `start`."""
        return (self.start - self.anchor).days // 7

    @property
    def base(self) -> date:
        """The first day of the first week shown."""
        return self.anchor + timedelta(weeks=self.first_week)

    @property
    def weeks(self) -> list[Week]:
        last = (self.end - self.anchor).days // 7
        return [
            Week(number=n + 1, starts=self.anchor + timedelta(weeks=n))
            for n in range(self.first_week, last + 1)
        ]

    def week_of(self, day: ColumnElement[date]) -> ColumnElement[int]:
        """SQL for the position in `weeks` of a day column (days in the range only)."""
        return _days_since(day, self.base) // 7


def _days_since(day: ColumnElement[date], origin: date) -> ColumnElement[int]:
    """SQL for whole days from `origin` to a rollup's day (`models.LocalDay`: an integer)."""
    return type_coerce(day, Integer()) - LocalDay.number(origin)


def _require_cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    return cohort


def _frame(
    session: Session,
    cohort_id: int,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> _Frame:
    cohort = _require_cohort(session, cohort_id)
    zone = ZoneInfo(cohort.timezone)
    today = as_of or datetime.now(UTC).astimezone(zone).date()
    ended = end is None and cohort.end_date is not None and cohort.end_date < today
    days = select(TOTALS.c.day).where(TOTALS.c.cohort_id == cohort_id)
    first, last = session.execute(  # each through the primary key: two lookups, no scan
        select(
            days.order_by(TOTALS.c.day).limit(1).scalar_subquery(),
            days.order_by(TOTALS.c.day.desc()).limit(1).scalar_subquery(),
        )
    ).one()
    anchor = cohort.start_date or first or today
    if end is None:
        end = today
        if ended and cohort.end_date is not None:
            end = min(today, max(cohort.end_date, last or cohort.end_date))
    if start is None:
        start = anchor
        end = max(end, start)  # a cohort yet to begin shows its empty first week
    if start > end:
        raise KnownError(f"The range starts on {start} after it ends on {end}")
    return _Frame(cohort, zone, anchor, start, end, first, last)


# ---- members, stages, access, motivation ---------------------------------------------------


def _members(session: Session, cohort_id: int) -> list[Member]:
    rows = session.execute(
        select(
            Membership.id,
            Membership.person_id,
            Person.full_name,
            Membership.role,
            Membership.stage,
            Membership.access,
            Membership.joined_on,
        )
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.cohort_id == cohort_id)
    ).all()
    members = [Member(*row) for row in rows]
    members.sort(key=lambda m: (_ROLE_ORDER[m.role], m.name.casefold(), m.membership_id))
    return members


def _stage_counts(stages: Iterable[int]) -> dict[int, int]:
    counts = Counter(stages)
    return {stage: counts[stage] for stage in STAGES}


def _access(learners: Sequence[Member]) -> dict[AccessStatus, int]:
    counts = Counter(m.access for m in learners)
    return {status: counts[status] for status in AccessStatus}


def _motivation(session: Session, frame: _Frame, learners: Sequence[Member]) -> dict[int, int]:
    """Learners by their latest check-in up to the end of the range; 0 for none yet."""
    rows = _rows(
        session,
        select(MotivationCheck.membership_id, MotivationCheck.rating)
        .join(Membership, Membership.id == MotivationCheck.membership_id)
        .where(Membership.cohort_id == frame.cohort.id, MotivationCheck.checked_on <= frame.end)
        .order_by(MotivationCheck.checked_on, MotivationCheck.id),
    )
    latest = dict(rows)  # later check-ins overwrite earlier ones
    counts = Counter(latest.get(m.membership_id, 0) for m in learners)
    return {rating: counts[rating] for rating in range(6)}


# ---- activity from the rollups -------------------------------------------------------------


def _in_range(
    frame: _Frame, *where: ColumnElement[bool], table: Table = DAILY
) -> list[ColumnElement[bool]]:
    """The cohort's rows of `table` in the range (no test on the day when that is all)."""
    conditions = [table.c.cohort_id == frame.cohort.id, *where]
    if frame.before_start:
        conditions.append(table.c.day >= frame.start)
    if frame.after_end:
        conditions.append(table.c.day <= frame.end)
    return conditions


def _rows(session: Session, stmt: Select[*tuple[Any, ...]]) -> Sequence[Any]:
    # Core on the connection: these are plain rows, not ORM entities (and twice as fast).
    return session.connection().execute(stmt).all()


def _kind_sums() -> list[ColumnElement[Any]]:
    return [func.sum(DAILY.c[column]) for column in DAILY_KIND_COLUMNS.values()]


def _kinds_by_week(session: Session, frame: _Frame) -> list[KindWeek]:
    week = frame.week_of(TOTALS.c.day)
    counts = [dict.fromkeys(EventKind, 0) for _ in frame.weeks]
    stmt = (
        select(week, *(func.sum(TOTALS.c[column]) for column in DAILY_KIND_COLUMNS.values()))
        .where(TOTALS.c.cohort_id == frame.cohort.id, TOTALS.c.day.between(frame.start, frame.end))
        .group_by(week)
    )
    for position, *totals in _rows(session, stmt):
        counts[position] = dict(zip(DAILY_KIND_COLUMNS, map(int, totals), strict=True))
    return [KindWeek(week=w, counts=c) for w, c in zip(frame.weeks, counts, strict=True)]


@dataclass
class _People:
    """Per person: activity per week of the range, posts and replies in it, first
    contribution and last active day up to its end."""

    weeks: dict[int, list[int]]
    posts: Counter[int]
    replies: Counter[int]
    firsts: dict[int, date]
    last_active: dict[int, date]


def _people(session: Session, frame: _Frame) -> _People:
    """Everything the dashboard knows per person, in two passes over the rollup rows."""
    week = frame.week_of(DAILY.c.day)
    size = len(frame.weeks)
    found = _People({}, Counter(), Counter(), {}, {})
    by_week = (
        select(DAILY.c.person_id, week, func.sum(DAILY.c.events))
        .where(*_in_range(frame))
        .group_by(DAILY.c.person_id, week)
    )
    for person, position, events in _rows(session, by_week):
        counts = found.weeks.get(person)
        if counts is None:
            counts = found.weeks[person] = [0] * size
        counts[position] = int(events)
    # From the first day on, so that a first contribution before the range is known; in the
    # order of the primary key, so the database groups without sorting.
    posts: ColumnElement[int] = DAILY.c.posts
    replies: ColumnElement[int] = DAILY.c.replies
    if frame.before_start:
        in_range = DAILY.c.day >= frame.start
        posts = case((in_range, DAILY.c.posts), else_=0)
        replies = case((in_range, DAILY.c.replies), else_=0)
    up_to_end = [DAILY.c.day <= frame.end] if frame.after_end else []
    overall = (
        select(
            DAILY.c.person_id,
            func.sum(posts),
            func.sum(replies),
            func.min(case((DAILY.c.posts + DAILY.c.replies > 0, DAILY.c.day))),
            func.max(DAILY.c.day),
        )
        .where(DAILY.c.cohort_id == frame.cohort.id, *up_to_end)
        .group_by(DAILY.c.person_id)
    )
    for person, posted, replied, first, last in _rows(session, overall):
        found.posts[person] = int(posted)
        found.replies[person] = int(replied)
        if first is not None:
            found.firsts[person] = first
        found.last_active[person] = last
    return found


# ---- the dashboard -------------------------------------------------------------------------


def cohort_dashboard(
    session: Session,
    cohort_id: int,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> CohortDashboard:
    """Everything the cohort dashboard shows, for the days from `start` to `end`.

    Args:
        session: a read session.
        cohort_id: the cohort.
        start: the first day shown; by default the cohort's first day (see the module).
        end: the last day shown; by default `as_of` (or the end of a finished cohort).
        as_of: "today" in the cohort's time zone; by default the real today.

    Raises:
        NotFoundError: no such cohort.
        KnownError: `start` is after `end`.
    """
    with collector_paused():
        return _dashboard(session, _frame(session, cohort_id, start, end, as_of))


def _dashboard(session: Session, frame: _Frame) -> CohortDashboard:
    members = _members(session, frame.cohort.id)
    learners = [m for m in members if m.role is Role.LEARNER]
    weeks = frame.weeks
    people = _people(session, frame)
    no_activity = [0] * len(weeks)
    heatmap = [
        HeatmapRow(
            membership_id=m.membership_id,
            name=m.name,
            role=m.role,
            stage=m.stage,
            counts=people.weeks.get(m.person_id, no_activity),
        )
        for m in members
    ]
    replies = read_replies(
        session,
        frame.week_of(REPLIES.c.day),
        len(weeks),
        {m.person_id: m.role for m in members},
        _in_range(frame, table=REPLIES),
    )
    replies_by_week = replies.by_week(weeks)
    activity = {p: people.posts[p] + people.replies[p] for p in people.posts}
    adopters, not_yet = adopter_curve(learners, people.firsts)
    return CohortDashboard(
        cohort_id=frame.cohort.id,
        cohort_name=frame.cohort.name,
        start=frame.start,
        end=frame.end,
        weeks=weeks,
        stages_now=_stage_counts(m.stage for m in learners),
        stages_by_week=staircase(session, frame.cohort.id, weeks, frame.end, frame.zone, learners),
        access=_access(learners),
        motivation=_motivation(session, frame, learners),
        contributions_by_week=_kinds_by_week(session, frame),
        heatmap=heatmap,
        replies_by_week=replies_by_week,
        network=reply_network(members, replies.pairs, activity),
        adopters=adopters,
        not_yet_contributing=not_yet,
        key_numbers=_key_numbers(frame, learners, people, replies_by_week),
    )


def _key_numbers(
    frame: _Frame, learners: Sequence[Member], people: _People, weeks: Sequence[ReplyWeek]
) -> KeyNumbers:
    since = max(frame.start, frame.end - timedelta(days=ACTIVE_DAYS - 1))
    replies = [people.replies[m.person_id] for m in learners]
    last = people.last_active
    return KeyNumbers(
        learners=len(learners),
        active_this_week=sum(m.person_id in last and last[m.person_id] >= since for m in learners),
        median_replies_per_learner=float(statistics.median(replies)) if learners else 0.0,
        share_stage3_plus=(
            sum(m.stage >= 3 for m in learners) / len(learners) if learners else 0.0
        ),
        peer_replies=sum(w.peer_replies for w in weeks),
        replies_to_staff=sum(w.replies_to_staff for w in weeks),
    )


# ---- one member, the roster's sparklines, cohorts compared ---------------------------------


def member_activity(
    session: Session,
    membership_id: int,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> MemberActivity:
    """One member's activity per cohort week, in all and by kind (range as the dashboard's).

    Raises:
        NotFoundError: no such member.
    """
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError(f"No member with id {membership_id}")
    frame = _frame(session, membership.cohort_id, start, end, as_of)
    size = len(frame.weeks)
    by_kind = {kind: [0] * size for kind in EventKind}
    week = frame.week_of(DAILY.c.day)
    stmt = (
        select(week, *_kind_sums())
        .where(*_in_range(frame, DAILY.c.person_id == membership.person_id))
        .group_by(week)
    )
    for position, *totals in _rows(session, stmt):
        for kind, total in zip(DAILY_KIND_COLUMNS, totals, strict=True):
            by_kind[kind][position] = int(total)
    counts = [sum(series[n] for series in by_kind.values()) for n in range(size)]
    return MemberActivity(
        membership_id=membership_id, weeks=frame.weeks, counts=counts, by_kind=by_kind
    )


def roster_sparklines(
    session: Session, cohort_id: int, weeks: int = 8, as_of: date | None = None
) -> dict[int, list[int]]:
    """Each member's activity in the last `weeks` seven-day stretches up to `as_of`, oldest
    first: the last value is the past seven days, so a quiet spell shows at once.

    Raises:
        NotFoundError: no such cohort.
    """
    cohort = _require_cohort(session, cohort_id)
    today = as_of or datetime.now(UTC).astimezone(ZoneInfo(cohort.timezone)).date()
    first = today - timedelta(days=7 * weeks - 1)
    position = _days_since(DAILY.c.day, first) // 7
    stmt = (
        select(DAILY.c.person_id, position, func.sum(DAILY.c.events))
        .where(DAILY.c.cohort_id == cohort_id, DAILY.c.day.between(first, today))
        .group_by(DAILY.c.person_id, position)
    )
    per_person: dict[int, list[int]] = defaultdict(lambda: [0] * weeks)
    for person_id, n, total in _rows(session, stmt):
        per_person[person_id][n] = int(total)
    memberships = session.execute(
        select(Membership.id, Membership.person_id).where(Membership.cohort_id == cohort_id)
    ).all()
    return {mid: list(per_person.get(pid) or [0] * weeks) for mid, pid in memberships}


def compare_cohorts(
    session: Session, cohort_ids: Sequence[int], as_of: date | None = None
) -> CohortComparison:
    """Cohorts side by side: stages now, and learners' contributions per learner per week of
    cohort (week 1 first; a shorter cohort has a shorter list).

    Raises:
        NotFoundError: one of the cohorts does not exist.
    """
    series: list[CohortSeries] = []
    for cohort_id in cohort_ids:
        frame = _frame(session, cohort_id, as_of=as_of)
        learners = [m for m in _members(session, cohort_id) if m.role is Role.LEARNER]
        ids = [m.person_id for m in learners]
        totals = [0] * len(frame.weeks)
        if ids:
            week = frame.week_of(DAILY.c.day)
            learner_rows = DAILY.c.person_id.in_(
                select(Membership.person_id).where(
                    Membership.cohort_id == cohort_id, Membership.role == Role.LEARNER
                )
            )
            stmt = (
                select(week, func.sum(DAILY.c.posts + DAILY.c.replies))
                .where(*_in_range(frame, learner_rows))
                .group_by(week)
            )
            for position, total in _rows(session, stmt):
                totals[position] = int(total)
        series.append(
            CohortSeries(
                cohort_id=cohort_id,
                cohort_name=frame.cohort.name,
                stages_now=_stage_counts(m.stage for m in learners),
                learners=len(learners),
                weekly_per_learner=[t / len(ids) if ids else 0.0 for t in totals],
            )
        )
    return CohortComparison(
        weeks=max((len(s.weekly_per_learner) for s in series), default=0), cohorts=series
    )
