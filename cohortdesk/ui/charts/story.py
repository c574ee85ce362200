"""The cohort's story at a glance: who is stuck where, who is isolated, who dominates.

Plain sentences read off the dashboard's numbers, each with the members it is about, so a
click on it selects them in the roster. No Qt here: the dashboard view shows the lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cohortdesk.core.models import AccessStatus, Role
from cohortdesk.core.schemas import MemberRow
from cohortdesk.core.schemas.dashboard import CohortDashboard
from cohortdesk.core.stages import stage
from cohortdesk.core.text import plural
from cohortdesk.ui.charts.heatmap_chart import went_quiet

NAMES_SHOWN = 4


@dataclass(frozen=True)
class StoryLine:
    """One sentence, the members it names, and whether it needs the facilitator's attention."""

    text: str
    membership_ids: tuple[int, ...] = ()
    alert: bool = False
    who: str = "members"
    """Who the ids are, for "Selected 3 isolated learners"."""


def names(people: Sequence[str]) -> str:
    """`Ana, Ben, Chioma and 3 others`."""
    if len(people) <= NAMES_SHOWN:
        if len(people) <= 1:
            return "".join(people)
        return f"{', '.join(people[:-1])} and {people[-1]}"
    rest = len(people) - NAMES_SHOWN + 1
    return f"{', '.join(people[: NAMES_SHOWN - 1])} and {rest:,} others"


def cohort_story(dashboard: CohortDashboard, members: Sequence[MemberRow]) -> list[StoryLine]:
    """The few sentences a facilitator should read first, most pressing first."""
    learners = [m for m in members if m.role is Role.LEARNER]
    lines: list[StoryLine] = []
    stuck = [m for m in learners if m.stage == 1]
    if stuck:
        not_in = sum(1 for m in stuck if m.access is AccessStatus.NOT_YET)
        problem = [m for m in learners if m.access is AccessStatus.PROBLEM]
        detail = []
        if not_in:
            detail.append(f"{not_in:,} not in yet")
        if problem:
            detail.append(f"{len(problem):,} with an access problem")
        text = f"{plural(len(stuck), 'learner')} still at stage 1 · {stage(1).name}"
        if detail:
            text += f" ({', '.join(detail)})"
        alert = len(stuck) * 5 >= len(learners) or bool(problem)
        ids = tuple(m.membership_id for m in stuck)
        lines.append(StoryLine(text, ids, alert, "learners still at stage 1"))

    network = dashboard.network
    isolated = [n for n in network.nodes if n.isolated and n.role is Role.LEARNER]
    if isolated and network.edges:
        lines.append(
            StoryLine(
                f"{plural(len(isolated), 'learner')} isolated in the reply network: nobody answers "
                f"them and they answer nobody ({names([n.name for n in isolated])})",
                tuple(n.membership_id for n in isolated),
                alert=True,
                who="isolated learners",
            )
        )
    # The network's findings say who dominates and whether staff are the hub, by the
    # core's rules; the story repeats them, with the people they name made clickable.
    for finding in network.findings:
        loud = next((n for n in network.nodes if finding.startswith(f"{n.name} dominates")), None)
        if loud is not None:
            lines.append(StoryLine(finding.rstrip("."), (loud.membership_id,), who=loud.name))
        elif network.facilitator_centred and finding.startswith("Facilitator-centred"):
            staff = tuple(n.membership_id for n in network.nodes if n.role is not Role.LEARNER)
            lines.append(StoryLine(finding.rstrip("."), staff, alert=True, who="staff"))

    quiet = went_quiet(dashboard.heatmap, dashboard.weeks, dashboard.start, dashboard.end)
    if quiet:
        lines.append(
            StoryLine(
                f"{plural(len(quiet), 'learner')} went quiet in the last two weeks "
                f"({names([r.name for r in quiet])})",
                tuple(r.membership_id for r in quiet),
                alert=True,
                who="learners who went quiet",
            )
        )

    low = [m for m in learners if m.motivation is not None and m.motivation <= 2]
    if low:
        lines.append(
            StoryLine(
                f"{plural(len(low), 'learner reports', 'learners report')} low "
                f"motivation ({names([m.name for m in low])})",
                tuple(m.membership_id for m in low),
                alert=True,
                who="learners with low motivation",
            )
        )

    climbed = [m for m in learners if m.stage >= 3]
    if learners:
        lines.append(
            StoryLine(
                f"{plural(len(climbed), 'learner')} of {len(learners):,} exchange information or "
                "more (stage 3 and up)",
                tuple(m.membership_id for m in climbed),
                who="learners at stage 3 and up",
            )
        )
    return lines
