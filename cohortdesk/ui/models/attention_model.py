"""The Today list: one row per learner who needs the facilitator, most urgent first.

Rows keep the order `core/services/attention/attention.py` gives them (the priority, then
the oldest reason): the list is a ranking, so it is not re-sorted by column.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from cohortdesk.core.schemas import AttentionItem, ReasonCode
from cohortdesk.core.stages import stage
from cohortdesk.ui.icons import square_icon
from cohortdesk.ui.message_labels import (
    REASON_CHIPS,
    days_ago,
    priority_parts,
    suggestion_reason,
)
from cohortdesk.ui.models.row_table_model import CENTER, LEFT, MUTED, RIGHT, RowTableModel

COL_PRIORITY, COL_NAME, COL_STAGE, COL_REASONS, COL_NUDGED, COL_ACTION = range(6)
ITEM_ROLE = int(Qt.ItemDataRole.UserRole) + 10
"""The row's `AttentionItem`."""
RECENT_ROLE = int(Qt.ItemDataRole.UserRole) + 11
"""True when the learner was nudged recently (the Nudged column draws a badge)."""
REASON_CHIPS_ROLE = int(Qt.ItemDataRole.UserRole) + 12
"""The reasons as `(short label, quiet)` chips for the Why column's delegate (quiet: it does
not raise the priority); the full reasons are in the cell's tooltip."""
PRIORITY_PARTS_ROLE = int(Qt.ItemDataRole.UserRole) + 13
"""What the priority is made of, one short part per reason: `+35 silent 12 days`."""

NUDGE_TEXT = "Nudge…"


class _Keyed:
    """An `AttentionItem` with the `id` `RowTableModel` looks rows up by (the membership)."""

    __slots__ = ("id", "item")

    def __init__(self, item: AttentionItem) -> None:
        self.id = item.membership_id
        self.item = item


def reason_chips(item: AttentionItem) -> list[tuple[str, bool]]:
    """Each reason as a short label, weightiest first: one line whatever the details say."""
    return [(REASON_CHIPS[r.code], r.weight <= 0) for r in item.reasons]


def reason_lines(item: AttentionItem) -> str:
    """Each reason on its own line, its share of the priority first: `+60  Open access…`."""
    return "\n".join(f"{r.weight:+d}  {r.detail}" for r in item.reasons)


def priority_tip(item: AttentionItem) -> str:
    """`Priority 65:` then one part per line: `+35 silent 12 days`, `+30 …`."""
    return "\n".join([f"Priority {item.priority}:", *priority_parts(item.reasons)])


class AttentionModel(RowTableModel[_Keyed]):
    """Adapter over the attention list; `today` and `timezone` date the nudge badges."""

    HEADERS = ("Priority", "Name", "Stage", "Why they need you", "Last nudge", "")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = date.today()

    def set_items(self, items: list[AttentionItem], timezone: str, today: date) -> None:
        """Show these learners (as ranked), their nudge dates in the cohort's zone."""
        self.today = today
        self.set_rows([_Keyed(item) for item in items], timezone)

    def items(self) -> list[AttentionItem]:
        return [row.item for row in self.rows()]

    def item_at(self, row: int) -> AttentionItem:
        return self.row_at(row).item

    def display(self, row: _Keyed, column: int) -> str:
        item = row.item
        if column == COL_PRIORITY:
            return str(item.priority)
        if column == COL_NAME:
            return item.name
        if column == COL_STAGE:
            return f"{item.stage} · {stage(item.stage).short}"
        if column == COL_REASONS:
            return " · ".join(label for label, _quiet in reason_chips(item))
        if column == COL_NUDGED:
            if item.last_nudged_at is None:
                return ""
            return "nudged " + days_ago(item.last_nudged_at, self.timezone, self.today)
        return NUDGE_TEXT

    def tooltip(self, row: _Keyed, column: int) -> str | None:
        item = row.item
        if column == COL_PRIORITY:
            return priority_tip(item)
        if column == COL_NAME:
            return item.email or "No email address recorded"
        if column == COL_STAGE:
            return stage(item.stage).label
        if column == COL_REASONS:
            template = item.suggested_template or "no template fits"
            why = suggestion_reason(item.suggested_for, item.stage)
            return f"{reason_lines(item)}\n\nSuggested message: {template}" + (
                f" ({why})" if why else ""
            )
        if column == COL_NUDGED and item.recently_nudged:
            return (
                "Nudged recently: they sink down the list, so nobody is nagged twice in a few days"
            )
        if column == COL_ACTION:
            return f"Write to {item.name} with the suggested template"
        return None

    def foreground(self, row: _Keyed, column: int) -> QColor | None:
        if row.item.recently_nudged and column != COL_ACTION:
            return MUTED
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        if column == COL_PRIORITY:
            return RIGHT
        if column == COL_ACTION:
            return CENTER
        return LEFT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        item = self.item_at(index.row())
        if role == ITEM_ROLE:
            return item
        if role == RECENT_ROLE:
            return item.recently_nudged
        if role == PRIORITY_PARTS_ROLE:
            return priority_parts(item.reasons)
        if role == REASON_CHIPS_ROLE:
            return reason_chips(item)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == COL_STAGE:
            return square_icon(stage(item.stage).colour)
        return super().data(index, role)


def recently_nudged_count(items: list[AttentionItem]) -> int:
    return sum(any(r.code is ReasonCode.RECENTLY_NUDGED for r in i.reasons) for i in items)
