"""The participation dashboards: a cohort at a glance, one member's weeks, cohorts compared.

Everything here reads the daily rollups (`core/services/activity/rollups.py`), memberships,
stage history and motivation check-ins; never the events themselves, so the cost grows with
people x days, not with the number of events. Every term (contribution, peer reply, active,
went quiet, weeks of the cohort...) is defined in `core/metrics/`; the key figures and the
story are the same functions the PDF report and `cohortdesk report` use.

- learner figures (stages, access, motivation, key figures, adopters) count learners only;
  the activity charts, heatmap and reply network show every member;
- the range is the period judged as of one day (`core/metrics/period.py`): by default from
  the first activity (or the cohort's start) to today, or to the cohort's end date once it
  has ended; `start` and `end` narrow it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import ColumnElement, Integer, Select, Table, func, select, type_coerce
from sqlalchemy.orm import Session

from cohortdesk.core.collector import collector_paused
from cohortdesk.core.enums import AccessStatus, EventKind, Role
from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.metrics.counts import (
    MEMBER_NUMBERS,
    MemberCounts,
    activity_span,
    member_counts,
    member_counts_of_numbers,
    member_numbers_query,
    reply_arrays,
    reply_rows_query,
)
from cohortdesk.core.metrics.figures import cohort_figures, stage_counts
from cohortdesk.core.metrics.period import Period, cohort_period, week_anchor, week_days_in
from cohortdesk.core.metrics.terms import CONTRIBUTION_KINDS, rollup_count
from cohortdesk.core.models import (
    DAILY_KIND_COLUMNS,
    Cohort,
    LocalDay,
    Membership,
    MotivationCheck,
    Person,
)
from cohortdesk.core.models.rollups import DAILY, REPLIES, TOTALS
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas.dashboard import (
    CohortComparison,
    CohortDashboard,
    CohortSeries,
    HeatmapRow,
    KindWeek,
    MemberActivity,
    Week,
)
from cohortdesk.core.services.attention.rules import get_rules
from cohortdesk.core.services.dashboards.adopters import (
    adopter_curve,
    stage_changes_query,
    staircase,
)
from cohortdesk.core.services.dashboards.network import (
    Member,
    replies_by_week,
    reply_network,
)
from cohortdesk.core.services.dashboards.story import StoryLearner, cohort_story
from cohortdesk.core.storage.snapshot_reads import SnapshotReads, snapshot_reads

_ROLE_ORDER = {Role.FACILITATOR: 0, Role.MENTOR: 1, Role.MANAGER: 2, Role.LEARNER: 3}
#: Where the reads run one after another (SQLite), up to this many weeks, each member's
#: events per week come with their counts: a sum a week, filtered, in the same pass over the
#: daily rows. Each such column costs about a twenty-fifth of what grouping the rows by
#: member and week in a read of their own does, so a longer range groups them apart. On a
#: server the two groupings run side by side, in two processes: they finish sooner than the
#: one pass, which would hold back everything built from the counts.
WEEKS_WITH_COUNTS = 16


# ---- the range and its weeks ---------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """A cohort, the period asked about and the cohort weeks that cover it."""

    cohort: Cohort
    zone: ZoneInfo
    period: Period
    anchor: date  # the first day of week 1
    start: date
    #: the cohort's first and last days with activity (None without any)
    first_activity: date | None
    last_activity: date | None

    @property
    def end(self) -> date:
        return self.period.last

    @property
    def before_start(self) -> bool:
        """Whether there is activity before the range."""
        return self.first_activity is not None and self.first_activity < self.start

    @property
    def after_end(self) -> bool:
        """Whether there is activity after the range."""
        return self.last_activity is not None and self.last_activity > self.end

    @property
    def shown(self) -> Period:
        """The days shown as a period (from the first activity when nothing is before it)."""
        first = self.start if self.before_start else None
        return Period(as_of=self.period.as_of, last=self.end, first=first, zone=self.zone)

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
    period = cohort_period(session, cohort_id, as_of=as_of, first=start, last=end)
    first, last = activity_span(session, cohort_id)
    anchor = week_anchor(cohort.start_date, first) or period.last
    if period.first is not None:
        shown_from = period.first
    else:  # from the first activity, or the first day of week 1 when that is earlier
        shown_from = min(anchor, first) if first is not None else anchor
    return _Frame(
        cohort=cohort,
        zone=ZoneInfo(cohort.timezone),
        period=period,
        anchor=anchor,
        start=min(shown_from, period.last),  # a cohort yet to begin shows its first day
        first_activity=first,
        last_activity=last,
    )


def _members_query(cohort_id: int) -> Select[*tuple[Any, ...]]:
    return (
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
    )


def _members(rows: Sequence[Any]) -> list[Member]:
    """The cohort's members (rows of `_members_query`), staff first, then by name."""
    members = [Member(*row) for row in rows]
    members.sort(key=lambda m: (_ROLE_ORDER[m.role], name_key(m.name), m.membership_id))
    return members


def _access(learners: Sequence[Member]) -> dict[AccessStatus, int]:
    counts = Counter(m.access for m in learners)
    return {status: counts[status] for status in AccessStatus}


def _motivation_query(frame: _Frame) -> Select[*tuple[Any, ...]]:
    """Each member's latest check-in up to the as-of day (the last recorded of the latest
    day): membership id, rating."""
    newest_first = func.row_number().over(
        partition_by=MotivationCheck.membership_id,
        order_by=(MotivationCheck.checked_on.desc(), MotivationCheck.id.desc()),
    )
    checks = (
        select(MotivationCheck.membership_id, MotivationCheck.rating, newest_first.label("n"))
        .join(Membership, Membership.id == MotivationCheck.membership_id)
        .where(
            Membership.cohort_id == frame.cohort.id,
            MotivationCheck.checked_on <= frame.period.as_of,
        )
        .subquery()
    )
    return select(checks.c.membership_id, checks.c.rating).where(checks.c.n == 1)


def _motivation_counts(latest: dict[int, int], learners: Sequence[Member]) -> dict[int, int]:
    """Learners by their latest check-in (0 for none yet)."""
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


def _kinds_query(frame: _Frame) -> Select[*tuple[Any, ...]]:
    week = frame.week_of(TOTALS.c.day)
    return (
        select(week, *(func.sum(TOTALS.c[column]) for column in DAILY_KIND_COLUMNS.values()))
        .where(TOTALS.c.cohort_id == frame.cohort.id, TOTALS.c.day.between(frame.start, frame.end))
        .group_by(week)
    )


def _kinds_by_week(frame: _Frame, rows: Sequence[Any]) -> list[KindWeek]:
    """The cohort's events per kind per week (rows of `_kinds_query`)."""
    counts = [dict.fromkeys(EventKind, 0) for _ in frame.weeks]
    for position, *totals in rows:
        counts[position] = dict(zip(DAILY_KIND_COLUMNS, map(int, totals), strict=True))
    return [KindWeek(week=w, counts=c) for w, c in zip(frame.weeks, counts, strict=True)]


def _first_contributions(
    session: Session, frame: _Frame, counts: dict[int, MemberCounts]
) -> dict[int, date]:
    """Each person's first contribution up to the end of the range: from the first day on,
    so that one made before a narrowed range still counts as their first."""
    if frame.before_start:
        whole = Period(as_of=frame.period.as_of, last=frame.end, zone=frame.zone)
        counts = member_counts(session, frame.cohort.id, whole)
    return {p: c.first_contribution for p, c in counts.items() if c.first_contribution}


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
        start: the first day shown; by default the first activity or the cohort's start.
        end: the last day shown; by default the as-of day.
        as_of: the day judged as of; by default `metrics.period.default_as_of` (today, or
            the cohort's end once it has ended).

    Raises:
        NotFoundError: no such cohort.
        KnownError: the range is not in order, or ends after the as-of day.
    """
    with collector_paused():
        frame = _frame(session, cohort_id, start, end, as_of)
        with snapshot_reads(session) as reads:
            return _dashboard(session, reads, frame)


def _dashboard(session: Session, reads: SnapshotReads, frame: _Frame) -> CohortDashboard:
    # Every read is sent first (side by side on a server), then each answer is used in turn;
    # the members, needed first, are read in the session meanwhile.
    weeks = frame.weeks
    shown = frame.shown
    # the heaviest first: each member's counts over `shown` (the days of the range) and
    # their events per week (in one pass over the daily rows, read one after another)
    in_range = _in_range(frame)
    weekly_rows = None
    if not reads.side_by_side and len(weeks) <= WEEKS_WITH_COUNTS:
        count_rows = reads.submit_columns(member_numbers_query(in_range, *_week_sums(frame)))
    else:
        weekly_rows = reads.submit_columns(_weekly_query(frame))
        count_rows = reads.submit_columns(member_numbers_query(in_range))
    reply_rows = reads.submit_columns(
        reply_rows_query(frame.week_of(REPLIES.c.day), _in_range(frame, table=REPLIES))
    )
    change_rows = reads.submit_columns(
        stage_changes_query(frame.cohort.id, weeks, frame.end, frame.zone)
    )
    motivation_rows = reads.submit_columns(_motivation_query(frame))
    kind_rows = reads.submit(_kinds_query(frame), typed=True)

    members = _members(_rows(session, _members_query(frame.cohort.id)))
    learners = [m for m in members if m.role is Role.LEARNER]
    roles = {m.person_id: m.role for m in members}
    rules = get_rules(session, frame.cohort.id).attention
    # the small answers first, while the server still groups the daily rows
    stages = staircase(change_rows.result(), weeks, frame.end, learners)
    members_checked, ratings = motivation_rows.result().T.tolist()  # each one's latest
    latest: dict[int, int] = dict(zip(members_checked, ratings, strict=True))
    story = [
        StoryLearner(
            m.membership_id, m.person_id, m.name, m.stage, m.access, latest.get(m.membership_id)
        )
        for m in learners
    ]
    replies = reply_arrays(reply_rows.result(), len(weeks), roles)
    numbers = count_rows.result()
    counts = member_counts_of_numbers(numbers, replies.totals)
    weekly = _weeks_of_numbers(numbers) if weekly_rows is None else weekly_rows.result()
    heatmap = _heatmap(members, weekly, len(weeks))
    activity = {p: c.posts for p, c in counts.items() if c.posts}
    adopters, not_yet = adopter_curve(learners, _first_contributions(session, frame, counts))
    network = reply_network(members, replies, activity)
    # Built here from values of the right types: thousands of rows need no checking again.
    return CohortDashboard.model_construct(
        cohort_id=frame.cohort.id,
        cohort_name=frame.cohort.name,
        as_of=frame.period.as_of,
        start=frame.start,
        end=frame.end,
        weeks=weeks,
        stages_by_week=stages,
        access=_access(learners),
        motivation=_motivation_counts(latest, learners),
        contributions_by_week=_kinds_by_week(frame, kind_rows.result()),
        heatmap=heatmap,
        replies_by_week=replies_by_week(replies, weeks),
        network=network,
        adopters=adopters,
        not_yet_contributing=not_yet,
        figures=cohort_figures(members, counts, shown),
        low_motivation=rules.low_motivation,
        findings=cohort_story(story, network, counts, shown, rules),
    )


def _weekly_query(frame: _Frame) -> Select[*tuple[Any, ...]]:
    """Each person's activity per week of the range (person, week position, events)."""
    week = frame.week_of(DAILY.c.day)
    return (
        select(DAILY.c.person_id, week, func.sum(DAILY.c.events))
        .where(*_in_range(frame))
        .group_by(DAILY.c.person_id, week)
    )


def _week_sums(frame: _Frame) -> list[ColumnElement[int]]:
    """Each person's events in each week of the range, a column a week, for
    `member_numbers_query` (the rows it groups are those of the range)."""
    day = DAILY.c.day
    return [
        func.coalesce(
            func.sum(DAILY.c.events).filter(day.between(w.starts, w.starts + timedelta(days=6))),
            0,
        )
        for w in frame.weeks
    ]


def _weeks_of_numbers(rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """The rows of `_weekly_query` (person, week position, events; for weeks with events)
    from those of `member_numbers_query` with `_week_sums`."""
    table = rows[:, MEMBER_NUMBERS:]
    person, week = np.nonzero(table)
    return np.column_stack([rows[person, 0], week, table[person, week]])


def _heatmap(members: Sequence[Member], rows: NDArray[np.int64], weeks: int) -> list[HeatmapRow]:
    """Each member's row of the heatmap, in the members' order, from the rows of
    `_weekly_query` (an array, as `storage.columns` reads it)."""
    ids = np.fromiter((m.person_id for m in members), dtype=np.int64, count=len(members))
    # person id -> the member's row (-1: not a member now)
    row_of = np.full(max(int(ids.max(initial=0)), int(rows[:, 0].max(initial=0))) + 1, -1)
    row_of[ids] = np.arange(len(ids))
    at = row_of[rows[:, 0]]
    kept = at >= 0
    table = np.zeros((len(members), weeks), dtype=np.int64)
    table[at[kept], rows[kept, 1]] = rows[kept, 2]
    return [
        HeatmapRow(membership_id=m.membership_id, name=m.name, role=m.role, stage=m.stage, counts=c)
        for m, c in zip(members, table.tolist(), strict=True)
    ]


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
    """Each member's activity in the last `weeks` seven-day stretches up to the as-of day
    (`metrics.period.default_as_of` when None), oldest first: the last value is the past
    seven days, so a quiet spell shows at once.

    Raises:
        NotFoundError: no such cohort.
    """
    today = cohort_period(session, cohort_id, as_of=as_of).as_of
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
    session: Session, cohort_ids: Sequence[int], as_of: Mapping[int, date] | None = None
) -> CohortComparison:
    """Cohorts side by side: stages now, and learners' contributions per learner per week of
    cohort (week 1 first; a shorter cohort has a shorter list). Each cohort is judged as of
    its day in `as_of` (cohort id -> day), else its own default (today, or its end once it
    has ended).

    Raises:
        NotFoundError: one of the cohorts does not exist.
    """
    series: list[CohortSeries] = []
    for cohort_id in cohort_ids:
        frame = _frame(session, cohort_id, as_of=(as_of or {}).get(cohort_id))
        weeks = frame.weeks
        members = _members(_rows(session, _members_query(cohort_id)))
        learners = [m for m in members if m.role is Role.LEARNER]
        ids = [m.person_id for m in learners]
        totals = [0] * len(weeks)
        if ids:
            week = frame.week_of(DAILY.c.day)
            learner_rows = DAILY.c.person_id.in_(
                select(Membership.person_id).where(
                    Membership.cohort_id == cohort_id, Membership.role == Role.LEARNER
                )
            )
            stmt = (
                select(week, func.sum(rollup_count(DAILY, CONTRIBUTION_KINDS)))
                .where(*_in_range(frame, learner_rows))
                .group_by(week)
            )
            for position, total in _rows(session, stmt):
                totals[position] = int(total)
        series.append(
            CohortSeries(
                cohort_id=cohort_id,
                cohort_name=frame.cohort.name,
                stages_now=stage_counts(m.stage for m in learners),
                learners=len(learners),
                weekly_per_learner=[t / len(ids) if ids else 0.0 for t in totals],
                last_week_days=week_days_in(weeks[-1].starts, last=frame.end) if weeks else 7,
            )
        )
    return CohortComparison(
        weeks=max((len(s.weekly_per_learner) for s in series), default=0), cohorts=series
    )
