"""Learners over time: the staircase week by week, and the adopter curve.

The staircase counts learners per stage at the end of each week, from the stage history.

The adopter curve follows Rogers' diffusion of innovations: learners who have contributed (a
post or a reply) are sorted by the day they first did, and cut by Rogers' shares: the first
2.5% are innovators, the next 13.5% early adopters, then 34% early majority, 34% late majority
and the last 16% laggards. Each cut is rounded up to a whole learner, so the first learner to
contribute is always an innovator. Learners first contributing on the same day keep the order
in which they joined the cohort's records (membership id): rollups know the day, not the
hour. Learners who have not contributed are not on the curve: they are listed apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Select, select, type_coerce

from cohortdesk.core.enums import Role
from cohortdesk.core.models import Membership, StageChange
from cohortdesk.core.schemas.dashboard import AdopterGroup, StageWeek, Week
from cohortdesk.core.services.dashboards.network import Member
from cohortdesk.core.stages import FIRST_STAGE, LAST_STAGE

STAGES = range(FIRST_STAGE, LAST_STAGE + 1)

#: Rogers' categories and their shares of adopters, in tenths of a percent (exact sums)
CATEGORIES = (
    ("Innovators", 25),
    ("Early adopters", 135),
    ("Early majority", 340),
    ("Late majority", 340),
    ("Laggards", 160),
)
_WHOLE = 1000


def adopter_curve(
    learners: Sequence[Member], firsts: Mapping[int, date]
) -> tuple[list[AdopterGroup], list[str]]:
    """The five groups, and the names of learners who have not contributed yet.

    Args:
        learners: the cohort's learners.
        firsts: person id -> the day of their first post or reply.
    """
    adopted = sorted(
        (m for m in learners if m.person_id in firsts),
        key=lambda m: (firsts[m.person_id], m.membership_id),
    )
    groups: list[AdopterGroup] = []
    cumulative = taken = 0
    for category, share in CATEGORIES:
        cumulative += share
        cut = -(-len(adopted) * cumulative // _WHOLE)  # rounded up, in whole numbers
        members = adopted[taken:cut]
        taken = cut
        groups.append(
            AdopterGroup(
                category=category,
                share=share / _WHOLE,
                membership_ids=[m.membership_id for m in members],
                names=[m.name for m in members],
            )
        )
    waiting = sorted((m.name for m in learners if m.person_id not in firsts), key=str.casefold)
    return groups, waiting


def stage_changes_query(cohort_id: int) -> Select[*tuple[Any, ...]]:
    """The stage history of the cohort's learners, oldest first, for `staircase`."""
    # Naive UTC times, as stored: compared with naive UTC cutoffs, read without conversion.
    return (
        select(
            type_coerce(StageChange.changed_at, DateTime()),
            StageChange.membership_id,
            StageChange.from_stage,
            StageChange.to_stage,
        )
        .join(Membership, Membership.id == StageChange.membership_id)
        .where(Membership.cohort_id == cohort_id, Membership.role == Role.LEARNER)
        .order_by(StageChange.changed_at, StageChange.id)
    )


def staircase(
    changes: Sequence[Any],
    weeks: Sequence[Week],
    end: date,
    zone: ZoneInfo,
    learners: Sequence[Member],
) -> list[StageWeek]:
    """Learners per stage at the end of each of `weeks` (the last ends on `end` at the latest),
    from the stage history (the rows of `stage_changes_query`).

    Before their first recorded change a learner is at that change's starting stage (the
    stage they joined at, for the "joined" record); they count from the day they joined, or
    from their first change if that came earlier.
    """
    stage_of = {m.membership_id: m.stage for m in learners}
    before: dict[int, int] = {}
    for _, member, from_stage, to_stage in changes:
        before.setdefault(member, from_stage or to_stage)
    joining = sorted(learners, key=lambda m: m.joined_on, reverse=True)
    counted: dict[int, int] = {}  # membership -> stage, for those counted so far
    counts = dict.fromkeys(STAGES, 0)
    applied = 0
    staircase: list[StageWeek] = []
    for week in weeks:
        day = min(week.starts + timedelta(days=6), end)
        while joining and joining[-1].joined_on <= day:
            member = joining.pop().membership_id
            if member not in counted:
                counted[member] = before.get(member, stage_of[member])
                counts[counted[member]] += 1
        # The end of a local day is the start of the next, as a UTC instant.
        midnight = datetime.combine(day + timedelta(days=1), time(), zone)
        cutoff = midnight.astimezone(UTC).replace(tzinfo=None)
        while applied < len(changes) and changes[applied][0] < cutoff:
            _, member, _, stage = changes[applied]
            applied += 1
            if member in counted:
                counts[counted[member]] -= 1
            counted[member] = stage
            counts[stage] += 1
        staircase.append(StageWeek(week=week, learners=dict(counts)))
    return staircase
