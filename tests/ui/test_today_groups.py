"""Today with many learners: groups by main reason, a nudge per group, one line per learner."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cohortdesk.cli.main import main as cli_main
from cohortdesk.core.schemas import MemberInput, ReasonCode
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.people import members
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.nudge_dialog import NudgeDialog
from tests.cli.test_one_truth import MOOC_STEPS
from tests.core.builders import make_cohort
from tests.ui.conftest import TODAY, settle
from tests.ui.messaging_support import the_dialog, wait_for


def rows_in_view(window: MainWindow) -> int:
    """The learners whose whole row is inside the visible part of the Today list."""
    table = window.today.table
    viewport = table.viewport().rect()
    model = window.today.model
    return sum(
        1
        for row in range(model.rowCount())
        if not table.isRowHidden(row) and viewport.contains(table.visualRect(model.index(row, 0)))
    )


def at_laptop_size(window: MainWindow, cohort_id: int) -> None:
    window.resize(1280, 720)
    window.reload_cohorts(select_id=cohort_id)
    settle(window)
    window.pages.setCurrentWidget(window.today)
    settle(window)


def test_the_demos_groups_and_a_nudge_for_one_group(
    shown: MainWindow, qtbot: QtBot, demo: int
) -> None:
    today = shown.today
    bar = today.groups_bar
    texts = [bar.combo.itemText(i) for i in range(bar.combo.count())]
    assert texts == [
        "All 7 on the list",
        "1 with an access problem",
        "2 never logged in",
        "1 with low motivation",
        "1 not answering a nudge",
        "1 reads, does not post",
        "1 nudged recently, waiting",
    ]
    assert not bar.nudge_button.isEnabled()  # everyone shown: choose a group first
    assert bar.show_group(ReasonCode.NEVER_ACCESSED.value)
    never = [
        i.membership_id for i in today.model.items() if i.reasons[0].code.value == "never_accessed"
    ]
    assert today.visible_ids() == never and len(never) == 2
    assert bar.nudge_button.text() == "Nudge these 2" and bar.nudge_button.isEnabled()
    qtbot.mouseClick(bar.nudge_button, Qt.MouseButton.LeftButton)
    dialog = the_dialog(shown, NudgeDialog)
    wait_for(qtbot, shown, lambda: dialog.is_ready())
    assert [r.membership_id for r in dialog.recipients] == never
    # one message each, filled in for each of them
    bodies = []
    for position in range(len(never)):
        dialog.recipient_list.setCurrentRow(position)
        bodies.append(dialog.body_edit.toPlainText())
    assert len(set(bodies)) == 2
    assert all(body.startswith("Hi ") for body in bodies)
    dialog.close()
    # the waiting group is shown but not nudged; back to everyone
    assert bar.show_group("recently_nudged")
    assert len(today.visible_ids()) == 1 and not bar.nudge_button.isEnabled()
    assert bar.show_group("")
    assert len(today.visible_ids()) == 7


@pytest.mark.parametrize("size", [12, 60])
def test_at_least_eight_learners_fit_a_laptop_screen(
    window: MainWindow, db: Database, size: int
) -> None:
    with db.write() as session:
        start = TODAY - timedelta(days=30)
        cohort = make_cohort(session, "Large", start_date=start)
        for n in range(size):
            learner = MemberInput(full_name=f"Learner {n:03} with a rather long name")
            members.add_member(session, cohort.id, learner, joined_on=start)
    at_laptop_size(window, cohort.id)
    assert window.today.model.rowCount() == size
    assert rows_in_view(window) >= 8


def test_the_real_mooc_groups_and_fits_a_laptop_screen(
    window: MainWindow, db: Database, real_fixtures: Path
) -> None:
    url = str(db.engine.url)
    for step in MOOC_STEPS:
        assert cli_main(["--db", url, *step]) == 0
    window.reload_cohorts()
    settle(window)
    cohort = next(r for r in window.cohort_list.model.rows() if r.name == "MOOC")
    at_laptop_size(window, cohort.id)
    today = window.today
    groups = today.groups_bar.groups()
    assert sum(len(g.membership_ids) for g in groups) == today.model.rowCount() > 400
    assert {g.code for g in groups} >= {ReasonCode.NEVER_ACCESSED, ReasonCode.SILENT}
    quiet = [g for g in groups if g.code is ReasonCode.SILENT]
    assert len(quiet) > 1 and all(g.week is not None for g in quiet)
    assert rows_in_view(window) >= 8


def test_suggestions_of_one_move_accepted_in_bulk_after_a_question(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int, yes: list[str]
) -> None:
    pane = shown.today.suggestions
    found = pane.model.suggestions()
    moves = Counter((s.from_stage, s.to_stage) for s in found)
    (start, end), count = moves.most_common(1)[0]
    position = next(
        i for i in range(pane.move_choice.count()) if pane.move_choice.itemData(i) == (start, end)
    )
    assert pane.move_choice.itemText(position).endswith(f"({count})")
    pane.move_choice.activated.emit(position)
    chosen = {s.membership_id for s in pane.selected()}
    assert chosen == {s.membership_id for s in found if (s.from_stage, s.to_stage) == (start, end)}
    if count > 1:
        assert pane.accept_button.text() == f"&Accept {count}"
    qtbot.mouseClick(pane.accept_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: not chosen & set(shown.today.suggestion_ids()))
    assert len(yes) == (1 if count > 1 else 0)
    with db.read() as session:
        stages = {r.membership_id: r.stage for r in participation.roster(session, demo)}
    assert all(stages[mid] == end for mid in chosen)
    # select all, dismiss all: nothing left to suggest
    pane.table.selectAll()
    left = len(pane.selected())
    qtbot.mouseClick(pane.dismiss_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: not shown.today.suggestion_ids())
    assert left == len(found) - len(chosen)
