"""Stage suggestions on the Today screen: who shows evidence of a next stage, and why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from cohortdesk.core.schemas import StageSuggestion
from cohortdesk.core.stages import stage
from cohortdesk.ui.icons import square_icon
from cohortdesk.ui.models.row_table_model import RowTableModel

COL_NAME, COL_MOVE, COL_EVIDENCE = range(3)
SUGGESTION_ROLE = int(Qt.ItemDataRole.UserRole) + 10


class _Keyed:
    __slots__ = ("id", "suggestion")

    def __init__(self, suggestion: StageSuggestion) -> None:
        self.id = suggestion.membership_id
        self.suggestion = suggestion


def evidence_text(suggestion: StageSuggestion, separator: str = "\n") -> str:
    """The evidence lines, one per line (or joined by `separator`)."""
    return separator.join(line.detail for line in suggestion.evidence)


class SuggestionsModel(RowTableModel[_Keyed]):
    """One row per suggested move up the staircase, by name."""

    HEADERS = ("Name", "Suggested move", "Evidence")

    def set_suggestions(self, suggestions: list[StageSuggestion]) -> None:
        self.set_rows([_Keyed(s) for s in suggestions])

    def suggestion_at(self, row: int) -> StageSuggestion:
        return self.row_at(row).suggestion

    def suggestions(self) -> list[StageSuggestion]:
        return [row.suggestion for row in self.rows()]

    def display(self, row: _Keyed, column: int) -> str:
        s = row.suggestion
        if column == COL_NAME:
            return s.name
        if column == COL_MOVE:
            return f"{s.from_stage} → {stage(s.to_stage).label}"
        return evidence_text(s, "; ")  # one line; each line of it in the tooltip

    def tooltip(self, row: _Keyed, column: int) -> str | None:
        s = row.suggestion
        if column == COL_MOVE:
            return f"From {stage(s.from_stage).label} to {stage(s.to_stage).label}"
        if column == COL_EVIDENCE:
            return evidence_text(s)
        return s.email or None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if role == SUGGESTION_ROLE:
            return self.suggestion_at(index.row())
        if role == Qt.ItemDataRole.DecorationRole and index.column() == COL_MOVE:
            return square_icon(stage(self.suggestion_at(index.row()).to_stage).colour)
        return super().data(index, role)
