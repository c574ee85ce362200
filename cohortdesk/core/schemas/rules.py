"""A cohort's adjustable rules: when a learner needs attention, the numbers behind stage
evidence, and the facts message placeholders use."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from cohortdesk.core.schemas.fields import Frozen


def _check_link(value: str) -> str:
    if any(c in value for c in "\r\n"):
        raise ValueError("a link is one line")
    return value


class AttentionSettings(Frozen):
    """When a learner belongs on the attention list. Days are calendar days in the cohort's zone.

    Attributes:
        never_accessed_days: days after the cohort starts (or they join, if later) before a
            learner with no activity at all is listed.
        silent_days: days without any activity, after having been active, before they are listed.
        reading_period_days: days after the start (or joining) during which reading without
            posting is the legitimate stage-2 behaviour; a reader who has not posted after
            it is listed.
        facilitator_only_replies: replies (all to staff, none to a peer) before that is listed.
        low_motivation: a latest check-in at or below this rating is listed.
        motivation_drop: a fall of this much or more between the last two check-ins is listed.
        response_days: days a nudge waits for a response (any own activity) before it counts
            as unanswered.
        recently_nudged_days: a learner nudged within this many days sinks down the list,
            unless a new reason has appeared since.
    """

    never_accessed_days: Annotated[int, Field(ge=0, le=365, title="Days without access")] = 5
    silent_days: Annotated[int, Field(ge=1, le=365, title="Days silent")] = 7
    reading_period_days: Annotated[int, Field(ge=0, le=365, title="Reading period")] = 14
    facilitator_only_replies: Annotated[int, Field(ge=1, le=100, title="Replies only to staff")] = 3
    low_motivation: Annotated[int, Field(ge=1, le=4, title="Low motivation")] = 2
    motivation_drop: Annotated[int, Field(ge=1, le=4, title="Motivation drop")] = 2
    response_days: Annotated[int, Field(ge=1, le=90, title="Days to respond to a nudge")] = 7
    recently_nudged_days: Annotated[int, Field(ge=0, le=90, title="Recently nudged")] = 3


class EvidenceThresholds(Frozen):
    """The numbers behind each stage's evidence (see `services.attention.evidence` for the rules).

    Attributes:
        content_words: a post or reply of at least this many words carries content (one of
            unknown length counts too: imports do not always say).
        exchange_peer_replies: stage 3: replies to other learners.
        exchange_content_posts: stage 3: posts or replies carrying content.
        construction_peers: stage 4: peers with a sustained two-way exchange.
        construction_replies_each_way: stage 4: replies each way between two learners for
            their exchange to count as sustained (a real back-and-forth, not one answer).
        construction_answered_threads: stage 4: threads they started that another learner
            answered them in.
        development_helping_replies: stage 5: replies to newcomers (learners at stage
            `development_newcomer_stage` or below when answered), written once at stage 4.
        development_newcomer_stage: the highest stage that counts as a newcomer.
        development_span_days: stage 5: days between their first and latest peer reply.
    """

    content_words: Annotated[int, Field(ge=0, le=10_000, title="Words for content")] = 50
    exchange_peer_replies: Annotated[int, Field(ge=1, le=1000, title="Peer replies")] = 2
    exchange_content_posts: Annotated[int, Field(ge=0, le=1000, title="Content posts")] = 2
    construction_peers: Annotated[int, Field(ge=1, le=100, title="Two-way peers")] = 3
    construction_replies_each_way: Annotated[int, Field(ge=1, le=100, title="Replies each way")] = 2
    construction_answered_threads: Annotated[
        int, Field(ge=0, le=100, title="Threads answered by peers")
    ] = 1
    development_helping_replies: Annotated[
        int, Field(ge=1, le=1000, title="Replies to newcomers")
    ] = 4
    development_newcomer_stage: Annotated[int, Field(ge=1, le=4, title="Newcomer stage")] = 2
    development_span_days: Annotated[int, Field(ge=0, le=365, title="Days of peer replies")] = 28


class MessageSettings(Frozen):
    """Cohort facts the message placeholders use (`{space_link}`, `{next_etivity}`...)."""

    space_link: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_check_link)
    ] = ""
    next_etivity: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=200), Field(title="Next e-tivity")
    ] = ""
    next_date: Annotated[date | None, Field(title="Next date")] = None


class CohortRules(Frozen):
    """Everything adjustable per cohort about attention, stage evidence and messages."""

    attention: AttentionSettings = AttentionSettings()
    evidence: EvidenceThresholds = EvidenceThresholds()
    messages: MessageSettings = MessageSettings()
