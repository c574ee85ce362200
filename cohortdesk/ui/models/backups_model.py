"""The backups of the open database, newest first, for the Restore dialog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt

from cohortdesk.core.storage.backup import BackupInfo
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.row_table_model import LEFT, RIGHT, RowTableModel

COL_MADE, COL_KIND, COL_SIZE, COL_FILE = range(4)

KIND_LABELS = {
    "daily": "Daily",
    "before-import": "Before an import",
    "before-upgrade": "Before an upgrade",
    "before-restore": "Before a restore",
    "manual": "Made by hand",
}


@dataclass(frozen=True)
class BackupRow:
    """One backup file; `id` is its place in the list (backups have no database id)."""

    id: int
    info: BackupInfo


def rows_of(backups: list[BackupInfo]) -> list[BackupRow]:
    return [BackupRow(number, info) for number, info in enumerate(backups, start=1)]


def size_text(size: int) -> str:
    """`1.4 MB`, `820 KB`."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def made_text(moment: datetime) -> str:
    """When a backup was made, in the computer's time zone."""
    local = moment.astimezone()
    return f"{fmt.short_date(local.date())} {local:%H:%M}"


class BackupsModel(RowTableModel[BackupRow]):
    """When, why, how big and which file."""

    HEADERS = ("Made", "Why", "Size", "File")

    def display(self, row: BackupRow, column: int) -> str:
        info = row.info
        if column == COL_MADE:
            return made_text(info.made_at)
        if column == COL_KIND:
            return KIND_LABELS.get(info.kind.value, info.label)
        if column == COL_SIZE:
            return size_text(info.size)
        return info.path.name

    def tooltip(self, row: BackupRow, column: int) -> str | None:
        return str(row.info.path)

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return RIGHT if column == COL_SIZE else LEFT
