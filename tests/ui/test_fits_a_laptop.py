"""The window fits a 1280x720 laptop screen and stays usable at 1024x640.

The demo cohort and cohorts built from the real exports (with their real dates) are loaded;
every cohort, every page and the first member are shown, and after each the window's minimum
size must stay within 1024x640; then every dialog the menus open must fit too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu, QMessageBox, QWidget

from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.widgets import confirm
from tests.real_cohorts import REAL_COHORTS, build
from tests.ui.conftest import settle

SMALLEST = QSize(1024, 640)
LAPTOP = QSize(1280, 720)

NOT_DIALOGS = {
    "Create &demo cohort",
    "&Open database…",
    "Import review &notes…",
    "&Back up now…",
    "&Quit",
    "&Archive cohort",
    "Un&archive cohort",
    "&Delete cohort…",
    "&Remove from cohort…",
    "E&rase this person everywhere…",
    "Add &note",
}
"""Menu items that open no window of their own (or only a file chooser)."""


def fits(size: QSize) -> bool:
    return size.width() <= SMALLEST.width() and size.height() <= SMALLEST.height()


def visit_everything(window: MainWindow) -> Iterator[tuple[str, QSize]]:
    """Every cohort, each of its pages, then its first member: the window's minimum after each."""
    window.resize(LAPTOP)
    cohorts = window.cohort_list
    for row in range(cohorts.model.rowCount()):
        cohorts.view.setCurrentIndex(cohorts.model.index(row, 0))
        settle(window)
        cohort = cohorts.current_row()
        assert cohort is not None
        for page in range(window.pages.count()):
            window.pages.setCurrentIndex(page)
            settle(window)
            yield f"{cohort.name}, {window.pages.tabText(page)}", window.minimumSizeHint()
        window.pages.show_roster()
        if window.roster.model.rowCount():
            window.roster.table.selectRow(0)
            settle(window)
            assert window.member_panel.isVisible()
            tabs = window.member_panel.tabs
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                settle(window)
                yield f"{cohort.name}, first member, {tabs.tabText(tab)}", window.minimumSizeHint()


def check_the_window(window: MainWindow) -> None:
    too_big = [(where, size) for where, size in visit_everything(window) if not fits(size)]
    assert not too_big, too_big
    window.resize(LAPTOP)
    QApplication.processEvents()
    assert window.size() == LAPTOP
    window.resize(SMALLEST)
    QApplication.processEvents()
    assert window.size() == SMALLEST


def test_the_demo_fits_a_laptop(window: MainWindow, demo: int) -> None:
    check_the_window(window)


def test_the_real_cohorts_fit_a_laptop(
    window: MainWindow, db: Database, demo: int, real_fixtures: Path
) -> None:
    for cohort in REAL_COHORTS:
        build(db, cohort, real_fixtures)
    window.reload_cohorts()
    settle(window)
    assert window.cohort_list.model.rowCount() == 1 + len(REAL_COHORTS)
    check_the_window(window)


def _menu_actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        if action.menu() is not None:
            yield from _menu_actions(action.menu())
        elif not action.isSeparator():
            yield action


def cancel_every_question(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow, on_window: Callable[[QWidget], None]
) -> None:
    """A modal dialog is shown, handed to `on_window` once its data arrived, and cancelled;
    no question is ever answered yes and no file is ever chosen."""

    def exec_(dialog: QDialog, *args: Any) -> int:
        dialog.show()
        window.context.runner.wait_idle(60_000)  # not settle(): this may run inside a task's answer
        on_window(dialog)
        dialog.reject()
        return int(QDialog.DialogCode.Rejected.value)

    no: Callable[..., Any] = lambda *args, **kwargs: False  # noqa: E731
    monkeypatch.setattr(QDialog, "exec", exec_)
    monkeypatch.setattr(confirm, "confirm", no)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    for box in ("warning", "information", "critical", "about"):
        monkeypatch.setattr(QMessageBox, box, lambda *a: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QDialog, "open", QDialog.show)  # measured once the action is done


def open_every_window(window: MainWindow, on_window: Callable[[QWidget], None]) -> list[str]:
    """Trigger every menu item that opens a window, hand each window it opened to
    `on_window`, then close it; the items triggered."""
    triggered = []
    for action in _menu_actions(window.menuBar()):
        if action.text() in NOT_DIALOGS or not action.isEnabled():
            continue
        action.trigger()
        settle(window)
        triggered.append(action.text())
        for widget in QApplication.topLevelWidgets():
            if widget is not window and widget.isVisible() and not isinstance(widget, QMenu):
                on_window(widget)
                widget.close()
        settle(window)
    return triggered


@pytest.fixture
def dialogs_seen(monkeypatch: pytest.MonkeyPatch, window: MainWindow) -> dict[str, QSize]:
    """Every dialog shown, by title, with its minimum size once its data arrived; each is
    closed at once (a modal one answers Cancel), and nothing is ever confirmed."""
    seen: dict[str, QSize] = {}
    cancel_every_question(monkeypatch, window, lambda dialog: record(dialog, seen))
    return seen


def record(widget: QWidget, seen: dict[str, QSize]) -> None:
    seen[widget.windowTitle() or type(widget).__name__] = widget.minimumSizeHint()


def show_first_member(window: MainWindow, cohort_id: int) -> None:
    """The cohort's roster with its first member in the member panel."""
    window.reload_cohorts(select_id=cohort_id)
    settle(window)
    window.pages.show_roster()
    window.roster.table.selectRow(0)
    settle(window)


def test_every_dialog_fits_a_small_screen(
    window: MainWindow, demo: int, dialogs_seen: dict[str, QSize]
) -> None:
    show_first_member(window, demo)
    triggered = open_every_window(window, lambda widget: record(widget, dialogs_seen))
    assert len(dialogs_seen) >= 15, (triggered, dialogs_seen)
    print({title: (size.width(), size.height()) for title, size in dialogs_seen.items()})
    too_big = {title: size for title, size in dialogs_seen.items() if not fits(size)}
    assert not too_big, too_big
