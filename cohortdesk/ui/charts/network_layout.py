"""Where each member sits in the reply network picture: a force-directed layout in numpy.

Runs in a worker thread (it has no Qt in it). People who answer each other are pulled
together and everyone pushes everyone apart (Fruchterman-Reingold); members with no replies
either way are put on a ring outside, where isolation is seen at once, as in SNAPP.
For big cohorts the push is estimated from a random sample of members in each round, so
5,000 members take about a second, not a minute; a fixed seed makes the picture repeatable.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from cohortdesk.core.schemas.dashboard import ReplyNetwork

Positions = dict[int, tuple[float, float]]

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


def network_layout(network: ReplyNetwork, seed: int = 7) -> Positions:
    """Person id -> (x, y): connected members within the unit circle, isolated ones around it.

    Args:
        network: the nodes and who replied to whom.
        seed: the same seed and network give the same picture.
    """
    person_ids = [node.person_id for node in network.nodes]
    touched = {e.source for e in network.edges} | {e.target for e in network.edges}
    connected = [p for p in person_ids if p in touched]
    alone = [n for n in network.nodes if n.person_id not in touched]
    positions: Positions = {}
    if connected:
        index = {person: position for position, person in enumerate(connected)}
        weights: dict[tuple[int, int], int] = {}
        for edge in network.edges:
            if edge.source in index and edge.target in index and edge.source != edge.target:
                a, b = sorted((index[edge.source], index[edge.target]))
                weights[(a, b)] = weights.get((a, b), 0) + edge.count
        pairs = np.array(list(weights) or np.empty((0, 2)), dtype=np.intp).reshape(-1, 2)
        strength = np.log1p(np.array(list(weights.values()), dtype=np.float64))
        rounds = ITERATIONS if len(connected) <= EXACT_LIMIT else ITERATIONS // 2
        coordinates = force_layout(len(connected), pairs, strength, seed, rounds)
        for person, (x, y) in zip(connected, coordinates.tolist(), strict=True):
            positions[person] = (x, y)
    for position, node in enumerate(sorted(alone, key=lambda n: n.name.casefold())):
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
