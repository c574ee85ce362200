"""How wide the roster's columns are: each as wide as what it shows, the name gets the rest."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

from cohortdesk.core.stages import all_stages
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.roster_model import (
    COL_ACCESS,
    COL_LAST_ACTIVE,
    COL_MOTIVATION,
    COL_NAME,
    COL_PEER_REPLIES,
    COL_POSTS,
    COL_REPLIES,
    COL_ROLE,
    COL_STAGE,
)

NAME_MINIMUM = 130
"""Below this the table scrolls sideways rather than cut names to a few letters."""
VALUE_PADDING = 10  # a cell's margins, both sides
ICON_SPACE = 22  # a stage square or access dot, and the gap after it


def sort_arrow_space(style: QStyle) -> int:
    """The room a heading needs for the sort arrow beside its text."""
    metric = QStyle.PixelMetric
    return style.pixelMetric(metric.PM_HeaderMarkSize) + style.pixelMetric(metric.PM_HeaderMargin)


def column_widths(table: QTableView) -> dict[int, int]:
    """Every column but the name, as wide as its heading (without the sort arrow, which only
    the sorted column shows) or its longest value, whichever is wider."""
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    arrow = sort_arrow_space(table.style())

    def fit(column: int, *values: str, extra: int = 0) -> int:
        heading = header.sectionSizeHint(column) - arrow
        widest = max(metrics.horizontalAdvance(v) for v in values) + extra + VALUE_PADDING
        return max(heading, widest)

    stages = [f"{s.number} · {s.short}" for s in all_stages()]
    return {
        COL_ROLE: fit(COL_ROLE, *fmt.ROLE_LABELS.values()),
        COL_STAGE: fit(COL_STAGE, *stages, extra=ICON_SPACE),
        COL_ACCESS: fit(COL_ACCESS, *fmt.ACCESS_LABELS.values(), extra=ICON_SPACE),
        COL_MOTIVATION: fit(COL_MOTIVATION, "5 ↑"),
        COL_POSTS: fit(COL_POSTS, "9999"),
        COL_REPLIES: fit(COL_REPLIES, "9999"),
        COL_PEER_REPLIES: fit(COL_PEER_REPLIES, "9999"),
        COL_LAST_ACTIVE: fit(COL_LAST_ACTIVE, "12 days ago", "30 Sep 2026", "yesterday"),
    }


class RosterColumns(QObject):
    """Sizes a roster table's columns, and keeps the name column filling the spare width.

    The other columns keep the width they were given (or the user dragged them to); the name
    column takes what is left of the view, never less than `NAME_MINIMUM`.

    Args:
        table: the roster's view.
    """

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.widths = column_widths(table)
        self._arrow = sort_arrow_space(table.style())
        self._sorted: int | None = None
        for column, width in self.widths.items():
            table.setColumnWidth(column, width)
        header.sectionResized.connect(self._section_resized)
        header.sortIndicatorChanged.connect(self._sorted_by)
        table.viewport().installEventFilter(self)
        self._sorted_by(header.sortIndicatorSection())

    def fit_name(self) -> None:
        """Give the name column the width the other columns leave."""
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c != COL_NAME and not header.isSectionHidden(c)
        )
        width = max(NAME_MINIMUM, self.table.viewport().width() - others)
        if header.sectionSize(COL_NAME) != width:
            header.resizeSection(COL_NAME, width)

    @Slot(int)
    def _sorted_by(self, column: int, _order: object = None) -> None:
        """Make room for the arrow in the sorted column's heading, and take it back from the
        column sorted before (unless the user has resized it since)."""
        if column == self._sorted:
            return
        previous, self._sorted = self._sorted, column
        if previous in self.widths and self.table.columnWidth(previous) == (
            self.widths[previous] + self._arrow
        ):
            self.table.setColumnWidth(previous, self.widths[previous])
        if column in self.widths and self.table.columnWidth(column) == self.widths[column]:
            self.table.setColumnWidth(column, self.widths[column] + self._arrow)
        self.fit_name()

    @Slot(int, int, int)
    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != COL_NAME:
            self.fit_name()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit_name()
        return False
