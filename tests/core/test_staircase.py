"""The staircase week by week, counted with numpy, equals the stage history replayed one
change and one member at a time, for any history."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.schemas.dashboard import Week
from cohortdesk.core.services.dashboards.adopters import STAGES, staircase, week_ends
from cohortdesk.core.services.dashboards.network import Member

START = date(2025, 1, 6)


def _replayed(
    changes: list[tuple[int, int, int, int, int]],
    weeks: list[Week],
    end: date,
    learners: list[Member],
) -> list[dict[int, int]]:
    """The staircase by its words: replay the history in time order, week by week."""
    ordered = sorted(changes)
    stage_of = {m.membership_id: m.stage for m in learners}
    before: dict[int, int] = {}
    for _, _, member, from_stage, to_stage in ordered:
        before.setdefault(member, from_stage or to_stage)
    joining = sorted(learners, key=lambda m: m.joined_on, reverse=True)
    counted: dict[int, int] = {}
    counts = dict.fromkeys(STAGES, 0)
    found = []
    for number, day in enumerate(week_ends(weeks, end)):
        while joining and joining[-1].joined_on <= day:
            member = joining.pop().membership_id
            if member not in counted:
                counted[member] = before.get(member, stage_of[member])
                counts[counted[member]] += 1
        for _, week, member, _, to_stage in ordered:
            if week != number:
                continue
            if member in counted:
                counts[counted[member]] -= 1
            counted[member] = to_stage
            counts[to_stage] += 1
        found.append(dict(counts))
    return found


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    size=st.integers(0, 12),
    week_count=st.integers(1, 6),
    cut=st.integers(0, 6),
)
def test_the_staircase_replays_the_history(
    data: st.DataObject, size: int, week_count: int, cut: int
) -> None:
    weeks = [Week(number=n + 1, starts=START + timedelta(weeks=n)) for n in range(week_count)]
    end = weeks[-1].starts + timedelta(days=cut)
    learners = [
        Member(
            membership_id=10 + n,
            person_id=100 + n,
            name=f"Learner {n}",
            role=Role.LEARNER,
            stage=data.draw(st.integers(1, 5)),
            access=AccessStatus.ACCESSED,
            joined_on=START + timedelta(days=data.draw(st.integers(-5, 7 * week_count + 3))),
        )
        for n in range(size)
    ]
    # changes of the learners, and of someone no longer listed (membership 99)
    ids = [m.membership_id for m in learners] + [99]
    drawn = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, week_count),  # first week whose end it precedes; last: after
                st.sampled_from(ids),
                st.integers(0, 5),  # from stage (0: none, the joining record)
                st.integers(1, 5),
            ),
            max_size=30,
        )
    )
    order = data.draw(st.permutations(range(1, len(drawn) + 1)))
    changes = [(place, *change) for place, change in zip(order, drawn, strict=True)]
    rows = np.array(changes, dtype=np.int64).reshape(-1, 5)
    got = [week.learners for week in staircase(rows, weeks, end, learners)]
    assert got == _replayed(changes, weeks, end, learners)
