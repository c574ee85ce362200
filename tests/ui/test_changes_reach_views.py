"""Each kind of write reaches the views that show what it changed, with nobody announcing it.

Every write here runs as the GUI runs one, through the task runner, and from outside the view
that shows its result: what the view shows afterwards can only come from the changes the
service returned.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import NudgeChannel, Role
from cohortdesk.core.schemas import CohortInput, MemberInput, NudgeInput
from cohortdesk.core.schemas.mentoring import HighlightInput
from cohortdesk.core.services.dashboards import highlights
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.services.messaging import nudges, templates
from cohortdesk.core.services.people import cohorts, members, tracking
from cohortdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY, settle
from tests.ui.messaging_support import wait_for

MORNING = datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=UTC)


def test_a_member_record_reaches_the_panel_the_roster_and_today(
    shown: MainWindow, qtbot: QtBot
) -> None:
    learner = next(r for r in shown.roster.model.rows() if r.role is Role.LEARNER)
    shown.member_panel.show_member(learner.membership_id)
    settle(shown)
    today_loads: list[object] = []
    shown.today.today_loaded.connect(today_loads.append)
    shown.context.runner.write(
        # on the cohort's last day, the day its figures are judged as of
        "Check in",
        lambda s: tracking.add_motivation(
            s, learner.membership_id, 1, "Low week", checked_on=TODAY
        ),
    )

    def shown_everywhere() -> bool:
        row = next(r for r in shown.roster.model.rows() if r.membership_id == learner.membership_id)
        panel = shown.member_panel.motivation_tab.latest_label.text()
        return row.motivation == 1 and panel.startswith("Latest: 1") and bool(today_loads)

    wait_for(qtbot, shown, shown_everywhere)


def test_a_new_member_reaches_the_roster_and_the_cohort_list(
    shown: MainWindow, qtbot: QtBot, demo: int
) -> None:
    before = shown.roster.model.rowCount()
    counted = shown.cohort_list.current_row()
    assert counted is not None
    shown.context.runner.write(
        "Add", lambda s: members.add_member(s, demo, MemberInput(full_name="Zara Newcomer"))
    )

    def shown_everywhere() -> bool:
        row = shown.cohort_list.current_row()
        return (
            shown.roster.model.rowCount() == before + 1
            and row is not None
            and row.members == counted.members + 1
        )

    wait_for(qtbot, shown, shown_everywhere)


def test_a_new_cohort_reaches_the_cohort_list(shown: MainWindow, qtbot: QtBot) -> None:
    shown.context.runner.write(
        "Create", lambda s: cohorts.create_cohort(s, CohortInput(name="Autumn cohort"))
    )
    wait_for(
        qtbot,
        shown,
        lambda: "Autumn cohort" in [r.name for r in shown.cohort_list.model.rows()],
    )


def test_a_logged_nudge_reaches_every_view_that_shows_nudges(
    shown: MainWindow, qtbot: QtBot
) -> None:
    item = next(i for i in shown.today.model.items() if not i.recently_nudged)
    shown.member_panel.show_member(item.membership_id)
    settle(shown)
    tab = shown.member_panel.nudges_tab
    in_tab = tab.model.rowCount()
    dialog = shown.messaging.show_nudges()
    assert dialog is not None
    settle(shown)
    in_list = dialog.model.rowCount()
    sent = NudgeInput(body="Hi, how is it going?", channel=NudgeChannel.OTHER, sent_at=MORNING)
    shown.context.runner.write(
        "Log a nudge", lambda s: nudges.log_nudge(s, item.membership_id, sent)
    )

    def nudged() -> bool:
        now = {i.membership_id: i for i in shown.today.model.items()}
        return now[item.membership_id].recently_nudged

    wait_for(qtbot, shown, nudged)
    assert dialog.model.rowCount() == in_list + 1
    assert tab.model.rowCount() == in_tab + 1
    dialog.close()


def test_a_retired_template_reaches_today(shown: MainWindow, qtbot: QtBot) -> None:
    item = next(i for i in shown.today.model.items() if i.suggested_template_id is not None)
    retired = item.suggested_template_id
    assert retired is not None
    shown.context.runner.write("Retire", lambda s: templates.set_retired(s, retired, True))

    def suggested_otherwise() -> bool:
        now = {i.membership_id: i for i in shown.today.model.items()}
        return now[item.membership_id].suggested_template_id != retired

    wait_for(qtbot, shown, suggested_otherwise)


def test_a_mentoring_change_reaches_the_mentor_view(
    shown: MainWindow, qtbot: QtBot, demo: int
) -> None:
    view = shown.mentoring.show_mentor_view()
    assert view is not None
    wait_for(qtbot, shown, lambda: view.overview() is not None)
    mentor = view.mentor_id()
    assert mentor is not None
    overview = view.overview()
    assert overview is not None
    taken = {m.membership_id for m in overview.mentees}
    learner = next(
        r.membership_id
        for r in shown.roster.model.rows()
        if r.role is Role.LEARNER and r.membership_id not in taken
    )
    shown.context.runner.write(
        "Assign", lambda s: mentoring.assign_mentor(s, mentor, learner, None)
    )
    wait_for(qtbot, shown, lambda: view.model.rowCount() == len(taken) + 1)
    view.close()


def test_a_highlight_captured_elsewhere_reaches_the_highlights_list(
    shown: MainWindow, qtbot: QtBot
) -> None:
    dialog = shown.mentoring.show_highlights()
    assert dialog is not None
    settle(shown)
    before = dialog.model.rowCount()
    learner = shown.roster.model.rows()[0]
    data = HighlightInput(
        membership_id=learner.membership_id, happened_on=TODAY, text="Led the week 7 debate"
    )
    shown.context.runner.write("Capture", lambda s: highlights.add_highlight(s, data))
    wait_for(qtbot, shown, lambda: dialog.model.rowCount() == before + 1)
    dialog.close()
