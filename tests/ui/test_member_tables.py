"""The member panel's tables as a person sees them: what fits, what is hidden, empty states."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.storage.db import Database
from cohortdesk.ui.models.events_model import (
    COL_DETAIL,
    COL_KIND,
    COL_SOURCE,
    COL_THREAD,
    COL_WHEN,
    COL_WORDS,
)
from cohortdesk.ui.views.member_panel import MemberPanel
from cohortdesk.ui.views.member_tabs.activity_tab import EMPTY_TEXT as NO_ACTIVITY
from tests.ui.member_data import Cohort, tell_ana_story
from tests.ui.member_panel_support import show


def test_the_timeline_fits_the_panel(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort
) -> None:
    tell_ana_story(db, cohort)
    show(qtbot, panel, cohort.ana)
    panel.tabs.setCurrentWidget(panel.activity_tab)
    QApplication.processEvents()
    view = panel.activity_tab.events_view
    assert view.horizontalScrollBar().maximum() == 0
    shown = [c for c in range(view.model().columnCount()) if not view.isColumnHidden(c)]
    assert shown == [COL_WHEN, COL_KIND, COL_THREAD]
    when = view.model().index(0, COL_WHEN).data()
    assert view.columnWidth(COL_WHEN) >= view.fontMetrics().horizontalAdvance(when)
    # What the hidden columns hold is in every cell's tooltip.
    tip = view.model().index(0, COL_KIND).data(Qt.ItemDataRole.ToolTipRole)
    assert "Source: moodle" in tip


def test_the_headings_menu_shows_the_other_columns(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort
) -> None:
    tell_ana_story(db, cohort)
    show(qtbot, panel, cohort.ana)
    tab = panel.activity_tab
    header = tab.events_view.horizontalHeader()
    labels = [action.text() for action in header.actions()]
    assert labels == ["Show words", "Show detail", "Show source"]
    tab.column_actions[COL_SOURCE].setChecked(True)
    assert not tab.events_view.isColumnHidden(COL_SOURCE)
    assert tab.events_view.isColumnHidden(COL_WORDS) and tab.events_view.isColumnHidden(COL_DETAIL)
    tab.column_actions[COL_SOURCE].setChecked(False)
    assert tab.events_view.isColumnHidden(COL_SOURCE)


def test_empty_tables_say_so(qtbot: QtBot, panel: MemberPanel, cohort: Cohort) -> None:
    show(qtbot, panel, cohort.ben)  # just joined: no activity, problems or notes
    activity = panel.activity_tab.events_view
    assert activity.is_showing_empty_text() and activity.empty_text() == NO_ACTIVITY
    assert panel.access_tab.issues_view.is_showing_empty_text()
    assert "No access problems" in panel.access_tab.issues_view.empty_text()
    assert panel.notes_tab.notes_view.is_showing_empty_text()
    # The stage history always has the day they joined: nothing to explain.
    assert not panel.stage_tab.history_view.is_showing_empty_text()


def test_a_table_with_rows_shows_them_not_the_empty_text(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort
) -> None:
    tell_ana_story(db, cohort)
    show(qtbot, panel, cohort.ana)
    for view in (
        panel.activity_tab.events_view,
        panel.access_tab.issues_view,
        panel.notes_tab.notes_view,
    ):
        assert view.model().rowCount() > 0
        assert not view.is_showing_empty_text()


def test_staff_show_no_peer_replies(qtbot: QtBot, panel: MemberPanel, cohort: Cohort) -> None:
    show(qtbot, panel, cohort.dev)  # the facilitator
    assert panel.header.peer_replies.value() == "—"
    assert "learner's replies" in panel.header.peer_replies.toolTip()
    show(qtbot, panel, cohort.ben)
    assert panel.header.peer_replies.value() == "0"
