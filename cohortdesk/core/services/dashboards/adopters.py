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
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Select, case, func, select

from cohortdesk.core.enums import Role
from cohortdesk.core.models import Membership, StageChange
from cohortdesk.core.name_order import name_key
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
    waiting = sorted((m.name for m in learners if m.person_id not in firsts), key=name_key)
    return groups, waiting


def week_ends(weeks: Sequence[Week], end: date) -> list[date]:
    """The last day of each of `weeks` (the last one ends on `end` at the latest)."""
    return [min(week.starts + timedelta(days=6), end) for week in weeks]


def stage_changes_query(
    cohort_id: int, weeks: Sequence[Week], end: date, zone: ZoneInfo
) -> Select[*tuple[Any, ...]]:
    """The stage history of the cohort's learners, for `staircase`, in whole numbers (for
    `storage.columns`): place in time (1 the oldest), the first of `weeks` whose end it
    comes before (len(weeks): after them all), membership, from stage (0 for none), to stage.
    """
    # The end of a local day is the start of the next, as an instant.
    cutoffs = [
        datetime.combine(day + timedelta(days=1), time(), zone) for day in week_ends(weeks, end)
    ]
    week = case(
        *((StageChange.changed_at < cutoff, n) for n, cutoff in enumerate(cutoffs)),
        else_=len(cutoffs),
    )
    return (
        select(
            func.row_number().over(order_by=(StageChange.changed_at, StageChange.id)),
            week,
            StageChange.membership_id,
            func.coalesce(StageChange.from_stage, 0),
            StageChange.to_stage,
        )
        .join(Membership, Membership.id == StageChange.membership_id)
        .where(Membership.cohort_id == cohort_id, Membership.role == Role.LEARNER)
    )


def staircase(
    changes: NDArray[np.int64], weeks: Sequence[Week], end: date, learners: Sequence[Member]
) -> list[StageWeek]:
    """Learners per stage at the end of each of `weeks` (the last ends on `end` at the latest),
    from the stage history (the rows of `stage_changes_query`, as `storage.columns` reads
    them).

    Before their first recorded change a learner is at that change's starting stage (the
    stage they joined at, for the "joined" record); they count from the day they joined, or
    from their first change if that came earlier.
    """
    changes = changes[np.argsort(changes[:, 0], kind="stable")]
    week_of, member, from_stage, to_stage = (
        changes[:, 1],
        changes[:, 2],
        changes[:, 3],
        changes[:, 4],
    )
    known = np.fromiter((m.membership_id for m in learners), dtype=np.int64, count=len(learners))
    others = np.setdiff1d(member, known)  # changes of no learner listed: counted once changed
    people = np.concatenate([known, others])
    position = np.full(int(people.max(initial=0)) + 1, -1, dtype=np.int64)
    position[people] = np.arange(len(people))
    at = position[member]
    stage = np.zeros(len(people), dtype=np.int64)
    stage[: len(known)] = [m.stage for m in learners]
    _, first = np.unique(at, return_index=True)  # each one's oldest change
    stage[at[first]] = np.where(from_stage[first] > 0, from_stage[first], to_stage[first])
    never = date.max.toordinal()
    joined = np.full(len(people), never, dtype=np.int64)
    joined[: len(known)] = [m.joined_on.toordinal() for m in learners]
    changed = np.zeros(len(people), dtype=bool)
    found: list[StageWeek] = []
    for n, (week, day) in enumerate(zip(weeks, week_ends(weeks, end), strict=True)):
        this_week = week_of == n
        if this_week.any():
            # each one's latest change of the week (the last in time order)
            whose, to = at[this_week][::-1], to_stage[this_week][::-1]
            who, latest = np.unique(whose, return_index=True)
            stage[who] = to[latest]
            changed[who] = True
        counted = changed | (joined <= day.toordinal())
        counts = np.bincount(stage[counted], minlength=LAST_STAGE + 1).tolist()
        found.append(StageWeek(week=week, learners={s: counts[s] for s in STAGES}))
    return found
