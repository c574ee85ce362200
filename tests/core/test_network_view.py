"""Which part of the reply network is shown and who is named: generated networks of any size."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.enums import Role
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas.dashboard import NetworkEdge, NetworkNode, ReplyNetwork
from cohortdesk.core.services.dashboards.network_view import (
    MOST_CONNECTED,
    NAME_ALL_UP_TO,
    NetworkFilter,
    connections,
    most_connected,
    named,
    partners,
    shown_part,
)


@st.composite
def networks(draw: st.DrawFn) -> ReplyNetwork:
    size = draw(st.one_of(st.integers(1, 30), st.integers(NAME_ALL_UP_TO + 1, 150)))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(
                lambda p: p[0] != p[1]
            ),
            max_size=400,
            unique=True,
        )
    )
    roles = draw(st.lists(st.sampled_from(list(Role)), min_size=size, max_size=size))
    stages = draw(st.lists(st.integers(1, 5), min_size=size, max_size=size))
    nodes = [
        NetworkNode(
            person_id=i,
            membership_id=1000 + i,
            name=f"Person {i}",
            role=roles[i],
            stage=stages[i],
            activity=sum(1 for s, _t in pairs if s == i),
            in_degree=len({s for s, t in pairs if t == i}),
            out_degree=len({t for s, t in pairs if s == i}),
            isolated=not any(i in p for p in pairs),
        )
        for i in range(size)
    ]
    return ReplyNetwork(
        nodes=nodes,
        edges=[NetworkEdge(source=s, target=t, count=1) for s, t in pairs],
        reciprocity=0.0,
        staff_share=0.0,
        facilitator_centred=False,
        findings=[],
    )


@given(
    networks(), st.sampled_from(["all", "learners", "staff", *(f"stage-{n}" for n in range(1, 6))])
)
def test_a_filter_keeps_exactly_its_people_and_the_replies_between_them(
    network: ReplyNetwork, who: str
) -> None:
    chosen = NetworkFilter(who=who)
    shown = shown_part(network, chosen)
    ids = {n.person_id for n in shown.nodes}
    assert ids == {n.person_id for n in network.nodes if chosen.admits(n)}
    assert all(e.source in ids and e.target in ids for e in shown.edges)
    inside = [e for e in network.edges if e.source in ids and e.target in ids]
    assert len(shown.edges) == len(inside)
    if who.startswith("stage-"):
        assert all(n.role is Role.LEARNER for n in shown.nodes)
    assert shown.findings == network.findings


@given(networks(), st.data())
def test_focus_shows_one_person_and_their_direct_partners(
    network: ReplyNetwork, data: st.DataObject
) -> None:
    person = data.draw(st.sampled_from(network.nodes)).person_id
    shown = shown_part(network, NetworkFilter(who="staff", focus=person))
    expected = {person} | {e.target for e in network.edges if e.source == person}
    expected |= {e.source for e in network.edges if e.target == person}
    assert {n.person_id for n in shown.nodes} == expected == partners(network, person) | {person}
    assert all(person in (e.source, e.target) for e in shown.edges)


@given(networks(), st.data())
def test_few_are_all_named_many_only_the_most_connected_and_the_selected(
    network: ReplyNetwork, data: st.DataObject
) -> None:
    selected = data.draw(st.sampled_from(network.nodes)).person_id
    names = named(network, selected)
    if len(network.nodes) <= NAME_ALL_UP_TO:
        assert len(names) == len(network.nodes)
        return
    assert len(names) <= MOST_CONNECTED + 1
    assert selected in {n.person_id for n in names}
    chosen = {n.person_id for n in names}
    # nobody without a reply partner is named for being connected
    least_named = min((connections(n) for n in names if n.person_id != selected), default=0)
    assert all(connections(n) > 0 for n in names if n.person_id != selected)
    left_out = [connections(n) for n in network.nodes if n.person_id not in chosen]
    assert all(c <= least_named for c in left_out)


@given(networks(), st.integers(1, 20))
def test_the_most_connected_are_the_first_in_a_full_ranking(
    network: ReplyNetwork, count: int
) -> None:
    # the full ranking: most reply partners, then most active, then by name (ties included)
    ranked = sorted(network.nodes, key=lambda n: (-connections(n), -n.activity, name_key(n.name)))
    expected = [n for n in ranked[:count] if connections(n) > 0]
    assert most_connected(network.nodes, count) == expected
