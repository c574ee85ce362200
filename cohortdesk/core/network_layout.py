"""Where each person of a reply network is drawn: force-directed layouts, repeatable.

Fruchterman and Reingold's method: people who answer each other are pulled together and
everyone pushes everyone apart. A fixed seed and people taken in id order make the same
network come out the same every time.

- `network_layout`, the dashboard's picture: connected members inside the unit circle and
  members with no replies either way on a ring outside it, where isolation is seen at once
  (as in SNAPP). It runs in the dashboard's worker thread and always uses `force_layout`,
  written in numpy for cohorts of 5,000: past about 100 people it is faster than networkx,
  which cannot lay out 500 or more without SciPy (figures: tests/perf/test_charts_bench.py).
- `square_layout`, the PDF report's: the people who replied, in the unit square. networkx's
  spring layout below `NETWORKX_LIMIT` people, `force_layout` from there on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas.dashboard import ReplyNetwork

Point = tuple[float, float]
Positions = dict[int, Point]

EXACT_LIMIT = 600
"""Up to this many connected members every pair pushes; above it, a sample does."""
SAMPLE = 200
ITERATIONS = 120
ISOLATED_RADIUS = 1.2
RING_CAPACITY = 120
SPREAD = 1.6
"""How far apart members sit compared with evenly filling the picture: room for names."""
PULL = 0.3
"""How much more a link pulls for each e-fold of replies along it."""
NETWORKX_LIMIT = 500
"""networkx's spring layout needs SciPy from this many people on; `force_layout` takes over."""
MARGIN = 0.06
"""Room left on each side of the square, for the dots and their names."""


def network_layout(network: ReplyNetwork, seed: int = 7) -> Positions:
    """Person id -> (x, y): connected members within the unit circle, isolated ones around it.

    Args:
        network: the nodes and who replied to whom.
        seed: the same seed and network give the same picture.
    """
    person_ids = [node.person_id for node in network.nodes]
    edges = network.edges
    touched = set(edges.sources.tolist()) | set(edges.targets.tolist())
    connected = [p for p in person_ids if p in touched]
    alone = [n for n in network.nodes if n.person_id not in touched]
    positions: Positions = {}
    if connected:
        columns = (edges.sources.tolist(), edges.targets.tolist(), edges.counts.tolist())
        counts = _pair_counts(connected, zip(*columns, strict=True))
        coordinates = _force(len(connected), counts, seed)
        for person, (x, y) in zip(connected, coordinates.tolist(), strict=True):
            positions[person] = (x, y)
    for position, node in enumerate(sorted(alone, key=lambda n: name_key(n.name))):
        ring, slot = divmod(position, RING_CAPACITY)
        on_ring = min(RING_CAPACITY, len(alone) - ring * RING_CAPACITY)
        angle = 2 * math.pi * slot / on_ring + ring * 0.3 + math.pi / 2
        radius = ISOLATED_RADIUS + 0.12 * ring
        positions[node.person_id] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def force_layout(
    count: int,
    pairs: NDArray[np.intp],
    strength: NDArray[np.float64],
    seed: int = 7,
    iterations: int = ITERATIONS,
) -> NDArray[np.float64]:
    """Fruchterman-Reingold for `count` nodes joined by `pairs`, scaled into the unit circle.

    Args:
        count: nodes, numbered 0 to count - 1.
        pairs: (a, b) rows, one per link.
        strength: how strongly each link pulls (same length as `pairs`).
        seed: fixes the random start and samples.
        iterations: rounds of moving every node a little.
    """
    rng = np.random.default_rng(seed)
    if count == 1:
        return np.zeros((1, 2))
    position = rng.uniform(-1.0, 1.0, size=(count, 2)).astype(np.float32)
    strength = strength.astype(np.float32)
    ideal = SPREAD * math.sqrt(4.0 / count)  # the natural distance between two nodes
    temperature = 0.2
    cooling = (0.005 / temperature) ** (1.0 / iterations)
    source, target = (pairs[:, 0], pairs[:, 1]) if len(pairs) else (pairs, pairs)
    for _round in range(iterations):
        if count <= EXACT_LIMIT:
            others = position
            scale = 1.0
        else:
            others = position[rng.choice(count, size=SAMPLE, replace=False)]
            scale = count / SAMPLE
        # sum over others of (p - o) / |p - o|^2, with the squared distances from one
        # matrix product rather than an n x m x 2 array of differences
        distance2 = (
            (position**2).sum(axis=1)[:, None]
            + (others**2).sum(axis=1)[None, :]
            - 2.0 * position @ others.T
        )
        inverse = np.reciprocal(np.maximum(distance2, np.float32(1e-4)))
        push = (position * inverse.sum(axis=1)[:, None] - inverse @ others) * ideal**2 * scale
        pull = np.zeros_like(position)
        if len(pairs):
            link = position[source] - position[target]
            length = np.sqrt((link**2).sum(axis=1)) + 1e-9
            force = link * (length / ideal * (1.0 + PULL * strength))[:, None]
            for axis in (0, 1):
                pull[:, axis] -= np.bincount(source, force[:, axis], minlength=count)
                pull[:, axis] += np.bincount(target, force[:, axis], minlength=count)
        # a gentle pull to the middle keeps separate groups from drifting off the picture
        move = push + pull - position * 0.05 * count**0.5
        size = np.sqrt((move**2).sum(axis=1)) + 1e-9
        position += move / size[:, None] * np.minimum(size, temperature)[:, None]
        temperature *= cooling
    position -= np.median(position, axis=0)
    distance = np.sqrt((position**2).sum(axis=1))
    # Scale by the bulk of the group, not by its farthest member: a straggler is pulled in to
    # the edge of the circle instead of shrinking everyone else.
    reach = float(np.percentile(distance, 90)) or float(distance.max()) or 1.0
    position /= reach
    distance /= reach
    outside = distance > 1.0
    position[outside] /= distance[outside][:, None]
    result: NDArray[np.float64] = position.astype(np.float64)
    return result


def square_layout(
    nodes: Sequence[int], edges: Mapping[tuple[int, int], int], *, seed: int = 7
) -> Positions:
    """Positions in the unit square for `nodes`, joined by `edges` (pair -> number of replies).

    More replies pull harder. The picture keeps its proportions and leaves `MARGIN` free on
    every side.

    Args:
        nodes: the people, by id, in any order.
        edges: replies between two people (either order; both orders add up), with how many.
        seed: the starting positions' seed.
    """
    order = sorted(set(nodes))
    if len(order) <= 1:
        return dict.fromkeys(order, (0.5, 0.5))
    counts = _pair_counts(order, ((a, b, count) for (a, b), count in sorted(edges.items())))
    if len(order) < NETWORKX_LIMIT:
        graph = nx.Graph()
        graph.add_nodes_from(range(len(order)))
        graph.add_weighted_edges_from((a, b, math.sqrt(n)) for (a, b), n in counts.items())
        placed = nx.spring_layout(graph, seed=seed, weight="weight")
        coordinates = np.array([placed[i] for i in range(len(order))], dtype=np.float64)
    else:
        coordinates = _force(len(order), counts, seed)
    return _in_square(order, coordinates)


def _pair_counts(
    order: Sequence[int], links: Iterable[tuple[int, int, int]]
) -> dict[tuple[int, int], int]:
    """Replies between two of `order` (source, target, count), by the pair's positions in
    `order`, smaller first: both directions add up; anyone else and replies to oneself are
    left out."""
    index = {person: position for position, person in enumerate(order)}
    counts: dict[tuple[int, int], int] = {}
    for source, target, count in links:
        if source in index and target in index and source != target:
            a, b = sorted((index[source], index[target]))
            counts[(a, b)] = counts.get((a, b), 0) + count
    return counts


def _force(count: int, counts: Mapping[tuple[int, int], int], seed: int) -> NDArray[np.float64]:
    """`force_layout` of `count` people joined by `counts`: a link pulls harder for each
    e-fold of replies along it; big networks take half the rounds (each is sampled)."""
    pairs = np.array(list(counts) or np.empty((0, 2)), dtype=np.intp).reshape(-1, 2)
    strength = np.log1p(np.array(list(counts.values()), dtype=np.float64))
    rounds = ITERATIONS if count <= EXACT_LIMIT else ITERATIONS // 2
    return force_layout(count, pairs, strength, seed, rounds)


def _in_square(order: Sequence[int], coordinates: NDArray[np.float64]) -> Positions:
    """Scale into [MARGIN, 1 - MARGIN] on both axes, centred, keeping the proportions."""
    low, high = coordinates.min(axis=0), coordinates.max(axis=0)
    span = float((high - low).max()) or 1.0
    scale = (1 - 2 * MARGIN) / span
    placed = (coordinates - low) * scale + (1 - (high - low) * scale) / 2
    return {node: (float(x), float(y)) for node, (x, y) in zip(order, placed, strict=True)}
