"""The main window, driven as a facilitator would: cohorts, roster, filters, members."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cohortdesk.core import localzone
from cohortdesk.core.enums import Role
from cohortdesk.core.schemas import CohortInput, MemberInput
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import PAGE_COHORTS, PAGE_WELCOME, MainWindow
from cohortdesk.ui.models.roster_model import COL_NAME, COL_POSTS, COL_STAGE
from cohortdesk.ui.views import cohort_dialog, member_dialog
from tests.ui.conftest import TODAY, settle


def fill_and_accept(monkeypatch: pytest.MonkeyPatch, dialog_class: type, fill: Any) -> None:
    """Make the dialog's exec() fill its real fields and press OK, instead of blocking."""

    def fake_exec(dialog: Any) -> int:
        fill(dialog)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(dialog_class, "exec", fake_exec)


def roster_names(window: MainWindow) -> list[str]:
    proxy = window.roster.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def test_an_empty_database_shows_the_welcome_page(window: MainWindow) -> None:
    assert window.stack.currentIndex() == PAGE_WELCOME
    assert window.welcome.create_button.isVisible()


def test_open_the_demo_from_the_welcome_page(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert window.stack.currentIndex() == PAGE_COHORTS
    assert window.cohort_list.current_row() is not None
    assert window.roster.model.rowCount() >= 20
    assert "Leading Online Learning" in window.windowTitle()


def test_create_a_cohort_then_add_a_member_and_see_the_roster(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cohort_fields(dialog: cohort_dialog.CohortDialog) -> None:
        dialog.name.setText("Spring 2027")
        dialog.timezone.setCurrentText("Europe/Lisbon")

    fill_and_accept(monkeypatch, cohort_dialog.CohortDialog, cohort_fields)
    window.new_cohort_action.trigger()
    settle(window)
    assert window.stack.currentIndex() == PAGE_COHORTS
    assert window.cohort_list.current_row().name == "Spring 2027"
    assert window.roster.title.text() == "Spring 2027"
    assert "Europe/Lisbon" in window.roster.meta.text()

    def member_fields(dialog: member_dialog.MemberDialog) -> None:
        dialog.name_edit.setText("Ana Souza")
        dialog.email_edit.setText("ana@example.org")

    fill_and_accept(monkeypatch, member_dialog.MemberDialog, member_fields)
    window.add_member_action.trigger()
    settle(window)
    assert roster_names(window) == ["Ana Souza"]
    assert window.roster.selected_membership_id() is not None
    assert window.member_panel.actions_enabled()
    assert "Added Ana Souza" in window.statusBar().currentMessage()
    assert window.roster.shown.text() == "1 member"


def test_a_new_cohort_starts_in_this_computers_zone(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(localzone.tzlocal, "get_localzone_name", lambda: "Pacific/Auckland")
    dialog = cohort_dialog.CohortDialog(None, "New cohort", None, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.timezone.currentText() == "Pacific/Auckland"


def test_an_invalid_cohort_keeps_the_dialog_open_with_the_reason(qtbot: QtBot) -> None:
    dialog = cohort_dialog.CohortDialog(None, "New cohort", None, TODAY)
    qtbot.addWidget(dialog)
    dialog.name.setText("Bad zone")
    dialog.timezone.setCurrentText("Mars/Olympus")
    dialog.accept()
    assert dialog.result() == 0
    assert "unknown time zone" in dialog.error.text()


def test_the_roster_filters_by_text_role_and_stage(window: MainWindow, demo: int) -> None:
    window.reload_cohorts(select_id=demo)
    settle(window)
    total = window.roster.model.rowCount()
    window.roster.role_filter.setCurrentIndex(window.roster.role_filter.findData(Role.MENTOR.value))
    assert window.roster.proxy.rowCount() == 2
    assert window.roster.shown.text() == f"Showing 2 of {total}"
    window.roster.role_filter.setCurrentIndex(0)
    window.roster.stage_filter.setCurrentIndex(window.roster.stage_filter.findData(1))
    stages = {
        window.roster.proxy.index(r, COL_STAGE).data()
        for r in range(window.roster.proxy.rowCount())
    }
    assert stages == {"1 · Access"}
    window.roster.stage_filter.setCurrentIndex(0)
    first = roster_names(window)[0]
    window.roster.search.setText(first.split()[0].lower())
    assert first in roster_names(window)
    assert window.roster.proxy.rowCount() < total
    window.roster.search.clear()
    assert window.roster.proxy.rowCount() == total


def test_the_stage_chips_filter_the_roster(window: MainWindow, demo: int) -> None:
    window.reload_cohorts(select_id=demo)
    settle(window)
    window.roster.summary._buttons[3].click()
    assert window.roster.stage_filter.currentData() == 3
    assert window.roster.proxy.rowCount() > 0
    window.roster.summary._buttons[3].click()
    assert window.roster.stage_filter.currentData() is None


def test_sorting_by_posts_puts_the_dominant_voice_first(window: MainWindow, demo: int) -> None:
    window.reload_cohorts(select_id=demo)
    settle(window)
    window.roster.table.sortByColumn(COL_POSTS, Qt.SortOrder.DescendingOrder)
    posts = [
        int(window.roster.proxy.index(r, COL_POSTS).data())
        for r in range(window.roster.proxy.rowCount())
    ]
    assert posts == sorted(posts, reverse=True)


def test_rename_archive_and_delete_a_cohort(
    window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        keep = cohorts.create_cohort(session, CohortInput(name="Keep")).value
        gone = cohorts.create_cohort(session, CohortInput(name="Old name")).value
        members.add_member(session, gone.id, MemberInput(full_name="Only Here", email="o@x.org"))
    window.reload_cohorts(select_id=gone.id)
    settle(window)

    fill_and_accept(monkeypatch, cohort_dialog.CohortDialog, lambda d: d.name.setText("New name"))
    window.edit_cohort_action.trigger()
    settle(window)
    assert window.cohort_list.current_row().name == "New name"

    window.archive_action.trigger()
    settle(window)
    names = [r.name for r in window.cohort_list.model.rows()]
    assert names == ["Keep"]
    window.show_archived_action.trigger()
    settle(window)
    assert [r.name for r in window.cohort_list.model.rows()] == ["Keep", "New name"]

    window.reload_cohorts(select_id=gone.id)
    settle(window)
    asked: list[str] = []
    monkeypatch.setattr(
        "cohortdesk.ui.widgets.confirm.confirm",
        lambda _parent, _title, text, _label: asked.append(text) or True,
    )
    window.delete_cohort_action.trigger()
    settle(window)
    assert "It holds 1 member and 0 activity events" in asked[0]
    assert [r.name for r in window.cohort_list.model.rows()] == ["Keep"]
    with db.read() as session:
        assert [c.id for c in cohorts.list_cohorts(session)] == [keep.id]


def test_a_cohort_a_colleague_saved_meanwhile_is_shown_and_the_edit_offered_on_top(
    window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        made = cohorts.create_cohort(session, CohortInput(name="Spring", timezone="UTC")).value
    window.reload_cohorts(select_id=made.id)
    settle(window)
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "cohortdesk.ui.main_window.QMessageBox.warning",
        lambda _parent, title, text: warned.append((title, text)),
    )
    opened: list[tuple[str, str, str, str]] = []

    def fill(dialog: cohort_dialog.CohortDialog) -> None:
        fields = (dialog.name.text(), dialog.description.toPlainText())
        opened.append((dialog.windowTitle(), *fields, dialog.timezone.currentText()))
        if len(opened) == 1:
            with db.write() as session:  # another facilitator saves while this dialog is open
                cohorts.change_cohort(session, made.id, name="Spring B", description="Theirs")
            dialog.timezone.setCurrentText("Europe/Madrid")

    fill_and_accept(monkeypatch, cohort_dialog.CohortDialog, fill)
    window.edit_cohort_action.trigger()
    settle(window)
    assert [title for title, _text in warned] == ["Changed meanwhile"]
    assert warned[0][1].startswith("The cohort Spring B: changed by someone else")
    # offered again on their version, with only what this edit changed on top
    assert opened == [
        ("Edit cohort", "Spring", "", "UTC"),
        ("Re-apply your edit to Spring B", "Spring B", "Theirs", "Europe/Madrid"),
    ]
    with db.read() as session:
        saved = cohorts.get_cohort(session, made.id)
    assert (saved.name, saved.description, saved.timezone) == (
        "Spring B",
        "Theirs",
        "Europe/Madrid",
    )
    assert window.cohort_list.current_row().timezone == "Europe/Madrid"


def test_declining_the_confirmation_deletes_nothing(
    window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Precious"))
    window.reload_cohorts()
    settle(window)
    monkeypatch.setattr("cohortdesk.ui.widgets.confirm.confirm", lambda *_args: False)
    window.delete_cohort_action.trigger()
    settle(window)
    with db.read() as session:
        assert [c.name for c in cohorts.list_cohorts(session)] == ["Precious"]


def test_a_known_error_is_shown_as_a_message_not_a_crash(
    window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Taken"))
    window.reload_cohorts()
    settle(window)
    shown: list[str] = []
    monkeypatch.setattr(
        "cohortdesk.ui.main_window.QMessageBox.warning",
        lambda _parent, _title, text: shown.append(text),
    )
    fill_and_accept(monkeypatch, cohort_dialog.CohortDialog, lambda d: d.name.setText("taken"))
    window.new_cohort_action.trigger()
    settle(window)
    assert shown == ["A cohort named 'taken' already exists"]


def test_the_window_remembers_its_size_and_last_cohort(
    qtbot: QtBot, window: MainWindow, demo: int
) -> None:
    window.reload_cohorts(select_id=demo)
    settle(window)
    window.resize(900, 540)  # the headless screen is 800x600: width is clamped
    window.close()
    again = MainWindow(window.context)
    qtbot.addWidget(again)
    settle(again)
    assert again.height() == 540
    assert again.cohort_list.current_id() == demo


def test_models_pass_the_model_tester(window: MainWindow, demo: int, qtmodeltester: Any) -> None:
    window.reload_cohorts(select_id=demo)
    settle(window)
    qtmodeltester.check(window.roster.model)
    qtmodeltester.check(window.roster.proxy)
    qtmodeltester.check(window.cohort_list.model)


def test_the_menus_follow_the_selected_cohort_and_member(window: MainWindow, demo: int) -> None:
    menus = window.menus
    file_menu = [a.text() for a in menus.file_menu.actions() if not a.isSeparator()]
    assert file_menu[-3:] == ["&Back up now…", "&Restore from backup…", "&Quit"]
    assert window.backup_action is menus.backup_action and window.backup_action.isEnabled()
    assert not window.import_action.isEnabled()  # no cohort selected yet
    window.reload_cohorts(select_id=demo)
    settle(window)
    assert window.import_action.isEnabled() and window.merge_action.isEnabled()
    assert not any(a.isEnabled() for a in window.member_actions)
    window.roster.select_member(window.roster.model.rows()[0].membership_id)
    settle(window)
    assert all(a.isEnabled() for a in window.member_actions)
    assert window.erase_action.isEnabled()
