"""Fixtures for GUI tests: a real window on a real database file, headless; the demo cohort in
it; a member panel of its own; what they say. (`yes`, which answers the app's questions, is in
tests/conftest.py: the safety tests use it too.)"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cohortdesk.app import build_context
from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.models import Cohort as CohortModel
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.member_panel import MemberPanel
from tests.sqlite_templates import add_rows, added_rows_only, copy_template
from tests.ui.member_data import Cohort, make_cohort, make_context

TODAY = date(2026, 10, 30)


@pytest.fixture(autouse=True)
def tooltips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Tooltips shown (the headless platform cannot raise a real one without a warning)."""
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_args: shown.append(text))
    monkeypatch.setattr(QToolTip, "hideText", lambda: None)
    return shown


@pytest.fixture
def context(db: Database, paths: AppPaths) -> Iterator[AppContext]:
    built = build_context(db, paths, today=TODAY)
    yield built
    built.runner.wait_idle(60_000)
    built.runner.shutdown()


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    settle(main)
    yield main
    settle(main)


def settle(window: MainWindow) -> None:
    """Let every background load deliver (results chain into further loads) and the
    dashboard finish drawing what it received (a chart per turn of the event loop)."""
    for _ in range(3):
        assert window.context.runner.wait_idle(60_000)
        deadline = time.monotonic() + 10
        while window.dashboard.is_drawing() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.002)
        assert not window.dashboard.is_drawing()


# ---- the demo cohort in the window --------------------------------------------------------


def make_demo(db: Database) -> int:
    """Write the demo cohort ending on the tests' fixed today into `db`; its id."""
    with db.write() as session:
        return create_demo(session, DemoSpec(end=TODAY)).id


@pytest.fixture(scope="session")
def demo_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated template with the demo cohort written in, once per session."""
    file = tmp_path_factory.mktemp("ui-demo") / "demo.sqlite"
    copy_template(migrated_template, file)
    database = Database(f"sqlite:///{file}")
    make_demo(database)
    database.dispose()
    added_rows_only(migrated_template, file)
    return file


@pytest.fixture
def demo(db: Database, migrated_template: Path, request: pytest.FixtureRequest) -> int:
    """The demo cohort, ending on the tests' fixed today (id). Into a database nothing was
    written to yet, its rows are copied from `demo_template` (the same rows with the same
    ids: writing them takes seconds); otherwise it is written afresh."""
    if db.file is not None and add_rows(
        db.file, migrated_template, request.getfixturevalue("demo_template")
    ):
        with db.read() as session:
            return session.scalars(select(CohortModel.id)).one()
    return make_demo(db)


@pytest.fixture
def shown(window: MainWindow, demo: int) -> MainWindow:
    """The window with the demo cohort selected and loaded."""
    window.reload_cohorts(select_id=demo)
    settle(window)
    return window


@pytest.fixture
def said(window: MainWindow) -> list[str]:
    """What the window put in its status bar."""
    messages: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: text and messages.append(text))
    return messages


# ---- a member panel on its own --------------------------------------------------------------


@pytest.fixture
def ctx(db: Database, paths: AppPaths) -> Iterator[AppContext]:
    """The services without a main window, for a member panel on its own."""
    context = make_context(db, paths)
    yield context
    context.runner.wait_idle(60_000)
    context.runner.shutdown()


@pytest.fixture
def cohort(db: Database) -> Cohort:
    """Ana's cohort (`tests/ui/member_data.py`)."""
    return make_cohort(db)


@pytest.fixture
def panel(qtbot: QtBot, ctx: AppContext) -> MemberPanel:
    widget = MemberPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(520, 760)
    widget.show()
    return widget


@pytest.fixture
def panel_said(panel: MemberPanel) -> list[str]:
    """What the member panel put in the status bar."""
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    return messages


# ---- warnings -------------------------------------------------------------------------------


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The warning boxes' texts (none is shown)."""
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *args: shown.append(text)
    )
    return shown
