"""The adopter curve (diffusion of innovations): learners by when they first contributed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from cohortdesk.core.schemas.dashboard import AdopterGroup
from cohortdesk.ui.charts.axes import category_ticks, integer_ticks
from cohortdesk.ui.charts.base import ChartCard, Selection, column_at, percent, tooltip_table

BAR_WIDTH = 0.7
NAMES_IN_TOOLTIP = 12
NOT_YET = "Not yet"
GROUP_COLOURS = ("#1d5f8a", "#2f7fb0", "#3aa39a", "#7cc2a6", "#b9dcc4")
"""Innovators darkest to laggards lightest: one hue, so the order reads as time."""


def names_text(names: Sequence[str]) -> str:
    """`Ana, Ben and 4 more`."""
    shown = ", ".join(names[:NAMES_IN_TOOLTIP])
    more = len(names) - NAMES_IN_TOOLTIP
    return f"{shown} and {more} more" if more > 0 else shown


class AdoptersChart(ChartCard):
    """Five bars in Rogers' order, the counts his curve expects drawn as a dashed line, and a
    grey bar for learners who have not contributed yet. A click on a bar selects its learners.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Adopter curve",
            "Learners by when they first contributed, in Rogers' five groups",
            parent,
        )
        self.plot = self.add_plot()
        self._groups: list[AdopterGroup] = []
        self._not_yet: list[str] = []
        self._not_yet_ids: list[int] = []
        self.bars: Any = None
        self.expected_curve: Any = None
        self.refresh()

    def set_data(
        self,
        groups: Sequence[AdopterGroup],
        not_yet_names: Sequence[str] = (),
        not_yet_ids: Sequence[int] = (),
    ) -> None:
        self._groups = list(groups)
        self._not_yet = list(not_yet_names)
        self._not_yet_ids = list(not_yet_ids)
        self.refresh()

    def contributing(self) -> int:
        return sum(len(g.membership_ids) for g in self._groups)

    def expected(self) -> list[float]:
        """What Rogers' shares predict for each group, given everyone who contributed."""
        total = self.contributing()
        return [g.share * total for g in self._groups]

    def redraw(self) -> None:
        self.plot.clear()
        if not self._groups and not self._not_yet:
            self.set_empty("Nobody has contributed yet")
            self.set_legend([])
            return
        self.set_empty(None)
        theme = self.theme
        counts = [len(g.membership_ids) for g in self._groups]
        positions: list[float] = list(range(len(self._groups)))
        brushes = [QColor(GROUP_COLOURS[i % len(GROUP_COLOURS)]) for i in range(len(counts))]
        labels = [g.category for g in self._groups]
        if self._not_yet:
            positions.append(len(self._groups) + 0.3)
            counts.append(len(self._not_yet))
            brushes.append(theme.translucent(theme.muted, 120))
            labels.append(NOT_YET)
        self.bars = pg.BarGraphItem(
            x=positions, height=counts, width=BAR_WIDTH, brushes=brushes, pen=pg.mkPen(None)
        )
        self.plot.addItem(self.bars)
        expected = self.expected()
        if self._groups:
            self.expected_curve = self.plot.plot(
                list(range(len(self._groups))),
                expected,
                pen=pg.mkPen(theme.foreground, width=1.5, style=Qt.PenStyle.DashLine),
                symbol="d",
                symbolSize=8,
                symbolBrush=theme.foreground,
                symbolPen=pg.mkPen(theme.background),
            )
        top = max(*counts, *expected, 1)
        for position, count in zip(positions, counts, strict=True):
            label = pg.TextItem(str(count), color=theme.foreground, anchor=(0.5, 1.0))
            label.setPos(position, count + top * 0.02)
            self.plot.addItem(label)
        self.plot.setXRange(-0.6, max(positions) + 0.6, padding=0)
        category_ticks(self.plot, list(zip(positions, labels, strict=True)))
        self.plot.setYRange(0, top * 1.18, padding=0)
        integer_ticks(self.plot, top)
        self.set_legend(
            [
                (QColor(GROUP_COLOURS[2]), "Learners in the group"),
                (theme.foreground, "Expected by Rogers' curve"),
            ]
        )

    def _bar(self, x: float) -> tuple[AdopterGroup | None, bool]:
        """The group under `x`, and whether it is the "not yet" bar."""
        position = column_at(x, range(len(self._groups)), 0.4)
        if position is not None:
            return self._groups[position], False
        if self._not_yet and abs(x - (len(self._groups) + 0.3)) <= 0.4:
            return None, True
        return None, False

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        group, not_yet = self._bar(point.x())
        if not_yet:
            rows = [("Learners", str(len(self._not_yet)))]
            footer = names_text(self._not_yet)
            if self._not_yet_ids:
                footer += "\nClick to select them in the roster"
            return tooltip_table("Not contributing yet", rows, footer)
        if group is None:
            return None
        count, total = len(group.membership_ids), self.contributing()
        rows = [
            ("Learners", str(count)),
            ("Of those who contributed", percent(count / total) if total else "—"),
            ("Rogers' curve expects", percent(group.share)),
        ]
        footer = names_text(group.names)
        if group.membership_ids:
            footer += "\nClick to select them in the roster"
        return tooltip_table(group.category, rows, footer)

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        group, not_yet = self._bar(point.x())
        if not_yet and self._not_yet_ids:
            return Selection(tuple(self._not_yet_ids), "learners who have not contributed yet")
        if group is None or not group.membership_ids:
            return None
        return Selection(
            tuple(group.membership_ids), f"{group.category.lower()} on the adopter curve"
        )
