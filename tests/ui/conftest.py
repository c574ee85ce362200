"""Fixtures for GUI tests: a real window on a real database file, headless."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.app import build_context
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.main_window import MainWindow

TODAY = date(2026, 10, 30)


@pytest.fixture
def context(db: Database, paths: AppPaths) -> Iterator[AppContext]:
    built = build_context(db, paths, today=TODAY)
    yield built
    built.runner.wait_idle()
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
        assert window.context.runner.wait_idle()
        deadline = time.monotonic() + 10
        while window.dashboard.is_drawing() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.002)
        assert not window.dashboard.is_drawing()
