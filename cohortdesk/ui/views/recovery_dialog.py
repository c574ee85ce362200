"""At start-up, a damaged database: it has been kept aside; restore a backup or rescue it.

`open_or_recover` opens the database as usual; when it turns out damaged (the core has
already renamed it aside, never overwriting it), it asks the user what to do: restore the
newest good backup, rescue what can still be read from the damaged file, or quit. Either
choice puts a sound database back at the usual place and opens it.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from cohortdesk.core.errors import KnownError
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.models.backups_model import made_text

if TYPE_CHECKING:
    from cohortdesk.core.storage.recovery import CorruptDatabaseError


class Recovery(Enum):
    """What the user chose for a damaged database."""

    RESTORE = "restore"
    SALVAGE = "salvage"
    QUIT = "quit"


def recovery_text(exc: CorruptDatabaseError) -> str:
    """What happened and what can be done, in the dialog's words."""
    text = (
        f"cohortdesk's database is damaged ({exc.problem}).\n\n"
        f"It has not been changed: it is kept as {exc.kept_as.name} in {exc.kept_as.parent}.\n\n"
    )
    if exc.backup is not None:
        text += (
            f"The newest good backup is from {made_text(exc.backup.made_at)}: restoring it "
            "brings back everything up to then. Or rescue what can still be read from the "
            "damaged file (some records may be missing)."
        )
    else:
        text += (
            "There is no good backup. Rescue what can still be read from the damaged file "
            "(some records may be missing)."
        )
    return text


def ask_recovery(exc: CorruptDatabaseError, parent: QWidget | None = None) -> Recovery:
    """Ask what to do about a damaged database (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "cohortdesk: damaged database", recovery_text(exc))
    box.setParent(parent, box.windowFlags())
    box.setTextFormat(Qt.TextFormat.PlainText)
    restore = None
    if exc.backup is not None:
        restore = box.addButton("Restore the backup", QMessageBox.ButtonRole.AcceptRole)
    rescue = box.addButton("Rescue what can be read", QMessageBox.ButtonRole.ActionRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore or rescue)
    box.setEscapeButton(quit_button)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return Recovery.RESTORE
    if clicked is rescue:
        return Recovery.SALVAGE
    return Recovery.QUIT


def recover(exc: CorruptDatabaseError, choice: Recovery, paths: AppPaths) -> str:
    """Put a sound database back where the damaged one was; say what was done.

    Raises:
        KnownError: the backup cannot be restored, or nothing can be rescued.
    """
    from cohortdesk.core.storage.restore import restore_backup
    from cohortdesk.core.storage.salvage import salvage

    if choice is Recovery.RESTORE:
        assert exc.backup is not None
        return restore_backup(exc.backup.path, exc.file, paths.backup_dir).message()
    return salvage(exc.kept_as, exc.file).message()


def open_or_recover(url: str, paths: AppPaths, parent: QWidget | None = None) -> Database | None:
    """Open the database, offering a restore or a rescue when it is damaged.

    Returns None when it cannot be opened (the user was told why) or the user chose to quit.
    """
    from cohortdesk.core.storage.migrate import open_database
    from cohortdesk.core.storage.recovery import CorruptDatabaseError

    recovered = False
    while True:
        try:
            db = open_database(url, paths.backup_dir)
            if recovered:
                from cohortdesk.core.services.activity import rollups

                rollups.recount(db)  # a restored or rescued file may not match its events
            return db
        except CorruptDatabaseError as exc:
            choice = ask_recovery(exc, parent)
            if choice is Recovery.QUIT:
                return None
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                done = recover(exc, choice, paths)
            except KnownError as failure:
                QGuiApplication.restoreOverrideCursor()
                QMessageBox.critical(parent, "cohortdesk", f"Could not recover.\n\n{failure}")
                return None
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.information(parent, "cohortdesk", done)
            recovered = True
        except KnownError as exc:
            QMessageBox.critical(
                parent, "cohortdesk", f"cohortdesk cannot open its database.\n\n{exc}"
            )
            return None
