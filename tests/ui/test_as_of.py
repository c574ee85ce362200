"""One "as of" day for every screen of a cohort: a finished cohort opens as it ended, and a day
picked above the tabs moves Today, the roster, the dashboard and the member panel together."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.enums import Role
from cohortdesk.core.services.activity import participation
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY, settle

ENDED = date(2026, 9, 18)  # the demo's last activity; its cohort ends two weeks later
COHORT_END = date(2026, 10, 2)
EARLIER = date(2026, 8, 28)


def _open(window: MainWindow, db: Database) -> int:
    with db.write() as s:
        cohort = create_demo(s, DemoSpec(end=ENDED))
    window.reload_cohorts(select_id=cohort.id)
    settle(window)
    return cohort.id


def test_a_finished_cohort_opens_as_it_ended(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    assert TODAY > COHORT_END
    _open(window, db)
    bar = window.as_of_bar
    assert bar.day() == COHORT_END and bar.note.text() == "its end"
    assert not bar.reset_button.isEnabled()
    assert window.today.heading.text() == "As of Fri 2 Oct 2026"
    window.pages.setCurrentWidget(window.dashboard)
    settle(window)
    assert window.dashboard.data is not None
    assert window.dashboard.data.dashboard.as_of == COHORT_END
    assert "As of 2 Oct 2026" in window.dashboard.status.text()


def test_a_day_picked_moves_every_screen(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    cohort_id = _open(window, db)
    window.pages.setCurrentWidget(window.dashboard)
    settle(window)
    bar = window.as_of_bar
    bar.edit.setDate(QDate(EARLIER.year, EARLIER.month, EARLIER.day))
    settle(window)
    assert bar.day() == EARLIER and bar.note.text() == "chosen" and bar.reset_button.isEnabled()
    assert bar.why.currentWidget() is bar.reset_button  # in the word's place
    assert window.today.heading.text() == "As of Fri 28 Aug 2026"
    assert window.dashboard.data is not None
    figures = window.dashboard.data.dashboard.figures
    with db.read() as s:
        expected = participation.roster(s, cohort_id, as_of=EARLIER)
    shown = {r.name: r for r in window.roster.model.rows()}
    assert {r.name: (r.posts, r.last_active) for r in expected} == {
        n: (r.posts, r.last_active) for n, r in shown.items()
    }
    assert all(r.last_active is None or r.last_active <= EARLIER for r in shown.values())
    learners = [r for r in expected if r.role is Role.LEARNER]
    assert figures.learners == len(learners)
    assert figures.posts == sum(r.posts for r in expected)
    # the member panel counts to the same day
    busiest = max(learners, key=lambda r: r.posts)
    with db.read() as s:
        now = participation.roster_row(s, busiest.membership_id, as_of=COHORT_END)
    assert now.posts > busiest.posts  # the weeks after the day picked are not counted
    window.roster.select_member(busiest.membership_id)
    settle(window)
    assert window.member_panel.header.posts.value() == str(busiest.posts)
    qtbot.mouseClick(bar.reset_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert bar.day() == COHORT_END and not bar.reset_button.isEnabled()
    assert bar.why.currentWidget() is bar.note
    assert window.today.heading.text() == "As of Fri 2 Oct 2026"


def test_a_day_after_the_end_is_the_end(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    _open(window, db)
    bar = window.as_of_bar
    assert bar.edit.maximumDate() == QDate(COHORT_END.year, COHORT_END.month, COHORT_END.day)
    cohort = window.cohort_list.current_row()
    assert cohort is not None
    window.context.as_of.choose(cohort, date(2030, 1, 1))
    settle(window)
    assert bar.day() == COHORT_END


def test_what_is_recorded_for_an_ended_cohort_is_dated_on_its_last_day(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    """A check-in, an event or a highlight added to a finished cohort (the 2013 MOOC) was
    dated today, years after the cohort, where no figure counts it."""
    _open(window, db)
    window.pages.show_roster()
    window.roster.table.selectRow(0)
    settle(window)
    panel = window.member_panel
    end = QDate(COHORT_END.year, COHORT_END.month, COHORT_END.day)
    check_in = panel.motivation_tab.record_motivation()
    assert check_in is not None
    assert check_in.date_edit.date() == end
    assert check_in.date_edit.maximumDate() == QDate(TODAY.year, TODAY.month, TODAY.day)
    check_in.reject()
    event = panel.activity_tab.add_event()
    assert event is not None
    assert event.date_edit.date() == end
    event.reject()
    highlight = panel.capture_highlight()
    assert highlight is not None
    assert highlight.day.date() == end
    highlight.reject()
    settle(window)
