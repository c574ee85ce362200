"""The Today screen: who needs the facilitator, in order, with reasons; nudges; suggestions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import NudgeChannel, NudgeStatus, Role
from cohortdesk.core.schemas import AttentionSettings, CohortInput, CohortRules, MemberInput
from cohortdesk.core.services.attention import attention, evidence, rules
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.attention_model import (
    COL_ACTION,
    COL_NAME,
    COL_NUDGED,
    COL_PRIORITY,
    COL_REASONS,
    COL_STAGE,
)
from cohortdesk.ui.views.nudge_dialog import NudgeDialog
from cohortdesk.ui.views.today_view import NOBODY_TEXT
from tests.ui.conftest import TODAY, settle
from tests.ui.messaging_support import click_at, the_dialog, wait_for


def today_names(window: MainWindow) -> list[str]:
    model = window.today.model
    return [model.index(r, COL_NAME).data() for r in range(model.rowCount())]


def row_of(window: MainWindow, name: str) -> int:
    return today_names(window).index(name)


def test_today_is_the_cohorts_home_with_roster_one_click_away(shown: MainWindow) -> None:
    pages = shown.pages
    assert pages.currentWidget() is shown.today
    assert pages.tabText(0) == "Today"
    assert [pages.tabText(i) for i in range(pages.count())][:2] == ["Today", "Roster"]
    pages.show_roster()
    assert pages.currentWidget() is shown.roster
    assert shown.today.heading.text() == "Today · Fri 30 Oct 2026"


def test_today_lists_the_demos_learners_in_order_with_their_reasons(
    shown: MainWindow, db: Database, demo: int
) -> None:
    with db.read() as session:
        expected = attention.attention(session, demo, TODAY)
    model = shown.today.model
    assert today_names(shown) == [item.name for item in expected]
    assert len(expected) == 7
    for row, item in enumerate(expected):
        assert model.index(row, COL_PRIORITY).data() == str(item.priority)
        assert model.index(row, COL_STAGE).data().startswith(f"{item.stage} · ")
        # one line of short labels; the details with their weights in the tooltip
        reasons = model.index(row, COL_REASONS).data()
        assert "\n" not in reasons and len(reasons.split(" · ")) == len(item.reasons)
        tip = model.index(row, COL_REASONS).data(Qt.ItemDataRole.ToolTipRole)
        for reason in item.reasons:
            assert f"{reason.weight:+d}  {reason.detail}" in tip
        assert model.index(row, COL_ACTION).data() == "Nudge…"
    # The learner nobody answered comes first, with both reasons and their numbers.
    first = model.index(0, COL_REASONS).data(Qt.ItemDataRole.ToolTipRole).splitlines()
    assert first[0].startswith("+35  No response to the nudge of Thu 22 Oct")
    assert first[1].startswith("+30  Silent for 15 days")
    assert model.index(0, COL_NUDGED).data() == "nudged 8 days ago"
    # The reader nudged yesterday sinks to the bottom, with a badge.
    last = model.rowCount() - 1
    assert model.index(last, COL_NUDGED).data() == "nudged 1 day ago"
    assert expected[-1].recently_nudged and not any(i.recently_nudged for i in expected[:-1])
    assert (
        shown.today.summary_label.text()
        == "6 learners need you · 1 more nudged recently, waiting (shown last)"
    )
    staff = {r.name for r in shown.roster.model.rows() if r.role is not Role.LEARNER}
    assert not staff & set(today_names(shown))


def test_selecting_a_learner_shows_them_in_the_member_panel(shown: MainWindow) -> None:
    shown.today.table.selectRow(1)
    settle(shown)
    detail = shown.member_panel.detail()
    assert detail is not None and detail.row.name == today_names(shown)[1]
    assert shown.member_panel.actions_enabled()


def test_from_today_to_a_logged_nudge(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int, said: list[str]
) -> None:
    today = shown.today
    name = today_names(shown)[0]
    first_name = name.split()[0]
    # Click one: select the learner.
    rect = today.table.visualRect(today.model.index(0, COL_NAME))
    click_at(qtbot, today.table.viewport(), rect)
    assert today.selected_ids() == [today.model.item_at(0).membership_id]
    # Click two: Nudge…
    qtbot.mouseClick(today.nudge_button, Qt.MouseButton.LeftButton)
    dialog = the_dialog(shown, NudgeDialog)
    wait_for(qtbot, shown, lambda: dialog.is_ready())
    item = today.model.item_at(0)
    assert dialog.template_id() == item.suggested_template_id
    assert "(suggested)" in dialog.picker.combo.currentText()
    assert dialog.subject_edit.text() == item.subject
    assert dialog.body_edit.toPlainText().startswith(f"Hi {first_name},")
    assert dialog.copy_button.isEnabled()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: bool(dialog.sent))

    # The clipboard holds the subject, a blank line, then the body.
    clipboard = QGuiApplication.clipboard().text()
    assert clipboard == f"{item.subject}\n\n{dialog.body_edit.toPlainText()}"
    with db.read() as session:
        logged = nudges.list_nudges(session, demo, as_of=TODAY)
    newest = logged[0]
    assert newest.name == name
    assert newest.channel is NudgeChannel.CLIPBOARD
    assert f"{newest.subject}\n\n{newest.body}" == clipboard
    assert newest.subject == item.subject
    assert newest.template_id == item.suggested_template_id
    assert len(logged) == 4  # the demo's three, and this one
    # Copying is not sending: a draft, which Today ignores until it is confirmed.
    assert newest.status is NudgeStatus.DRAFT and newest.outcome is None
    assert any(f"Copied the message to {name}" in m for m in said)
    assert dialog.recipient_list.item(0).text().startswith("… ")
    assert dialog.confirm_button.isEnabled()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: not dialog.confirm_button.isEnabled())
    with db.read() as session:
        assert nudges.list_nudges(session, demo, as_of=TODAY)[0].status is NudgeStatus.SENT
    assert dialog.recipient_list.item(0).text().startswith("✓ ")
    # Back on Today, they are now recently nudged: sunk to the bottom, with the badge.
    dialog.close()
    wait_for(qtbot, shown, lambda: name in today_names(shown)[-2:])
    row = row_of(shown, name)
    assert today.model.index(row, COL_NUDGED).data() == "nudged today"
    assert today.model.item_at(row).recently_nudged
    assert today.summary_label.text() == (
        "5 learners need you · 2 more nudged recently, waiting (shown last)"
    )


def test_the_rows_own_button_and_a_double_click_open_the_nudge(
    shown: MainWindow, qtbot: QtBot
) -> None:
    today = shown.today
    opened: list[list[Any]] = []
    today.nudge_requested.connect(opened.append)
    rect = today.table.visualRect(today.model.index(2, COL_ACTION))
    click_at(qtbot, today.table.viewport(), rect)  # the button sits in the cell's middle
    assert [i.name for i in opened[-1]] == [today_names(shown)[2]]
    assert today.selected_ids() == [today.model.item_at(2).membership_id]
    the_dialog(shown, NudgeDialog).close()
    rect = today.table.visualRect(today.model.index(3, COL_NAME))
    qtbot.mouseClick(today.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(today.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [i.name for i in opened[-1]] == [today_names(shown)[3]]
    assert len(opened) == 2
    for dialog in list(shown.findChildren(NudgeDialog)):
        dialog.close()


def test_several_learners_an_edit_and_eml_files(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int, tmp_path: Any
) -> None:
    today = shown.today
    today.table.selectRow(1)
    today.table.selectionModel().select(
        today.model.index(2, 0),
        today.table.selectionModel().SelectionFlag.Select
        | today.table.selectionModel().SelectionFlag.Rows,
    )
    assert len(today.selected_items()) == 2
    settle(shown)  # the member panel shows the current one: the Member menu applies
    assert shown.messaging.nudge_action.isEnabled()
    shown.messaging.nudge_action.trigger()
    dialog = the_dialog(shown, NudgeDialog)
    wait_for(qtbot, shown, lambda: dialog.is_ready())
    assert dialog.recipient_list.count() == 2
    assert dialog.windowTitle() == "Nudge 2 members"
    dialog.body_edit.setPlainText(dialog.body_edit.toPlainText() + "\nP.S. Edited by hand.")
    assert "edited" in dialog.recipient_list.item(0).text()
    dialog.choose_folder = lambda: tmp_path  # type: ignore[method-assign]
    names = [dialog.recipients[0].name, dialog.recipients[1].name]
    qtbot.mouseClick(dialog.eml_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: len(dialog.sent) == 2)
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    text = "".join(f.read_text("utf-8") for f in files)
    assert "P.S. Edited by hand." in text and "X-Unsent: 1" in text
    with db.read() as session:
        logged = nudges.list_nudges(session, demo, as_of=TODAY)
    eml = [n for n in logged if n.channel is NudgeChannel.EML]
    assert sorted(n.name for n in eml) == sorted(names)
    assert any("P.S. Edited by hand." in n.body for n in eml)
    assert {n.status for n in eml} == {NudgeStatus.DRAFT}  # saving a file is not sending
    assert "0 of 2 confirmed sent, 2 waiting for you to confirm" in dialog.status_label.text()
    dialog.close()


def test_open_in_mail_client_and_the_eml_fallback_for_a_long_message(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int
) -> None:
    today = shown.today
    today.table.selectRow(1)
    today.nudge_selected()
    dialog = the_dialog(shown, NudgeDialog)
    wait_for(qtbot, shown, lambda: dialog.is_ready())
    opened: list[str] = []
    dialog.open_url = lambda url: opened.append(url.toString()) or True  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.mail_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: bool(dialog.sent))
    assert opened[0].startswith("mailto:")
    with db.read() as session:
        assert nudges.list_nudges(session, demo, as_of=TODAY)[0].channel is NudgeChannel.EMAIL
    dialog.close()

    today.table.selectRow(2)
    today.nudge_selected()
    dialog = the_dialog(shown, NudgeDialog)
    wait_for(qtbot, shown, lambda: dialog.is_ready())
    dialog.open_url = lambda url: opened.append(url.toString()) or True  # type: ignore[method-assign]
    dialog.body_edit.setPlainText("Hi,\n\n" + "A long message, line after line.\n" * 120)
    qtbot.mouseClick(dialog.mail_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: bool(dialog.sent))
    assert opened[-1].startswith("file://") and opened[-1].endswith(".eml")
    assert "too long for a mailto: link" in dialog.status_label.text()
    with db.read() as session:
        assert nudges.list_nudges(session, demo, as_of=TODAY)[0].channel is NudgeChannel.EML
    dialog.close()


def test_nudge_from_a_roster_multi_selection(shown: MainWindow, qtbot: QtBot) -> None:
    shown.pages.show_roster()
    roster = shown.roster
    roster.table.selectRow(0)
    roster.table.selectionModel().select(
        roster.proxy.index(1, 0),
        roster.table.selectionModel().SelectionFlag.Select
        | roster.table.selectionModel().SelectionFlag.Rows,
    )
    settle(shown)
    dialog = shown.messaging.nudge_selected()
    assert dialog is not None
    wait_for(qtbot, shown, lambda: dialog.is_ready())
    assert {r.name for r in dialog.recipients} == {r.name for r in roster.selected_rows()}
    assert dialog.body_edit.toPlainText().strip()
    dialog.close()


def test_suggestions_accept_records_the_evidence_and_dismiss_hides(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int, said: list[str]
) -> None:
    today = shown.today
    suggested = today.suggestions_model.suggestions()
    assert len(suggested) == 4
    assert today.suggestions_heading.text() == (
        "Stage suggestions: 4 members show evidence of a next stage"
    )
    accepted, dismissed = suggested[0], suggested[1]
    today.suggestions_table.selectRow(0)
    assert today.accept_button.isEnabled()
    qtbot.mouseClick(today.accept_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: accepted.membership_id not in today.suggestion_ids())
    with db.read() as session:
        detail = members.member_detail(session, accepted.membership_id)
    assert detail.row.stage == accepted.to_stage
    newest = detail.stage_history[0]
    assert newest.source.value == "suggestion" and "Accepted suggestion" in newest.reason
    assert any(f"Moved {accepted.name} to stage" in m for m in said)

    today.suggestions_table.selectRow(today.suggestions_model.row_of_id(dismissed.membership_id))
    qtbot.mouseClick(today.dismiss_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: dismissed.membership_id not in today.suggestion_ids())
    with db.read() as session:
        left = {s.membership_id for s in evidence.suggestions(session, demo, TODAY)}
    assert dismissed.membership_id not in left and len(left) == 2


def test_nobody_needs_you_shows_an_empty_state(window: MainWindow, db: Database) -> None:
    with db.write() as session:
        cohort = cohorts.create_cohort(
            session, CohortInput(name="Calm cohort", start_date=TODAY)
        ).value
        members.add_member(session, cohort.id, MemberInput(full_name="Ada Lovelace"))
        rules.save_rules(
            session,
            cohort.id,
            CohortRules(attention=AttentionSettings(never_accessed_days=30)),
        )
    window.reload_cohorts(select_id=cohort.id)
    settle(window)
    today = window.today
    assert today.model.rowCount() == 0
    assert today.table.is_showing_empty_text() and today.table.empty_text() == NOBODY_TEXT
    assert today.summary_label.text() == "Nobody needs you today"
    assert not today.nudge_button.isEnabled()


def test_the_new_models_pass_the_model_tester(
    shown: MainWindow, qtmodeltester: Any, qtbot: QtBot
) -> None:
    qtmodeltester.check(shown.today.model)
    qtmodeltester.check(shown.today.suggestions_model)
