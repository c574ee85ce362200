"""A cohort's key figures over a period, from its members and their counts.

The dashboard's key numbers, the PDF report's tiles and sentences, `cohortdesk report` and the
totals of `status` and the CSV/XLSX exports are all this function's answer (or sums that equal
it), so two surfaces can never show two numbers for one thing.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from cohortdesk.core.enums import Role
from cohortdesk.core.metrics.counts import MemberCounts, counts_of
from cohortdesk.core.metrics.period import Period
from cohortdesk.core.schemas.report import CohortFigures
from cohortdesk.core.stages import FIRST_STAGE, LAST_STAGE

STAGES = range(FIRST_STAGE, LAST_STAGE + 1)
EXCHANGE_STAGE = 3
"""Information exchange: from this stage on, people learn from each other."""


class Member(Protocol):
    """What the figures need of a member."""

    @property
    def person_id(self) -> int: ...

    @property
    def role(self) -> Role: ...

    @property
    def stage(self) -> int: ...


def stage_counts(stages: Iterable[int]) -> dict[int, int]:
    """Stage (1-5) -> how many of `stages` are at it (every stage present, 0 for none)."""
    counts = Counter(stages)
    return {number: counts[number] for number in STAGES}


def active_in_window(counts: MemberCounts, period: Period) -> bool:
    """Whether the member was **active in the last 7 days** of `period` (any activity)."""
    return counts.last_active is not None and counts.last_active >= period.active_since


def cohort_figures(
    members: Sequence[Member], counts: Mapping[int, MemberCounts], period: Period
) -> CohortFigures:
    """The key figures of a cohort (see `CohortFigures`).

    Args:
        members: everyone in the cohort now, with their role and stage now.
        counts: person id -> counts over `period` (`counts.member_counts`).
        period: the period counted.
    """
    learners = [m for m in members if m.role is Role.LEARNER]
    everyone = [counts_of(counts, m.person_id) for m in members]
    theirs = [counts_of(counts, m.person_id) for m in learners]
    reached = sum(m.stage >= EXCHANGE_STAGE for m in learners)
    return CohortFigures(
        learners=len(learners),
        active_last_7_days=sum(active_in_window(c, period) for c in theirs),
        threads=sum(c.threads for c in everyone),
        replies=sum(c.replies for c in everyone),
        posts=sum(c.posts for c in everyone),
        peer_replies=sum(c.peer_replies for c in theirs),
        replies_to_staff=sum(c.replies_to_staff for c in theirs),
        median_replies_per_learner=(
            float(statistics.median(c.replies for c in theirs)) if theirs else 0.0
        ),
        share_at_stage_3_or_above=reached / len(learners) if learners else 0.0,
        stages=stage_counts(m.stage for m in learners),
    )
