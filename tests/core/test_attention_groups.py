"""The attention list by main reason: each learner in one group, only who needs you counted."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.metrics.terms import needs_facilitator
from cohortdesk.core.schemas import AttentionItem, AttentionReason, ReasonCode
from cohortdesk.core.services.attention.attention import WEIGHTS
from cohortdesk.core.services.attention.groups import (
    group_items,
    main_reason,
    needing_you,
)

ANCHOR = date(2025, 3, 3)
POSITIVE = [code for code, weight in WEIGHTS.items() if weight > 0]


def item(n: int, reasons: list[tuple[ReasonCode, int, date | None]]) -> AttentionItem:
    built = tuple(
        AttentionReason(code=code, detail=code.value, weight=weight, since=since)
        for code, weight, since in reasons
    )
    return AttentionItem(
        membership_id=n,
        person_id=n,
        name=f"Learner {n}",
        email="",
        stage=1,
        priority=sum(r.weight for r in built),
        reasons=built,
        last_nudged_at=None,
        recently_nudged=any(r.code is ReasonCode.RECENTLY_NUDGED for r in built),
        suggested_template_id=None,
        suggested_template=None,
        subject="",
        message="",
    )


def test_a_learner_nudged_recently_is_listed_but_not_counted() -> None:
    day = ANCHOR + timedelta(days=20)
    waiting = item(1, [(ReasonCode.SILENT, 30, day), (ReasonCode.RECENTLY_NUDGED, -150, day)])
    worse = item(2, [(ReasonCode.SILENT, 30, day), (ReasonCode.RECENTLY_NUDGED, 0, day)])
    quiet = item(3, [(ReasonCode.SILENT, 30, day)])
    assert waiting.priority == -120 and not needs_facilitator(waiting.priority)
    assert needing_you([waiting, worse, quiet]) == [worse, quiet]
    assert main_reason(waiting) is ReasonCode.RECENTLY_NUDGED
    assert main_reason(worse) is ReasonCode.SILENT
    groups = group_items([worse, quiet, waiting], ANCHOR, silent_days=7)
    assert [(g.code, g.membership_ids, g.needs_you) for g in groups] == [
        (ReasonCode.SILENT, (2, 3), True),
        (ReasonCode.RECENTLY_NUDGED, (1,), False),
    ]


def test_gone_quiet_is_grouped_by_the_week_of_the_last_activity() -> None:
    # quiet since day 14 (week 3) and day 30 (week 5): the reason began 7 days later
    first = item(1, [(ReasonCode.SILENT, 30, ANCHOR + timedelta(days=14 + 7))])
    later = item(2, [(ReasonCode.SILENT, 30, ANCHOR + timedelta(days=30 + 7))])
    same = item(3, [(ReasonCode.SILENT, 30, ANCHOR + timedelta(days=16 + 7))])
    groups = group_items([later, first, same], ANCHOR, silent_days=7)
    assert [(g.key, g.membership_ids) for g in groups] == [("silent@3", (1, 3)), ("silent@5", (2,))]
    (unanchored,) = group_items([first], None, silent_days=7)
    assert unanchored.week is None and unanchored.key == "silent"


reasons_strategy = st.lists(
    st.tuples(
        st.sampled_from(POSITIVE),
        st.integers(min_value=0, max_value=60).map(lambda d: ANCHOR + timedelta(days=d)),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda pair: pair[0],
)


@given(
    st.lists(
        st.tuples(reasons_strategy, st.sampled_from([None, -150, 0])),
        min_size=0,
        max_size=30,
    )
)
def test_every_learner_is_in_exactly_one_group_weightiest_first(
    learners: list[tuple[list[tuple[ReasonCode, date]], int | None]],
) -> None:
    items = []
    for n, (reasons, nudge) in enumerate(learners):
        found: list[tuple[ReasonCode, int, date | None]] = [
            (code, WEIGHTS[code], since) for code, since in reasons
        ]
        if nudge is not None:
            found.append((ReasonCode.RECENTLY_NUDGED, nudge, ANCHOR))
        items.append(item(n, found))
    groups = group_items(items, ANCHOR, silent_days=7)
    placed = [mid for g in groups for mid in g.membership_ids]
    assert sorted(placed) == [i.membership_id for i in items]
    assert len({g.key for g in groups}) == len(groups)
    weights = [(-WEIGHTS[g.code], g.week or 0) for g in groups]
    assert weights == sorted(weights)
    counted = sum(len(g.membership_ids) for g in groups if g.needs_you)
    assert counted == len(needing_you(items))
    for group in groups:
        for mid in group.membership_ids:
            learner = items[mid]
            if group.needs_you:
                top = max(r.weight for r in learner.reasons)
                assert next(r for r in learner.reasons if r.code is group.code).weight == top
            else:
                assert learner.priority <= 0
