"""Which part of the reply network to show, and whom to name: readable at hundreds of members.

A network of 500 people drawn whole, every name on it, is a hairball. The dashboard shows
one part at a time and names few:

- **who**: everyone, the learners, the staff, or the learners at one stage;
- **focus**: one person, their direct reply partners (anyone they replied to or who
  replied to them) and the replies between them and each partner, whatever the filter says;
- **named**: everyone when few are shown (`NAME_ALL_UP_TO`); otherwise the `MOST_CONNECTED`
  people with the most reply partners, and the person in focus.

The layout is the whole network's, so people keep their place when the filter changes.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from cohortdesk.core.enums import Role
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas.dashboard import NetworkNode, ReplyNetwork

NAME_ALL_UP_TO = 60
"""Up to this many people shown, each is named."""
MOST_CONNECTED = 12
"""Above that, only this many are named: those with the most reply partners."""


@dataclass(frozen=True)
class NetworkFilter:
    """Who to show: `who` is `all`, `learners`, `staff` or `stage-N`; `focus` a person id."""

    who: str = "all"
    focus: int | None = None

    def admits(self, node: NetworkNode) -> bool:
        if self.who == "learners":
            return node.role is Role.LEARNER
        if self.who == "staff":
            return node.role is not Role.LEARNER
        if self.who.startswith("stage-"):
            return node.role is Role.LEARNER and node.stage == int(self.who.removeprefix("stage-"))
        return True


def partners(network: ReplyNetwork, person_id: int) -> set[int]:
    """Everyone `person_id` replied to or was replied to by."""
    edges = network.edges
    found = set(edges.targets[edges.sources == person_id].tolist())
    found |= set(edges.sources[edges.targets == person_id].tolist())
    found.discard(person_id)
    return found


def connections(node: NetworkNode) -> int:
    """A person's reply partners, counting each direction: who answered them, whom they answered."""
    return node.in_degree + node.out_degree


def most_connected(nodes: Iterable[NetworkNode], count: int = MOST_CONNECTED) -> list[NetworkNode]:
    """The `count` people with the most reply partners (then the most active, then by name).

    Names only break ties, so only the few in the running get their sort key: keying all of
    a 5,000-member cohort's names costs more than the rest of the choice."""

    def rank(node: NetworkNode) -> tuple[int, int]:
        return (-connections(node), -node.activity)

    running = list(nodes)
    if len(running) > count:
        last = heapq.nsmallest(count, map(rank, running))[-1]
        running = [n for n in running if rank(n) <= last]  # the first `count`, with any tied
    ranked = sorted(running, key=lambda n: (*rank(n), name_key(n.name)))
    return [n for n in ranked[:count] if connections(n) > 0]


def focus_choices(network: ReplyNetwork) -> list[tuple[str, int]]:
    """Everyone in the network as (name, person id), in name order: whom to focus on."""
    return sorted(((n.name, n.person_id) for n in network.nodes), key=lambda c: name_key(c[0]))


def shown_part(network: ReplyNetwork, chosen: NetworkFilter) -> ReplyNetwork:
    """The network restricted to the people shown and the replies between them.

    The findings and figures stay the whole network's: they describe the cohort.
    """
    focus = chosen.focus
    if focus is not None and any(n.person_id == focus for n in network.nodes):
        keep = partners(network, focus) | {focus}
        edges = network.edges.where(network.edges.touching(focus))
    else:
        keep = {n.person_id for n in network.nodes if chosen.admits(n)}
        edges = network.edges.where(network.edges.between(keep))
    nodes = [n for n in network.nodes if n.person_id in keep]
    return network.model_copy(update={"nodes": nodes, "edges": edges})


def named(shown: ReplyNetwork, selected: int | None = None) -> list[NetworkNode]:
    """Whom to name among those shown: all of a few; else the most connected and `selected`."""
    if len(shown.nodes) <= NAME_ALL_UP_TO:
        return list(shown.nodes)
    chosen = most_connected(shown.nodes)
    ids = {n.person_id for n in chosen}
    extra = [n for n in shown.nodes if n.person_id == selected and n.person_id not in ids]
    return chosen + extra
