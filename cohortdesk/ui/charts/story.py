"""The cohort's story at a glance, as lines a click turns into a selection.

The findings are core's (`core/services/dashboards/story.py`: what is found, about whom, with
which numbers, worded by its `sentence`); this only adds what a click on a line selects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cohortdesk.core.schemas.report import Finding, FindingKind
from cohortdesk.core.services.dashboards.story import sentence

NAMES_SHOWN = 4
#: who a line's people are, for "Selected 3 isolated learners"
WHO = {
    FindingKind.STUCK_AT_STAGE_1: "learners still at stage 1",
    FindingKind.ISOLATED: "isolated learners",
    FindingKind.FACILITATOR_CENTRED: "staff",
    FindingKind.WENT_QUIET: "learners who went quiet",
    FindingKind.LOW_MOTIVATION: "learners with low motivation",
    FindingKind.CLIMBED: "learners at stage 3 and up",
}


@dataclass(frozen=True)
class StoryLine:
    """One sentence, the members it names, and whether it needs the facilitator's attention."""

    text: str
    membership_ids: tuple[int, ...] = ()
    alert: bool = False
    who: str = "members"
    """Who the ids are, for "Selected 3 isolated learners"."""


def story_lines(findings: Sequence[Finding]) -> list[StoryLine]:
    """The dashboard's findings as lines, in core's order (most pressing first)."""
    lines = []
    for finding in findings:
        people = finding.people
        who = people[0].name if finding.kind is FindingKind.DOMINANT and people else None
        lines.append(
            StoryLine(
                sentence(finding, NAMES_SHOWN),
                tuple(p.membership_id for p in people),
                finding.alert,
                who or WHO.get(finding.kind, "members"),
            )
        )
    return lines
