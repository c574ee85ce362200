"""Cohorts side by side: where their learners are on the staircase, and how busy each week of
the cohort was (per learner, so a cohort of 200 and one of 12 can be compared)."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QWidget

from cohortdesk.core.schemas.dashboard import CohortComparison, CohortSeries
from cohortdesk.core.stages import LAST_STAGE
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.axes import category_ticks, fitted_ticks
from cohortdesk.ui.charts.base import ChartCard, column_at, percent, tooltip_table

STAGES = tuple(range(1, LAST_STAGE + 1))
GROUP_WIDTH = 0.8
"""The share of a stage's slot the cohorts' bars fill together."""
NOTHING_TO_COMPARE = "Pick two or more cohorts to compare"


def stage_share(series: CohortSeries, number: int) -> float:
    return series.stages_now.get(number, 0) / series.learners if series.learners else 0.0


class CompareChart(ChartCard):
    """One plot with the cohorts side by side, one colour each, named in the legend.

    Subclasses name the chart in `TITLE` and `SUBTITLE` and draw the comparison last given
    in `redraw`.

    Args:
        parent: the compare view, usually.
    """

    TITLE = ""
    SUBTITLE = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.TITLE, self.SUBTITLE, parent)
        self.plot = self.add_plot()
        self._comparison: CohortComparison | None = None
        self.refresh()

    def set_data(self, comparison: CohortComparison) -> None:
        self._comparison = comparison
        self.set_legend(
            [(self.theme.series(i), c.cohort_name) for i, c in enumerate(comparison.cohorts)]
        )
        self.refresh()


class CompareStagesChart(CompareChart):
    """For each stage, one bar per cohort: the share of its learners at that stage now."""

    TITLE = "Learners by stage"
    SUBTITLE = "Share of each cohort's learners at each stage now"

    bars: list[Any]
    """The bars drawn, one item per cohort (`redraw` starts the list afresh)."""

    def redraw(self) -> None:
        self.plot.clear()
        self.bars = []
        cohorts = self._comparison.cohorts if self._comparison else []
        if not cohorts:
            self.set_empty(NOTHING_TO_COMPARE)
            return
        self.set_empty(None)
        width = GROUP_WIDTH / len(cohorts)
        top = 0.0
        for position, series in enumerate(cohorts):
            offset = -GROUP_WIDTH / 2 + width * (position + 0.5)
            shares = [stage_share(series, n) * 100 for n in STAGES]
            top = max(top, *shares)
            bars = pg.BarGraphItem(
                x=[n + offset for n in STAGES],
                height=shares,
                width=width * 0.92,
                brush=self.theme.series(position),
                pen=pg.mkPen(None),
            )
            self.plot.addItem(bars)
            self.bars.append(bars)
        self.plot.setXRange(0.5, LAST_STAGE + 0.5, padding=0)
        category_ticks(self.plot, [(n, fmt.stage_label(n)) for n in STAGES])
        top = max(10.0, top * 1.1)
        self.plot.setYRange(0, top, padding=0)
        step = 10 if top <= 60 else 20
        self.plot.getAxis("left").setTicks(
            [[(v, f"{v}%") for v in range(0, int(top) + 1, step)], []]
        )

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        number = column_at(point.x(), STAGES, GROUP_WIDTH / 2)
        if number is None or self._comparison is None:
            return None
        rows = [
            (
                c.cohort_name,
                f"{c.stages_now.get(number, 0):,} of {c.learners:,} "
                f"({percent(stage_share(c, number))})",
            )
            for c in self._comparison.cohorts
        ]
        return tooltip_table(fmt.stage_label(number), rows)


class CompareWeeklyChart(CompareChart):
    """One line per cohort: posts and replies per learner in each week of the cohort."""

    TITLE = "Contributions per learner, by week of cohort"
    SUBTITLE = (
        "Posts and replies per learner; week 1 is each cohort's first week; "
        "a hollow point is a week not yet whole"
    )

    curves: list[Any]
    """The lines drawn, one item per cohort with weeks (`redraw` starts the list afresh):
    each up to its last whole week."""
    partial_weeks: list[Any]
    """For each cohort whose last week is not whole (a running cohort's current week), the
    dashed step to it and its hollow point: a figure that is still growing, not a fall."""

    def redraw(self) -> None:
        self.plot.clear()
        self.curves = []
        self.partial_weeks = []
        comparison = self._comparison
        if comparison is None or not comparison.cohorts or not comparison.weeks:
            self.set_empty(NOTHING_TO_COMPARE)
            return
        self.set_empty(None)
        top = 0.0
        for position, series in enumerate(comparison.cohorts):
            values = series.weekly_per_learner
            if not values:
                continue
            colour = self.theme.series(position)
            whole = len(values) - (series.last_week_days < 7)
            curve = self.plot.plot(
                list(range(1, whole + 1)),
                values[:whole],
                pen=pg.mkPen(colour, width=2.5),
                symbol="o",
                symbolSize=7,
                symbolBrush=colour,
                symbolPen=pg.mkPen(self.theme.background, width=1.5),
                name=series.cohort_name,
            )
            self.curves.append(curve)
            if whole < len(values):
                # from the last whole week's point (drawn by the line) to the hollow one
                step = values[max(0, whole - 1) :]
                hollow = [self.theme.background]
                ring = [pg.mkPen(colour, width=2)]
                self.partial_weeks.append(
                    self.plot.plot(
                        list(range(max(1, whole), len(values) + 1)),
                        step,
                        pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                        symbol="o",
                        symbolSize=7,
                        symbolBrush=[colour] * (len(step) - 1) + hollow,
                        symbolPen=[pg.mkPen(self.theme.background, width=1.5)] * (len(step) - 1)
                        + ring,
                    )
                )
            top = max(top, *values)
        self.plot.setXRange(0.6, comparison.weeks + 0.4, padding=0)
        fitted_ticks(self.plot, [(n, f"W{n}") for n in range(1, comparison.weeks + 1)])
        self.plot.setYRange(0, max(1.0, top * 1.1), padding=0)

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        comparison = self._comparison
        if comparison is None:
            return None
        number = column_at(point.x(), range(1, comparison.weeks + 1), 0.5)
        if number is None:
            return None
        rows = [(c.cohort_name, _week_value(c, number)) for c in comparison.cohorts]
        return tooltip_table(f"Week {number} of the cohort", rows, "Posts and replies per learner")


def _week_value(series: CohortSeries, number: int) -> str:
    """A cohort's figure for its week `number` (`—` past its last week), saying so when the
    week is not whole: `1.2 · 3 of 7 days`."""
    values = series.weekly_per_learner
    if number > len(values):
        return "—"
    text = f"{values[number - 1]:.1f}"
    if number == len(values) and series.last_week_days < 7:
        text += f" · {series.last_week_days} of 7 days"
    return text
