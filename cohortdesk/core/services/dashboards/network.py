"""The reply network: who answers whom, its metrics, and what SNAPP and Threadz would flag.

Metrics are counted on the directed graph of members, an edge per pair who replied: in- and
out-degree (how many people one is answered by, answers), isolates (no edge either way) and
reciprocity. Counted straight from the pairs: a graph library would copy tens of thousands
of edges into its own structures first, for figures this simple.
The patterns are findings naming people (`schemas.report.Finding`, worded by `story.sentence`):

- **isolated**: a learner with no reply sent or received in the range;
- **facilitator-centred**: staff take part in more than half of all replies, or one staff
  member has at least twice the reply partners of the best-connected learner: the
  discussion runs through the facilitator rather than between learners;
- **dominant**: with at least three learners contributing (posts and replies), one makes a
  quarter of all their contributions or more, or at least twice as many as anyone else and
  three times as many as the median contributor.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.metrics.counts import ReplyArrays
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas.dashboard import (
    NetworkEdges,
    NetworkNode,
    ReplyNetwork,
    ReplyWeek,
    Week,
)
from cohortdesk.core.schemas.report import Finding, FindingKind, FindingPerson

#: staff in more than this share of replies: facilitator-centred
CENTRED_STAFF_SHARE = 0.5
#: or a staff member with this many times the reply partners of any learner
CENTRED_DEGREE_RATIO = 2.0
#: fewer replies than this say nothing about a pattern yet
MIN_REPLIES = 5
#: a learner with this share of all learners' contributions dominates
DOMINANT_SHARE = 0.25
#: ... or with this many times the runner-up's contributions
DOMINANT_OVER_NEXT = 2.0
#: ... and this many times the median contributor's
DOMINANT_OVER_MEDIAN = 3.0
#: with at least this many learners contributing
MIN_CONTRIBUTORS = 3


class Member(NamedTuple):
    """A member as the dashboard needs them."""

    membership_id: int
    person_id: int
    name: str
    role: Role
    stage: int
    access: AccessStatus
    joined_on: date


def reply_network(
    members: Sequence[Member], replies: ReplyArrays, activity: Mapping[int, int]
) -> ReplyNetwork:
    """The network of `members` from reply counts between them.

    Args:
        members: everyone in the cohort.
        replies: the replies of the range; its pairs (both members, never to oneself, in
            key order) are the network's edges, in that order.
        activity: person -> contributions (threads started and replies) in the range.
    """
    sources, targets, counts = replies.sources, replies.targets, replies.counts
    ids = np.fromiter((m.person_id for m in members), dtype=np.int64, count=len(members))
    span = max(int(ids.max(initial=0)), int(sources.max(initial=0)), int(targets.max(initial=0)))
    # Degrees count people, not replies: each pair is one edge whatever its count.
    out_degree = np.bincount(sources, minlength=span + 1)[ids]
    in_degree = np.bincount(targets, minlength=span + 1)[ids]
    learner = np.fromiter((m.role is Role.LEARNER for m in members), dtype=bool, count=len(ids))
    isolated = learner & (in_degree == 0) & (out_degree == 0)
    staff = ids[~learner]
    person_ids = ids.tolist()
    nodes = list(
        map(
            NetworkNode,
            person_ids,
            [m.membership_id for m in members],
            [m.name for m in members],
            [m.role for m in members],
            [m.stage for m in members],
            [activity.get(p, 0) for p in person_ids],
            in_degree.tolist(),
            out_degree.tolist(),
            isolated.tolist(),
        )
    )
    total = int(counts.sum())
    with_staff = int(counts[np.isin(sources, staff) | np.isin(targets, staff)].sum())
    staff_share = with_staff / total if total else 0.0
    reciprocity = _pair_reciprocity(sources, targets)
    hub = _hub(nodes)
    centred = total >= MIN_REPLIES and (staff_share > CENTRED_STAFF_SHARE or hub is not None)
    findings = _findings(nodes, total, staff_share, centred, hub, reciprocity)
    # Built from values of the right types: thousands of nodes and edges need no checking.
    return ReplyNetwork.model_construct(
        nodes=nodes,
        edges=NetworkEdges(sources, targets, counts),
        reciprocity=reciprocity,
        staff_share=staff_share,
        facilitator_centred=centred,
        findings=findings,
    )


def _pair_reciprocity(sources: NDArray[np.int64], targets: NDArray[np.int64]) -> float:
    """The share of connected pairs who answer each other both ways.

    networkx's `overall_reciprocity` counts edges instead (2m / (2m + a) with m mutual and a
    one-way pairs), and copies the whole graph to do so: too slow for thousands of members.
    The share of pairs, m / (m + a), is counted on the same edges directly.
    """
    span = int(max(sources.max(initial=0), targets.max(initial=0))) + 1
    keys = sources * span + targets  # ascending: the pairs come in key order
    reversed_keys = targets * span + sources
    at = np.minimum(np.searchsorted(keys, reversed_keys), max(len(keys) - 1, 0))
    both_ways = int((keys[at] == reversed_keys).sum()) // 2 if len(keys) else 0
    pairs = len(keys) - both_ways
    return both_ways / pairs if pairs else 0.0


def _degree(node: NetworkNode) -> int:
    return node.in_degree + node.out_degree


def _hub(nodes: Sequence[NetworkNode]) -> tuple[NetworkNode, int] | None:
    """The staff member with far more reply partners than any learner, with that learner's."""
    staff = [n for n in nodes if n.role is not Role.LEARNER]
    learners = [n for n in nodes if n.role is Role.LEARNER]
    if not staff:
        return None
    top = max(staff, key=lambda n: (_degree(n), -n.membership_id))
    best_learner = max((n.in_degree + n.out_degree for n in learners), default=0)
    if _degree(top) >= CENTRED_DEGREE_RATIO * max(best_learner, 1) and _degree(top) >= 2:
        return top, best_learner
    return None


def _person(node: NetworkNode) -> FindingPerson:
    return FindingPerson(node.membership_id, node.name)


def _findings(
    nodes: Sequence[NetworkNode],
    total: int,
    staff_share: float,
    centred: bool,
    hub: tuple[NetworkNode, int] | None,
    reciprocity: float,
) -> list[Finding]:
    found: list[Finding] = []
    learners = [n for n in nodes if n.role is Role.LEARNER]
    if total == 0:
        found.append(Finding(kind=FindingKind.NO_REPLIES_YET))
    isolated = sorted((n for n in learners if n.isolated), key=lambda n: name_key(n.name))
    if isolated and total:
        people = tuple(_person(n) for n in isolated)
        found.append(Finding(kind=FindingKind.ISOLATED, people=people, alert=True))
    if centred:
        numbers = {"staff_share": staff_share}
        if hub is not None:
            node, best = hub
            people = (_person(node),)
            numbers |= {"hub_links": _degree(node), "best_learner_links": best}
        else:
            people = tuple(_person(n) for n in nodes if n.role is not Role.LEARNER)
        found.append(
            Finding(
                kind=FindingKind.FACILITATOR_CENTRED, people=people, numbers=numbers, alert=True
            )
        )
    elif total >= MIN_REPLIES:
        found.append(
            Finding(
                kind=FindingKind.LEARNERS_ANSWER_EACH_OTHER,
                numbers={"learner_share": 1 - staff_share},
            )
        )
    dominant = _dominant(learners)
    if dominant is not None:
        top, share, contributed = dominant
        found.append(
            Finding(
                kind=FindingKind.DOMINANT,
                people=(_person(top),),
                numbers={"share": share, "posts": top.activity, "all_posts": contributed},
            )
        )
    if total:
        found.append(Finding(kind=FindingKind.RECIPROCITY, numbers={"share": reciprocity}))
    return found


def _dominant(learners: Sequence[NetworkNode]) -> tuple[NetworkNode, float, int] | None:
    """The learner who dominates, their share of learners' contributions, and the total."""
    contributing = [n for n in learners if n.activity > 0]
    if len(contributing) < MIN_CONTRIBUTORS:
        return None
    counts = sorted(n.activity for n in contributing)  # whole numbers: no key to build
    most, next_most = counts[-1], counts[-2]
    # the most active (among equals, the first membership recorded)
    top = min((n for n in contributing if n.activity == most), key=lambda n: n.membership_id)
    contributed = sum(counts)
    share = most / contributed
    median = statistics.median(counts)
    far_ahead = most >= DOMINANT_OVER_NEXT * next_most and most >= DOMINANT_OVER_MEDIAN * median
    return (top, share, contributed) if share >= DOMINANT_SHARE or far_ahead else None


# ---- reading the replies ---------------------------------------------------------------------


def replies_by_week(replies: ReplyArrays, weeks: Sequence[Week]) -> list[ReplyWeek]:
    """Learners' replies per week to peers and to staff, aligned with `weeks`."""
    return [
        ReplyWeek(week=w, peer_replies=p, replies_to_staff=s)
        for w, p, s in zip(weeks, replies.peer, replies.to_staff, strict=True)
    ]
