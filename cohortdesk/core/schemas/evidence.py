"""Stage evidence: what a member's activity shows, and suggested moves up the staircase."""

from __future__ import annotations

from cohortdesk.core.schemas.fields import Frozen


class EvidenceLine(Frozen):
    """One rule of one stage for one member: met or not, with the number and the threshold.

    Attributes:
        reached: the number is at the threshold.
        met: reached, and its whole stage and every stage below are complete (the evidence
            stage is at least this one): the stairs are climbed in order, so no rule above
            the evidence stage is met, whatever its number.
    """

    stage: int
    rule: str
    reached: bool
    met: bool
    value: int
    needed: int
    detail: str


class MemberEvidence(Frozen):
    """What a member's activity shows, stage by stage (for the member panel)."""

    membership_id: int
    name: str
    current_stage: int
    evidence_stage: int
    lines: tuple[EvidenceLine, ...]
    counts: dict[str, int]


class StageSuggestion(Frozen):
    """A suggested move up the staircase, with the evidence that supports it.

    Attributes:
        counts: the evidence counts behind it; a dismissal stores them, and the suggestion
            returns only when one of them has grown.
    """

    membership_id: int
    person_id: int
    name: str
    email: str
    from_stage: int
    to_stage: int
    summary: str
    evidence: tuple[EvidenceLine, ...]
    counts: dict[str, int]
