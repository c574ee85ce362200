"""What the participation dashboards show, computed by `services.dashboards.dashboard` from daily
rollups.

Frozen pydantic rows, safe to hand to the GUI thread; every chart reads one field of
`CohortDashboard`. Weeks are weeks of the cohort: week 1 starts on the cohort's start date (or
the first day with activity when it has none), in the cohort's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import Field

from cohortdesk.core.enums import AccessStatus, EventKind, Role
from cohortdesk.core.schemas.fields import Frozen
from cohortdesk.core.schemas.report import CohortFigures, Finding


class Week(Frozen):
    """One week of the cohort: its number (1-based) and first day."""

    number: int
    starts: date


class StageWeek(Frozen):
    """Learners per stage at the end of one week (the staircase over time)."""

    week: Week
    #: stage (1-5) -> learners at that stage at the end of the week
    learners: dict[int, int]


class KindWeek(Frozen):
    """Contributions in one week, by kind (for the stacked weekly chart)."""

    week: Week
    counts: dict[EventKind, int]


class ReplyWeek(Frozen):
    """Replies in one week: learners answering learners vs answering staff."""

    week: Week
    peer_replies: int
    replies_to_staff: int


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatmapRow:
    """One member's activity per week (all kinds), for the member x week heatmap.

    A slotted dataclass, not a model, as `NetworkEdge` is: one per member, thousands in a
    big cohort, each built in a fraction of a model's time and one object for the collector.
    """

    membership_id: int
    name: str
    role: Role
    stage: int
    #: activity count per week, aligned with `CohortDashboard.weeks`
    counts: list[int]


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkNode:
    """A member in the reply network (a slotted dataclass, as `HeatmapRow` is)."""

    person_id: int
    membership_id: int
    name: str
    role: Role
    stage: int
    #: contributions (posts + replies) in the range: the node's size
    activity: int
    in_degree: int
    out_degree: int
    isolated: bool


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    """`source` replied to `target` `count` times (person ids).

    A slotted dataclass, not a model: a big cohort has tens of thousands of edges, and a
    model is three objects for Python's cycle collector to walk (itself, its dict and its
    set of fields), which pauses the GUI; this is one, built in a tenth of the time.
    """

    source: int
    target: int
    count: int


class ReplyNetwork(Frozen):
    """Who answers whom, with the patterns SNAPP and Threadz flag, said in words."""

    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    #: share of connected pairs that answer each other both ways (0-1)
    reciprocity: float
    #: share of all replies that go to or come from staff (0-1)
    staff_share: float
    facilitator_centred: bool
    #: what SNAPP and Threadz would flag: isolated learners, a facilitator hub, a dominant voice
    findings: list[Finding]


class AdopterGroup(Frozen):
    """Learners in one diffusion-of-innovations category, by when they first contributed."""

    category: str  # "Innovators", "Early adopters", "Early majority", "Late majority", "Laggards"
    share: float  # the category's share of learners in Rogers' curve (0.025, 0.135, ...)
    membership_ids: list[int]
    names: list[str]


class CohortDashboard(Frozen):
    """Everything the cohort dashboard shows, for one date range judged as of one day.

    Attributes:
        as_of: the day judged as of (`core/metrics/period.py`).
        start: the first day shown.
        end: the last day shown.
        figures: the key figures (`core/metrics/figures.py`): the PDF report's too.
        findings: the story (`core/services/dashboards/story.py`), most pressing first.
    """

    cohort_id: int
    cohort_name: str
    as_of: date
    start: date
    end: date
    weeks: list[Week]
    stages_by_week: list[StageWeek]
    access: dict[AccessStatus, int]
    #: rating (1-5) -> learners whose latest check-in has it; key 0 = no check-in yet
    motivation: dict[int, int]
    contributions_by_week: list[KindWeek]
    heatmap: list[HeatmapRow]
    replies_by_week: list[ReplyWeek]
    network: ReplyNetwork
    adopters: list[AdopterGroup]
    #: learners who have not contributed yet (not on the adopter curve)
    not_yet_contributing: list[str] = Field(default_factory=list)
    figures: CohortFigures
    #: the cohort's low-motivation rating (its attention settings): at or below it shows red
    low_motivation: int
    findings: list[Finding] = Field(default_factory=list)


class MemberActivity(Frozen):
    """One member's weekly activity, for the roster sparkline and the member panel chart."""

    membership_id: int
    weeks: list[Week]
    #: all activity per week, aligned with `weeks`
    counts: list[int]
    #: per kind per week, aligned with `weeks`
    by_kind: dict[EventKind, list[int]]


class CohortSeries(Frozen):
    """One cohort in a comparison, aligned by week of cohort."""

    cohort_id: int
    cohort_name: str
    stages_now: dict[int, int]
    learners: int
    #: contributions per learner per week of cohort (week 1 first)
    weekly_per_learner: list[float]


class CohortComparison(Frozen):
    """Two or more cohorts side by side."""

    weeks: int
    cohorts: list[CohortSeries]
