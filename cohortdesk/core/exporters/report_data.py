"""The numbers and pictures behind the PDF report: the dashboard's, for the export's period.

The report is the dashboard on paper. Its key figures, stage counts, weekly activity, reply
network and story all come from `services.dashboards.dashboard.cohort_dashboard` over the same
period and as-of day as the export's member table (`records.collect`), so the PDF and the
dashboard can never show two numbers for one thing. Weeks are weeks of the cohort; a long
period gets bars of two weeks or more. A pseudonymised report names people by pseudonym only.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import Role
from cohortdesk.core.exporters.records import ExportData
from cohortdesk.core.metrics.terms import REPLY_KINDS, THREAD_KINDS
from cohortdesk.core.models import Highlight as HighlightRecord
from cohortdesk.core.models import Membership
from cohortdesk.core.schemas.dashboard import CohortDashboard
from cohortdesk.core.schemas.report import CohortFigures, Finding, FindingKind, FindingPerson
from cohortdesk.core.services.dashboards.dashboard import cohort_dashboard
from cohortdesk.core.services.dashboards.story import sentence

#: at most this many bars in the weekly chart; longer periods get two-week (or longer) bars
MAX_BARS = 30
#: the story's findings the report's text repeats (the staircase chart shows who climbed)
_TOLD = frozenset(FindingKind) - {FindingKind.CLIMBED}


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
    """What the report draws and says.

    Attributes:
        figures: the key figures (the dashboard's).
        members: members in the export's table.
        bars: the weekly chart.
        nodes: members who replied to someone or were replied to.
        edges: (person, person) -> replies between the two, either way.
        unconnected: learners with no reply sent or received (isolated).
        findings: the story, in words, pseudonyms instead of names when pseudonymised.
        highlights: success stories and quotes in the period.
    """

    figures: CohortFigures
    members: int
    bars: tuple[Bar, ...]
    nodes: tuple[NetworkNode, ...]
    edges: dict[tuple[int, int], int]
    unconnected: tuple[str, ...]
    findings: tuple[str, ...]
    highlights: tuple[Highlight, ...] = field(default_factory=tuple)

    @property
    def stages(self) -> tuple[int, ...]:
        """Learners at each stage now, stage 1 first."""
        return tuple(self.figures.stages[n] for n in sorted(self.figures.stages))


def report_data(session: Session, data: ExportData) -> ReportData:
    """Everything the report draws, for the export's period (see the module)."""
    period = data.period
    board = cohort_dashboard(session, data.cohort.id, period.first, period.last, period.as_of)
    labels = {p.person_id: p.label for p in data.people.values()}
    by_membership = {m.membership_id: m.label for m in data.members}
    edges: Counter[tuple[int, int]] = Counter()
    sent: Counter[int] = Counter()
    received: Counter[int] = Counter()
    network = board.network.edges
    columns = (network.sources.tolist(), network.targets.tolist(), network.counts.tolist())
    for source, target, count in zip(*columns, strict=True):
        edges[min(source, target), max(source, target)] += count
        sent[source] += count
        received[target] += count
    connected = {p for pair in edges for p in pair}
    nodes = tuple(
        NetworkNode(
            n.person_id,
            labels.get(n.person_id, n.name),
            n.role,
            n.stage,
            sent[n.person_id],
            received[n.person_id],
        )
        for n in board.network.nodes
        if n.person_id in connected
    )
    unconnected = tuple(
        labels.get(n.person_id, n.name)
        for n in board.network.nodes
        if n.isolated and n.role is Role.LEARNER
    )
    findings = tuple(
        sentence(_relabelled(f, by_membership)) for f in board.findings if f.kind in _TOLD
    )
    return ReportData(
        figures=board.figures,
        members=len(data.members),
        bars=_bars(board),
        nodes=nodes,
        edges=dict(edges),
        unconnected=unconnected,
        findings=findings,
        highlights=tuple(load_highlights(session, data)),
    )


def _relabelled(finding: Finding, labels: dict[int, str]) -> Finding:
    """The finding naming people as the export does (pseudonyms when pseudonymised)."""
    people = tuple(
        FindingPerson(membership_id=p.membership_id, name=labels.get(p.membership_id, p.name))
        for p in finding.people
    )
    return finding.model_copy(update={"people": people})


def _bars(board: CohortDashboard) -> tuple[Bar, ...]:
    """The dashboard's weeks as bars, several weeks to a bar for a long period."""
    weeks = len(board.weeks)
    per_bar = max(1, math.ceil(weeks / MAX_BARS))
    learners = [row.counts for row in board.heatmap if row.role is Role.LEARNER]
    bars = []
    for first in range(0, weeks, per_bar):
        span = range(first, min(first + per_bar, weeks))
        threads = replies = peer = 0
        for n in span:
            counts = board.contributions_by_week[n].counts
            threads += sum(counts[kind] for kind in THREAD_KINDS)
            replies += sum(counts[kind] for kind in REPLY_KINDS)
            peer += board.replies_by_week[n].peer_replies
        bars.append(
            Bar(
                start=board.weeks[first].starts,
                days=7 * per_bar,
                threads=threads,
                peer_replies=peer,
                other_replies=replies - peer,
                active_learners=sum(any(row[n] for n in span) for row in learners),
            )
        )
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
        if data.period.covers(day)
    ]
    # A stable sort: highlights of one day stay in the order the database gives them.
    found.sort(key=lambda h: h.day or date.min)
    return found
