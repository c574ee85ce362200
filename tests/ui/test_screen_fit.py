"""Windows open within their screen, and their wrapped text is never cut.

The headless screen (800x800) is smaller than the size many dialogs ask for, as a laptop's
1280x720 is smaller than the templates library's 1280x800. Every dialog the menus open, on the
demo cohort and on the cohorts of the real exports, must open within it (as far as its minimum
size allows) and show each wrapped label whole, also after its data arrived.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cohortdesk.app import ensure_application
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.widgets import screen_fit
from cohortdesk.ui.widgets.screen_fit import ScreenFit, keep_windows_on_screen, screen_room
from tests.real_cohorts import REAL_COHORTS, build
from tests.ui.conftest import settle
from tests.ui.test_fits_a_laptop import (
    cancel_every_question,
    open_every_window,
    show_first_member,
)


@pytest.fixture
def fitted() -> Iterator[ScreenFit]:
    """The watcher the application installs (taken out again: other tests size windows
    beyond the headless screen on purpose)."""
    app = ensure_application()
    fit = app.findChild(ScreenFit)
    assert fit is not None, "the application keeps its windows on screen"
    assert keep_windows_on_screen(app) is fit  # once only
    yield fit
    app.removeEventFilter(fit)
    fit.setParent(None)  # type: ignore[call-overload]  # the next test installs its own
    fit.deleteLater()


def cut_labels(window: QWidget) -> list[str]:
    """The wrapped labels of `window` shown shorter than their text needs."""
    return [
        f"{label.text()[:60]!r}: {label.height()} < {label.heightForWidth(label.width())}"
        for label in window.findChildren(QLabel)
        if label.isVisible()
        and label.wordWrap()
        and label.text()
        and label.maximumHeight() >= label.heightForWidth(label.width())  # not clamped
        and label.height() < label.heightForWidth(label.width()) - 1
    ]


def too_big(window: QWidget) -> QSize | None:
    """`window`'s size when it is beyond its screen more than its minimum size requires."""
    room = screen_room(window)
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    allowed = room.expandedTo(least)
    if window.width() > allowed.width() or window.height() > allowed.height():
        return window.size()
    return None


def check(widget: QWidget, problems: dict[str, list[str]]) -> None:
    """What is wrong with the window `widget`, once its data arrived, into `problems`."""
    for _ in range(3):
        QApplication.processEvents()  # the growth for wrapped text comes a turn later
    found = cut_labels(widget)
    size = too_big(widget)
    if size is not None:
        found.append(f"{size.width()}x{size.height()} beyond the screen")
    if found:
        problems[widget.windowTitle() or type(widget).__name__] = found


@pytest.fixture
def problems(monkeypatch: pytest.MonkeyPatch, window: MainWindow) -> dict[str, list[str]]:
    """What was wrong with each window opened (a modal one is checked, then cancelled)."""
    found: dict[str, list[str]] = {}
    cancel_every_question(monkeypatch, window, lambda dialog: check(dialog, found))
    return found


def open_every_dialog(window: MainWindow, problems: dict[str, list[str]]) -> list[str]:
    """Trigger every menu item that opens a window and check each; the items triggered."""

    def checked(widget: QWidget) -> None:
        settle(window)
        check(widget, problems)

    return open_every_window(window, checked)


def test_the_demo_dialogs_fit_the_screen_and_show_their_text(
    fitted: ScreenFit, window: MainWindow, demo: int, problems: dict[str, list[str]]
) -> None:
    show_first_member(window, demo)
    assert len(open_every_dialog(window, problems)) >= 15
    assert problems == {}


def test_the_real_cohorts_dialogs_fit_the_screen_and_show_their_text(
    fitted: ScreenFit,
    window: MainWindow,
    db: Database,
    real_fixtures: Path,
    problems: dict[str, list[str]],
) -> None:
    ids = [build(db, cohort, real_fixtures) for cohort in REAL_COHORTS]
    for cohort_id in ids:
        show_first_member(window, cohort_id)
        open_every_dialog(window, problems)
    assert problems == {}


def test_a_first_window_fits_the_screen(
    fitted: ScreenFit, qtbot: QtBot, paths: AppPaths, context: AppContext
) -> None:
    # no size kept from last time: the window asks for a desktop's 1440x900
    window = MainWindow(paths=paths)
    qtbot.addWidget(window)
    window.show()
    assert too_big(window) is None
    free = window.screen().availableGeometry()
    assert free.contains(window.frameGeometry()), (free, window.frameGeometry())


def test_a_window_grows_when_its_wrapped_text_needs_more_lines(
    fitted: ScreenFit, qtbot: QtBot
) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    label = QLabel("short")
    label.setWordWrap(True)
    layout.addWidget(label)
    dialog.resize(300, 60)
    dialog.show()
    before = dialog.size()
    label.setText(" ".join(["a sentence that wraps over several lines"] * 6))
    qtbot.waitUntil(lambda: not cut_labels(dialog), timeout=5_000)
    assert dialog.width() == before.width()  # the user's width stays; only the height grows
    assert dialog.height() > before.height()


@pytest.mark.parametrize(
    "frame",
    [QSize(2, 25), QSize(16, 39), QSize(0, 37), QSize(8, 70)],
    ids=["openbox", "windows", "title-only", "tall-title"],
)
@pytest.mark.parametrize("asked", [QSize(1280, 800), QSize(5000, 5000), QSize(700, 790)])
def test_a_window_and_the_frame_drawn_around_it_fit_the_screen(
    fitted: ScreenFit,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    frame: QSize,
    asked: QSize,
) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QVBoxLayout(dialog).addWidget(QLabel("contents"))
    dialog.resize(asked)
    dialog.show()
    free = dialog.screen().availableGeometry().size()
    # before the window manager framed it: room is left for a typical frame
    assumed = screen_fit.frame_size(dialog)
    assert assumed.height() > 0
    assert dialog.height() + assumed.height() <= free.height()
    # the window manager frames it (headless there is none: as one would) and moves it there
    monkeypatch.setattr(screen_fit, "frame_size", lambda _window: frame)
    dialog.move(dialog.x() + frame.width() // 2, dialog.y() + frame.height())
    qtbot.waitUntil(
        lambda: (
            dialog.width() + frame.width() <= free.width()
            and dialog.height() + frame.height() <= free.height()
        )
    )
    held = dialog.size()
    dialog.move(dialog.x() + 1, dialog.y())  # moving it again changes nothing
    QApplication.processEvents()
    assert dialog.size() == held
