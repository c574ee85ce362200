"""The cohort's story: who is stuck where, who is isolated, who dominates, who went quiet.

Findings are data (`schemas.report.Finding`: a kind, the people, the numbers); `sentence`
words one for the dashboard, the PDF report and the command line alike, so the three say the
same thing. Thresholds are the cohort's own (`schemas.rules.AttentionSettings`): "went quiet"
is the attention list's *silent*, and "low motivation" its low-motivation rating.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from cohortdesk.core.enums import AccessStatus
from cohortdesk.core.metrics.counts import MemberCounts, counts_of
from cohortdesk.core.metrics.figures import EXCHANGE_STAGE
from cohortdesk.core.metrics.period import Period, is_silent
from cohortdesk.core.schemas import AttentionSettings
from cohortdesk.core.schemas.dashboard import ReplyNetwork
from cohortdesk.core.schemas.report import Finding, FindingKind, FindingPerson
from cohortdesk.core.stages import stage
from cohortdesk.core.text import plural

NAMES_SHOWN = 8
"""Names listed in one sentence before "and N more"."""
STUCK_ALERT_SHARE = 0.2
"""A fifth of the learners or more still at stage 1 needs the facilitator."""
#: the network's findings the story repeats (the rest belong beside the network chart)
_FROM_NETWORK = (FindingKind.ISOLATED, FindingKind.DOMINANT, FindingKind.FACILITATOR_CENTRED)


class StoryLearner(NamedTuple):
    """A learner as the story needs them."""

    membership_id: int
    person_id: int
    name: str
    stage: int
    access: AccessStatus
    motivation: int | None


def _people(learners: Sequence[StoryLearner]) -> tuple[FindingPerson, ...]:
    return tuple(FindingPerson(m.membership_id, m.name) for m in learners)


def cohort_story(
    learners: Sequence[StoryLearner],
    network: ReplyNetwork,
    counts: Mapping[int, MemberCounts],
    period: Period,
    rules: AttentionSettings,
) -> list[Finding]:
    """The few findings a facilitator should read first, most pressing first.

    Args:
        learners: the cohort's learners, with their latest motivation as of the period's end.
        network: the reply network of the period (its findings are repeated here).
        counts: person id -> counts over the period.
        period: the period.
        rules: the cohort's attention thresholds.
    """
    found: list[Finding] = []
    stuck = [m for m in learners if m.stage == 1]
    if stuck:
        not_in = sum(m.access is AccessStatus.NOT_YET for m in stuck)
        problems = sum(m.access is AccessStatus.PROBLEM for m in learners)
        found.append(
            Finding(
                kind=FindingKind.STUCK_AT_STAGE_1,
                people=_people(stuck),
                numbers={"not_in_yet": not_in, "access_problems": problems},
                alert=len(stuck) >= STUCK_ALERT_SHARE * len(learners) or problems > 0,
            )
        )
    found += [f for f in network.findings if f.kind in _FROM_NETWORK]
    quiet = [
        m
        for m in learners
        if is_silent(counts_of(counts, m.person_id).last_active, period.last, rules.silent_days)
    ]
    if quiet:
        found.append(
            Finding(
                kind=FindingKind.WENT_QUIET,
                people=_people(quiet),
                numbers={"days": rules.silent_days},
                alert=True,
            )
        )
    low = [m for m in learners if m.motivation is not None and m.motivation <= rules.low_motivation]
    if low:
        found.append(
            Finding(
                kind=FindingKind.LOW_MOTIVATION,
                people=_people(low),
                numbers={"rating": rules.low_motivation},
                alert=True,
            )
        )
    if learners:
        climbed = [m for m in learners if m.stage >= EXCHANGE_STAGE]
        found.append(
            Finding(
                kind=FindingKind.CLIMBED,
                people=_people(climbed),
                numbers={"learners": len(learners)},
            )
        )
    return found


# ---- words --------------------------------------------------------------------------------


def names(people: Sequence[str], limit: int = NAMES_SHOWN) -> str:
    """`A`, `A and B`, `A, B and C`, `A, B, C and 5 more`."""
    shown = list(people[:limit])
    more = len(people) - len(shown)
    if more:
        return f"{', '.join(shown)} and {more:,} more"
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def sentence(finding: Finding, limit: int = NAMES_SHOWN) -> str:
    """One finding in plain words, naming up to `limit` people."""
    who = [p.name for p in finding.people]
    n = finding.numbers
    count = len(who)
    match finding.kind:
        case FindingKind.STUCK_AT_STAGE_1:
            detail = []
            if n.get("not_in_yet"):
                detail.append(f"{int(n['not_in_yet']):,} not in yet")
            if n.get("access_problems"):
                detail.append(f"{int(n['access_problems']):,} with an access problem")
            text = f"{plural(count, 'learner')} still at stage 1 · {stage(1).name}"
            return text + (f" ({', '.join(detail)})" if detail else "")
        case FindingKind.NO_REPLIES_YET:
            return "Nobody has replied to anyone yet in this period"
        case FindingKind.ISOLATED:
            return (
                f"{plural(count, 'learner')} isolated in the reply network, with no reply "
                f"sent or received ({names(who, limit)})"
            )
        case FindingKind.FACILITATOR_CENTRED:
            text = (
                f"Facilitator-centred: {_percent(n['staff_share'])} of replies go to or come "
                "from staff"
            )
            if "hub_links" in n and who:
                text += (
                    f"; {who[0]} has {int(n['hub_links'])} reply links, against "
                    f"{int(n['best_learner_links'])} for the best-connected learner"
                )
            return text
        case FindingKind.LEARNERS_ANSWER_EACH_OTHER:
            share = _percent(n["learner_share"])
            return f"Learners answer each other: {share} of replies are between learners"
        case FindingKind.DOMINANT:
            return (
                f"{who[0]} dominates: {_percent(n['share'])} of all learners' posts "
                f"({int(n['posts'])} of {int(n['all_posts'])})"
            )
        case FindingKind.RECIPROCITY:
            return (
                f"{_percent(n['share'])} of the pairs who exchange replies answer each other "
                "both ways"
            )
        case FindingKind.WENT_QUIET:
            return (
                f"{plural(count, 'learner')} went quiet: no activity in the last "
                f"{plural(int(n['days']), 'day')} ({names(who, limit)})"
            )
        case FindingKind.LOW_MOTIVATION:
            return (
                f"{plural(count, 'learner reports', 'learners report')} low motivation, "
                f"{int(n['rating'])} of 5 or less ({names(who, limit)})"
            )
        case FindingKind.CLIMBED:
            return (
                f"{count:,} of {plural(int(n['learners']), 'learner')} exchange information or "
                f"more (stage {EXCHANGE_STAGE} and up)"
            )
    raise AssertionError(finding.kind)  # every kind is worded above
