"""Where to draw each person of a reply network: a small force-directed layout, deterministic.

Fruchterman and Reingold's method: every pair of people pushes apart, every reply pulls the
two ends together (more replies, a stronger pull), and a weak pull to the centre keeps loose
people on the page. Starting positions come from a fixed seed and the people are taken in id
order, so the same network is drawn the same way every time. Above `FORCE_LIMIT` people the
quadratic cost is not worth it and they sit on a circle, grouped by the caller's order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

Point = tuple[float, float]

FORCE_LIMIT = 160
ITERATIONS = 300
MARGIN = 0.06


def circle(nodes: Sequence[int]) -> dict[int, Point]:
    """`nodes` evenly round a circle, in the order given, starting at the top."""
    count = max(len(nodes), 1)
    return {
        node: (
            0.5 + 0.44 * math.sin(2 * math.pi * i / count),
            0.5 + 0.44 * math.cos(2 * math.pi * i / count),
        )
        for i, node in enumerate(nodes)
    }


def _normalise(positions: dict[int, Point]) -> dict[int, Point]:
    """Scale into [MARGIN, 1 - MARGIN] on both axes, keeping the aspect ratio."""
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (1 - 2 * MARGIN) / span
    x_pad = (1 - (max(xs) - min(xs)) * scale) / 2
    y_pad = (1 - (max(ys) - min(ys)) * scale) / 2
    return {
        node: ((x - min(xs)) * scale + x_pad, (y - min(ys)) * scale + y_pad)
        for node, (x, y) in positions.items()
    }


def layout(
    nodes: Sequence[int],
    edges: Mapping[tuple[int, int], int],
    *,
    seed: int = 7,
    iterations: int = ITERATIONS,
) -> dict[int, Point]:
    """Positions in the unit square for `nodes`, joined by `edges` (pair -> number of replies).

    Args:
        nodes: the people, by id; their order is the circle's order above `FORCE_LIMIT`.
        edges: replies between two people (either order), with how many.
        seed: the starting positions' seed.
        iterations: steps of the simulation.
    """
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.5, 0.5)}
    if len(nodes) > FORCE_LIMIT:
        return circle(nodes)
    order = sorted(nodes)
    index = {node: i for i, node in enumerate(order)}
    rng = random.Random(seed)
    xs = [rng.random() for _ in order]
    ys = [rng.random() for _ in order]
    springs = [
        (index[a], index[b], math.sqrt(weight))
        for (a, b), weight in sorted(edges.items())
        if a in index and b in index and a != b
    ]
    n = len(order)
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in range(n):
            xi, yi = xs[i], ys[i]
            for j in range(i + 1, n):
                ddx, ddy = xi - xs[j], yi - ys[j]
                distance2 = ddx * ddx + ddy * ddy or 1e-9
                force = k * k / distance2  # repulsion k²/d, along the unit vector (÷ d)
                dx[i] += ddx * force
                dy[i] += ddy * force
                dx[j] -= ddx * force
                dy[j] -= ddy * force
        for i, j, weight in springs:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            distance = math.hypot(ddx, ddy) or 1e-9
            force = distance * weight / k  # attraction d²/k, along the unit vector
            dx[i] -= ddx * force
            dy[i] -= ddy * force
            dx[j] += ddx * force
            dy[j] += ddy * force
        for i in range(n):
            dx[i] += (0.5 - xs[i]) * 0.6 * k  # gravity: loose people stay near the middle
            dy[i] += (0.5 - ys[i]) * 0.6 * k
            length = math.hypot(dx[i], dy[i])
            if length > 0:
                step = min(length, temperature)
                xs[i] += dx[i] / length * step
                ys[i] += dy[i] / length * step
        temperature -= cooling
    return _normalise({node: (xs[i], ys[i]) for i, node in enumerate(order)})
