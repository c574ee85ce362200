"""One member's weeks: activity stacked by kind, with their stage changes marked on top."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QWidget

from cohortdesk.core.schemas import StageChangeRow
from cohortdesk.core.schemas.dashboard import MemberActivity, Week
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.axes import integer_ticks, week_ticks
from cohortdesk.ui.charts.base import ChartCard, column_at, tooltip_table, week_heading
from cohortdesk.ui.charts.theme import KIND_LABELS, KIND_ORDER

BAR_WIDTH = 0.75
MINIMUM_PLOT_HEIGHT = 80


def week_position(weeks: Sequence[Week], day: date) -> float | None:
    """Where a day falls on the x axis (bars sit at x = week number), or None outside."""
    for week in weeks:
        offset = (day - week.starts).days
        if 0 <= offset < 7:
            return week.number - 0.5 + offset / 7
    return None


class MemberActivityChart(ChartCard):
    """Bars per week by kind; a dashed line where the member moved to another stage."""

    PLOT_HEIGHT = 170

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Activity week by week", "What they did each week, and when their stage changed", parent
        )
        self.plot = self.add_plot()
        # It shares a narrow panel with the events table: short, and shrinking when the
        # window does rather than making the whole window taller.
        self.subtitle_label.hide()
        self.set_plot_height(self.PLOT_HEIGHT)
        self.view.setMinimumHeight(MINIMUM_PLOT_HEIGHT)
        self.empty_label.setMinimumHeight(MINIMUM_PLOT_HEIGHT)
        self._activity: MemberActivity | None = None
        self._changes: list[tuple[float, StageChangeRow]] = []
        self.bars: dict[Any, Any] = {}
        self.markers: list[Any] = []
        self.refresh()

    def set_data(
        self,
        activity: MemberActivity | None,
        stage_history: Sequence[StageChangeRow] = (),
        timezone: str = "UTC",
    ) -> None:
        """The member's weeks (None: nothing yet) and stage history (any order)."""
        self._activity = activity
        self._changes = []
        if activity is not None:
            for change in stage_history:
                if change.from_stage is None:
                    continue  # the stage they joined at is not a move
                where = week_position(activity.weeks, fmt.local_date(change.changed_at, timezone))
                if where is not None:
                    self._changes.append((where, change))
        kinds = self.kinds()
        self.set_legend([(self.theme.kind(k), KIND_LABELS[k]) for k in kinds])
        self.refresh()

    def kinds(self) -> list[Any]:
        if self._activity is None:
            return []
        present = {k for k, values in self._activity.by_kind.items() if any(values)}
        return [k for k in KIND_ORDER if k in present]

    def stage_markers(self) -> list[tuple[float, int]]:
        """(x, stage moved to) of each marked stage change."""
        return [(x, change.to_stage) for x, change in self._changes]

    def redraw(self) -> None:
        self.plot.clear()
        self.bars, self.markers = {}, []
        activity = self._activity
        if activity is None or not activity.weeks or not any(activity.counts):
            self.set_empty("No activity recorded yet")
            return
        self.set_empty(None)
        numbers = [w.number for w in activity.weeks]
        base = [0] * len(numbers)
        for kind in self.kinds():
            heights = activity.by_kind[kind]
            bars = pg.BarGraphItem(
                x=numbers,
                height=heights,
                y0=list(base),
                width=BAR_WIDTH,
                brush=self.theme.kind(kind),
                pen=pg.mkPen(self.theme.outline),
            )
            self.plot.addItem(bars)
            self.bars[kind] = bars
            base = [b + h for b, h in zip(base, heights, strict=True)]
        top = max(base) or 1
        for x, change in self._changes:
            colour = self.theme.stage(change.to_stage)
            line = pg.InfiniteLine(
                x,
                90,
                pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                label=f"→ {change.to_stage}",
                labelOpts={"position": 0.92, "color": colour, "anchors": [(0, 0.5), (0, 0.5)]},
            )
            self.plot.addItem(line)
            self.markers.append(line)
        week_ticks(self.plot, activity.weeks)
        self.plot.setXRange(min(numbers) - 0.6, max(numbers) + 0.6, padding=0)
        self.plot.setYRange(0, top * 1.15, padding=0)
        integer_ticks(self.plot, top, count=3)

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        activity = self._activity
        if activity is None:
            return None
        number = column_at(point.x(), [w.number for w in activity.weeks])
        if number is None:
            return None
        position = [w.number for w in activity.weeks].index(number)
        rows = [
            (KIND_LABELS[k], str(activity.by_kind[k][position]))
            for k in reversed(self.kinds())
            if activity.by_kind[k][position]
        ]
        rows.append(("Total", str(activity.counts[position])))
        moves = [
            f"Moved to stage {fmt.stage_label(c.to_stage)}"
            for x, c in self._changes
            if number - 0.5 <= x < number + 0.5
        ]
        return tooltip_table(week_heading(activity.weeks[position]), rows, "\n".join(moves))
