"""Fixtures and helpers the Today, nudge and template tests share: the demo in a real window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.widgets import confirm
from tests.ui.conftest import TODAY, settle

W = TypeVar("W", bound=QWidget)


@pytest.fixture
def demo(db: Database) -> int:
    """The demo cohort, ending on the tests' fixed today (id)."""
    with db.write() as session:
        return create_demo(session, DemoSpec(end=TODAY)).id


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


@pytest.fixture
def yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every confirmation is answered yes; the questions are kept."""
    questions: list[str] = []

    def answer(parent: Any, title: str, text: str, action_label: str) -> bool:
        questions.append(text)
        return True

    monkeypatch.setattr(confirm, "confirm", answer)
    return questions


def the_dialog(window: QWidget, kind: type[W]) -> W:
    """The one open dialog of this kind over `window`."""
    found = [w for w in window.findChildren(kind) if w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def wait_for(qtbot: QtBot, window: MainWindow, condition: Callable[[], bool]) -> None:
    """Let background work deliver until `condition` holds."""

    def check() -> None:
        settle(window)
        assert condition()

    qtbot.waitUntil(check, timeout=10_000)


def click_at(qtbot: QtBot, widget: QWidget, rect: QRect) -> None:
    """A left click in the middle of `rect` (viewport coordinates)."""
    point: QPoint = rect.center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
