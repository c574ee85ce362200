"""Member x week heatmap: who went quiet, and when.

Drawn as one image (pyqtgraph's ImageItem), one pixel row per member, so 5,000 members cost
what one picture costs, not 5,000 x weeks rectangles. Learners are grouped by stage (stage 1,
the ones who need the facilitator most, on top), busiest first within a stage; staff last.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QWidget

from cohortdesk.core.enums import Role
from cohortdesk.core.schemas.dashboard import HeatmapRow, Week
from cohortdesk.core.schemas.report import Finding
from cohortdesk.core.services.dashboards.story import sentence
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.axes import fitted_ticks
from cohortdesk.ui.charts.base import ChartCard, Selection, days_shown, tooltip_table, week_heading

ROW_PIXELS = 16
"""Row height while the cohort is small enough to show every name."""
MIN_HEIGHT, MAX_HEIGHT = 200, 560
NAME_PIXELS = 11
"""Below this many pixels per row the axis names stage groups instead of people."""
AXIS_WIDTH = 150
STRIP = (-0.42, 0.32)
"""Where the stage colour strip sits left of week 1 (x, width)."""
STAFF_GROUP = "Staff"
PARTIAL_ALPHA = 110


def heatmap_order(rows: Sequence[HeatmapRow]) -> list[HeatmapRow]:
    """Learners by stage (1 first), busiest first within a stage, then staff by role."""

    def key(row: HeatmapRow) -> tuple[int, int, int, str]:
        staff = row.role is not Role.LEARNER
        return (int(staff), row.stage if not staff else 0, -sum(row.counts), row.name.casefold())

    return sorted(rows, key=key)


def count_matrix(rows: Sequence[HeatmapRow], width: int) -> NDArray[np.int64]:
    """Members' weekly counts as a rows x `width` array (missing weeks count 0)."""
    counts = np.zeros((len(rows), width), dtype=np.int64)
    if rows and all(len(r.counts) == width for r in rows):
        counts[:] = [r.counts for r in rows]
        return counts
    for position, row in enumerate(rows):
        values = row.counts[:width]
        counts[position, : len(values)] = values
    return counts


def heat_image(counts: NDArray[np.int64], lookup: NDArray[np.uint8], empty: QColor) -> Any:
    """RGBA pixels (rows x weeks): no activity in the faint `empty` colour, then the scale.

    The scale is a square root up to the 98th percentile, so one very busy member does not
    wash out everyone else.
    """
    image = np.empty((*counts.shape, 4), dtype=np.uint8)
    image[...] = (empty.red(), empty.green(), empty.blue(), 255)
    positive = counts > 0
    if positive.any():
        ceiling = max(1.0, float(np.percentile(counts[positive], 98)))
        share = np.sqrt(np.minimum(counts, ceiling) / ceiling)
        index = (1 + np.round(share * (len(lookup) - 2))).astype(np.intp)
        image[positive] = lookup[index[positive]]
    return image


class NameAxis(pg.AxisItem):  # type: ignore[misc]
    """Member names when rows are tall enough to read; stage groups otherwise."""

    def __init__(self) -> None:
        super().__init__("left")
        self.names: list[str] = []
        self.groups: list[tuple[float, str]] = []
        self._labels: dict[float, str] = {}
        self.setWidth(AXIS_WIDTH)

    def tickValues(self, low: float, high: float, size: float) -> list[Any]:
        low, high = sorted((low, high))  # the axis runs top down (inverted)
        span = high - low
        if not self.names or span <= 0:
            self._labels = {}
            return []
        metrics = QFontMetrics(self.style.get("tickFont") or self.font())
        if size / span >= NAME_PIXELS:
            first = max(0, math.floor(low))
            last = min(len(self.names), math.ceil(high))
            self._labels = {
                row + 0.5: metrics.elidedText(
                    self.names[row], Qt.TextElideMode.ElideRight, AXIS_WIDTH - 12
                )
                for row in range(first, last)
            }
        else:
            self._labels = {centre: text for centre, text in self.groups if low <= centre <= high}
        return [(1.0, sorted(self._labels))]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [self._labels.get(value, "") for value in values]


class HeatmapChart(ChartCard):
    """Members down, weeks across; darker (or brighter, in a dark theme) is busier.

    Hover a cell for the exact count; click it to select that member in the roster. Scroll
    the wheel over it to zoom in on a big cohort.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Who went quiet, and when",
            "Every member's activity week by week, grouped by stage; blank cells are silent weeks",
            parent,
        )
        self.name_axis = NameAxis()
        self.plot = self.add_plot(axisItems={"left": self.name_axis})
        self.plot.setMouseEnabled(x=False, y=True)
        self.plot.invertY(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.strip = pg.ImageItem(axisOrder="row-major")
        self._rows: list[HeatmapRow] = []
        self._weeks: list[Week] = []
        self._counts: NDArray[np.int64] = np.zeros((0, 0), dtype=np.int64)
        self._quiet: Finding | None = None
        self._group_names: list[str] = []
        """Each row's group ("Stage 2", "Staff"), in the order shown."""
        self._span: tuple[date | None, date | None] = (None, None)
        self.refresh()

    def set_data(
        self,
        rows: Sequence[HeatmapRow],
        weeks: Sequence[Week],
        start: date | None = None,
        end: date | None = None,
        *,
        quiet: Finding | None = None,
    ) -> None:
        """Members' weekly counts; `start` and `end` (the range) mark weeks it cuts short;
        `quiet` is the dashboard's finding of who went quiet, said above the chart."""
        self._rows = heatmap_order(rows)
        self._weeks = list(weeks)
        self._span = (start, end)
        self._counts = count_matrix(self._rows, len(self._weeks))
        self._group_names = [self._group_name(row) for row in self._rows]
        height = min(MAX_HEIGHT, max(MIN_HEIGHT, len(self._rows) * ROW_PIXELS + 40))
        self.set_plot_height(height)
        self.name_axis.names = [self._row_name(r) for r in self._rows]
        self.name_axis.groups = self._groups()
        self._quiet = quiet
        self.refresh()

    @staticmethod
    def _row_name(row: HeatmapRow) -> str:
        if row.role is Role.LEARNER:
            return row.name
        return f"{row.name} ({fmt.ROLE_LABELS[row.role].lower()})"

    def _groups(self) -> list[tuple[float, str]]:
        """(centre row, "Stage 2 · 14") for each run of rows at one stage; staff as one."""
        groups: list[tuple[float, str]] = []
        start = 0
        for position in range(1, len(self._rows) + 1):
            names = self._group_names
            if position == len(names) or names[position] != names[start]:
                label = names[start]
                groups.append(((start + position) / 2, f"{label} · {position - start:,}"))
                start = position
        return groups

    @staticmethod
    def _group_name(row: HeatmapRow) -> str:
        return STAFF_GROUP if row.role is not Role.LEARNER else f"Stage {row.stage}"

    def rows(self) -> list[HeatmapRow]:
        """The rows in the order shown, top down."""
        return list(self._rows)

    def counts(self) -> NDArray[np.int64]:
        return self._counts.copy()

    def redraw(self) -> None:
        self.plot.clear()
        if self._quiet is not None:
            self.set_notes([sentence(self._quiet)], alert=True)
        else:
            self.set_notes([])
        if not self._rows or not self._weeks:
            self.set_empty("No members to show yet")
            return
        self.set_empty(None)
        theme = self.theme
        empty = QColor(theme.grid)
        empty.setAlpha(255)
        pixels = heat_image(self._counts, theme.heat_lookup(), _lighter(theme, empty))
        for column, week in enumerate(self._weeks):
            if days_shown(week, *self._span) < 7:
                pixels[:, column, 3] = PARTIAL_ALPHA  # a week the range cuts short, faded
        rows, width = self._counts.shape
        self.image.setImage(pixels, autoLevels=False)
        self.image.setRect(QRectF(0, 0, width, rows))
        self.plot.addItem(self.image)
        colours = {name: self._strip_colour(name) for name in set(self._group_names)}
        strip = np.array([colours[name] for name in self._group_names], dtype=np.uint8).reshape(
            rows, 1, 4
        )
        self.strip.setImage(strip, autoLevels=False)
        self.strip.setRect(QRectF(STRIP[0], 0, STRIP[1], rows))
        self.plot.addItem(self.strip)
        if rows <= 200:
            for column in range(1, width):
                self.plot.addItem(pg.InfiniteLine(column, 90, pen=pg.mkPen(theme.background)))
        groups = self._group_names
        for position in range(1, rows):
            if groups[position] != groups[position - 1]:
                pen = pg.mkPen(theme.translucent(theme.foreground, 150), width=1)
                line = pg.InfiniteLine(position, 0, pen=pen)
                self.plot.addItem(line)
        # Bars elsewhere sit at x = week number; here column 0 is the first week shown.
        first = self._weeks[0].number
        fitted_ticks(self.plot, [(w.number - first + 0.5, f"W{w.number}") for w in self._weeks])
        view = self.plot.getViewBox()
        view.setLimits(xMin=STRIP[0] - 0.05, xMax=width, yMin=0, yMax=rows, minYRange=min(rows, 5))
        self.plot.setXRange(STRIP[0] - 0.05, width, padding=0)
        self.plot.setYRange(0, rows, padding=0)

    def _strip_colour(self, group: str) -> tuple[int, int, int, int]:
        """The colour beside a group's rows: its stage's, or muted for staff."""
        theme = self.theme
        colour = theme.muted if group == STAFF_GROUP else theme.stage(int(group.split()[-1]))
        return (colour.red(), colour.green(), colour.blue(), 255)

    # -- interaction ---------------------------------------------------------------------

    def cell_at(self, point: QPointF) -> tuple[HeatmapRow, Week, int] | None:
        """The member, week and count under a point, or None outside the cells."""
        row, column = math.floor(point.y()), math.floor(point.x())
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._weeks)):
            return None
        return self._rows[row], self._weeks[column], int(self._counts[row, column])

    def cell_centre(self, row: int, column: int) -> QPointF:
        """The data point in the middle of a cell (tests hover and click there)."""
        return QPointF(column + 0.5, row + 0.5)

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        cell = self.cell_at(point)
        if cell is None:
            return None
        row, week, count = cell
        total = sum(row.counts)
        who = self._row_name(row)
        rows = [
            (week_heading(week, *self._span), fmt.plural(count, "action")),
            ("In the whole range", fmt.plural(total, "action")),
            ("Stage", fmt.stage_label(row.stage)),
        ]
        return tooltip_table(who, rows, "Click to select them in the roster")

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        cell = self.cell_at(point)
        if cell is None:
            return None
        return Selection((cell[0].membership_id,), cell[0].name)


def _lighter(theme: Any, grid: QColor) -> QColor:
    """The colour of a silent week: a step off the background, quieter than the grid."""
    back = theme.background
    return QColor(
        (grid.red() + 2 * back.red()) // 3,
        (grid.green() + 2 * back.green()) // 3,
        (grid.blue() + 2 * back.blue()) // 3,
    )
