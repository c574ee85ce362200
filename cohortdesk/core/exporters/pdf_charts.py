"""The report's pictures, drawn with ReportLab's own graphics (no Qt in core).

- `staircase`: learners per stage, each bar standing on its step of Salmon's staircase;
- `contributions_chart`: threads started, replies to peers and other replies per week;
- `active_chart`: learners active each week, against the number of learners;
- `network_drawing`: who replied to whom (lines thicker with more replies), people coloured
  by stage, staff drawn dark, sized by how much they took part.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from cohortdesk.core.enums import Role
from cohortdesk.core.exporters.pdf_fonts import fonts
from cohortdesk.core.exporters.report_data import Bar, NetworkNode
from cohortdesk.core.network_layout import square_layout
from cohortdesk.core.stages import all_stages

INK = colors.HexColor("#1f2d3d")
MUTED = colors.HexColor("#6b7785")
GRID = colors.HexColor("#dde3ea")
STEP = colors.HexColor("#eef1f5")
STAFF = colors.HexColor("#34495e")
THREADS = colors.HexColor("#34598a")
PEER = colors.HexColor("#2f9e8f")
OTHER = colors.HexColor("#a9bacb")
ACTIVE = colors.HexColor("#5b8fd6")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def stage_colour(number: int) -> colors.Color:
    return colors.HexColor(all_stages()[number - 1].colour)


def _text(
    x: float,
    y: float,
    text: str,
    size: float = 7.5,
    *,
    bold: bool = False,
    colour: colors.Color = INK,
    anchor: str = "start",
) -> String:
    regular, heavy = fonts()
    return String(
        x,
        y,
        text,
        fontName=heavy if bold else regular,
        fontSize=size,
        fillColor=colour,
        textAnchor=anchor,
    )


def _nice_max(value: float) -> tuple[float, float]:
    """A round axis maximum at or above `value`, and its gridline step (4 or 5 steps)."""
    if value <= 4:
        return 4.0, 1.0
    magnitude = 10 ** math.floor(math.log10(value / 4))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * 5 >= value:
            return step * math.ceil(value / step), step
    return value, value / 4  # unreachable: factor 10 always fits


def staircase(stages: Sequence[int], width: float, height: float = 150) -> Drawing:
    """Learners per stage, bars standing on the steps of a staircase."""
    drawing = Drawing(width, height)
    total = sum(stages) or 1
    label_h, step_h, top_pad = 30.0, 11.0, 24.0
    bar_room = height - label_h - step_h * 4 - top_pad
    column = width / 5
    bar_w = column * 0.52
    tallest = max(stages) or 1
    for index, (stage, count) in enumerate(zip(all_stages(), stages, strict=True)):
        x = index * column
        plinth = step_h * index
        drawing.add(Rect(x, label_h, column, plinth, fillColor=STEP, strokeColor=None))
        drawing.add(Line(x, label_h + plinth, x + column, label_h + plinth, strokeColor=GRID))
        if index:
            drawing.add(Line(x, label_h + plinth - step_h, x, label_h + plinth, strokeColor=GRID))
        bar_h = max(bar_room * count / tallest, 1.5 if count else 0)
        bar_x = x + (column - bar_w) / 2
        base = label_h + plinth
        if count:
            drawing.add(
                Rect(
                    bar_x,
                    base,
                    bar_w,
                    bar_h,
                    fillColor=stage_colour(stage.number),
                    strokeColor=None,
                )
            )
        share = f"{round(100 * count / total)}%"
        drawing.add(
            _text(x + column / 2, base + bar_h + 10, str(count), 11, bold=True, anchor="middle")
        )
        drawing.add(
            _text(x + column / 2, base + bar_h + 2, share, 6.5, colour=MUTED, anchor="middle")
        )
        drawing.add(
            _text(
                x + column / 2, 17, f"{stage.number} · {stage.short}", 8, bold=True, anchor="middle"
            )
        )
        if stage.name != stage.short:
            drawing.add(_text(x + column / 2, 7, stage.name, 6.5, colour=MUTED, anchor="middle"))
    return drawing


def _day(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _axes(
    drawing: Drawing, left: float, bottom: float, width: float, height: float, top: float
) -> float:
    """Gridlines and labels up to a round maximum at or above `top`; returns that maximum."""
    maximum, step = _nice_max(top)
    value = 0.0
    while value <= maximum + 1e-9:
        y = bottom + height * value / maximum
        drawing.add(Line(left, y, left + width, y, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(_text(left - 4, y - 2.5, f"{value:g}", 6.5, colour=MUTED, anchor="end"))
        value += step
    return maximum


def _bar_labels(drawing: Drawing, bars: Sequence[Bar], left: float, slot: float) -> None:
    every = max(1, math.ceil(34 / slot)) if slot > 0 else 1
    for index, bar in enumerate(bars):
        if index % every == 0:
            x = left + slot * (index + 0.5)
            drawing.add(_text(x, 8, _day(bar.start), 6.5, colour=MUTED, anchor="middle"))


def _legend(
    drawing: Drawing, x: float, y: float, items: Sequence[tuple[str, colors.Color]]
) -> float:
    """Colour keys in a row from `x`; returns where the row ends."""
    regular, _bold = fonts()
    for label, colour in items:
        drawing.add(Rect(x, y, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(_text(x + 10, y + 0.5, label, 7))
        x += 10 + stringWidth(label, regular, 7) + 9
    return x


def contributions_chart(bars: Sequence[Bar], width: float, height: float = 150) -> Drawing:
    """Stacked bars per week: threads started, replies to peers, other replies."""
    drawing = Drawing(width, height)
    left, bottom, top_pad = 28.0, 20.0, 18.0
    plot_w, plot_h = width - left - 4, height - bottom - top_pad
    top = max((b.contributions for b in bars), default=0)
    maximum = _axes(drawing, left, bottom, plot_w, plot_h, top)
    slot = plot_w / max(len(bars), 1)
    for index, bar in enumerate(bars):
        x = left + slot * index + slot * 0.15
        y = bottom
        for value, colour in (
            (bar.threads, THREADS),
            (bar.peer_replies, PEER),
            (bar.other_replies, OTHER),
        ):
            h = plot_h * value / maximum
            if h > 0:
                drawing.add(Rect(x, y, slot * 0.7, h, fillColor=colour, strokeColor=None))
            y += h
    _bar_labels(drawing, bars, left, slot)
    _legend(
        drawing,
        0,
        height - 10,
        [("Threads started", THREADS), ("Replies to peers", PEER), ("Other replies", OTHER)],
    )
    return drawing


def active_chart(bars: Sequence[Bar], learners: int, width: float, height: float = 150) -> Drawing:
    """Learners active each week, with the number of learners as a dashed line."""
    drawing = Drawing(width, height)
    left, bottom, top_pad = 28.0, 20.0, 18.0
    plot_w, plot_h = width - left - 4, height - bottom - top_pad
    top = max([b.active_learners for b in bars] + [learners])
    maximum = _axes(drawing, left, bottom, plot_w, plot_h, top)
    slot = plot_w / max(len(bars), 1)
    for index, bar in enumerate(bars):
        h = plot_h * bar.active_learners / maximum
        if h > 0:
            drawing.add(
                Rect(
                    left + slot * index + slot * 0.15,
                    bottom,
                    slot * 0.7,
                    h,
                    fillColor=ACTIVE,
                    strokeColor=None,
                )
            )
    if learners:
        y = bottom + plot_h * learners / maximum
        drawing.add(
            Line(
                left, y, left + plot_w, y, strokeColor=INK, strokeWidth=0.8, strokeDashArray=[3, 2]
            )
        )
    _bar_labels(drawing, bars, left, slot)
    x = _legend(drawing, 0, height - 10, [("Active in the week", ACTIVE)])
    drawing.add(
        Line(
            x,
            height - 6.5,
            x + 14,
            height - 6.5,
            strokeColor=INK,
            strokeWidth=0.8,
            strokeDashArray=[3, 2],
        )
    )
    drawing.add(_text(x + 18, height - 9.5, f"All learners ({learners})", 7))
    return drawing


def _short(label: str, pseudonymised: bool) -> str:
    if pseudonymised:
        return label[:8]
    return label.split()[0] if label.split() else label


def network_drawing(
    nodes: Sequence[NetworkNode],
    edges: Mapping[tuple[int, int], int],
    width: float,
    height: float,
    *,
    pseudonymised: bool = False,
) -> Drawing:
    """The reply network: one dot per person who replied or was replied to."""
    drawing = Drawing(width, height)
    legend_h = 16.0
    _legend(
        drawing,
        0,
        height - 9,
        [(f"{s.number} · {s.short}", stage_colour(s.number)) for s in all_stages()]
        + [("Facilitator, mentor or manager", STAFF)],
    )
    if not nodes:
        drawing.add(
            _text(
                width / 2,
                height / 2,
                "No replies in this period yet",
                10,
                colour=MUTED,
                anchor="middle",
            )
        )
        return drawing
    positions = square_layout([n.person_id for n in nodes], edges)
    pad = 18.0
    area_w, area_h = width - 2 * pad, height - legend_h - 2 * pad

    def at(person_id: int) -> tuple[float, float]:
        x, y = positions[person_id]
        return pad + x * area_w, pad + y * area_h

    heaviest = max(edges.values(), default=1)
    for (a, b), count in sorted(edges.items(), key=lambda item: item[1]):
        if a not in positions or b not in positions:
            continue
        (x1, y1), (x2, y2) = at(a), at(b)
        shade = 0.25 + 0.5 * count / heaviest
        drawing.add(
            Line(
                x1,
                y1,
                x2,
                y2,
                strokeWidth=0.4 + 0.9 * math.sqrt(count),
                strokeColor=colors.Color(0.30, 0.38, 0.47, alpha=shade),
            )
        )
    labels = len(nodes) <= 80
    for node in sorted(nodes, key=lambda n: n.sent + n.received):
        x, y = at(node.person_id)
        radius = min(3.5 + 1.3 * math.sqrt(node.sent + node.received), 13)
        staff = node.role is not Role.LEARNER
        drawing.add(
            Circle(
                x,
                y,
                radius,
                fillColor=STAFF if staff else stage_colour(node.stage),
                strokeColor=colors.white,
                strokeWidth=0.8,
            )
        )
        if labels:
            drawing.add(
                _text(
                    x,
                    y - radius - 7,
                    _short(node.label, pseudonymised),
                    6.5,
                    bold=staff,
                    anchor="middle",
                )
            )
    return drawing
