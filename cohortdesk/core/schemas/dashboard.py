"""What the participation dashboards show, computed by `services.dashboards.dashboard` from daily
rollups.

Frozen pydantic rows, safe to hand to the GUI thread; every chart reads one field of
`CohortDashboard`. Weeks are weeks of the cohort: week 1 starts on the cohort's start date (or
the first day with activity when it has none), in the cohort's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import core_schema

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


class HeatmapRow(NamedTuple):
    """One member's activity per week (all kinds), for the member x week heatmap.

    A named tuple, not a model: one per member, thousands in a big cohort, each built in a
    fraction of a model's time (and of a frozen dataclass's) and one object for the collector.
    """

    membership_id: int
    name: str
    role: Role
    stage: int
    #: activity count per week, aligned with `CohortDashboard.weeks`
    counts: list[int]


class NetworkNode(NamedTuple):
    """A member in the reply network (a named tuple, as `HeatmapRow` is)."""

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
    """`source` replied to `target` `count` times (person ids): one of `NetworkEdges`."""

    source: int
    target: int
    count: int


class NetworkEdges:
    """The network's edges as three aligned arrays of person ids and reply counts.

    A big cohort has tens of thousands of edges: as arrays they cost nothing to build or hand
    to the chart, and no Python object each for the cycle collector to walk (which pauses the
    GUI). Iterating gives `NetworkEdge`s, for the few places that want them one at a time. A
    model field accepts these or a list of `NetworkEdge`.
    """

    __slots__ = ("counts", "sources", "targets")

    def __init__(
        self,
        sources: NDArray[np.int64] | Sequence[int] = (),
        targets: NDArray[np.int64] | Sequence[int] = (),
        counts: NDArray[np.int64] | Sequence[int] = (),
    ) -> None:
        arrays = [np.array(values, dtype=np.int64) for values in (sources, targets, counts)]
        if not len(arrays[0]) == len(arrays[1]) == len(arrays[2]):
            raise ValueError("the sources, targets and counts of edges are of one length")
        for array in arrays:
            array.flags.writeable = False  # shared between threads: never changed
        self.sources, self.targets, self.counts = arrays

    @classmethod
    def of(cls, edges: Iterable[NetworkEdge]) -> NetworkEdges:
        listed = list(edges)
        return cls(
            [e.source for e in listed], [e.target for e in listed], [e.count for e in listed]
        )

    def __len__(self) -> int:
        return len(self.sources)

    def __iter__(self) -> Iterator[NetworkEdge]:
        columns = (self.sources.tolist(), self.targets.tolist(), self.counts.tolist())
        return map(NetworkEdge, *columns)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NetworkEdges):
            return NotImplemented
        return all(
            np.array_equal(mine, theirs)
            for mine, theirs in (
                (self.sources, other.sources),
                (self.targets, other.targets),
                (self.counts, other.counts),
            )
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, as a list is

    def __repr__(self) -> str:
        return f"NetworkEdges({len(self)} edges)"

    def where(self, chosen: NDArray[np.bool_]) -> NetworkEdges:
        """The edges `chosen` (a mask aligned with the arrays) picks."""
        return NetworkEdges(self.sources[chosen], self.targets[chosen], self.counts[chosen])

    def between(self, people: Iterable[int]) -> NDArray[np.bool_]:
        """Which edges join two of `people` (a mask)."""
        ids = np.fromiter(people, dtype=np.int64)
        return np.isin(self.sources, ids) & np.isin(self.targets, ids)

    def touching(self, person_id: int) -> NDArray[np.bool_]:
        """Which edges start or end at `person_id` (a mask)."""
        touching: NDArray[np.bool_] = (self.sources == person_id) | (self.targets == person_id)
        return touching

    def key(self) -> tuple[bytes, bytes, bytes]:
        """The edges as bytes: equal keys, equal edges (cheap to keep and compare)."""
        return (self.sources.tobytes(), self.targets.tobytes(), self.counts.tobytes())

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validated,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda edges: [(e.source, e.target, e.count) for e in edges]
            ),
        )

    @classmethod
    def _validated(cls, value: object) -> NetworkEdges:
        if isinstance(value, NetworkEdges):
            return value
        if isinstance(value, list | tuple) and all(isinstance(e, NetworkEdge) for e in value):
            return cls.of(value)
        raise ValueError("edges are NetworkEdges or a list of NetworkEdge")


class ReplyNetwork(Frozen):
    """Who answers whom, with the patterns SNAPP and Threadz flag, said in words."""

    nodes: list[NetworkNode]
    edges: NetworkEdges
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
    #: how many days of the last of those weeks the cohort is judged over: fewer than 7 for
    #: a running cohort's current week (or an end mid-week), whose figure is not yet whole
    last_week_days: int = 7


class CohortComparison(Frozen):
    """Two or more cohorts side by side."""

    weeks: int
    cohorts: list[CohortSeries]
