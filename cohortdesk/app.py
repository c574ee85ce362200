"""The composition root: paths -> settings -> database (migrated, built-in templates added)
-> services -> window.

Everything the window needs is built here, in order, and handed to constructors; nothing is
reachable through a global.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import date
from types import TracebackType

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from cohortdesk import APP_ID, __version__
from cohortdesk.core.collector import freeze_startup_objects
from cohortdesk.core.errors import KnownError
from cohortdesk.core.paths import AppPaths, app_paths, database_url
from cohortdesk.core.services.messaging import templates
from cohortdesk.core.settings import load_settings
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.icons import app_icon
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.single_instance import SingleInstance, bring_to_front
from cohortdesk.ui.tasks import TaskRunner
from cohortdesk.ui.views.recovery_dialog import open_or_recover

log = logging.getLogger("cohortdesk")


def ensure_application() -> QApplication:
    """The QApplication, created once with cohortdesk's names and icon."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("cohortdesk")
    app.setApplicationDisplayName("cohortdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("cohortdesk")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(app_icon()))
    return app


def build_context(db: Database, paths: AppPaths, today: date | None = None) -> AppContext:
    """The services one window works with."""
    changes = ChangeNotifier()
    return AppContext(
        db=db,
        paths=paths,
        runner=TaskRunner(db, changes),
        changes=changes,
        settings=load_settings(paths.settings_file),
        today=today,
    )


def _show_bug(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    text = "".join(traceback.format_exception(kind, value, tb))
    log.error("Unexpected error:\n%s", text)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "cohortdesk: unexpected error",
        "Something went wrong inside cohortdesk. This is a bug; your data is safe "
        "up to the last completed action.",
    )
    box.setDetailedText(text)
    box.exec()


def run_gui(db_option: str | None) -> int:
    """Open the main window on the chosen database; returns the exit code.

    One window per database: a second launch on the same database raises the first one's
    window and exits 0 (see `ui.single_instance`).
    """
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    paths = app_paths()
    paths.ensure()
    app = ensure_application()
    url = database_url(paths, db_option)
    instance = SingleInstance(url, paths.data_dir)
    if not instance.acquire():
        if instance.notify_running():
            log.info("cohortdesk is already open on %s: raised its window", url)
            return 0
        QMessageBox.information(
            None,
            "cohortdesk",
            "cohortdesk is already open on this database, but its window did not answer. "
            "Switch to it, or close it and start cohortdesk again.",
        )
        return 1
    try:
        return _run_window(app, url, paths, instance)
    finally:
        instance.release()


def _run_window(app: QApplication, url: str, paths: AppPaths, instance: SingleInstance) -> int:
    db = open_or_recover(url, paths)
    if db is None:
        return 1
    try:
        templates.add_builtin_templates(db)
    except KnownError as exc:
        db.dispose()
        QMessageBox.critical(None, "cohortdesk", f"cohortdesk cannot open its database.\n\n{exc}")
        return 1
    sys.excepthook = _show_bug
    context = build_context(db, paths)
    window = MainWindow(context)
    instance.activation_requested.connect(lambda: bring_to_front(window))
    window.show()
    from cohortdesk.ui.server_watch import ServerWatch  # after the first paint

    watch = ServerWatch(db, context.changes, window)
    watch.start()
    freeze_startup_objects()
    window.data_actions.start_up()
    window.messaging.ask_about_drafts()
    try:
        return app.exec()
    finally:
        watch.stop()
        context.runner.shutdown()
        db.dispose()
