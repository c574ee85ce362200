"""File > Restore from backup…: the backups with their date and size, or any backup file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.storage.backup import BackupInfo
from cohortdesk.ui.models.backups_model import COL_FILE, BackupsModel, made_text, rows_of
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table, selected_id

EMPTY_TEXT = "No backups yet: cohortdesk makes one every day, before every import and upgrade."


def restore_question(path: Path, made: str | None) -> str:
    """The confirmation before a restore, saying what happens to the current data."""
    when = f" from {made}" if made else ""
    return (
        f"Replace the data now in cohortdesk with the backup{when} ({path.name})?\n\n"
        "Everything recorded since that backup will no longer show. The data as it is now "
        "is kept first, as a backup listed here (“Before a restore”), so this can be undone "
        "by restoring that one."
    )


class RestoreDialog(QDialog):
    """Pick a backup to restore; `restore_requested(path)` once the user has confirmed.

    Args:
        backups: the backups of the open database, newest first.
        backup_dir: where "Choose file…" starts.
        parent: the main window.
    """

    restore_requested = Signal(object)
    """The user chose and confirmed this backup file (a Path)."""

    def __init__(
        self, backups: list[BackupInfo], backup_dir: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.backup_dir = backup_dir
        self.setWindowTitle("Restore from backup")
        self.setMinimumSize(640, 340)
        self.resize(820, 420)
        self.model = BackupsModel(self)
        self.model.set_rows(rows_of(backups))
        self.table = make_table(self.model, (COL_FILE,), fitted=(0, 1, 2), empty_text=EMPTY_TEXT)
        self.table.setAccessibleName("Backups")
        if backups:
            self.table.selectRow(0)

        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setDefault(True)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.setToolTip("Restore a backup kept somewhere else")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        explain_buttons(buttons)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addWidget(self.choose_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading_label("Restore from backup", scale=1.3))
        layout.addWidget(
            muted_label(
                "The newest first. Daily backups are kept for a week, the last 10 made "
                "before imports and the last 5 made before upgrades or restores."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

        self.restore_button.clicked.connect(self.restore_selected)
        self.choose_button.clicked.connect(self.choose_file)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        chosen = selected_id(self.table)
        position = None if chosen is None else self.model.row_of_id(chosen)
        return None if position is None else self.model.row_at(position).info

    @Slot()
    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)

    @Slot()
    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is not None:
            self._confirm(backup.path, made_text(backup.made_at))

    @Slot()
    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            "Restore from a backup file",
            str(self.backup_dir),
            "cohortdesk backups (*.sqlite *.db);;All files (*)",
        )
        if name:
            self._confirm(Path(name), None)

    def _confirm(self, path: Path, made: str | None) -> None:
        if confirm.confirm(self, "Restore from backup", restore_question(path, made), "Restore"):
            self.restore_requested.emit(path)
            self.accept()
