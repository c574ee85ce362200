"""The reply network as arrays ready to draw: built in the worker thread with the layout.

A cohort of 5,000 members has tens of thousands of reply links; turning them into line
segments, sizes and styles is Python work of tens of milliseconds, which would hold the
window if done when the chart is drawn. This module has no widgets: `network_picture` runs
beside the layout (`cohortdesk.core.network_layout`) in the dashboard's background load, and
the chart only hands the arrays to pyqtgraph (styles that depend on the light or dark theme
are looked up there, by name). The one Qt object is each batch's path of line segments, a
plain value (QPainterPath) that any thread may build: pyqtgraph would otherwise build it on
the GUI thread at the first paint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pyqtgraph.functions import arrayToQPath
from PySide6.QtGui import QPainterPath

from cohortdesk.core.enums import Role
from cohortdesk.core.network_layout import Positions
from cohortdesk.core.schemas.dashboard import NetworkEdges, NetworkNode, ReplyNetwork

SMALLEST, LARGEST = 8.0, 30.0
"""Node diameters in pixels, for no activity and for the most active member."""
CROWD = 150
"""Above this many members nodes shrink with the square root of the crowd."""
FACILITATOR_EXTRA = 6.0
"""The facilitator's star is this many pixels bigger than their activity alone makes it."""
EDGE_CLASSES = ((1, 1, 1.0), (2, 3, 2.0), (4, None, 3.5))
"""(fewest replies, most replies or None, pen width): edges drawn in three batches."""
SMOOTH_EDGES_UP_TO = 3_000
"""Edges are antialiased up to this many; beyond, smoothing them costs a fifth of a second
per repaint (measured: 65,000 segments, 210 ms against 10 ms) for no visible gain in a
crowd of lines."""


@dataclass(frozen=True)
class EdgeBatch:
    """Line segments of one pen width: x and y of each segment's two ends, in turn."""

    width: float
    xs: NDArray[np.float64]
    ys: NDArray[np.float64]
    path: QPainterPath
    """The segments as pyqtgraph draws them (`connect="pairs"`)."""


@dataclass(frozen=True)
class NetworkPicture:
    """What the network chart draws, position by position in `placed`."""

    placed: list[NetworkNode]
    """The members with a position, in the network's order."""
    xy: NDArray[np.float64]
    """(x, y) of each placed member."""
    sizes: list[float]
    """Each placed member's diameter by activity, in pixels."""
    diameters: NDArray[np.float64]
    """What is drawn: the size, bigger for the facilitator, rounded to half pixels (few
    distinct symbols to render)."""
    styles: list[str]
    """Each member's look by name: `facilitator`, `mentor`, `manager` (staff),
    `stage-N` or `isolated-N` (learners at stage N)."""
    edges: list[EdgeBatch]
    smooth: bool
    """Antialias the edges (few enough to afford it)."""


def node_sizes(nodes: list[NetworkNode]) -> list[float]:
    """Diameters by activity, on a square-root scale (area grows with activity); smaller
    for big cohorts, so nodes do not bury the replies between them."""
    busiest = max((n.activity for n in nodes), default=0) or 1
    shrink = min(1.0, math.sqrt(CROWD / max(1, len(nodes))))
    smallest = max(3.0, SMALLEST * shrink)
    largest = max(smallest + 3.0, LARGEST * shrink)
    return [smallest + (largest - smallest) * math.sqrt(n.activity / busiest) for n in nodes]


def node_style(node: NetworkNode) -> str:
    if node.role is not Role.LEARNER:
        return node.role.value
    return f"isolated-{node.stage}" if node.isolated else f"stage-{node.stage}"


def network_picture(network: ReplyNetwork, where: Positions) -> NetworkPicture:
    """Arrays for every placed member and every reply link between two placed members."""
    placed = [n for n in network.nodes if n.person_id in where]
    sizes = node_sizes(placed)
    extra = np.array([FACILITATOR_EXTRA if n.role is Role.FACILITATOR else 0.0 for n in placed])
    diameters = np.round((np.array(sizes, dtype=float) + extra) * 2) / 2
    xy = np.array([where[n.person_id] for n in placed], dtype=float).reshape(-1, 2)
    edges = network.edges.where(network.edges.between(where))
    return NetworkPicture(
        placed=placed,
        xy=xy,
        sizes=sizes,
        diameters=diameters,
        styles=[node_style(n) for n in placed],
        edges=_edge_batches(edges, where),
        smooth=len(edges) <= SMOOTH_EDGES_UP_TO,
    )


def _edge_batches(edges: NetworkEdges, where: Positions) -> list[EdgeBatch]:
    if not len(edges):
        return []
    counts = edges.counts
    people = np.fromiter(where, dtype=np.int64, count=len(where))
    order = np.argsort(people)
    spots = np.array(list(where.values()), dtype=float).reshape(-1, 2)[order]
    people = people[order]
    sources = spots[np.searchsorted(people, edges.sources)]
    targets = spots[np.searchsorted(people, edges.targets)]
    batches = []
    for fewest, most, width in EDGE_CLASSES:
        chosen = (counts >= fewest) & (counts <= (most if most is not None else counts.max()))
        if not chosen.any():
            continue
        xs = np.empty(2 * int(chosen.sum()))
        ys = np.empty_like(xs)
        xs[0::2], xs[1::2] = sources[chosen, 0], targets[chosen, 0]
        ys[0::2], ys[1::2] = sources[chosen, 1], targets[chosen, 1]
        batches.append(EdgeBatch(width, xs, ys, arrayToQPath(xs, ys, connect="pairs")))
    return batches
