"""The charts' axes: week and category labels that fit their room, whole-number ticks, and
axes left bare for an empty chart. pyqtgraph hides a label that would reach past its axis
or overlap another, and sizes an axis by the labels it drew last; these place the labels so
that every one it is given is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

from cohortdesk.core.schemas.dashboard import Week

LABEL_GAP = 8
"""Pixels kept clear between two labels of an axis."""


def week_ticks(plot: Any, weeks: Sequence[Week], *, dates: bool = False) -> None:
    """Label the x axis with week numbers (bars sit at x = week number), as many as fit."""
    fitted_ticks(
        plot,
        [(w.number, f"{w.starts.day} {w.starts:%b}" if dates else f"W{w.number}") for w in weeks],
    )


def thinned_ticks(
    ticks: Sequence[tuple[float, str]],
    low: float,
    high: float,
    pixels: float,
    metrics: QFontMetrics,
) -> list[tuple[float, str]]:
    """Every n-th of evenly spaced `ticks`, n the smallest at which no two labels overlap on
    an axis `pixels` wide showing `low` to `high` (a long course on a narrow chart keeps one
    week in two, three...; a short one keeps them all)."""
    if len(ticks) < 2 or pixels <= 0 or high <= low:
        return list(ticks)
    spacing = min(b[0] - a[0] for a, b in pairwise(ticks))
    if spacing <= 0:
        return list(ticks)
    widest = max(metrics.horizontalAdvance(label) for _value, label in ticks)
    per_tick = spacing * pixels / (high - low)
    step = max(1, math.ceil((widest + LABEL_GAP) / per_tick))
    return list(ticks[::step])


def edge_room(ticks: Sequence[tuple[float, str]], metrics: QFontMetrics) -> int:
    """Pixels a label may reach past either end of its axis: half the widest label, so the
    first and last ticks (half a week from the plot's edges) keep their labels."""
    widest = max((metrics.horizontalAdvance(label) for _value, label in ticks), default=0)
    return math.ceil(widest / 2) + 1


def fitted_ticks(plot: Any, ticks: Sequence[tuple[float, str]], axis: str = "bottom") -> None:
    """Label `axis` with `ticks`, thinned to the room the plot has whenever its width or its
    range changes (`thinned_ticks`).

    pyqtgraph hides a label that would reach past the axis' ends: the first week's, centred
    half a week from the plot's left edge, on any chart where half a week is narrower than
    half its label. The axis lets its labels reach `edge_room` past its ends, and the plot
    keeps that much room beside its ends (the left axis' width counts)."""
    item = plot.getAxis(axis)
    view = plot.getViewBox()
    item.all_ticks = list(ticks)

    def refresh(*_args: Any) -> None:
        low, high = view.viewRange()[0]
        metrics = QFontMetrics(item.style.get("tickFont") or QFont())
        shown = thinned_ticks(item.all_ticks, low, high, view.width(), metrics)
        item.setTicks([shown, []])
        room = edge_room(item.all_ticks, metrics)
        item.setStyle(hideOverlappingLabels=room)
        beside = plot.getAxis("left")
        left_axis = beside.width() if beside.isVisible() else 0
        margins = (max(1, room - int(left_axis)), 1, room, 1)
        if tuple(plot.layout.getContentsMargins()) != margins:
            plot.layout.setContentsMargins(*margins)

    if not getattr(item, "fits_its_ticks", False):
        item.fits_its_ticks = True
        view.sigResized.connect(refresh)
        view.sigXRangeChanged.connect(refresh)
    refresh()


def two_lines(label: str) -> str:
    """`label` broken at the space nearest its middle ("Early\nadopters"); as it is without
    a space."""
    spaces = [i for i, c in enumerate(label) if c == " "]
    if not spaces:
        return label
    middle = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:middle]}\n{label[middle + 1 :]}"


def category_ticks(plot: Any, ticks: Sequence[tuple[float, str]], axis: str = "bottom") -> None:
    """Label `axis` with the names of categories (bars at `ticks`' values); whenever the plot
    is too narrow for a name beside its neighbours, that name takes two lines, so that
    "Early adopters" and "Early majority" never run into each other."""
    item = plot.getAxis(axis)
    view = plot.getViewBox()
    item.category_ticks = list(ticks)

    def refresh(*_args: Any) -> None:
        named = item.category_ticks
        low, high = view.viewRange()[0]
        metrics = QFontMetrics(item.style.get("tickFont") or QFont())
        shown = list(named)
        if len(named) > 1 and high > low:
            values = sorted(value for value, _label in named)
            room = min(b - a for a, b in pairwise(values)) * view.width() / (high - low)
            shown = [
                (value, label)
                if metrics.horizontalAdvance(label) + LABEL_GAP <= room
                else (value, two_lines(label))
                for value, label in named
            ]
        item.setTicks([shown, []])
        # pyqtgraph sizes an axis by the labels it drew last, and leaves out those that do not
        # fit: a second line would show only a repaint later; make its room now
        lines = max((label.count("\n") + 1 for _value, label in shown), default=1)
        height = lines * metrics.height()
        if item.style.get("tickTextHeight") != height:
            item.setStyle(autoExpandTextSpace=False, tickTextHeight=height)

    if not getattr(item, "names_categories", False):
        item.names_categories = True
        view.sigResized.connect(refresh)
        view.sigXRangeChanged.connect(refresh)
    refresh()


def bare_axes(plot: Any) -> list[Any]:
    """Take every label off `plot`'s bottom and left axes (a plot with nothing to show: left
    alone, pyqtgraph numbers an axis 0.2 ... 0.9 itself); the axes taken bare.

    An axis that finds its own labels (a subclass of pyqtgraph's) is left to do so."""
    bare = []
    for name in ("bottom", "left"):
        axis = plot.getAxis(name)
        if type(axis) is not pg.AxisItem:
            continue
        axis.all_ticks = []  # what `fitted_ticks` thins whenever the plot is resized
        axis.category_ticks = []  # and what `category_ticks` breaks into lines
        axis.setTicks([[], []])
        # pyqtgraph sizes an axis by the labels it drew last: drawn bare, it would shrink to
        # nothing and cut the labels it is given next (they show a repaint later)
        axis.setStyle(autoReduceTextSpace=False)
        bare.append(axis)
    return bare


AXIS_TEXT_ROOM = 14
"""Pixels beside a vertical axis's widest label: the ticks and the gap to the text."""


def integer_ticks(plot: Any, top: float, axis: str = "left", count: int = 5) -> None:
    """Whole-number ticks from 0 to `top` (people and events come in ones)."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        step = candidate
        if top / candidate <= count:
            break
    else:
        step = max(1, round(top / count))
    ticks = [(value, f"{value:,}") for value in range(0, int(top) + 1, step)]
    item = plot.getAxis(axis)
    item.setTicks([ticks, []])
    if axis in ("left", "right"):
        # pyqtgraph sizes an axis from the labels it drew last time and leaves out those that
        # do not fit, so a first "0 1" axis later showed "0" alone under 150; make room now
        metrics = QFontMetrics(item.style.get("tickFont") or QFont())
        widest = max(metrics.horizontalAdvance(text) for _value, text in ticks)
        item.setWidth(widest + AXIS_TEXT_ROOM)
