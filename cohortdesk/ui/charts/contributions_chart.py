"""Weekly contributions, stacked by kind, over the date range the user picked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Slot
from PySide6.QtWidgets import QCheckBox, QWidget

from cohortdesk.core.enums import EventKind
from cohortdesk.core.schemas.dashboard import HeatmapRow, KindWeek, Week
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.axes import integer_ticks, week_ticks
from cohortdesk.ui.charts.base import (
    ChartCard,
    Selection,
    column_at,
    days_shown,
    tooltip_table,
    week_heading,
)
from cohortdesk.ui.charts.theme import KIND_LABELS, KIND_ORDER

BAR_WIDTH = 0.75
PASSIVE = {EventKind.LOGIN, EventKind.VIEW}
"""Reading and logging in: activity, not contributions; stacked only on request."""


class ContributionsChart(ChartCard):
    """One bar per week, a segment per kind of activity (threads, replies, shares...).

    A click on a week's bar selects the members who did anything that week.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Weekly contributions",
            "What the cohort wrote and did each week, by kind",
            parent,
        )
        self.passive_check = QCheckBox("Logins and views")
        self.passive_check.setToolTip("Also stack logins and page views (reading counts too)")
        self.passive_check.toggled.connect(self._passive_toggled)
        self.add_header_widget(self.passive_check)
        self.plot = self.add_plot()
        self._weeks: list[KindWeek] = []
        self._kinds: list[EventKind] = []
        self._active: dict[int, list[int]] = {}
        self._span: tuple[date | None, date | None] = (None, None)
        self.bars: dict[EventKind, Any] = {}
        self.refresh()

    def set_data(
        self,
        by_week: Sequence[KindWeek],
        heatmap: Sequence[HeatmapRow] = (),
        weeks: Sequence[Week] = (),
        start: date | None = None,
        end: date | None = None,
    ) -> None:
        """The weekly counts; `heatmap` and its `weeks` tell who was active in each week;
        weeks the range (`start` to `end`) cuts short are drawn faded."""
        self._weeks = list(by_week)
        self._span = (start, end)
        self._active = {}
        for position, week in enumerate(weeks):
            self._active[week.number] = [
                row.membership_id
                for row in heatmap
                if position < len(row.counts) and row.counts[position] > 0
            ]
        self._choose_kinds()

    @Slot(bool)
    def _passive_toggled(self, _checked: bool) -> None:
        self._choose_kinds()

    def _choose_kinds(self) -> None:
        present = {k for w in self._weeks for k, c in w.counts.items() if c}
        if not self.passive_check.isChecked():
            present -= PASSIVE
        self._kinds = [k for k in KIND_ORDER if k in present]
        self.set_legend([(self.theme.kind(k), KIND_LABELS[k]) for k in self._kinds])
        self.refresh()

    def kinds(self) -> list[EventKind]:
        """The kinds stacked, bottom up."""
        return list(self._kinds)

    def redraw(self) -> None:
        self.plot.clear()
        self.bars = {}
        if not self._kinds:
            self.set_empty("No contributions in this date range")
            return
        self.set_empty(None)
        numbers = [w.week.number for w in self._weeks]
        wholes = [days_shown(w.week, *self._span) == 7 for w in self._weeks]
        base = [0] * len(numbers)
        for kind in self._kinds:
            heights = [w.counts.get(kind, 0) for w in self._weeks]
            colour = self.theme.kind(kind)
            faded = self.theme.translucent(colour, 90)
            bars = pg.BarGraphItem(
                x=numbers,
                height=heights,
                y0=list(base),
                width=BAR_WIDTH,
                brushes=[colour if whole else faded for whole in wholes],
                pen=pg.mkPen(self.theme.outline),
            )
            self.plot.addItem(bars)
            self.bars[kind] = bars
            base = [b + h for b, h in zip(base, heights, strict=True)]
        week_ticks(self.plot, [w.week for w in self._weeks])
        top = max(base) or 1
        self.plot.setXRange(min(numbers) - 0.6, max(numbers) + 0.6, padding=0)
        self.plot.setYRange(0, top * 1.05, padding=0)
        integer_ticks(self.plot, top)

    def totals(self) -> list[int]:
        """All contributions per week, as the bars' heights add up."""
        return [sum(w.counts.get(k, 0) for k in self._kinds) for w in self._weeks]

    def _week(self, x: float) -> KindWeek | None:
        number = column_at(x, [w.week.number for w in self._weeks])
        return next((w for w in self._weeks if w.week.number == number), None)

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        week = self._week(point.x())
        if week is None:
            return None
        rows = [(KIND_LABELS[k], f"{week.counts.get(k, 0):,}") for k in reversed(self._kinds)]
        rows.append(("Total", f"{sum(week.counts.get(k, 0) for k in self._kinds):,}"))
        active = self._active.get(week.week.number)
        footer = ""
        if active:
            footer = (
                f"{fmt.plural(len(active), 'member')} active: click to select them in the roster"
            )
        return tooltip_table(week_heading(week.week, *self._span), rows, footer)

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        week = self._week(point.x())
        if week is None or not self._active.get(week.week.number):
            return None
        return Selection(
            tuple(self._active[week.week.number]), f"members active in week {week.week.number}"
        )
