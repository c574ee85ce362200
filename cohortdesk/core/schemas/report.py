"""A cohort's key figures and the findings read off them: what the dashboard, the PDF report
and `cohortdesk report --json` all show, computed once (`core/metrics/figures.py`,
`core/services/dashboards/story.py`).

Findings are data (a kind, the people it names, its numbers), never sentences: the GUI, the
PDF and the command line word them (`core/services/dashboards/story.py: sentence`), and a
click on one selects its people.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import Field, PlainValidator

from cohortdesk.core.schemas.fields import Frozen


class CohortFigures(Frozen):
    """The numbers a facilitator reads first, over one period (see `docs/metrics.md`).

    Attributes:
        learners: learners in the cohort.
        active_last_7_days: learners with any activity in the seven days ending on the
            period's last day.
        threads: threads started by members in the period (posts, and messages sharing a
            file or link).
        replies: replies written by members in the period.
        posts: threads plus replies: every contribution.
        peer_replies: replies by a learner to another learner.
        replies_to_staff: replies by a learner to a facilitator, mentor or manager.
        median_replies_per_learner: the median of learners' replies in the period.
        share_at_stage_3_or_above: the share of learners at stage 3 or above now (0-1).
        stages: stage (1-5) -> learners at it now.
    """

    learners: int
    active_last_7_days: int
    threads: int
    replies: int
    posts: int
    peer_replies: int
    replies_to_staff: int
    median_replies_per_learner: float
    share_at_stage_3_or_above: float
    stages: dict[int, int]


class FindingKind(StrEnum):
    """What a finding is about."""

    STUCK_AT_STAGE_1 = "stuck_at_stage_1"
    NO_REPLIES_YET = "no_replies_yet"
    ISOLATED = "isolated"
    FACILITATOR_CENTRED = "facilitator_centred"
    LEARNERS_ANSWER_EACH_OTHER = "learners_answer_each_other"
    DOMINANT = "dominant"
    RECIPROCITY = "reciprocity"
    WENT_QUIET = "went_quiet"
    LOW_MOTIVATION = "low_motivation"
    CLIMBED = "climbed"


class FindingPerson(NamedTuple):
    """Someone a finding names.

    A named tuple, not a model: a finding about a big cohort names thousands of people, and
    a model (or a frozen dataclass) costs several times as much to build.
    """

    membership_id: int
    name: str


def _people(value: object) -> tuple[FindingPerson, ...]:
    """Whom a finding names, checked as a whole (not rebuilt one by one)."""
    people = tuple(value) if isinstance(value, list | tuple) else None
    if people is None or not all(isinstance(p, FindingPerson) for p in people):
        raise ValueError("a finding names people as FindingPerson")
    return people


class Finding(Frozen):
    """One thing the numbers say, with the people it is about.

    Attributes:
        kind: what it says.
        people: whom it names, in the order to list them.
        numbers: the figures it rests on, by name (see `story.sentence` for each kind's).
        alert: whether it needs the facilitator's attention.
    """

    kind: FindingKind
    people: Annotated[tuple[FindingPerson, ...], PlainValidator(_people)] = ()
    numbers: dict[str, float] = Field(default_factory=dict)
    alert: bool = False


class CohortReport(Frozen):
    """`cohortdesk report`: the dashboard's and the PDF's figures for one period.

    Attributes:
        cohort: the cohort's name.
        as_of: the day judged as of.
        first: the first day counted (None: the cohort has no activity and no start date).
        last: the last day counted.
        figures: the key figures.
        findings: the story, most pressing first.
    """

    cohort: str
    as_of: date
    first: date | None
    last: date
    figures: CohortFigures
    findings: tuple[Finding, ...]

    def cli_json(self) -> dict[str, object]:
        """One flat JSON document: the period, every figure, then the findings."""
        findings = [
            {
                "kind": f.kind.value,
                "people": [p.name for p in f.people],
                "numbers": f.numbers,
                "alert": f.alert,
            }
            for f in self.findings
        ]
        return {
            "cohort": self.cohort,
            "as_of": self.as_of.isoformat(),
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat(),
            **self.figures.model_dump(mode="json"),
            "findings": findings,
        }
