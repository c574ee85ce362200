"""The template library: name, purpose, stage, built in or own, how often used."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from cohortdesk.core.schemas import TemplateRow
from cohortdesk.ui.message_labels import PURPOSE_LABELS, template_stage_text
from cohortdesk.ui.models.row_table_model import LEFT, MUTED, RIGHT, RowTableModel

COL_NAME, COL_PURPOSE, COL_STAGE, COL_KIND, COL_USES = range(5)


def kind_text(row: TemplateRow) -> str:
    """`Built in`, `Own`, with `, retired` when it is."""
    return ("Built in" if row.builtin else "Own") + (" · retired" if row.retired else "")


class TemplatesModel(RowTableModel[TemplateRow]):
    """Templates in the order `list_templates` gives (by stage, any stage last, then name)."""

    HEADERS = ("Name", "Purpose", "Stage", "Kind", "Used")

    def display(self, row: TemplateRow, column: int) -> str:
        if column == COL_NAME:
            return row.name
        if column == COL_PURPOSE:
            return PURPOSE_LABELS[row.purpose]
        if column == COL_STAGE:
            return template_stage_text(row.stage)
        if column == COL_KIND:
            return kind_text(row)
        return str(row.uses)

    def tooltip(self, row: TemplateRow, column: int) -> str | None:
        if column == COL_NAME:
            return row.subject or None
        if column == COL_KIND:
            if row.builtin:
                return "Ships with cohortdesk and is kept as shipped: duplicate it to adapt it"
            return "Your own template: edit it freely"
        if column == COL_USES:
            return f"Nudges sent with it: {row.uses}"
        return None

    def foreground(self, row: TemplateRow, column: int) -> QColor | None:
        if row.retired or column == COL_KIND:
            return MUTED
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return RIGHT if column == COL_USES else LEFT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if (
            role == Qt.ItemDataRole.FontRole
            and index.isValid()
            and index.column() == COL_NAME
            and 0 <= index.row() < self.rowCount()
            and self.row_at(index.row()).retired
        ):
            font = QFont()
            font.setItalic(True)
            return font
        return super().data(index, role)
