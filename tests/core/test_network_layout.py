"""Where the reply network's people are drawn: the dashboard's circle and the PDF's square."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from cohortdesk.core.network_layout import (
    ISOLATED_RADIUS,
    MARGIN,
    NETWORKX_LIMIT,
    network_layout,
    square_layout,
)
from tests.ui import dashboard_data as data


def _fits_the_square(positions: dict[int, tuple[float, float]]) -> bool:
    return all(
        MARGIN - 1e-9 <= x <= 1 - MARGIN + 1e-9 and MARGIN - 1e-9 <= y <= 1 - MARGIN + 1e-9
        for x, y in positions.values()
    )


def test_the_square_layout_repeats_whatever_the_order_and_fits_the_square() -> None:
    nodes = list(range(1, 13))
    edges = {(i, i + 1): i for i in range(1, 12)} | {(1, 12): 3}
    first = square_layout(nodes, edges)
    assert first == square_layout(list(reversed(nodes)), dict(reversed(edges.items())))
    assert _fits_the_square(first)
    assert len({(round(x, 3), round(y, 3)) for x, y in first.values()}) == 12


def test_replies_either_way_add_up_and_strangers_are_left_out() -> None:
    nodes = [1, 2, 3]
    both_ways = square_layout(nodes, {(1, 2): 3, (2, 1): 2, (2, 3): 1, (3, 3): 9, (3, 99): 4})
    assert both_ways == square_layout(nodes, {(1, 2): 5, (2, 3): 1})
    assert square_layout([], {}) == {}
    assert square_layout([4], {}) == {4: (0.5, 0.5)}


def _two_interleaved_groups(people: int) -> dict[tuple[int, int], int]:
    """Even ids answer even ids, odd ids odd ids: a circle in id order would mix them."""
    rng = random.Random(5)
    edges: dict[tuple[int, int], int] = {}
    for a in range(people):
        for _ in range(3):
            b = rng.randrange(a % 2, people, 2)
            if a != b:
                edges[(a, b)] = edges.get((a, b), 0) + 1
    return edges


@pytest.mark.parametrize("people", [60, NETWORKX_LIMIT + 100])
def test_groups_who_answer_each_other_are_drawn_apart(people: int) -> None:
    # Past 160 people the PDF used to put everyone on a circle in id order; networkx draws
    # small networks and the dashboard's numpy layout big ones.
    edges = _two_interleaved_groups(people)
    positions = square_layout(list(range(people)), edges)
    assert positions == square_layout(list(range(people)), edges)
    assert _fits_the_square(positions)
    points = np.array([positions[p] for p in range(people)])
    centres = points[0::2].mean(axis=0), points[1::2].mean(axis=0)
    within = np.mean([np.linalg.norm(points[p::2] - centres[p], axis=1).mean() for p in (0, 1)])
    assert math.dist(*centres) > within


def test_isolated_members_sit_on_the_outer_ring_and_the_layout_repeats() -> None:
    network = data.make_dashboard().network
    positions = network_layout(network)
    assert positions == network_layout(network)
    for node in network.nodes:
        radius = float(np.hypot(*positions[node.person_id]))
        if node.isolated:
            assert radius >= ISOLATED_RADIUS - 1e-9
        else:
            assert radius <= 1.0 + 1e-6


def test_five_thousand_members_are_all_laid_out() -> None:
    network = data.big_network(5000)
    positions = network_layout(network)
    assert set(positions) == {node.person_id for node in network.nodes}
    connected = [positions[n.person_id] for n in network.nodes if not n.isolated]
    assert max(math.hypot(x, y) for x, y in connected) <= 1.0 + 1e-6
