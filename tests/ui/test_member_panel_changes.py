"""The member panel's changes, each driven through its real buttons and dialogs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import AccessStatus, EventKind, Role
from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.schemas import MemberInput
from cohortdesk.core.services.people import members
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.server_errors import ServerUnavailableError
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.events_model import COL_KIND, COL_THREAD, COL_WHEN
from cohortdesk.ui.models.stage_history_model import COL_CHANGE, COL_REASON
from cohortdesk.ui.views.member_panel import EMPTY_TEXT, MemberPanel
from cohortdesk.ui.widgets import confirm
from tests.ui.member_data import Cohort, tell_ana_story
from tests.ui.member_panel_support import click, roster_row, show

# ---- changing things -----------------------------------------------------------------------


def test_change_stage_needs_a_reason_and_lands_in_the_history(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort, panel_said: list[str]
) -> None:
    show(qtbot, panel, cohort.ana)
    dialog = panel.change_stage()
    assert dialog is not None and dialog.isVisible()
    assert panel.tabs.currentWidget() is panel.stage_tab
    assert dialog.chosen_stage() == 1
    assert not dialog.ok_button.isEnabled()
    dialog.stage_group.button(3).click()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "Replied to Ben and Chioma with sources")
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, dialog.ok_button)
    model = panel.stage_tab.history_model
    assert model.rowCount() == 2
    assert model.index(0, COL_CHANGE).data() == "1 → 3"
    assert model.index(0, COL_REASON).data() == "Replied to Ben and Chioma with sources"
    assert roster_row(db, cohort.ana).stage == 3
    assert panel.header.staircase.stage() == 3
    assert panel_said == ["Moved Ana Souza to stage 3 · Information exchange"]


def test_record_motivation(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort, panel_said: list[str]
) -> None:
    show(qtbot, panel, cohort.ana)
    dialog = panel.record_motivation()
    assert dialog is not None
    assert dialog.date_edit.date() == QDate(2026, 10, 20)
    assert not dialog.ok_button.isEnabled()
    click(qtbot, dialog.rating_group.button(2))
    qtbot.keyClicks(dialog.note_edit, "Struggling to find time")
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, dialog.ok_button)
    tab = panel.motivation_tab
    assert tab.history_model.rowCount() == 1
    assert tab.history_model.index(0, 1).data() == "2 · Low"
    assert tab.chart.points() == ((date(2026, 10, 20), 2),)
    assert roster_row(db, cohort.ana).motivation == 2
    assert panel_said == ["Recorded motivation 2 · Low for Ana Souza"]


def test_add_and_delete_an_event(
    qtbot: QtBot,
    db: Database,
    panel: MemberPanel,
    cohort: Cohort,
    panel_said: list[str],
    yes: list[str],
) -> None:
    show(qtbot, panel, cohort.ana)
    assert roster_row(db, cohort.ana).events == 0
    dialog = panel.add_event()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.replied_to_combo.count() > 1)
    names = [dialog.replied_to_combo.itemText(i) for i in range(dialog.replied_to_combo.count())]
    assert names == [
        "(nobody in particular)",
        "Ben Okafor (learner)",
        "Chioma Eze (learner)",
        "Dev Patel (facilitator)",
    ]
    assert not dialog.replied_to_combo.isEnabled()
    dialog.set_kind(EventKind.REPLY)
    assert dialog.replied_to_combo.isEnabled()
    dialog.set_replied_to(cohort.ben_person)
    dialog.date_edit.setDate(QDate(2026, 10, 19))
    dialog.time_edit.setTime(QTime(14, 5))
    qtbot.keyClicks(dialog.thread_edit, "Week 3: weaving")
    dialog.words_spin.setValue(120)
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, dialog.ok_button)

    model = panel.activity_tab.events_model
    assert model.rowCount() == 1
    assert model.index(0, COL_WHEN).data() == "19 Oct 2026 14:05"
    assert model.index(0, COL_KIND).data() == "Replied to Ben Okafor"
    assert model.index(0, COL_THREAD).data() == "Week 3: weaving"
    row = roster_row(db, cohort.ana)
    assert (row.events, row.replies, row.peer_replies) == (1, 1, 1)
    assert row.access is AccessStatus.ACCESSED
    with db.read() as s:
        stored = members.member_detail(s, cohort.ana).events[0]
    assert stored.occurred_at == datetime(2026, 10, 19, 13, 5, tzinfo=UTC)  # Lisbon is UTC+1
    assert panel_said[-1] == "Added “Replied” on 19 Oct 2026 14:05 to Ana Souza's activity"

    tab = panel.activity_tab
    assert not tab.delete_button.isEnabled()
    tab.events_view.selectRow(0)
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, tab.delete_button)
    assert "Replied to Ben Okafor on 19 Oct 2026 14:05 in “Week 3: weaving”" in yes[0]
    assert model.rowCount() == 0
    assert roster_row(db, cohort.ana).events == 0
    assert panel_said[-1] == "Deleted an event from Ana Souza's activity"


def test_nothing_is_deleted_when_the_user_cancels(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, panel: MemberPanel, cohort: Cohort
) -> None:
    tell_ana_story(db, cohort)
    show(qtbot, panel, cohort.ana)
    monkeypatch.setattr(confirm, "confirm", lambda *args: False)
    panel.activity_tab.events_view.selectRow(0)
    click(qtbot, panel.activity_tab.delete_button)
    panel.notes_tab.notes_view.selectRow(0)
    click(qtbot, panel.notes_tab.delete_button)
    panel.remove_member()
    assert panel.context.runner.is_idle()
    assert roster_row(db, cohort.ana).events == 6


def test_report_and_resolve_an_access_problem(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort, panel_said: list[str]
) -> None:
    show(qtbot, panel, cohort.ana)
    tab = panel.access_tab
    assert not tab.not_yet_button.isEnabled()  # not yet is where everyone starts
    dialog = panel.report_access_problem()
    assert dialog is not None
    assert panel.tabs.currentWidget() is tab
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.text_edit, "Cannot log in: account locked")
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, dialog.ok_button)
    assert "Problem" in tab.status_label.text()
    assert tab.explanation_label.text().startswith("1 open problem.")
    assert tab.issues_model.rowCount() == 1
    assert tab.issues_model.index(0, 2).data() == "Open"
    row = roster_row(db, cohort.ana)
    assert (row.access, row.open_access_issues) == (AccessStatus.PROBLEM, 1)
    assert panel_said[-1] == "Recorded an access problem for Ana Souza"

    assert not tab.resolve_button.isEnabled()
    tab.issues_view.selectRow(0)
    resolve = tab.resolve_selected()
    assert resolve is not None and resolve.ok_button.isEnabled()  # the note is optional
    qtbot.keyClicks(resolve.text_edit, "IT unlocked the account")
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, resolve.ok_button)
    assert tab.issues_model.index(0, 3).data() == "IT unlocked the account"
    assert not tab.resolve_button.isEnabled()
    assert roster_row(db, cohort.ana).access is AccessStatus.ACCESSED
    assert "Accessed" in tab.status_label.text()

    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, tab.not_yet_button)
    assert roster_row(db, cohort.ana).access is AccessStatus.NOT_YET
    assert panel_said[-1] == "Marked Ana Souza as not accessed yet"
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, tab.accessed_button)
    assert roster_row(db, cohort.ana).access is AccessStatus.ACCESSED
    assert not tab.accessed_button.isEnabled()


def test_add_a_note_with_ctrl_return_and_delete_it(
    qtbot: QtBot, panel: MemberPanel, cohort: Cohort, panel_said: list[str], yes: list[str]
) -> None:
    show(qtbot, panel, cohort.ana)
    panel.add_note_focus()
    tab = panel.notes_tab
    assert panel.tabs.currentWidget() is tab
    panel.activateWindow()
    qtbot.waitUntil(lambda: tab.note_edit.hasFocus())
    assert not tab.add_button.isEnabled()
    qtbot.keyClicks(tab.note_edit, "Nudged about the week 3 e-tivity")
    with qtbot.waitSignal(panel.member_loaded):
        qtbot.keyClick(tab.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.notes_model.rowCount() == 1
    assert tab.notes_model.index(0, 1).data() == "Nudged about the week 3 e-tivity"
    assert tab.note_edit.toPlainText() == ""
    assert panel_said == ["Added a note about Ana Souza"]

    qtbot.keyClicks(tab.note_edit, "Replied warmly")
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, tab.add_button)
    assert [tab.notes_model.index(r, 1).data() for r in range(2)] == [
        "Replied warmly",
        "Nudged about the week 3 e-tivity",
    ]
    tab.notes_view.selectRow(1)
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, tab.delete_button)
    assert yes == ["Delete this note about Ana Souza?\n\n“Nudged about the week 3 e-tivity”"]
    assert tab.notes_model.rowCount() == 1
    assert panel_said[-1] == "Deleted a note about Ana Souza"


def test_edit_details_keeps_the_dialog_open_until_valid(
    qtbot: QtBot, db: Database, ctx: AppContext, panel: MemberPanel, cohort: Cohort
) -> None:
    show(qtbot, panel, cohort.ana)
    dialog = panel.edit_details()
    assert dialog is not None
    assert dialog.name_edit.text() == "Ana Souza"
    assert dialog.role() is Role.LEARNER
    dialog.email_edit.setText("ana at example")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "does not look right" in dialog.error()
    dialog.email_edit.setText("ana.lima@example.org")
    dialog.name_edit.setText("Ana Souza Lima")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.MENTOR))
    with qtbot.waitSignals([ctx.changes.roster_changed, panel.member_loaded]):
        click(qtbot, dialog.ok_button)
    assert panel.header.name_label.text() == "Ana Souza Lima"
    assert panel.header.meta_label.text().startswith("Mentor")
    row = roster_row(db, cohort.ana)
    assert (row.name, row.email, row.role) == (
        "Ana Souza Lima",
        "ana.lima@example.org",
        Role.MENTOR,
    )


def test_remove_from_cohort(
    qtbot: QtBot,
    db: Database,
    ctx: AppContext,
    panel: MemberPanel,
    cohort: Cohort,
    panel_said: list[str],
    yes: list[str],
) -> None:
    show(qtbot, panel, cohort.ana)
    removed: list[int] = []
    panel.member_removed.connect(removed.append)
    with qtbot.waitSignals([panel.member_removed, ctx.changes.roster_changed]):
        click(qtbot, panel.header.remove_button)
    assert removed == [cohort.ana]
    assert yes[0].startswith("Remove Ana Souza from Leading Online Learning?")
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_TEXT
    assert not panel.actions_enabled()
    assert panel_said == ["Removed Ana Souza from Leading Online Learning"]
    with db.read() as s, pytest.raises(NotFoundError):
        members.member_detail(s, cohort.ana)


def test_a_save_after_someone_else_saved_shows_their_version_and_keeps_the_edit(
    qtbot: QtBot,
    db: Database,
    panel: MemberPanel,
    cohort: Cohort,
    warnings_shown: list[str],
) -> None:
    show(qtbot, panel, cohort.ana)
    dialog = panel.edit_details()
    assert dialog is not None
    # meanwhile another facilitator renames her (a second app on the same shared database)
    with db.write() as session:
        members.update_member(session, cohort.ana, MemberInput(full_name="Ana Souza-Lima"))
    dialog.name_edit.setText("Ana S. Lima")
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, dialog.ok_button)
    assert len(warnings_shown) == 1
    assert "changed by someone else since you opened it" in warnings_shown[0]
    # their version is on screen, and the edit is offered again on top of it
    assert panel.header.name_label.text() == "Ana Souza-Lima"
    again = panel.header.edit_dialog
    assert again is not None and again is not dialog and again.isVisible()
    assert again.name_edit.text() == "Ana S. Lima"
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, again.ok_button)
    assert roster_row(db, cohort.ana).name == "Ana S. Lima"
    assert len(warnings_shown) == 1


def test_a_save_while_the_server_is_away_keeps_the_edit_to_save_again(
    qtbot: QtBot,
    db: Database,
    panel: MemberPanel,
    cohort: Cohort,
    warnings_shown: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    show(qtbot, panel, cohort.ana)
    dialog = panel.edit_details()
    assert dialog is not None
    saved = members.update_member

    def server_away(*args: object, **kwargs: object) -> None:
        raise ServerUnavailableError("the server db.example.org cannot be reached (gone)")

    monkeypatch.setattr(members, "update_member", server_away)
    dialog.name_edit.setText("Ana S. Lima")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: panel.header.edit_dialog is not dialog)
    assert warnings_shown == ["the server db.example.org cannot be reached (gone)"]
    again = panel.header.edit_dialog
    assert again is not None and again.isVisible()
    assert again.name_edit.text() == "Ana S. Lima"
    assert roster_row(db, cohort.ana).name == "Ana Souza"
    monkeypatch.setattr(members, "update_member", saved)  # the server is back
    with qtbot.waitSignal(panel.member_loaded):
        click(qtbot, again.ok_button)
    assert roster_row(db, cohort.ana).name == "Ana S. Lima"
