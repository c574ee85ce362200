"""Sorting and filtering the roster: by text (name or email), role and stage."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from cohortdesk.core.enums import Role
from cohortdesk.ui.models.roster_model import ROW_ROLE, SORT_ROLE


class RosterFilter(QSortFilterProxyModel):
    """Keeps the rows that match every filter that is set; sorts by raw values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._text = ""
        self._role: Role | None = None
        self._stage: int | None = None

    def set_filters(self, text: str, role: Role | None, stage: int | None) -> None:
        """Show only the rows whose name or email holds every word of `text`, with this
        role and at this stage (None: any)."""
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self._role = role
        self._stage = stage
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def stage(self) -> int | None:
        return self._stage

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        if row is None:
            return False
        if self._role is not None and row.role != self._role:
            return False
        if self._stage is not None and row.stage != self._stage:
            return False
        if self._text:
            haystack = f"{row.name} {row.email}".casefold()
            return all(word in haystack for word in self._text.split())
        return True
