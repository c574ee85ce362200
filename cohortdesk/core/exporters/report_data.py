"""The numbers behind the PDF report, worked out in one pass over the period's events.

Key numbers (learners only, except the member count): members, learners, learners active in
the last seven days of the period, the median number of replies per learner, and the share of
learners at stage 3 (information exchange) or above. Then learners per stage, contributions and
active learners per week (weeks start on Monday, in the cohort's time zone), the reply network
(who answered whom, how often) and the highlights the cohort has recorded, if it keeps any.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.exporters.records import ExportData, ExportEvent
from cohortdesk.core.models import EventKind, Membership, Role
from cohortdesk.core.models import Highlight as HighlightRecord

#: at most this many bars in the weekly chart; longer periods get two-week (or longer) bars
MAX_BARS = 30
ACTIVE_DAYS = 7


@dataclass(frozen=True)
class KeyNumbers:
    members: int
    learners: int
    active_this_week: int
    median_replies: float
    share_stage_3_up: float


@dataclass(frozen=True)
class Bar:
    """One bar of the weekly chart: `days` days from `start`."""

    start: date
    days: int
    threads: int = 0
    peer_replies: int = 0
    other_replies: int = 0
    active_learners: int = 0

    @property
    def contributions(self) -> int:
        return self.threads + self.peer_replies + self.other_replies


@dataclass(frozen=True)
class NetworkNode:
    person_id: int
    label: str
    role: Role
    stage: int
    sent: int
    received: int


@dataclass(frozen=True)
class Highlight:
    day: date | None
    who: str
    text: str
    tags: str = ""


@dataclass(frozen=True)
class ReportData:
    key: KeyNumbers
    stages: tuple[int, ...]
    bars: tuple[Bar, ...]
    nodes: tuple[NetworkNode, ...]
    edges: dict[tuple[int, int], int]
    unconnected: tuple[str, ...]
    highlights: tuple[Highlight, ...] = field(default_factory=tuple)


def _start(data: ExportData, first_event: date | None) -> date:
    start = data.period_from or first_event or data.period_to
    return min(start, data.period_to)


def summarise(
    data: ExportData, events: Iterable[ExportEvent], highlights: Iterable[Highlight] = ()
) -> ReportData:
    """Everything the report draws, from the export's members and the period's events."""
    roles = {m.person_id: m.role for m in data.members}
    learners = [m for m in data.members if m.role is Role.LEARNER]
    week_start = data.period_to - timedelta(days=ACTIVE_DAYS - 1)
    active_now: set[int] = set()
    per_day: Counter[tuple[date, str]] = Counter()
    active_days: dict[date, set[int]] = {}
    pairs: Counter[tuple[int, int]] = Counter()
    first_event: date | None = None
    for event in events:
        day = data.local(event.occurred_at).date()
        first_event = first_event or day
        is_learner = roles.get(event.person_id) is Role.LEARNER
        if is_learner:
            active_days.setdefault(day, set()).add(event.person_id)
            if day >= week_start:
                active_now.add(event.person_id)
        if event.kind is EventKind.POST:
            per_day[day, "threads"] += 1
        elif event.kind is EventKind.REPLY:
            target = event.replied_to_id
            peer = is_learner and target is not None and roles.get(target) is Role.LEARNER
            per_day[day, "peer" if peer and target != event.person_id else "other"] += 1
            if target is not None and target != event.person_id and target in roles:
                pairs[min(event.person_id, target), max(event.person_id, target)] += 1
    bars = _bars(_start(data, first_event), data.period_to, per_day, active_days)
    key = KeyNumbers(
        members=len(data.members),
        learners=len(learners),
        active_this_week=len(active_now),
        median_replies=float(statistics.median([m.replies for m in learners])) if learners else 0,
        share_stage_3_up=(sum(m.stage >= 3 for m in learners) / len(learners) if learners else 0.0),
    )
    sent: Counter[int] = Counter()
    received: Counter[int] = Counter()
    for (a, b), count in pairs.items():
        sent[a] += count  # undirected: both ends took part in the exchange
        received[b] += count
    connected = {p for pair in pairs for p in pair}
    nodes = tuple(
        NetworkNode(m.person_id, m.label, m.role, m.stage, sent[m.person_id], received[m.person_id])
        for m in data.members
        if m.person_id in connected
    )
    unconnected = tuple(m.label for m in learners if m.person_id not in connected)
    return ReportData(
        key=key,
        stages=tuple(sum(m.stage == n for m in learners) for n in range(1, 6)),
        bars=bars,
        nodes=nodes,
        edges=dict(pairs),
        unconnected=unconnected,
        highlights=tuple(highlights),
    )


def _bars(
    start: date,
    end: date,
    per_day: Counter[tuple[date, str]],
    active_days: dict[date, set[int]],
) -> tuple[Bar, ...]:
    monday = start - timedelta(days=start.weekday())
    weeks = (end - monday).days // 7 + 1
    days = 7 * max(1, math.ceil(weeks / MAX_BARS))
    bars = []
    first = monday
    while first <= end:
        span = [first + timedelta(days=d) for d in range(days)]
        active: set[int] = set()
        for day in span:
            active |= active_days.get(day, set())
        bars.append(
            Bar(
                start=first,
                days=days,
                threads=sum(per_day[d, "threads"] for d in span),
                peer_replies=sum(per_day[d, "peer"] for d in span),
                other_replies=sum(per_day[d, "other"] for d in span),
                active_learners=len(active),
            )
        )
        first += timedelta(days=days)
    return tuple(bars)


def load_highlights(session: Session, data: ExportData) -> list[Highlight]:
    """The cohort's highlights (success stories, quotes) in the period, oldest first.

    A pseudonymised report has no highlights: they are people's own words.
    """
    if data.pseudonymised:
        return []
    stmt = (
        select(
            Membership.person_id,
            HighlightRecord.text,
            HighlightRecord.happened_on,
            HighlightRecord.tags,
        )
        .join(Membership, Membership.id == HighlightRecord.membership_id)
        .where(Membership.cohort_id == data.cohort.id)
    )
    labels = {p.person_id: p.label for p in data.people.values()}
    found = [
        Highlight(day, labels.get(person_id, ""), text, tags)
        for person_id, text, day, tags in session.execute(stmt)
        if _in_period(data, day)
    ]
    # A stable sort: highlights of one day stay in the order the database gives them.
    found.sort(key=lambda h: h.day or date.min)
    return found


def _in_period(data: ExportData, day: date) -> bool:
    after_start = data.period_from is None or day >= data.period_from
    return after_start and day <= data.period_to
