"""Peer replies against replies to staff, week by week: is the cohort talking to itself yet?"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from cohortdesk.core.schemas.dashboard import ReplyWeek
from cohortdesk.ui.charts.axes import integer_ticks, week_ticks
from cohortdesk.ui.charts.base import (
    ChartCard,
    column_at,
    days_shown,
    percent,
    tooltip_table,
    week_heading,
)
from cohortdesk.ui.charts.theme import PEER_COLOUR, STAFF_COLOUR

PEER_LABEL = "Learners replying to learners"
STAFF_LABEL = "Replies to the facilitator and mentors"


def replies_story(weeks: Sequence[ReplyWeek]) -> str:
    """One sentence: whether and when peer replies overtook replies to staff."""
    peer = sum(w.peer_replies for w in weeks)
    staff = sum(w.replies_to_staff for w in weeks)
    if not peer + staff:
        return "No replies yet"
    share = percent(peer / (peer + staff))
    # a week nobody replied in is neither the peers' nor the staff's
    spoken = [w for w in weeks if w.peer_replies or w.replies_to_staff]
    crossed = next(
        (
            w
            for position, w in enumerate(spoken)
            if all(v.peer_replies > v.replies_to_staff for v in spoken[position:])
        ),
        None,
    )
    if crossed is not None and crossed is not spoken[0]:
        return (
            f"{share} of replies go to peers; peers have answered each other more than staff "
            f"since week {crossed.week.number}"
        )
    if peer > staff:
        return f"{share} of replies go to peers: the cohort talks to itself"
    return f"Only {share} of replies go to peers: most still answer the facilitator or mentors"


class RepliesChart(ChartCard):
    """Two lines over the weeks: peer replies (teal) and replies to staff (orange)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Peer replies vs replies to staff",
            "Replies to peers matter more than replies to the facilitator",
            parent,
        )
        self.plot = self.add_plot()
        self._weeks: list[ReplyWeek] = []
        self._span: tuple[date | None, date | None] = (None, None)
        self.peer_curve: Any = None
        self.staff_curve: Any = None
        self.set_legend([(QColor(PEER_COLOUR), PEER_LABEL), (QColor(STAFF_COLOUR), STAFF_LABEL)])
        self.refresh()

    def set_data(
        self, weeks: Sequence[ReplyWeek], start: date | None = None, end: date | None = None
    ) -> None:
        """Replies per week; weeks the range (`start` to `end`) cuts short get hollow dots."""
        self._weeks = list(weeks)
        self._span = (start, end)
        self.refresh()

    def redraw(self) -> None:
        self.plot.clear()
        if not any(w.peer_replies or w.replies_to_staff for w in self._weeks):
            self.set_notes([])
            self.set_empty("No replies in this date range")
            return
        self.set_empty(None)
        self.set_notes([replies_story(self._weeks)])
        numbers = [w.week.number for w in self._weeks]
        peer = [w.peer_replies for w in self._weeks]
        staff = [w.replies_to_staff for w in self._weeks]
        wholes = [days_shown(w.week, *self._span) == 7 for w in self._weeks]
        # a week the range cuts short (usually the current one) is joined by a dashed line
        # and drawn as a hollow dot: its low count is not a fall
        solid = np.array([a and b for a, b in pairwise(wholes)] + [False])
        for values, colour in ((staff, STAFF_COLOUR), (peer, PEER_COLOUR)):
            fill = self.theme.translucent(colour, 45) if values is peer else None
            curve = self.plot.plot(
                numbers,
                values,
                pen=pg.mkPen(colour, width=2.5),
                connect=solid,
                symbol="o",
                symbolSize=7,
                symbolBrush=[
                    QColor(colour) if whole else self.theme.background for whole in wholes
                ],
                symbolPen=[
                    pg.mkPen(self.theme.background if whole else colour, width=1.5)
                    for whole in wholes
                ],
            )
            if fill is not None:
                # the area under the whole weeks only (only the first and last can be cut)
                inside = [
                    (n, v) for n, v, whole in zip(numbers, values, wholes, strict=True) if whole
                ]
                if inside:
                    area = self.plot.plot(
                        [n for n, _v in inside],
                        [v for _n, v in inside],
                        pen=None,
                        fillLevel=0,
                        fillBrush=fill,
                    )
                    area.setZValue(-1)
            if not all(wholes):
                dashed = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
                self.plot.plot(numbers, values, pen=dashed, connect=~solid)
            if values is peer:
                self.peer_curve = curve
            else:
                self.staff_curve = curve
        week_ticks(self.plot, [w.week for w in self._weeks])
        top = max(*peer, *staff, 1)
        self.plot.setXRange(min(numbers) - 0.4, max(numbers) + 0.4, padding=0)
        self.plot.setYRange(0, top * 1.1, padding=0)
        integer_ticks(self.plot, top)

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        number = column_at(point.x(), [w.week.number for w in self._weeks], half_width=0.5)
        week = next((w for w in self._weeks if w.week.number == number), None)
        if week is None:
            return None
        total = week.peer_replies + week.replies_to_staff
        rows = [
            ("Peer replies", str(week.peer_replies)),
            ("Replies to staff", str(week.replies_to_staff)),
            ("Peers' share", percent(week.peer_replies / total) if total else "—"),
        ]
        return tooltip_table(week_heading(week.week, *self._span), rows)
