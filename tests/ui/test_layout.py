"""How the window is laid out: what fits, what is elided, what an empty table says."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import Role
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.charts.key_numbers import KeyNumbersBar
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.roster_model import (
    COL_NAME,
    COL_PEER_REPLIES,
    COL_POSTS,
    COL_STAGE,
    HEADERS,
    MEMBERSHIP_ID_ROLE,
)
from cohortdesk.ui.views.cohort_list import MINIMUM_WIDTH
from cohortdesk.ui.views.roster_columns import NAME_MINIMUM
from cohortdesk.ui.views.roster_view import NO_MATCH_TEXT, NO_MEMBERS_TEXT
from cohortdesk.ui.widgets.cohort_summary import CohortSummary
from cohortdesk.ui.widgets.flow_layout import FlowLayout
from tests.ui.conftest import settle

LONG_NAME = "Leading Online Learning for Health and Social Care Educators, spring intake 2027"


def show_demo(window: MainWindow, demo: int, width: int = 1600, height: int = 900) -> None:
    window.resize(width, height)
    window.reload_cohorts(select_id=demo)
    settle(window)
    window.pages.show_roster()  # a cohort opens on Today; these tests are about the roster
    QApplication.processEvents()


def test_the_panes_fit_a_laptop_screen(window: MainWindow, demo: int) -> None:
    """The stage chips used to force the window 1,500 px wide; now they wrap."""
    show_demo(window, demo)
    assert window.minimumSizeHint().width() <= 1280
    summary = window.roster.summary
    assert summary.minimumSizeHint().width() < 300
    assert summary.heightForWidth(400) > summary.heightForWidth(1200)


def test_the_cohort_list_elides_long_names_and_never_scrolls_sideways(
    db: Database, window: MainWindow, demo: int
) -> None:
    with db.write() as s:
        cohorts.create_cohort(s, CohortInput(name=LONG_NAME))
    window.reload_cohorts()
    show_demo(window, demo)
    pane = window.cohort_list
    assert pane.width() >= MINIMUM_WIDTH == pane.minimumWidth()
    view = pane.view
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert view.horizontalScrollBar().maximum() == 0
    long_row = next(
        r for r in range(pane.model.rowCount()) if pane.model.index(r, 0).data() == LONG_NAME
    )
    index = pane.model.index(long_row, 0)
    assert view.visualRect(index).width() <= view.viewport().width()
    assert LONG_NAME in index.data(Qt.ItemDataRole.ToolTipRole)


def test_the_name_column_takes_the_width_the_others_leave(window: MainWindow, demo: int) -> None:
    show_demo(window, demo)
    table = window.roster.table
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    for column, heading in HEADERS.items():
        if column != COL_NAME:
            assert header.sectionSize(column) >= metrics.horizontalAdvance(heading), heading
    total = sum(header.sectionSize(c) for c in range(header.count()))
    assert total == table.viewport().width()
    assert header.sectionSize(COL_NAME) > NAME_MINIMUM
    assert table.horizontalScrollBar().maximum() == 0
    longest = max(metrics.horizontalAdvance(r.name) for r in window.roster.model.rows())
    assert header.sectionSize(COL_NAME) > longest  # every demo name shows in full


def test_a_narrow_roster_scrolls_instead_of_squeezing_names(window: MainWindow, demo: int) -> None:
    show_demo(window, demo)
    window.roster.table.selectRow(0)  # the member panel shows beside the roster
    settle(window)
    window.splitter.setSizes([200, 500, 900])
    QApplication.processEvents()
    header = window.roster.table.horizontalHeader()
    assert header.sectionSize(COL_NAME) == NAME_MINIMUM
    assert window.roster.table.horizontalScrollBar().maximum() > 0


def test_the_sorted_heading_gets_room_for_its_arrow(window: MainWindow, demo: int) -> None:
    show_demo(window, demo)
    table = window.roster.table
    plain = table.columnWidth(COL_POSTS)
    table.sortByColumn(COL_POSTS, Qt.SortOrder.DescendingOrder)
    assert table.columnWidth(COL_POSTS) > plain
    table.sortByColumn(COL_STAGE, Qt.SortOrder.AscendingOrder)
    assert table.columnWidth(COL_POSTS) == plain


def test_numbers_and_their_headings_are_right_aligned(window: MainWindow, demo: int) -> None:
    show_demo(window, demo)
    model = window.roster.model
    right = Qt.AlignmentFlag.AlignRight
    for column in (COL_POSTS, COL_PEER_REPLIES):
        heading = model.headerData(
            column, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole
        )
        assert heading & right
        assert model.index(0, column).data(Qt.ItemDataRole.TextAlignmentRole) & right
    name = model.headerData(COL_NAME, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)
    assert name is None  # the header's default: left


def test_staff_have_no_peer_replies_to_count(window: MainWindow, demo: int) -> None:
    show_demo(window, demo)
    model = window.roster.model
    by_role = {row.role: position for position, row in enumerate(model.rows())}
    facilitator = model.index(by_role[Role.FACILITATOR], COL_PEER_REPLIES)
    assert facilitator.data() == "—"
    assert "learner's replies" in facilitator.data(Qt.ItemDataRole.ToolTipRole)
    learner = model.index(by_role[Role.LEARNER], COL_PEER_REPLIES)
    assert learner.data().isdigit()
    assert learner.data(MEMBERSHIP_ID_ROLE) is not None


def test_an_empty_roster_says_why(db: Database, window: MainWindow) -> None:
    with db.write() as s:
        empty = cohorts.create_cohort(s, CohortInput(name="Autumn")).value.id
    window.reload_cohorts(select_id=empty)
    settle(window)
    table = window.roster.table
    assert table.is_showing_empty_text()
    assert table.empty_text() == NO_MEMBERS_TEXT


def test_a_filter_that_matches_nobody_says_so(window: MainWindow, demo: int) -> None:
    show_demo(window, demo)
    table = window.roster.table
    assert not table.is_showing_empty_text()
    window.roster.search.setText("nobody by this name")
    assert table.is_showing_empty_text()
    assert table.empty_text() == NO_MATCH_TEXT
    window.roster.search.clear()
    assert not table.is_showing_empty_text()


def test_the_welcome_text_is_shown_in_full(window: MainWindow) -> None:
    window.resize(1600, 900)
    QApplication.processEvents()
    intro = window.welcome.intro
    assert intro.isVisible()
    assert intro.height() >= intro.heightForWidth(intro.width())


def test_a_flow_layout_wraps_what_does_not_fit(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host, spacing=4)
    buttons = [QPushButton(f"Stage chip {n}") for n in range(5)]
    for button in buttons:
        layout.addWidget(button)
    one_row = layout.sizeHint().width()
    host.resize(one_row, layout.heightForWidth(one_row))
    host.show()
    QApplication.processEvents()
    assert len({b.y() for b in buttons}) == 1
    narrow = one_row // 2
    host.resize(narrow, layout.heightForWidth(narrow))
    QApplication.processEvents()
    assert len({b.y() for b in buttons}) > 1
    assert all(b.geometry().right() < narrow for b in buttons)
    assert layout.minimumSize().width() == max(b.minimumSizeHint().width() for b in buttons)


def test_the_summary_puts_the_access_counts_after_the_chips(qtbot: QtBot) -> None:
    summary = CohortSummary()
    qtbot.addWidget(summary)
    summary.set_rows(())
    assert "0 not accessed yet" in summary.access_label.text()


def test_the_member_panel_takes_room_only_when_wanted(window: MainWindow, demo: int) -> None:
    show_demo(window, demo)
    panel = window.member_panel
    assert not panel.isVisible()  # nobody selected: the pages have the width
    window.roster.table.selectRow(0)
    settle(window)
    assert panel.isVisible()
    button = window.member_panel_button
    assert button.accessibleName() and "F9" in button.toolTip()
    button.click()
    assert not panel.isVisible()
    assert window.context.settings.show_member_panel is False  # kept for the next start
    window.roster.table.selectRow(1)
    settle(window)
    assert not panel.isVisible()
    window.member_panel_action.trigger()
    assert panel.isVisible()
    assert window.context.settings.show_member_panel is True
    window.reload_cohorts(select_id=demo)  # another cohort (here the same one, reloaded)
    window.cohort_list.cohort_selected.emit(demo)
    assert not panel.isVisible()


@pytest.mark.parametrize("width", [300, 520, 760, 1200])
def test_the_key_numbers_wrap_into_rows_when_narrow(qtbot: QtBot, width: int) -> None:
    host = QWidget()  # as on the dashboard: inside a pane's layout
    qtbot.addWidget(host)
    bar = KeyNumbersBar()
    QVBoxLayout(host).addWidget(bar)
    host.layout().setContentsMargins(0, 0, 0, 0)
    bar.set_numbers(None)
    host.resize(width, 300)
    host.show()
    QApplication.processEvents()
    QApplication.processEvents()
    tiles = list(bar.tiles.values())
    assert bar.minimumSizeHint().width() <= max(t.sizeHint().width() for t in tiles)
    rows = len({t.y() for t in tiles})
    assert rows == -(-len(tiles) // bar.columns())
    assert (rows > 1) == (bar.columns() < len(tiles))
    assert all(t.geometry().right() <= width for t in tiles)
    assert all(t.width() >= t.minimumSizeHint().width() for t in tiles)


def test_the_dashboard_goes_to_one_column_when_narrow(window: MainWindow, demo: int) -> None:
    show_demo(window, demo, 1280, 720)
    window.pages.show_dashboard()
    settle(window)
    board = window.dashboard
    window.roster.table.selectRow(0)  # the member panel takes its share
    window.splitter.setSizes([170, 500, 600])
    QApplication.processEvents()
    assert board.width() < 900
    assert len({card.x() for card in board.cards}) == 1
    window.member_panel_action.trigger()  # hidden: the dashboard is wide again
    window.resize(1600, 900)
    QApplication.processEvents()
    assert board.width() >= 900
    assert len({card.x() for card in board.cards}) == 2
    content = board.scroll_area.widget()
    assert content is not None and content.width() <= board.scroll_area.viewport().width()
