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
