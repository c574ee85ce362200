"""Start-up: the window paints before the heavy parts load, and the command line's help and
version load none of them (each in a fresh process; no timing here, see tests/perf)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cohortdesk.core.paths import AppPaths
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.startup_probe import DEFERRED_MODULES
from tests.startup_runs import make_demo, modules_loaded_by, start


def deferred_among(modules: set[str]) -> list[str]:
    return [n for n in DEFERRED_MODULES if any(m == n or m.startswith(n + ".") for m in modules)]


@pytest.mark.slow
def test_the_window_paints_before_the_heavy_parts_and_then_fills_today(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_demo(home)
    run = start(home, tmp_path / "probe.jsonl")
    assert run.paint_modules == []
    assert run.learners > 0
    assert run.ready_ms >= run.paint_ms
    # Today is filled without what only other screens need (the member's page, the
    # dashboard, the mentoring views, their schemas; a server's watch and dialect).
    assert run.ready_modules == []


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["status", "--help"]])
def test_help_and_version_load_none_of_the_heavy_parts(args: list[str], tmp_path: Path) -> None:
    loaded = modules_loaded_by(args, tmp_path / "home")
    assert deferred_among(loaded) == []
    assert "PySide6" not in loaded
    assert "sqlalchemy" not in loaded


def test_the_window_shows_before_its_database_and_is_built_on_it_after(
    qtbot: QtBot, paths: AppPaths, context: AppContext, demo: int
) -> None:
    window = MainWindow(paths=paths)
    qtbot.addWidget(window)
    window.show()
    opening = window.centralWidget()
    assert isinstance(opening, QLabel)
    assert "Opening" in opening.text()
    assert not window.attached
    filled: list[int] = []
    window.first_screen_filled.connect(filled.append)
    window.attach(context, load=False)
    assert window.attached
    assert context.runner.wait_idle(60_000)
    assert filled == []  # nothing is read before start_loading
    with qtbot.waitSignal(window.first_screen_filled, timeout=60_000):
        window.start_loading()
    cohort = window.cohort_list.current_row()
    assert cohort is not None
    assert cohort.id == demo
    assert filled == [cohort.learners]
    assert cohort.learners > 0
    assert window.today.model.rowCount() > 0


def test_a_window_closed_before_its_database_opened_keeps_its_size(
    qtbot: QtBot, paths: AppPaths
) -> None:
    window = MainWindow(paths=paths)
    qtbot.addWidget(window)
    window.resize(700, 500)  # within the headless screen (800x600)
    window.show()
    window.close()
    again = MainWindow(paths=paths)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)


def unloaded_window(qtbot: QtBot, context: AppContext) -> MainWindow:
    """A window built on the demo's database, shown, that has read nothing yet."""
    window = MainWindow(context, load=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_roster_is_read_once_today_is_filled(
    qtbot: QtBot, context: AppContext, demo: int
) -> None:
    window = unloaded_window(qtbot, context)
    order: list[str] = []
    window.first_screen_filled.connect(lambda _n: order.append("today"))
    window.roster.roster_loaded.connect(lambda _cid: order.append("roster"))
    window.start_loading()
    assert context.runner.wait_idle(60_000)
    assert order == ["today", "roster"]
    assert window.pages.currentWidget() is window.today
    assert window.roster.model.rowCount() > 0
    assert window.merge_action.isEnabled()  # the actions follow the roster once it is read


def test_a_roster_shown_before_today_is_filled_is_read_at_once(
    qtbot: QtBot, context: AppContext, demo: int
) -> None:
    window = unloaded_window(qtbot, context)
    window.pages.show_roster()
    with qtbot.waitSignal(window.roster.roster_loaded, timeout=60_000):
        window.start_loading()
    assert window.roster.model.rowCount() > 0
    assert context.runner.wait_idle(60_000)


def test_the_member_page_is_built_when_a_member_is_first_shown(
    qtbot: QtBot, context: AppContext, demo: int
) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    assert context.runner.wait_idle(60_000)
    panel = window.member_panel
    assert not panel.page_built()
    assert not panel.isVisible()  # nobody selected: the panel takes no room
    item = window.today.model.items()[0]
    with qtbot.waitSignal(panel.member_loaded, timeout=60_000) as loaded:
        assert window.today.select_member(item.membership_id)
    assert panel.page_built()
    assert panel.isVisible()
    assert loaded.args[0].row.membership_id == item.membership_id
    assert panel.header.isVisible()
    assert panel.header.name_label.text() == item.name
    assert panel.actions_enabled()
    assert window.member_actions[0].isEnabled()
