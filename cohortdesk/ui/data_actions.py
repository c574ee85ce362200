"""The window's care of the data: back up now, restore, erase a person, start-up chores.

The main window's File and Member menus call these slots; the work runs in the `TaskRunner`'s
write thread (never on the GUI thread) and what happened comes back on `status_message`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from cohortdesk.core.schemas import MemberDetail
from cohortdesk.core.storage.backup import (
    BackupInfo,
    BackupKind,
    backup_name,
    backup_sqlite,
    daily_backup_if_due,
    list_backups,
)
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.widgets import confirm

if TYPE_CHECKING:
    from cohortdesk.core.services.privacy import erase
    from cohortdesk.core.storage.import_guard import InterruptedImport
    from cohortdesk.core.storage.restore import RestoreResult
    from cohortdesk.ui.views.restore_dialog import RestoreDialog

log = logging.getLogger(__name__)


def erased_message(erasure: erase.Erasure) -> str:
    """What erasing one person did, with the backups that still held them, for the status bar."""
    [person] = erasure.people
    deleted = erasure.backups_deleted
    tail = f"; {fmt.plural(deleted, 'backup')} that still held them deleted" if deleted else ""
    return person.message() + tail


def erase_question(detail: MemberDetail, server: str | None = None) -> str:
    """The confirmation before erasing, saying exactly what goes, and on a database server
    (`server`, as titles show it) what it may still keep."""
    from cohortdesk.core.services.privacy.erase import server_keeps

    row = detail.row
    who = f"{row.name} <{row.email}>" if row.email else row.name
    mentions = "Their name and email are replaced by [erased] wherever another record mentions them"
    after = (
        f".\n\n{server_keeps(server)}."
        if server is not None
        else ", and the backups that still hold them are deleted (a fresh backup is made)."
    )
    return (
        f"Erase {who} everywhere?\n\n"
        f"Their membership in every cohort goes, with {fmt.plural(row.events, 'event')} here "
        "and all their notes, check-ins, access issues, nudges, mentoring records and "
        f"highlights. {mentions}{after}\n\nThis cannot be undone. To take them out of this "
        "cohort only, use Remove from cohort instead."
    )


class DataActions(QObject):
    """Back up now, restore from backup, erase a person, and what happens at start-up.

    Args:
        context: the open database's services.
        window: the main window (parent of dialogs).
    """

    status_message = Signal(str)
    """What happened, for the status bar."""

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.restore_dialog: RestoreDialog | None = None
        """The Restore dialog while it is open (tests drive it)."""

    def _db_file(self) -> Path | None:
        return self.context.db.file

    # ---- start-up ----

    def start_up(self) -> None:
        """Today's backup (if due) and news of an import a crash interrupted."""
        from cohortdesk.core.storage.import_guard import interrupted_import

        file = self._db_file()
        if file is None:
            return
        backup_dir = self.context.paths.backup_dir
        self.context.runner.job(
            "Making today's backup",
            lambda _progress: daily_backup_if_due(file, backup_dir),
            self._daily_done,
            lambda exc: self.status_message.emit(f"No daily backup today: {exc}"),
        )
        self.context.runner.read(
            "Looking for an interrupted import",
            lambda session: interrupted_import(session, file),
            self._interrupted,
        )

    def _daily_done(self, made: Path | None) -> None:
        if made is not None:
            log.info("Daily backup: %s", made)

    def _interrupted(self, account: InterruptedImport | None) -> None:
        if account is not None:
            QMessageBox.information(self.window, "An import was interrupted", account.message())

    # ---- back up now ----

    @Slot()
    def back_up_now(self) -> None:
        """Ask where, then copy the database there (checked, owner-only)."""
        file = self._db_file()
        if file is None:
            self.status_message.emit("Only an SQLite database file can be backed up from here")
            return
        folder = self.context.paths.backup_dir
        suggested = folder / backup_name(file.stem, BackupKind.MANUAL)
        name, _filter = QFileDialog.getSaveFileName(
            self.window, "Back up now", str(suggested), "cohortdesk backups (*.sqlite)"
        )
        if not name:
            return
        self.back_up_to(Path(name))

    def back_up_to(self, target: Path) -> None:
        """Copy the database to `target` in the background."""
        file = self._db_file()
        assert file is not None
        self.context.runner.job(
            "Backing up",
            lambda _progress: backup_sqlite(file, target),
            lambda made: self.status_message.emit(f"Backed up to {made}"),
        )

    # ---- restore ----

    @Slot()
    def restore_from_backup(self) -> None:
        """List the backups (read in the background), then offer them."""
        file = self._db_file()
        if file is None:
            self.status_message.emit("Only an SQLite database file can be restored from here")
            return
        folder = self.context.paths.backup_dir
        self.context.runner.read(
            "Listing the backups",
            lambda _session: list_backups(folder, file.stem),
            self._offer_backups,
        )

    def _offer_backups(self, backups: list[BackupInfo]) -> None:
        from cohortdesk.ui.views.restore_dialog import RestoreDialog

        dialog = RestoreDialog(backups, self.context.paths.backup_dir, self.window)
        dialog.restore_requested.connect(self.restore)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.restore_dialog = dialog

    @Slot(object)
    def restore(self, backup: Path) -> None:
        """Restore `backup` into the open database, then upgrade it if it is older."""
        from cohortdesk.core.services.activity import rollups
        from cohortdesk.core.storage.restore import restore_open_database

        db, backup_dir = self.context.db, self.context.paths.backup_dir

        def work(_progress: object) -> object:
            restored = restore_open_database(db, backup, backup_dir)
            rollups.recount(db)  # what was copied in may not match its events
            return restored

        self.context.runner.job("Restoring from backup", work, self._restored)

    def _restored(self, result: RestoreResult) -> None:
        self.status_message.emit(result.message())

    # ---- erase ----

    def erase_member(self, detail: MemberDetail | None) -> None:
        """Ask, then erase the person of `detail` everywhere."""
        from cohortdesk.core.services.privacy import erase

        if detail is None:
            return
        db = self.context.db
        server = db.display_name if db.file is None else None
        if not confirm.confirm(
            self.window, "Erase this person", erase_question(detail, server), "Erase everywhere"
        ):
            return
        person_id = detail.row.person_id
        backup_dir = self.context.paths.backup_dir
        self.context.runner.job(
            f"Erasing {detail.row.name}",
            lambda _progress: erase.erase_everywhere(db, [person_id], backup_dir),
            lambda erasure: self.status_message.emit(erased_message(erasure)),
        )
