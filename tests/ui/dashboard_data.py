"""Hand-made dashboard DTOs: a small cohort with a story, and a big one for the scale tests.

Built from `cohortdesk.core.schemas.dashboard` directly, so the charts can be tested (and
looked at) without a database. The small cohort has what a facilitator looks for: people stuck
at stage 1, one with an access problem, an isolated learner, a dominant voice, someone who went
quiet, and a facilitator most replies go through.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from cohortdesk.core.enums import AccessStatus, EventKind, Role
from cohortdesk.core.metrics.counts import MemberCounts
from cohortdesk.core.metrics.period import Period
from cohortdesk.core.schemas import AttentionSettings, MemberRow
from cohortdesk.core.schemas.dashboard import (
    AdopterGroup,
    CohortComparison,
    CohortDashboard,
    CohortSeries,
    HeatmapRow,
    KindWeek,
    MemberActivity,
    NetworkEdge,
    NetworkNode,
    ReplyNetwork,
    ReplyWeek,
    StageWeek,
    Week,
)
from cohortdesk.core.schemas.report import CohortFigures, Finding, FindingKind, FindingPerson
from cohortdesk.core.services.dashboards.story import StoryLearner, cohort_story

START = date(2026, 9, 7)
ADOPTER_CATEGORIES = (
    ("Innovators", 0.025),
    ("Early adopters", 0.135),
    ("Early majority", 0.34),
    ("Late majority", 0.34),
    ("Laggards", 0.16),
)

# name, role, stage, access, motivation, weekly activity (8 weeks)
PEOPLE: tuple[tuple[str, Role, int, AccessStatus, int | None, tuple[int, ...]], ...] = (
    (
        "Fran Castillo",
        Role.FACILITATOR,
        5,
        AccessStatus.ACCESSED,
        None,
        (14, 12, 15, 13, 16, 12, 14, 11),
    ),
    ("Mo Adeyemi", Role.MENTOR, 5, AccessStatus.ACCESSED, None, (4, 5, 3, 6, 4, 5, 4, 3)),
    ("Ines Roth", Role.MENTOR, 5, AccessStatus.ACCESSED, None, (3, 2, 4, 3, 2, 3, 2, 2)),
    ("Ana Souza", Role.LEARNER, 4, AccessStatus.ACCESSED, 5, (6, 9, 12, 14, 16, 18, 17, 19)),
    ("Ben Okafor", Role.LEARNER, 3, AccessStatus.ACCESSED, 4, (3, 5, 6, 8, 7, 8, 9, 8)),
    ("Chioma Eze", Role.LEARNER, 3, AccessStatus.ACCESSED, 4, (2, 4, 5, 5, 6, 6, 7, 6)),
    ("Dev Patel", Role.LEARNER, 2, AccessStatus.ACCESSED, 3, (1, 2, 2, 3, 2, 3, 2, 3)),
    ("Elena Ruiz", Role.LEARNER, 3, AccessStatus.ACCESSED, 2, (5, 6, 4, 2, 1, 0, 0, 0)),
    ("Farah Khan", Role.LEARNER, 2, AccessStatus.ACCESSED, 3, (0, 2, 3, 2, 3, 2, 4, 3)),
    ("Gus Lindqvist", Role.LEARNER, 1, AccessStatus.PROBLEM, 2, (0, 0, 0, 0, 0, 0, 0, 0)),
    ("Hana Sato", Role.LEARNER, 1, AccessStatus.NOT_YET, None, (0, 0, 0, 0, 0, 0, 0, 0)),
    ("Ivan Petrov", Role.LEARNER, 1, AccessStatus.ACCESSED, 3, (1, 1, 0, 1, 0, 1, 1, 0)),
    ("Jo Mensah", Role.LEARNER, 2, AccessStatus.ACCESSED, 4, (0, 0, 0, 3, 4, 5, 4, 6)),
    ("Kai Müller", Role.LEARNER, 4, AccessStatus.ACCESSED, 5, (4, 6, 8, 9, 10, 11, 10, 12)),
    ("Lea Rossi", Role.LEARNER, 1, AccessStatus.NOT_YET, None, (0, 0, 0, 0, 0, 0, 0, 0)),
    ("Milo Novak", Role.LEARNER, 5, AccessStatus.ACCESSED, 5, (8, 12, 15, 22, 25, 28, 26, 30)),
)

_NONE_AT_ALL = {"Gus Lindqvist", "Hana Sato", "Lea Rossi"}
_ISOLATED = "Ivan Petrov"


def weeks(count: int = 8, start: date = START) -> list[Week]:
    return [Week(number=n + 1, starts=start + timedelta(days=7 * n)) for n in range(count)]


def member_rows() -> list[MemberRow]:
    """The roster of the small cohort (membership ids 101..., person ids 201...)."""
    rows = []
    for position, (name, role, stage, access, motivation, counts) in enumerate(PEOPLE):
        total = sum(counts)
        replies = total // 3
        rows.append(
            MemberRow(
                membership_id=101 + position,
                person_id=201 + position,
                name=name,
                email=f"{name.split()[0].lower()}@example.org",
                role=role,
                stage=stage,
                access=access,
                open_access_issues=1 if access is AccessStatus.PROBLEM else 0,
                motivation=motivation,
                motivation_change=None,
                logins=total,
                threads=total // 6,
                replies=replies,
                posts=total // 6 + replies,
                peer_replies=replies // 2 if role is Role.LEARNER else 0,
                events=total,
                last_active=None if total == 0 else START + timedelta(days=7 * len(counts) - 2),
            )
        )
    return rows


def _network(rows: list[MemberRow]) -> ReplyNetwork:
    by_name = {r.name: r for r in rows}
    pairs = [
        ("Ana Souza", "Fran Castillo", 9),
        ("Fran Castillo", "Ana Souza", 6),
        ("Ben Okafor", "Fran Castillo", 5),
        ("Chioma Eze", "Fran Castillo", 4),
        ("Dev Patel", "Fran Castillo", 3),
        ("Farah Khan", "Fran Castillo", 3),
        ("Jo Mensah", "Fran Castillo", 2),
        ("Fran Castillo", "Jo Mensah", 2),
        ("Elena Ruiz", "Fran Castillo", 2),
        ("Milo Novak", "Ana Souza", 7),
        ("Ana Souza", "Milo Novak", 5),
        ("Milo Novak", "Kai Müller", 6),
        ("Kai Müller", "Milo Novak", 4),
        ("Milo Novak", "Ben Okafor", 5),
        ("Ben Okafor", "Chioma Eze", 2),
        ("Mo Adeyemi", "Dev Patel", 2),
        ("Ines Roth", "Farah Khan", 1),
        ("Milo Novak", "Elena Ruiz", 3),
    ]
    edges = [
        NetworkEdge(source=by_name[a].person_id, target=by_name[b].person_id, count=c)
        for a, b, c in pairs
    ]
    nodes = []
    for row in rows:
        if row.name in _NONE_AT_ALL:
            continue
        out = {e.target for e in edges if e.source == row.person_id}
        into = {e.source for e in edges if e.target == row.person_id}
        nodes.append(
            NetworkNode(
                person_id=row.person_id,
                membership_id=row.membership_id,
                name=row.name,
                role=row.role,
                stage=row.stage,
                activity=row.threads + row.replies,
                in_degree=len(into),
                out_degree=len(out),
                isolated=not out and not into,
            )
        )
    return ReplyNetwork(
        nodes=nodes,
        edges=edges,
        reciprocity=0.36,
        staff_share=0.49,
        facilitator_centred=True,
        findings=[
            Finding(kind=FindingKind.ISOLATED, people=(_person(by_name[_ISOLATED]),), alert=True),
            Finding(
                kind=FindingKind.FACILITATOR_CENTRED,
                people=tuple(_person(r) for r in rows if r.role is not Role.LEARNER),
                numbers={"staff_share": 0.49},
                alert=True,
            ),
            Finding(
                kind=FindingKind.DOMINANT,
                people=(_person(by_name["Milo Novak"]),),
                numbers={"share": 0.27, "posts": 43, "all_posts": 160},
            ),
            Finding(kind=FindingKind.RECIPROCITY, numbers={"share": 0.36}),
        ],
    )


def _person(row: MemberRow) -> FindingPerson:
    return FindingPerson(membership_id=row.membership_id, name=row.name)


def _story(
    rows: list[MemberRow], counts: dict[str, tuple[int, ...]], network: ReplyNetwork, end: date
) -> list[Finding]:
    """The small cohort's story, found by core's own rules (as the dashboard does)."""
    learners = [r for r in rows if r.role is Role.LEARNER]
    activity = {}
    for r in rows:
        active_weeks = [n for n, c in enumerate(counts[r.name]) if c]
        if active_weeks:
            last = START + timedelta(days=7 * active_weeks[-1] + 6)
            activity[r.person_id] = MemberCounts(events=sum(counts[r.name]), last_active=last)
    story = [
        StoryLearner(r.membership_id, r.person_id, r.name, r.stage, r.access, r.motivation)
        for r in learners
    ]
    period = Period(as_of=end, last=end)
    return cohort_story(story, network, activity, period, AttentionSettings())


def make_dashboard(cohort_id: int = 1, name: str = "Leading Online Learning") -> CohortDashboard:
    """The small cohort's dashboard: 16 members (13 learners), 8 weeks."""
    rows = member_rows()
    the_weeks = weeks(8)
    learners = [r for r in rows if r.role is Role.LEARNER]
    counts = {r.name: c for r, (_n, _r, _s, _a, _m, c) in zip(rows, PEOPLE, strict=True)}
    stages_now = {n: sum(1 for r in learners if r.stage == n) for n in range(1, 6)}
    stages_by_week = []
    for week in the_weeks:
        climb = week.number - 1
        by_stage = {1: max(1, 11 - climb * 2), 2: min(5, 1 + climb), 3: min(3, climb // 2)}
        by_stage[4] = 2 if week.number > 5 else 1 if week.number > 3 else 0
        by_stage[5] = 1 if week.number > 6 else 0
        stages_by_week.append(StageWeek(week=week, learners=by_stage))
    kinds = (EventKind.POST, EventKind.REPLY, EventKind.REACTION, EventKind.SHARE)
    contributions = []
    for position, week in enumerate(the_weeks):
        total = sum(c[position] for c in counts.values())
        contributions.append(
            KindWeek(
                week=week,
                counts={
                    kinds[0]: total // 5,
                    kinds[1]: total // 2,
                    kinds[2]: total // 5,
                    kinds[3]: total - total // 5 * 2 - total // 2,
                },
            )
        )
    replies = [
        ReplyWeek(week=w, peer_replies=3 + 3 * i, replies_to_staff=12 - i)
        for i, w in enumerate(the_weeks)
    ]
    heatmap = [
        HeatmapRow(
            membership_id=r.membership_id,
            name=r.name,
            role=r.role,
            stage=r.stage,
            counts=list(counts[r.name]),
        )
        for r in rows
    ]
    contributing = [r for r in learners if r.name not in _NONE_AT_ALL]
    shares = [1, 2, 3, 3, 1]
    adopters, start = [], 0
    for (category, share), size in zip(ADOPTER_CATEGORIES, shares, strict=True):
        group = contributing[start : start + size]
        start += size
        adopters.append(
            AdopterGroup(
                category=category,
                share=share,
                membership_ids=[r.membership_id for r in group],
                names=[r.name for r in group],
            )
        )
    end = the_weeks[-1].starts + timedelta(days=6)
    network = _network(rows)
    return CohortDashboard(
        cohort_id=cohort_id,
        cohort_name=name,
        as_of=end,
        start=START,
        end=end,
        weeks=the_weeks,
        stages_by_week=stages_by_week,
        access={s: sum(1 for r in learners if r.access is s) for s in AccessStatus},
        motivation={n: sum(1 for r in learners if (r.motivation or 0) == n) for n in range(6)},
        contributions_by_week=contributions,
        heatmap=heatmap,
        replies_by_week=replies,
        network=network,
        adopters=adopters,
        not_yet_contributing=sorted(_NONE_AT_ALL),
        low_motivation=2,
        figures=CohortFigures(
            learners=len(learners),
            active_last_7_days=sum(1 for r in learners if counts[r.name][-1] > 0),
            threads=sum(r.threads for r in rows),
            replies=sum(r.replies for r in rows),
            posts=sum(r.posts for r in rows),
            peer_replies=sum(r.peer_replies for r in replies),
            replies_to_staff=sum(r.replies_to_staff for r in replies),
            median_replies_per_learner=4.0,
            share_at_stage_3_or_above=sum(stages_now[n] for n in (3, 4, 5)) / len(learners),
            stages=stages_now,
        ),
        findings=_story(rows, counts, network, end),
    )


def empty_dashboard(cohort_id: int = 2) -> CohortDashboard:
    """A cohort that has just been created: nobody, nothing."""
    return CohortDashboard(
        cohort_id=cohort_id,
        cohort_name="Spring intake",
        as_of=START + timedelta(days=6),
        start=START,
        end=START + timedelta(days=6),
        weeks=weeks(1),
        stages_by_week=[],
        access=dict.fromkeys(AccessStatus, 0),
        motivation={},
        contributions_by_week=[],
        heatmap=[],
        replies_by_week=[],
        network=ReplyNetwork(
            nodes=[],
            edges=[],
            reciprocity=0.0,
            staff_share=0.0,
            facilitator_centred=False,
            findings=[],
        ),
        adopters=[],
        low_motivation=2,
        figures=CohortFigures(
            learners=0,
            active_last_7_days=0,
            threads=0,
            replies=0,
            posts=0,
            peer_replies=0,
            replies_to_staff=0,
            median_replies_per_learner=0.0,
            share_at_stage_3_or_above=0.0,
            stages=dict.fromkeys(range(1, 6), 0),
        ),
    )


def big_heatmap(members: int = 5000, week_count: int = 9, seed: int = 3) -> list[HeatmapRow]:
    rng = random.Random(seed)
    return [
        HeatmapRow(
            membership_id=10_000 + i,
            name=f"Learner {i:04d}",
            role=Role.LEARNER,
            stage=1 + i % 5,
            counts=[rng.randint(0, 30) if rng.random() > 0.3 else 0 for _ in range(week_count)],
        )
        for i in range(members)
    ]


def big_network(members: int = 5000, seed: int = 3) -> ReplyNetwork:
    """A sparse reply network: each learner answers up to three others, a few answer nobody."""
    rng = random.Random(seed)
    edges: dict[tuple[int, int], int] = {}
    for i in range(1, members):
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            target = rng.randrange(members)
            if target != i:
                edges[(i, target)] = edges.get((i, target), 0) + 1
    touched = {p for pair in edges for p in pair}
    nodes = [
        NetworkNode(
            person_id=i,
            membership_id=10_000 + i,
            name="Facilitator" if i == 0 else f"Learner {i:04d}",
            role=Role.FACILITATOR if i == 0 else Role.LEARNER,
            stage=5 if i == 0 else 1 + i % 5,
            activity=rng.randint(0, 40),
            in_degree=sum(1 for (_s, t) in edges if t == i) if i < 50 else 1,
            out_degree=1,
            isolated=i not in touched,
        )
        for i in range(members)
    ]
    return ReplyNetwork(
        nodes=nodes,
        edges=[NetworkEdge(source=s, target=t, count=c) for (s, t), c in edges.items()],
        reciprocity=0.05,
        staff_share=0.01,
        facilitator_centred=False,
        findings=[
            Finding(
                kind=FindingKind.ISOLATED,
                people=tuple(
                    FindingPerson(membership_id=n.membership_id, name=n.name)
                    for n in nodes
                    if n.isolated
                ),
                alert=True,
            )
        ],
    )


def member_activity(membership_id: int = 104) -> MemberActivity:
    """Ana Souza's weeks: reading first, then replying more and more."""
    the_weeks = weeks(8)
    by_kind = {
        EventKind.VIEW: [4, 4, 3, 3, 3, 2, 2, 2],
        EventKind.POST: [1, 1, 2, 2, 2, 3, 3, 3],
        EventKind.REPLY: [0, 3, 5, 7, 9, 10, 9, 11],
        EventKind.REACTION: [1, 1, 2, 2, 2, 3, 3, 3],
    }
    counts = [sum(values[i] for values in by_kind.values()) for i in range(8)]
    return MemberActivity(
        membership_id=membership_id, weeks=the_weeks, counts=counts, by_kind=by_kind
    )


def comparison() -> CohortComparison:
    return CohortComparison(
        weeks=8,
        cohorts=[
            CohortSeries(
                cohort_id=1,
                cohort_name="Spring 2026",
                stages_now={1: 2, 2: 3, 3: 6, 4: 5, 5: 2},
                learners=18,
                weekly_per_learner=[1.2, 2.5, 3.1, 3.8, 4.0, 4.4, 4.1, 3.9],
            ),
            CohortSeries(
                cohort_id=2,
                cohort_name="Autumn 2026",
                stages_now={1: 6, 2: 4, 3: 2, 4: 1, 5: 0},
                learners=13,
                weekly_per_learner=[0.8, 1.4, 1.9, 2.1, 2.0, 2.3],
            ),
        ],
    )
