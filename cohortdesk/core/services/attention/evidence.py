"""Stage evidence: what a learner's activity shows, and suggested moves up the staircase.

The rules, after the table of stages in docs/domain.md (counts defined in
`services.attention.evidence_facts`, thresholds in `schemas.EvidenceThresholds`, adjustable per
cohort):

1. Access and motivation: any activity at all, or marked as having access by hand.
2. Online socialisation: a first post or reply of their own.
3. Information exchange: `exchange_peer_replies` replies to peers (learners, not staff) and
   `exchange_content_posts` posts carrying content.
4. Knowledge construction: sustained two-way exchanges (`construction_replies_each_way`
   replies each way) with `construction_peers` peers, and `construction_answered_threads`
   threads they started that a peer answered them in.
5. Development: `development_helping_replies` replies to newcomers (peers at stage
   `development_newcomer_stage` or below when answered) written once at stage 4, and peer
   replies spread over `development_span_days` days or more: the helping, sustained presence
   of stage 5. (Reflection itself is not in activity logs; the facilitator judges it.)

The stairs are climbed in order: a learner's *evidence stage* is the highest stage whose rules,
and all the stages' below, are met. cohortdesk suggests a move when the evidence stage is above
the learner's current stage, never a move down (a stage set by hand above the evidence stays:
the facilitator knows things the logs do not), and never moves anyone by itself. Accepting
records the change with the evidence; dismissing stores the evidence counts, and the same
suggestion returns only when one of those counts has grown (or the evidence reaches a
different stage).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, Role, StageChangeSource
from cohortdesk.core.errors import ConflictError, KnownError
from cohortdesk.core.metrics.period import cohort_period
from cohortdesk.core.metrics.terms import has_access_evidence
from cohortdesk.core.models import Membership, SuggestionDismissal, utcnow
from cohortdesk.core.name_order import name_key
from cohortdesk.core.rendering import day_label
from cohortdesk.core.schemas import (
    Changed,
    Changes,
    EvidenceLine,
    EvidenceThresholds,
    MemberEvidence,
    StageChangeRow,
    StageSuggestion,
)
from cohortdesk.core.services.attention.evidence_facts import (
    HELPER_STAGE,
    LearnerFacts,
    learner_facts,
)
from cohortdesk.core.services.attention.rules import get_rules
from cohortdesk.core.services.people import tracking
from cohortdesk.core.services.people.members import member_changes, require_membership
from cohortdesk.core.stages import FIRST_STAGE, LAST_STAGE, stage
from cohortdesk.core.text import plural

#: The counts each stage's evidence rests on: a dismissed suggestion returns when one grows.
STAGE_COUNTS: dict[int, tuple[str, ...]] = {
    1: ("events",),
    2: ("posts",),
    3: ("peer_replies", "content_posts"),
    4: ("two_way_peers", "answered_threads"),
    5: ("helping_replies", "peer_reply_span_days"),
}


def _counts(facts: LearnerFacts) -> dict[str, int]:
    return {
        "events": facts.events,
        "posts": facts.posts,
        "peer_replies": facts.peer_replies,
        "content_posts": facts.content_posts,
        "two_way_peers": facts.two_way_peers,
        "answered_threads": facts.answered_threads,
        "helping_replies": facts.helping_replies,
        "peer_reply_span_days": facts.peer_reply_span_days,
    }


def evidence_lines(
    facts: LearnerFacts, rules: EvidenceThresholds, zone: ZoneInfo, today: date
) -> list[EvidenceLine]:
    """Every rule of every stage for one learner: met or not, with numbers, in plain words."""

    def label(moment: datetime | None) -> str:
        return day_label(moment.astimezone(zone).date(), today) if moment else ""

    evidence = has_access_evidence(facts.events, facts.replies_received)
    by_hand = facts.access is AccessStatus.ACCESSED and not evidence
    if facts.events:
        accessed = f"Active {plural(facts.events, 'time')}, first on {label(facts.first_event)}"
    elif evidence:
        accessed = f"Replied to {plural(facts.replies_received, 'time')} by others"
    else:
        accessed = "Marked as having access" if by_hand else "No activity yet"
    posted = (
        f"First own post on {label(facts.first_post)} ({plural(facts.posts, 'post')} in all)"
        if facts.posts
        else "No post of their own yet"
    )
    newcomers = f"stage {rules.development_newcomer_stage} or below"
    each_way = plural(rules.construction_replies_each_way, "reply", "replies")
    lines = [
        (1, "accessed", int(evidence or by_hand), 1, accessed),
        (2, "own_post", facts.posts, 1, posted),
        (
            3,
            "peer_replies",
            facts.peer_replies,
            rules.exchange_peer_replies,
            f"{plural(facts.peer_replies, 'reply', 'replies')} to fellow learners",
        ),
        (
            3,
            "content_posts",
            facts.content_posts,
            rules.exchange_content_posts,
            f"{plural(facts.content_posts, 'post')} carrying content "
            f"({rules.content_words} words or more)"
            + (
                f"; {facts.unknown_length_posts} more of unknown length"
                if facts.unknown_length_posts
                else ""
            ),
        ),
        (
            4,
            "two_way_peers",
            facts.two_way_peers,
            rules.construction_peers,
            f"Sustained two-way exchanges with {plural(facts.two_way_peers, 'fellow learner')} "
            f"({each_way} or more each way)",
        ),
        (
            4,
            "answered_threads",
            facts.answered_threads,
            rules.construction_answered_threads,
            f"{plural(facts.answered_threads, 'thread')} they started answered by fellow learners",
        ),
        (
            5,
            "helping_replies",
            facts.helping_replies,
            rules.development_helping_replies,
            f"{plural(facts.helping_replies, 'reply', 'replies')} to newcomers "
            f"(learners at {newcomers}) since reaching stage {HELPER_STAGE}",
        ),
        (
            5,
            "peer_reply_span_days",
            facts.peer_reply_span_days,
            rules.development_span_days,
            f"Peer replies spread over {plural(facts.peer_reply_span_days, 'day')}",
        ),
    ]
    complete = _complete_stage(_reached_by_stage(lines))
    return [
        EvidenceLine(
            stage=number,
            rule=rule,
            reached=value >= needed,
            met=value >= needed and number <= complete,
            value=value,
            needed=needed,
            detail=detail if number <= 2 else f"{detail} (needs {needed})",
        )
        for number, rule, value, needed, detail in lines
    ]


def _reached_by_stage(lines: list[tuple[int, str, int, int, str]]) -> dict[int, bool]:
    """Whether each stage's rules all have their numbers (the stages below aside)."""
    reached: dict[int, bool] = {}
    for number, _rule, value, needed, _detail in lines:
        reached[number] = reached.get(number, True) and value >= needed
    return reached


def _complete_stage(reached: dict[int, bool]) -> int:
    """The highest stage reached with every stage below it (at least the first)."""
    complete = FIRST_STAGE
    for number in range(FIRST_STAGE, LAST_STAGE + 1):
        if not reached.get(number, True):
            break
        complete = number
    return complete


def evidence_stage(lines: list[EvidenceLine]) -> int:
    """The highest stage whose rules, and all the rules below it, are met (at least 1)."""
    reached: dict[int, bool] = {}
    for line in lines:
        reached[line.stage] = reached.get(line.stage, True) and line.reached
    return _complete_stage(reached)


def member_evidence(
    session: Session, membership_id: int, as_of: date | None = None
) -> MemberEvidence:
    """What one member's activity shows, stage by stage, as of the end of `as_of` (by default
    today, or the cohort's end once it has ended).

    Raises:
        NotFoundError: no such member.
        KnownError: the member is not a learner (staff have no stage evidence).
    """
    membership = require_membership(session, membership_id)
    if membership.role is not Role.LEARNER:
        raise KnownError("Stage evidence is kept for learners only")
    found, rules, zone, as_of = _facts(session, membership.cohort_id, as_of, membership_id)
    facts = found[0]
    lines = evidence_lines(facts, rules, zone, as_of)
    return MemberEvidence(
        membership_id=membership_id,
        name=facts.name,
        current_stage=facts.stage,
        evidence_stage=evidence_stage(lines),
        lines=tuple(lines),
        counts=_counts(facts),
    )


def suggestions(
    session: Session, cohort_id: int, as_of: date | None = None
) -> list[StageSuggestion]:
    """Learners whose evidence reaches above their stage, by name, minus dismissed ones, as of
    the end of `as_of` (by default today, or the cohort's end once it has ended).

    Raises:
        NotFoundError: the cohort does not exist.
    """
    everyone, rules, zone, as_of = _facts(session, cohort_id, as_of, None)
    dismissed = _latest_dismissals(session, cohort_id)
    found = []
    for facts in everyone:
        suggestion = _suggest(facts, evidence_lines(facts, rules, zone, as_of))
        if suggestion is None or _still_dismissed(suggestion, dismissed.get(facts.membership_id)):
            continue
        found.append(suggestion)
    found.sort(key=lambda s: (name_key(s.name), s.membership_id))
    return found


def accept_suggestion(
    session: Session, suggestion: StageSuggestion, *, now: datetime | None = None
) -> Changed[StageChangeRow]:
    """Move the learner as suggested, recording the evidence shown with the suggestion.

    Raises:
        ConflictError: their stage changed since the suggestion was made.
        NotFoundError: the member was removed meanwhile.
    """
    membership = require_membership(session, suggestion.membership_id)
    _check_current(membership, suggestion)
    evidence = {
        "from_stage": suggestion.from_stage,
        "to_stage": suggestion.to_stage,
        "evidence": [line.detail for line in suggestion.evidence],
        "counts": suggestion.counts,
    }
    return tracking.change_stage(
        session,
        suggestion.membership_id,
        suggestion.to_stage,
        f"Accepted suggestion: {suggestion.summary}",
        source=StageChangeSource.SUGGESTION,
        evidence=evidence,
        now=now,
    )


def dismiss_suggestion(
    session: Session, suggestion: StageSuggestion, *, now: datetime | None = None
) -> Changes:
    """Turn a suggestion down: it returns only when its evidence counts grow.

    Raises:
        ConflictError: their stage changed since the suggestion was made.
        NotFoundError: the member was removed meanwhile.
    """
    membership = require_membership(session, suggestion.membership_id)
    _check_current(membership, suggestion)
    session.add(
        SuggestionDismissal(
            membership_id=suggestion.membership_id,
            to_stage=suggestion.to_stage,
            counts=json.dumps(suggestion.counts, sort_keys=True),
            dismissed_at=now or utcnow(),
        )
    )
    session.flush()
    return member_changes(membership)


def accept_suggestions(
    session: Session, chosen: Sequence[StageSuggestion], *, now: datetime | None = None
) -> Changes:
    """Accept several suggestions at once (all or none), each recorded with its evidence.

    Raises:
        ConflictError: someone's stage changed since the suggestions were made; nobody moves.
        NotFoundError: a member was removed meanwhile; nobody moves.
    """
    return _as_rosters(
        Changes.merged(accept_suggestion(session, s, now=now).changes for s in chosen)
    )


def dismiss_suggestions(
    session: Session, chosen: Sequence[StageSuggestion], *, now: datetime | None = None
) -> Changes:
    """Dismiss several suggestions at once (all or none); each returns with new evidence.

    Raises:
        ConflictError: someone's stage changed since the suggestions were made.
        NotFoundError: a member was removed meanwhile.
    """
    return _as_rosters(Changes.merged(dismiss_suggestion(session, s, now=now) for s in chosen))


def _as_rosters(changes: Changes) -> Changes:
    """Many members changed: say their rosters changed, so each view reloads once."""
    if len(changes.members) <= 1:
        return changes
    return Changes.of_roster(*{cohort for cohort, _member in changes.members})


def _check_current(membership: Membership, suggestion: StageSuggestion) -> None:
    if membership.stage != suggestion.from_stage:
        raise ConflictError(
            f"{suggestion.name} is at stage {membership.stage} now, not "
            f"{suggestion.from_stage}: refresh the suggestions"
        )


def _facts(
    session: Session, cohort_id: int, as_of: date | None, membership_id: int | None
) -> tuple[list[LearnerFacts], EvidenceThresholds, ZoneInfo, date]:
    period = cohort_period(session, cohort_id, as_of=as_of)
    rules = get_rules(session, cohort_id).evidence
    facts = learner_facts(
        session,
        cohort_id,
        period.cutoff,
        content_words=rules.content_words,
        replies_each_way=rules.construction_replies_each_way,
        newcomer_stage=rules.development_newcomer_stage,
        membership_id=membership_id,
    )
    return list(facts.values()), rules, period.zone, period.as_of


def _suggest(facts: LearnerFacts, lines: list[EvidenceLine]) -> StageSuggestion | None:
    reached = evidence_stage(lines)
    if reached <= facts.stage:
        return None
    climbed = [line for line in lines if facts.stage < line.stage <= reached]
    counts = _counts(facts)
    keys = [key for n in range(facts.stage + 1, reached + 1) for key in STAGE_COUNTS[n]]
    words = "; ".join(line.detail for line in climbed)
    return StageSuggestion(
        membership_id=facts.membership_id,
        person_id=facts.person_id,
        name=facts.name,
        email=facts.email,
        from_stage=facts.stage,
        to_stage=reached,
        summary=f"stage {facts.stage} → {reached} ({stage(reached).name}): {words}",
        evidence=tuple(climbed),
        counts={key: counts[key] for key in keys},
    )


def _latest_dismissals(session: Session, cohort_id: int) -> dict[int, tuple[int, dict[str, int]]]:
    """Each membership's latest dismissal: the stage it suggested and the counts then."""
    ranked = (
        select(
            SuggestionDismissal.membership_id,
            SuggestionDismissal.to_stage,
            SuggestionDismissal.counts,
            func.row_number()
            .over(
                partition_by=SuggestionDismissal.membership_id,
                order_by=(SuggestionDismissal.dismissed_at.desc(), SuggestionDismissal.id.desc()),
            )
            .label("rank"),
        )
        .join(Membership, Membership.id == SuggestionDismissal.membership_id)
        .where(Membership.cohort_id == cohort_id)
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.membership_id, ranked.c.to_stage, ranked.c.counts).where(ranked.c.rank == 1)
    )
    found: dict[int, tuple[int, dict[str, int]]] = {}
    for mid, to_stage, counts in rows:
        try:
            stored = {str(k): int(v) for k, v in json.loads(counts).items()}
        except (ValueError, TypeError, AttributeError):
            stored = {}
        found[mid] = (to_stage, stored)
    return found


def _still_dismissed(
    suggestion: StageSuggestion, dismissal: tuple[int, dict[str, int]] | None
) -> bool:
    if dismissal is None:
        return False
    to_stage, counts = dismissal
    if to_stage != suggestion.to_stage:
        return False
    return all(value <= counts.get(key, 0) for key, value in suggestion.counts.items())
