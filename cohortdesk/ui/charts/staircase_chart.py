"""The staircase: learners per stage now, and week by week how the cohort climbed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QWidget

from cohortdesk.core.schemas.dashboard import StageWeek
from cohortdesk.core.stages import LAST_STAGE, all_stages, stage
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.axes import bare_axes, integer_ticks, week_ticks
from cohortdesk.ui.charts.base import (
    ChartCard,
    Selection,
    column_at,
    percent,
    tooltip_table,
    week_heading,
)

STAGES = tuple(range(1, LAST_STAGE + 1))
BAR_WIDTH = 0.8


class StaircaseChart(ChartCard):
    """Left: learners at each of the five stages now. Right: the same, at the end of each week.

    A click on a stage's bar selects the learners at that stage.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Salmon's staircase",
            "Learners at each stage now, and how the cohort climbed week by week",
            parent,
        )
        self.now_plot = self.add_plot(0, 0, title="Now")
        self.weeks_plot = self.add_plot(0, 1, title="Week by week")
        layout = self.view.ci.layout
        layout.setColumnStretchFactor(0, 2)
        layout.setColumnStretchFactor(1, 3)
        self._now: dict[int, int] = {}
        self._weeks: list[StageWeek] = []
        self._members: dict[int, list[int]] = {}
        self.now_bars: Any = None
        self.week_bars: list[Any] = []
        self.set_legend([(self.theme.stage(s.number), s.label) for s in all_stages()])
        self.refresh()

    def set_data(
        self,
        stages_now: Mapping[int, int],
        stages_by_week: Sequence[StageWeek],
        members_by_stage: Mapping[int, Sequence[int]] | None = None,
    ) -> None:
        """Learner counts by stage now and per week; `members_by_stage` makes bars clickable."""
        self._now = {n: stages_now.get(n, 0) for n in STAGES}
        self._weeks = list(stages_by_week)
        self._members = {n: list(ids) for n, ids in (members_by_stage or {}).items()}
        self.refresh()

    def redraw(self) -> None:
        for plot in (self.now_plot, self.weeks_plot):
            plot.clear()
        total = sum(self._now.values())
        if not total and not any(sum(w.learners.values()) for w in self._weeks):
            self.set_empty("No learners in this cohort yet")
            return
        self.set_empty(None)
        theme = self.theme
        heights = [self._now[n] for n in STAGES]
        self.now_bars = pg.BarGraphItem(
            x=list(STAGES),
            height=heights,
            width=BAR_WIDTH,
            brushes=[theme.stage(n) for n in STAGES],
            pen=pg.mkPen(theme.outline),
        )
        self.now_plot.addItem(self.now_bars)
        top = max(heights) or 1
        for number, count in zip(STAGES, heights, strict=True):
            label = pg.TextItem(str(count), color=theme.foreground, anchor=(0.5, 1.0))
            label.setPos(number, count + top * 0.02)
            self.now_plot.addItem(label)
        self.now_plot.getAxis("bottom").setTicks([[(n, str(n)) for n in STAGES], []])
        self.now_plot.setXRange(0.4, LAST_STAGE + 0.6, padding=0)
        self.now_plot.setYRange(0, top * 1.15, padding=0)
        self.now_plot.hideAxis("left")

        self.week_bars = []
        if self._weeks:
            numbers = [w.week.number for w in self._weeks]
            base = [0] * len(numbers)
            for number in STAGES:
                heights = [w.learners.get(number, 0) for w in self._weeks]
                bars = pg.BarGraphItem(
                    x=numbers,
                    height=heights,
                    y0=list(base),
                    width=BAR_WIDTH,
                    brush=theme.stage(number),
                    pen=pg.mkPen(theme.outline),
                )
                self.weeks_plot.addItem(bars)
                self.week_bars.append(bars)
                base = [b + h for b, h in zip(base, heights, strict=True)]
            week_ticks(self.weeks_plot, [w.week for w in self._weeks])
            self.weeks_plot.setXRange(min(numbers) - 0.6, max(numbers) + 0.6, padding=0)
            self.weeks_plot.setYRange(0, (max(base) or 1) * 1.05, padding=0)
            integer_ticks(self.weeks_plot, max(base))
        else:
            bare_axes(self.weeks_plot)

    def now_counts(self) -> dict[int, int]:
        return dict(self._now)

    # -- interaction ---------------------------------------------------------------------

    def _week(self, x: float) -> StageWeek | None:
        number = column_at(x, [w.week.number for w in self._weeks])
        return next((w for w in self._weeks if w.week.number == number), None)

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        if plot is self.now_plot:
            number = column_at(point.x(), STAGES)
            if number is None:
                return None
            count, total = self._now[number], sum(self._now.values())
            footer = f"E-moderator: {stage(number).emoderator_role}"
            if self._members.get(number):
                footer += "\nClick to select them in the roster"
            rows = [("Learners", str(count)), ("Share", percent(count / total) if total else "—")]
            return tooltip_table(fmt.stage_label(number), rows, footer)
        week = self._week(point.x())
        if week is None:
            return None
        rows = [(fmt.stage_label(n), str(week.learners.get(n, 0))) for n in reversed(STAGES)]
        rows.append(("Learners", str(sum(week.learners.values()))))
        return tooltip_table(week_heading(week.week), rows)

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        if plot is not self.now_plot:
            return None
        number = column_at(point.x(), STAGES)
        if number is None or not self._members.get(number):
            return None
        return Selection(
            tuple(self._members[number]), f"learners at stage {fmt.stage_label(number)}"
        )
