"""Helpers the Today, nudge and template tests share (their fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cohortdesk.ui.main_window import MainWindow
from tests.ui.conftest import settle

W = TypeVar("W", bound=QWidget)


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

    qtbot.waitUntil(check, timeout=30_000)


def click_at(qtbot: QtBot, widget: QWidget, rect: QRect) -> None:
    """A left click in the middle of `rect` (viewport coordinates)."""
    point: QPoint = rect.center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
