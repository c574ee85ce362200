"""The attention list grouped by each learner's main reason, to handle a group at once.

A large cohort can put hundreds of learners on the list; most share a handful of reasons
("19 never logged in", "12 gone quiet since week 3"). Each learner is in exactly one group:
the one of their weightiest reason, or, when they do not need the facilitator (nudged
recently and nothing new since: `metrics.terms.needs_facilitator`), the group of those
waiting for a response. Groups come in the order of their reasons' weights, so the most
urgent kind of trouble comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.orm import Session

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.metrics.counts import activity_span
from cohortdesk.core.metrics.period import cohort_week, week_anchor
from cohortdesk.core.metrics.terms import needs_facilitator
from cohortdesk.core.models import Cohort
from cohortdesk.core.schemas import AttentionGroup, AttentionItem, ReasonCode
from cohortdesk.core.schemas.attention import WEIGHTS
from cohortdesk.core.services.attention.rules import get_rules


def needing_you(items: Sequence[AttentionItem]) -> list[AttentionItem]:
    """The learners of the list who need the facilitator (the headline count)."""
    return [item for item in items if needs_facilitator(item.priority)]


def main_reason(item: AttentionItem) -> ReasonCode:
    """The reason a learner is grouped under: their weightiest one, or "recently nudged" when
    they are waiting for a response to a nudge and do not need the facilitator."""
    if not needs_facilitator(item.priority):
        return ReasonCode.RECENTLY_NUDGED
    return max(item.reasons, key=lambda r: r.weight).code


def group_items(
    items: Sequence[AttentionItem], anchor: date | None, silent_days: int
) -> list[AttentionGroup]:
    """Group the list by main reason, weightiest reason first, learners in the list's order.

    Those gone quiet are grouped by the week of their last activity, earliest first: in a
    large cohort "gone quiet" alone is most of the list, and the week says who to write to
    first and what about.

    Args:
        items: the attention list, as ranked.
        anchor: the first day of the cohort's week 1 (`metrics.period.week_anchor`), or None.
        silent_days: the cohort's *days silent*: a "gone quiet" reason begins that many days
            after the last activity.
    """
    members: dict[tuple[ReasonCode, int | None], list[int]] = {}
    for item in items:
        code = main_reason(item)
        week = None
        reason = next((r for r in item.reasons if r.code is code), None)
        if code is ReasonCode.SILENT and anchor is not None and reason and reason.since:
            week = cohort_week(reason.since - timedelta(days=silent_days), anchor)
        members.setdefault((code, week), []).append(item.membership_id)
    order = sorted(members, key=lambda key: (-WEIGHTS[key[0]], key[1] or 0))
    return [
        AttentionGroup(
            code=code,
            membership_ids=tuple(members[code, week]),
            needs_you=code is not ReasonCode.RECENTLY_NUDGED,
            week=week,
        )
        for code, week in order
    ]


def attention_groups(
    session: Session, cohort_id: int, items: Sequence[AttentionItem]
) -> list[AttentionGroup]:
    """`group_items` with the cohort's weeks and its *days silent*.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    anchor = week_anchor(cohort.start_date, activity_span(session, cohort_id)[0])
    silent_days = get_rules(session, cohort_id).attention.silent_days
    return group_items(items, anchor, silent_days)
