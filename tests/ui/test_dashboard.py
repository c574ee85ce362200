"""The dashboard in the main window, on the demo cohort: it loads in the background, says the
cohort's story, and a click on a chart selects members in the roster."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.enums import Role
from cohortdesk.core.schemas import Changes
from cohortdesk.core.schemas.dashboard import CohortDashboard
from cohortdesk.core.services.dashboards import dashboard as dashboard_service
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.charts.base import ChartCard
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.roster_model import SPARKLINE_ROLE
from cohortdesk.ui.views import dashboard_view
from cohortdesk.ui.views.dashboard_view import RANGE_2_WEEKS, DashboardView
from tests.ui.conftest import TODAY, settle


def open_dashboard(qtbot: QtBot, window: MainWindow, demo: int) -> CohortDashboard:
    window.resize(1600, 1000)
    window.reload_cohorts(select_id=demo)
    settle(window)
    with qtbot.waitSignal(window.dashboard.dashboard_loaded, timeout=20_000) as loaded:
        window.pages.show_dashboard()
    settle(window)
    board: CohortDashboard = loaded.args[0]
    return board


def click_card(qtbot: QtBot, card: ChartCard, plot: object, x: float, y: float) -> None:
    window = card.window()
    assert isinstance(window, MainWindow)
    window.dashboard.scroll_area.ensureWidgetVisible(card)
    QApplication.processEvents()
    qtbot.mouseClick(
        card.view.viewport(), Qt.MouseButton.LeftButton, pos=card.widget_position(plot, x, y)
    )
    settle(window)


def test_the_dashboard_shows_the_demo_cohort(
    qtbot: QtBot, db: Database, window: MainWindow, demo: int
) -> None:
    board = open_dashboard(qtbot, window, demo)
    with db.read() as session:
        expected = dashboard_service.cohort_dashboard(session, demo, as_of=TODAY)
    assert board == expected
    view = window.dashboard
    numbers = view.key_numbers.values()
    assert numbers["learners"] == str(expected.figures.learners)
    assert view.staircase.now_counts() == expected.figures.stages
    assert len(view.network.points()) == len(expected.network.nodes)
    assert view.heatmap.counts().shape == (len(expected.heatmap), len(expected.weeks))
    # the story names who is stuck, who is isolated and who dominates
    story = " ".join(line.text for line in view.story.lines())
    assert "still at stage 1" in story
    assert "isolated" in story
    assert "dominates" in story
    assert view.status.text() == "As of 30 Oct 2026"


def test_the_dashboard_loads_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, demo: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real = dashboard_view.load_dashboard

    def recording(*args: object, **kwargs: object) -> dashboard_view.DashboardData:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dashboard_view, "load_dashboard", recording)
    open_dashboard(qtbot, window, demo)
    assert threads and all(t is not threading.main_thread() for t in threads)


def test_charts_are_drawn_a_turn_at_a_time_and_a_newer_load_takes_over(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    open_dashboard(qtbot, window, demo)
    view = window.dashboard
    loads: list[object] = []
    view.dashboard_loaded.connect(loads.append)
    view.reload()
    qtbot.waitUntil(view.is_drawing, timeout=20_000)  # the first load is being drawn...
    assert loads == []  # ...not all at once: the last chart is not there yet
    view.reload()  # a change arrives meanwhile: the first drawing stops where it is
    with qtbot.waitSignal(view.dashboard_loaded, timeout=20_000):
        pass
    settle(window)
    assert len(loads) == 1 and not view.is_drawing()


def test_a_hidden_dashboard_waits_to_be_shown_before_reloading(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    open_dashboard(qtbot, window, demo)
    view = window.dashboard
    window.pages.show_roster()
    loads: list[object] = []
    view.dashboard_loaded.connect(loads.append)
    window.context.changes.apply(Changes.of_roster(demo))
    qtbot.wait(dashboard_view.REFRESH_DELAY_MS + 100)
    settle(window)
    assert loads == [] and view.is_stale()
    with qtbot.waitSignal(view.dashboard_loaded, timeout=20_000):
        window.pages.show_dashboard()
    assert not view.is_stale()


def test_a_change_to_the_cohort_refreshes_the_dashboard_on_screen(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    open_dashboard(qtbot, window, demo)
    with qtbot.waitSignal(window.dashboard.dashboard_loaded, timeout=20_000):
        window.context.changes.apply(Changes.of_roster(demo))


def test_clicking_a_stage_selects_its_learners_in_the_roster(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    board = open_dashboard(qtbot, window, demo)
    staircase = window.dashboard.staircase
    click_card(qtbot, staircase, staircase.now_plot, 1, 0.5)
    selected = {row.membership_id for row in window.roster.selected_rows()}
    stage_one = {
        row.membership_id
        for row in window.roster.model.rows()
        if row.role is Role.LEARNER and row.stage == 1
    }
    assert selected == stage_one and len(selected) == board.figures.stages[1] > 1
    assert window.pages.currentWidget() is window.roster  # several: shown in the roster
    assert f"Selected {len(stage_one)} learners at stage 1" in window.statusBar().currentMessage()


def test_clicking_a_node_shows_that_member_and_stays_on_the_dashboard(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    board = open_dashboard(qtbot, window, demo)
    network = window.dashboard.network
    busiest = max(
        (n for n in board.network.nodes if n.role is Role.LEARNER), key=lambda n: n.activity
    )
    where = network.node_position(busiest.person_id)
    click_card(qtbot, network, network.plot, where.x(), where.y())
    assert [r.membership_id for r in window.roster.selected_rows()] == [busiest.membership_id]
    assert window.pages.currentWidget() is window.dashboard
    detail = window.member_panel.detail()
    assert detail is not None and detail.row.membership_id == busiest.membership_id


def test_a_member_filtered_out_of_the_roster_is_still_selected(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    open_dashboard(qtbot, window, demo)
    window.roster.search.setText("nobody by this name")
    line = next(
        position
        for position, line in enumerate(window.dashboard.story.lines())
        if "isolated" in line.text
    )
    window.dashboard.story.select_line(line)
    settle(window)
    assert window.roster.search.text() == ""
    isolated = window.dashboard.story.lines()[line].membership_ids
    assert {r.membership_id for r in window.roster.selected_rows()} == set(isolated)


def test_the_date_range_narrows_every_chart(qtbot: QtBot, window: MainWindow, demo: int) -> None:
    board = open_dashboard(qtbot, window, demo)
    view = window.dashboard
    with qtbot.waitSignal(view.dashboard_loaded, timeout=20_000) as loaded:
        view.range_choice.setCurrentIndex(RANGE_2_WEEKS)
    narrow: CohortDashboard = loaded.args[0]
    assert narrow.start == TODAY - timedelta(days=13)
    assert len(narrow.weeks) < len(board.weeks)
    assert view.heatmap.counts().shape[1] == len(narrow.weeks)
    start = board.start + timedelta(days=7)
    end = board.start + timedelta(days=27)
    with qtbot.waitSignal(view.dashboard_loaded, timeout=20_000) as loaded:
        view.set_range(start, end)
    custom: CohortDashboard = loaded.args[0]
    assert (custom.start, custom.end) == (start, end)
    assert view.start_edit.isEnabled() and view.end_edit.date().toPython() == end


def test_view_menu_and_shortcuts_switch_roster_and_dashboard(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    open_dashboard(qtbot, window, demo)
    texts = {a.text(): a for a in window.menuBar().actions()}
    view_menu = texts["&View"].menu()
    actions = {a.text(): a for a in view_menu.actions()}
    actions["&Roster"].trigger()
    assert window.pages.currentWidget() is window.roster
    actions["&Dashboard"].trigger()
    assert window.pages.currentWidget() is window.dashboard
    assert actions["&Dashboard"].shortcut().toString() == "Ctrl+2"


def test_the_roster_shows_each_members_last_weeks(
    qtbot: QtBot, db: Database, window: MainWindow, demo: int
) -> None:
    open_dashboard(qtbot, window, demo)
    model = window.roster.model
    with db.read() as session:
        expected = dashboard_service.roster_sparklines(session, demo, 8, as_of=TODAY)
    for position, row in enumerate(model.rows()):
        index = model.index(position, model.columnCount() - 1)
        assert index.data(SPARKLINE_ROLE) == expected[row.membership_id]
        assert "Last 8 weeks" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_the_member_panel_charts_the_members_weeks(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    open_dashboard(qtbot, window, demo)
    learner = max(
        (r for r in window.roster.model.rows() if r.role is Role.LEARNER), key=lambda r: r.events
    )
    window.pages.show_roster()
    window.roster.select_member(learner.membership_id)
    settle(window)
    panel = window.member_panel
    panel.tabs.setCurrentWidget(panel.activity_tab)
    settle(window)
    chart = panel.activity_tab.chart
    assert not chart.is_empty()
    assert chart.bars  # stacked by kind


def test_compare_cohorts(qtbot: QtBot, db: Database, window: MainWindow, demo: int) -> None:
    with db.write() as session:
        other = create_demo(
            session, DemoSpec(cohort="Spring intake", members=12, seed=3, end=TODAY)
        ).id
    window.reload_cohorts(select_id=demo)
    settle(window)
    dialog = window.compare_cohorts()  # deletes itself when closed
    qtbot.waitUntil(lambda: dialog.comparison is not None and bool(dialog.comparison.cohorts))
    assert dialog.comparison is not None
    assert {c.cohort_id for c in dialog.comparison.cohorts} == {demo, other}
    assert len(dialog.stages_chart.bars) == 2 and len(dialog.weekly_chart.curves) == 2
    assert "Spring intake" in dialog.summary.text()
    dialog.set_ticked([demo])
    assert dialog.stages_chart.is_empty()
    dialog.close()
    settle(window)


def test_a_chart_exports_from_the_dashboard(
    qtbot: QtBot, window: MainWindow, demo: int, tmp_path: Path
) -> None:
    open_dashboard(qtbot, window, demo)
    for card in window.dashboard.cards:
        written = card.export_to(tmp_path / f"{card.title}.svg")
        assert written.read_text("utf-8").startswith("<?xml")


def test_the_dashboard_survives_an_empty_cohort(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    from cohortdesk.core.schemas import CohortInput
    from cohortdesk.core.services.people import cohorts

    with db.write() as session:
        empty = cohorts.create_cohort(session, CohortInput(name="Nobody yet")).value.id
    board = open_dashboard(qtbot, window, empty)
    view: DashboardView = window.dashboard
    assert board.figures.learners == 0
    assert view.staircase.is_empty() and view.network.is_empty()
    assert view.key_numbers.values()["learners"] == "0"
