"""The composition root: paths -> window shown -> database (migrated) -> settings and
services -> the window built on them -> data read (built-in templates added beside).

Everything the window needs is built here, in order, and handed to constructors; nothing is
reachable through a global. The window paints first, before anything heavy is imported (the
database layer, the services and their models, the panes): a facilitator sees it at once,
and it fills in as the rest loads. Charts, exporters and Alembic load only when used.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from cohortdesk import APP_ID, __version__
from cohortdesk.core.collector import freeze_startup_objects
from cohortdesk.core.errors import KnownError, missing_package
from cohortdesk.core.paths import AppPaths, app_paths, database_url
from cohortdesk.ui.icons import app_icon
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.single_instance import SingleInstance, bring_to_front
from cohortdesk.ui.startup_probe import FirstPaint, StartupProbe
from cohortdesk.ui.widgets.screen_fit import keep_windows_on_screen

if TYPE_CHECKING:
    from cohortdesk.core.storage.db import Database
    from cohortdesk.ui.context import AppContext
    from cohortdesk.ui.server_watch import ServerWatch

log = logging.getLogger("cohortdesk")


def ensure_application() -> QApplication:
    """The QApplication, created once with cohortdesk's names and icon; its windows fit
    their screen (`ui.widgets.screen_fit`)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("cohortdesk")
    app.setApplicationDisplayName("cohortdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("cohortdesk")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(app_icon()))
    keep_windows_on_screen(app)
    return app


def build_context(db: Database, paths: AppPaths, today: date | None = None) -> AppContext:
    """The services one window works with."""
    from cohortdesk.core.settings import load_settings
    from cohortdesk.ui.changes import ChangeNotifier
    from cohortdesk.ui.context import AppContext
    from cohortdesk.ui.tasks import TaskRunner

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
    lacking = missing_package(value)
    if lacking is not None:  # not a bug: the installation is incomplete
        log.error("%s", lacking)
        QMessageBox.critical(None, "cohortdesk", f"{lacking[0].upper()}{lacking[1:]}.")
        return
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
    """Show the window, and once it has painted, open the database and build on it."""
    window = MainWindow(paths=paths)
    probe = StartupProbe.from_environment(window)
    if probe is not None:
        window.first_screen_filled.connect(probe.ready)
    instance.activation_requested.connect(lambda: bring_to_front(window))
    watches: list[ServerWatch] = []
    FirstPaint(
        window, lambda: QTimer.singleShot(0, lambda: _open(app, window, url, paths, watches))
    )
    window.show()
    try:
        return app.exec()
    finally:
        for watch in watches:
            watch.stop()
        if window.attached:
            window.context.runner.shutdown()
            window.context.db.dispose()


def _open(
    app: QApplication, window: MainWindow, url: str, paths: AppPaths, watches: list[ServerWatch]
) -> None:
    """After the first paint: open (or recover) the database, build the window on it, and
    read what it shows; quit with 1 when it cannot be opened (the user was told why). On a
    team's server, a watch hears what others commit and refreshes the open screens."""
    from cohortdesk.ui.views.recovery_dialog import open_or_recover

    db = open_or_recover(url, paths, window)
    if db is None:
        app.exit(1)
        return
    sys.excepthook = _show_bug
    context = build_context(db, paths)
    window.attach(context, load=False)
    if db.file is None:  # a server (a file has no one else writing to it)
        from cohortdesk.ui.server_watch import ServerWatch

        watch = ServerWatch(db, context.changes, window)
        watch.start()
        watches.append(watch)
    _load(app, window)


def _load(app: QApplication, window: MainWindow) -> None:
    """After the first paint: the cohorts and their Today; once Today is filled, the built-in
    templates a newer version ships are added in the write thread (Today takes in any added),
    and the other start-up chores run."""
    from cohortdesk.core.schemas import Changes

    db = window.context.db

    def add_builtin_templates(_progress: object) -> Changes:
        from cohortdesk.core.services.messaging import templates

        return Changes(templates=templates.add_builtin_templates(db) > 0)

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            raise exc  # a bug: the bug report (`_show_bug`)
        QMessageBox.critical(window, "cohortdesk", f"cohortdesk cannot open its database.\n\n{exc}")
        app.exit(1)

    done: list[bool] = []

    def after_first_screen(_learners: int) -> None:
        # Once the first screen is filled, not before: the built-in templates, today's
        # backup, the question about drafts and the start-up collection would only delay it
        # (and a question is better asked over the data than over an empty window).
        if done:
            return
        done.append(True)
        window.context.runner.job(
            "Adding the built-in templates", add_builtin_templates, None, failed
        )
        window.data_actions.start_up()
        window.messaging.ask_about_drafts()
        QTimer.singleShot(0, freeze_startup_objects)

    window.first_screen_filled.connect(after_first_screen)
    window.start_loading()
