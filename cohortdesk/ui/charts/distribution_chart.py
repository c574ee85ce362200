"""Access and motivation: the two things to settle before anyone can be asked to contribute."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QWidget

from cohortdesk.core.enums import AccessStatus
from cohortdesk.core.schemas import AttentionSettings
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.axes import category_ticks
from cohortdesk.ui.charts.base import ChartCard, Selection, column_at, percent, tooltip_table

ACCESS_ORDER = (AccessStatus.NOT_YET, AccessStatus.PROBLEM, AccessStatus.ACCESSED)
RATINGS = (0, 1, 2, 3, 4, 5)
"""0 stands for "no check-in yet"."""
BAR_WIDTH = 0.7


def rating_label(rating: int) -> str:
    return "No check-in" if rating == 0 else f"{rating} · {fmt.MOTIVATION_LABELS[rating]}"


class DistributionChart(ChartCard):
    """Left: learners by access status. Right: learners by latest motivation rating.

    A click on a bar selects those learners.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Access and motivation",
            "Nobody can contribute before they have access and a reason to come",
            parent,
        )
        self.access_plot = self.add_plot(0, 0, title="Access")
        self.motivation_plot = self.add_plot(0, 1, title="Motivation (latest check-in)")
        layout = self.view.ci.layout
        layout.setColumnStretchFactor(0, 2)
        layout.setColumnStretchFactor(1, 3)
        self._access: dict[AccessStatus, int] = {}
        self._motivation: dict[int, int] = {}
        self._access_ids: dict[AccessStatus, list[int]] = {}
        self._motivation_ids: dict[int, list[int]] = {}
        self._low = AttentionSettings().low_motivation
        self.access_bars: Any = None
        self.motivation_bars: Any = None
        self.refresh()

    def set_data(
        self,
        access: Mapping[AccessStatus, int],
        motivation: Mapping[int, int],
        low_motivation: int,
        access_ids: Mapping[AccessStatus, Sequence[int]] | None = None,
        motivation_ids: Mapping[int, Sequence[int]] | None = None,
    ) -> None:
        """Learner counts by access status and by rating; the ids make bars clickable.

        Ratings at or below the cohort's `low_motivation` are red.
        """
        self._low = low_motivation
        self._access = {s: access.get(s, 0) for s in ACCESS_ORDER}
        self._motivation = {r: motivation.get(r, 0) for r in RATINGS}
        self._access_ids = {s: list(v) for s, v in (access_ids or {}).items()}
        self._motivation_ids = {r: list(v) for r, v in (motivation_ids or {}).items()}
        self.refresh()

    def redraw(self) -> None:
        for plot in self.plots:
            plot.clear()
        if not sum(self._access.values()) and not sum(self._motivation.values()):
            self.set_empty("No learners in this cohort yet")
            return
        self.set_empty(None)
        theme = self.theme
        self.access_bars = self._bars(
            self.access_plot,
            [self._access[s] for s in ACCESS_ORDER],
            [theme.access(s) for s in ACCESS_ORDER],
            [fmt.ACCESS_LABELS[s] for s in ACCESS_ORDER],
        )
        self.motivation_bars = self._bars(
            self.motivation_plot,
            [self._motivation[r] for r in RATINGS],
            [theme.motivation(r, self._low) for r in RATINGS],
            ["None", *(str(r) for r in RATINGS[1:])],
        )

    def _bars(self, plot: Any, heights: list[int], colours: list[Any], labels: list[str]) -> Any:
        positions = list(range(len(heights)))
        bars = pg.BarGraphItem(
            x=positions,
            height=heights,
            width=BAR_WIDTH,
            brushes=colours,
            pen=pg.mkPen(self.theme.outline),
        )
        plot.addItem(bars)
        top = max(heights) or 1
        for position, count in zip(positions, heights, strict=True):
            label = pg.TextItem(str(count), color=self.theme.foreground, anchor=(0.5, 1.0))
            label.setPos(position, count + top * 0.02)
            plot.addItem(label)
        plot.hideAxis("left")
        plot.setXRange(-0.6, len(heights) - 0.4, padding=0)
        category_ticks(plot, list(zip(positions, labels, strict=True)))
        plot.setYRange(0, top * 1.18, padding=0)
        return bars

    def _group(self, plot: Any, x: float) -> tuple[str, int, int, list[int]] | None:
        """(label, count, total, ids) of the bar at `x`."""
        if plot is self.access_plot:
            position = column_at(x, range(len(ACCESS_ORDER)), 0.4)
            if position is None:
                return None
            status = ACCESS_ORDER[position]
            return (
                f"Access: {fmt.ACCESS_LABELS[status]}",
                self._access[status],
                sum(self._access.values()),
                self._access_ids.get(status, []),
            )
        position = column_at(x, range(len(RATINGS)), 0.4)
        if position is None:
            return None
        rating = RATINGS[position]
        return (
            f"Motivation: {rating_label(rating)}",
            self._motivation[rating],
            sum(self._motivation.values()),
            self._motivation_ids.get(rating, []),
        )

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        group = self._group(plot, point.x())
        if group is None:
            return None
        label, count, total, ids = group
        rows = [("Learners", str(count)), ("Share", percent(count / total) if total else "—")]
        return tooltip_table(label, rows, "Click to select them in the roster" if ids else "")

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        group = self._group(plot, point.x())
        if group is None or not group[3]:
            return None
        label, _count, _total, ids = group
        return Selection(tuple(ids), f"learners with {label[0].lower()}{label[1:]}")
