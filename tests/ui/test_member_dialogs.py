"""The member panel's dialogs and the confirmation helper, on their own."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import QDate, Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import MemberInput, PersonChoice
from cohortdesk.ui.views.event_dialog import EventDialog, to_utc
from cohortdesk.ui.views.member_dialog import MemberDialog, friendly_message
from cohortdesk.ui.views.motivation_dialog import CheckIn, MotivationDialog
from cohortdesk.ui.views.stage_dialog import StageDialog
from cohortdesk.ui.views.text_prompt_dialog import TextPromptDialog
from cohortdesk.ui.widgets import confirm


def test_stage_dialog_needs_another_stage_and_a_reason(qtbot: QtBot) -> None:
    dialog = StageDialog(None, "Ana Souza", 2)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.chosen_stage() == 2
    assert "(current)" in dialog.stage_group.button(2).text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "Introduced herself")
    assert not dialog.ok_button.isEnabled()  # the current stage is not a change
    dialog.accept()
    assert dialog.isVisible()
    dialog.set_stage(4)
    assert dialog.ok_button.isEnabled()
    assert "Evidence of stage 4" in dialog.evidence_label.text()
    dialog.reason_edit.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText("Skipped ahead: leads the week 3 discussion")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert (dialog.chosen_stage(), dialog.reason()) == (
        4,
        "Skipped ahead: leads the week 3 discussion",
    )


def test_motivation_dialog_defaults_to_today_and_needs_a_rating(qtbot: QtBot) -> None:
    dialog = MotivationDialog(None, "Ana Souza", date(2026, 10, 20))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.date_edit.date() == QDate(2026, 10, 20)
    assert dialog.date_edit.maximumDate() == QDate(2026, 10, 20)
    assert dialog.rating() is None
    assert not dialog.ok_button.isEnabled()
    assert dialog.rating_group.button(1).text() == "1\nVery low"
    dialog.set_rating(5)
    dialog.date_edit.setDate(QDate(2026, 10, 18))
    qtbot.keyClicks(dialog.note_edit, "  Loved the live session ")
    assert dialog.ok_button.isEnabled()
    assert dialog.value() == CheckIn(date(2026, 10, 18), 5, "Loved the live session")


def test_event_time_is_read_in_the_cohorts_zone() -> None:
    assert to_utc(date(2026, 10, 19), time(14, 5), "Europe/Lisbon") == datetime(
        2026, 10, 19, 13, 5, tzinfo=UTC
    )
    assert to_utc(date(2026, 10, 26), time(14, 5), "Europe/Lisbon") == datetime(
        2026, 10, 26, 14, 5, tzinfo=UTC
    )
    assert to_utc(date(2026, 10, 19), time(9, 0), "America/New_York") == datetime(
        2026, 10, 19, 13, 0, tzinfo=UTC
    )


def test_event_dialog_asks_whom_only_replies_and_reactions_answer(qtbot: QtBot) -> None:
    dialog = EventDialog(None, "Ana Souza", "Asia/Kolkata", datetime(2026, 10, 20, 9, 30))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kind() is EventKind.POST
    assert (dialog.date_edit.date(), dialog.time_edit.time()) == (
        QDate(2026, 10, 20),
        QTime(9, 30),
    )
    assert dialog.replied_to_combo.currentText() == "Loading members…"
    dialog.set_choices(
        [
            PersonChoice(person_id=2, name="Ben Okafor", role=Role.LEARNER),
            PersonChoice(person_id=4, name="Dev Patel", role=Role.FACILITATOR),
        ]
    )
    dialog.set_replied_to(4)
    assert not dialog.replied_to_combo.isEnabled()
    assert dialog.value().replied_to_person_id is None  # a thread of one's own answers nobody
    dialog.set_kind(EventKind.REACTION)
    assert dialog.replied_to_combo.isEnabled()
    qtbot.keyClicks(dialog.detail_edit, " Liked the summary ")
    value = dialog.value()
    assert value.kind is EventKind.REACTION
    assert value.replied_to_person_id == 4
    assert value.occurred_at == datetime(2026, 10, 20, 4, 0, tzinfo=UTC)
    assert value.detail == "Liked the summary"
    assert (value.thread, value.word_count) == (None, None)
    dialog.words_spin.setValue(42)
    assert dialog.value().word_count == 42


def test_member_dialog_for_a_new_member(qtbot: QtBot) -> None:
    dialog = MemberDialog(None, "Add a member", None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Add a member"
    assert dialog.ok_button.text() == "Add"
    assert (dialog.name_edit.text(), dialog.role()) == ("", Role.LEARNER)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error() == "Enter the person's name (up to 200 characters)."
    qtbot.keyClicks(dialog.name_edit, " Femi Adeyemi ")
    qtbot.keyClicks(dialog.expertise_edit, "Teams, Slack")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error() == ""
    assert dialog.value() == MemberInput(full_name="Femi Adeyemi", expertise="Teams, Slack")


def test_member_dialog_edits_existing_details(qtbot: QtBot) -> None:
    initial = MemberInput(
        full_name="Dev Patel", email="dev@example.org", role=Role.FACILITATOR, expertise="Moodle"
    )
    dialog = MemberDialog(None, "Edit Dev Patel", initial)
    qtbot.addWidget(dialog)
    assert dialog.ok_button.text() == "Save"
    assert dialog.value() == initial
    dialog.email_edit.setText("dev@")
    with pytest.raises(KnownError) as error:
        dialog.value()
    assert friendly_message(error.value).startswith("That email address does not look right")


def test_text_prompt_requires_text_unless_optional(qtbot: QtBot) -> None:
    required = TextPromptDialog(None, "Access problem", "What is wrong?", "Report problem")
    optional = TextPromptDialog(None, "Resolve", "How?", "Resolve", required=False)
    for dialog in (required, optional):
        qtbot.addWidget(dialog)
    assert not required.ok_button.isEnabled()
    assert optional.ok_button.isEnabled()
    required.set_text("  Locked out  ")
    assert required.ok_button.isEnabled()
    assert required.text() == "Locked out"


@pytest.mark.parametrize(("press", "expected"), [("Remove", True), ("Cancel", False)])
def test_confirm_is_true_only_for_the_action_button(
    qtbot: QtBot, press: str, expected: bool
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text().replace("&", "") == press)
        button.click()

    QTimer.singleShot(0, answer)
    result = confirm.confirm(parent, "Remove from cohort", "Remove <b>Ana</b>?", "Remove")
    assert result is expected
    assert seen == ["Remove <b>Ana</b>?"]
