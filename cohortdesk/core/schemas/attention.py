"""The attention list: who needs the facilitator, why, and what to say."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from cohortdesk.core.schemas.fields import Frozen


class ReasonCode(StrEnum):
    """Why a learner is on the attention list."""

    ACCESS_PROBLEM = "access_problem"
    NEVER_ACCESSED = "never_accessed"
    LOW_MOTIVATION = "low_motivation"
    NO_RESPONSE = "no_response"
    SILENT = "silent"
    READS_NOT_POSTING = "reads_not_posting"
    FACILITATOR_ONLY = "facilitator_only"
    RECENTLY_NUDGED = "recently_nudged"


WEIGHTS: dict[ReasonCode, int] = {
    ReasonCode.ACCESS_PROBLEM: 60,
    ReasonCode.NEVER_ACCESSED: 50,
    ReasonCode.LOW_MOTIVATION: 40,
    ReasonCode.NO_RESPONSE: 35,
    ReasonCode.SILENT: 30,
    ReasonCode.READS_NOT_POSTING: 20,
    ReasonCode.FACILITATOR_ONLY: 15,
    ReasonCode.RECENTLY_NUDGED: -150,
}
"""Each reason's share of the priority (higher = more urgent)."""


class AttentionReason(Frozen):
    """One reason, in plain words with its numbers, and what it adds to the priority.

    Attributes:
        code: which rule.
        detail: the evidence as a facilitator would say it.
        weight: its share of the priority (negative for "recently nudged", which sinks).
        since: the day the reason became true (a reason newer than the last nudge means
            things got worse); None when it has no single day.
        days: how long its fact has lasted, in days, as of the day judged: the access
            problem open, waiting since the start, silent, reading without posting, since
            the nudge (no response, recently nudged); None for the others.
        number: its other figure: the latest motivation rating (low motivation), the
            replies to staff (replies only to staff); None for the others.
    """

    code: ReasonCode
    detail: str
    weight: int
    since: date | None = None
    days: int | None = None
    number: int | None = None


class AttentionItem(Frozen):
    """One learner who needs the facilitator, with why, how urgently, and what to say."""

    membership_id: int
    person_id: int
    name: str
    email: str
    stage: int
    priority: int
    reasons: tuple[AttentionReason, ...]
    last_nudged_at: datetime | None
    recently_nudged: bool
    suggested_template_id: int | None
    suggested_template: str | None
    subject: str
    message: str
    suggested_for: AttentionReason | None = None
    """The reason the suggested template answers (the weightiest); None without a template."""

    def cli_json(self) -> dict[str, object]:
        """The fields `cohortdesk attention --json` prints for this learner."""
        return {
            "name": self.name,
            "email": self.email,
            "stage": self.stage,
            "priority": self.priority,
            "reasons": [{"code": r.code.value, "detail": r.detail} for r in self.reasons],
            "suggested_template": self.suggested_template,
            "suggested_for": self.suggested_for.code.value if self.suggested_for else None,
            "message": self.message,
        }


class AttentionGroup(Frozen):
    """The learners of the attention list who share a main reason, to handle together.

    Attributes:
        code: the main reason: the weightiest one of each learner in the group; learners
            nudged recently and waiting (not needing the facilitator) form the
            `RECENTLY_NUDGED` group.
        membership_ids: the learners, in the list's order.
        needs_you: whether they count among the learners who need the facilitator.
        week: for those gone quiet, the week of the cohort of their last activity (one group
            per week: "12 gone quiet since week 3"); None for the other reasons.
    """

    code: ReasonCode
    membership_ids: tuple[int, ...]
    needs_you: bool
    week: int | None = None

    @property
    def key(self) -> str:
        """Names the group among the list's groups: `silent@3`, `never_accessed`."""
        return self.code.value if self.week is None else f"{self.code.value}@{self.week}"
