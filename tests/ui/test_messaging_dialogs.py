"""Cohort settings, the Nudges list, the member's Nudges tab and evidence, template choice."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas import AttentionSettings, NudgeOutcome
from cohortdesk.core.services.attention import rules
from cohortdesk.core.services.messaging import templates
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.nudges_model import COL_CHANNEL, COL_MEMBER, COL_OUTCOME, COL_TEMPLATE
from cohortdesk.ui.views.cohort_settings_dialog import CohortSettingsDialog
from cohortdesk.ui.views.nudge_dialog import NudgeDialog
from cohortdesk.ui.widgets.optional_date import OptionalDate
from tests.ui.conftest import settle
from tests.ui.messaging_support import the_dialog, wait_for


def labels(dialog: CohortSettingsDialog) -> set[str]:
    return {label.text() for label in dialog.findChildren(QLabel)}


def test_settings_show_the_titles_and_save(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int, said: list[str]
) -> None:
    dialog = shown.messaging.show_settings()
    assert dialog is not None
    with qtbot.waitSignal(dialog.settings_loaded, timeout=30_000):
        pass
    shown_labels = labels(dialog)
    for model in (AttentionSettings,):
        for field in model.model_fields.values():
            assert f"{field.title}:" in shown_labels
    assert {"Words for content:", "Next e-tivity:", "Next date:", "Space link:"} <= shown_labels
    assert [dialog.tabs.tabText(i) for i in range(3)] == [
        "Who needs you",
        "Stage evidence",
        "Messages",
    ]
    never = dialog.fields[("attention", "never_accessed_days")]
    assert isinstance(never, QSpinBox)
    assert never.value() == 5 and never.maximum() == 365 and never.suffix() == " days"
    assert "before a learner with no activity" in never.toolTip()
    never.setValue(60)
    link = dialog.fields[("messages", "space_link")]
    assert isinstance(link, QLineEdit)
    link.setText("https://moodle.example.org/course/view.php?id=42")
    etivity = dialog.fields[("messages", "next_etivity")]
    assert isinstance(etivity, QLineEdit)
    etivity.setText("Week 9 · Your e-tivity plan")
    next_date = dialog.fields[("messages", "next_date")]
    assert isinstance(next_date, OptionalDate)
    next_date.check.setChecked(True)
    next_date.set_value(date(2026, 11, 2))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # The Today list follows at once: 56 days without access is not 60.
    wait_for(qtbot, shown, lambda: shown.today.model.rowCount() == 5)
    with db.read() as session:
        stored = rules.get_rules(session, demo)
    assert stored.attention.never_accessed_days == 60
    assert stored.messages.space_link == "https://moodle.example.org/course/view.php?id=42"
    assert stored.messages.next_date == date(2026, 11, 2)
    assert any("Saved the settings of Leading Online Learning (demo)" in m for m in said)
    # Messages now use the settings instead of stand-ins.
    with db.read() as session:
        row = next(t for t in templates.list_templates(session) if t.name == "Gone quiet")
    shown.today.table.selectRow(0)
    shown.today.nudge_selected()
    nudge = the_dialog(shown, NudgeDialog)
    wait_for(qtbot, shown, nudge.is_ready)
    nudge.picker.choose(row.id)
    wait_for(qtbot, shown, lambda: "Week 9 · Your e-tivity plan" in nudge.body_edit.toPlainText())
    assert not nudge.fallback_label.isVisibleTo(nudge)
    nudge.close()


def test_a_link_on_two_lines_is_refused_in_the_dialog(shown: MainWindow, qtbot: QtBot) -> None:
    dialog = shown.messaging.show_settings()
    assert dialog is not None
    with qtbot.waitSignal(dialog.settings_loaded, timeout=30_000):
        pass
    link = dialog.fields[("messages", "space_link")]
    assert isinstance(link, QLineEdit)
    link.setText("https://a.example\nhttps://b.example")
    dialog.save()
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("Messages: Space link")
    dialog.close()


def test_the_cohorts_nudges_with_their_outcomes(
    shown: MainWindow, qtbot: QtBot, yes: list[str], db: Database, demo: int
) -> None:
    dialog = shown.messaging.show_nudges()
    assert dialog is not None
    wait_for(qtbot, shown, lambda: dialog.model.rowCount() == 3)
    model = dialog.model
    outcomes = [model.index(r, COL_OUTCOME).data() for r in range(3)]
    assert outcomes == ["Waiting", "No response", "Responded"]
    assert [model.index(r, COL_CHANNEL).data() for r in range(3)] == [
        "Copied",
        "Mail client",
        "Mail client",
    ]
    assert model.index(1, COL_MEMBER).data() == "Kwame Nwosu"
    assert model.index(1, COL_TEMPLATE).data() == "Gone quiet"
    assert dialog.summary.text() == "3 nudges · 1 responded · 1 waiting · 1 no response"
    dialog.table.selectRow(1)
    assert dialog.message.body.toPlainText().startswith("Hi Kwame,")
    assert "Outcome: no response" in dialog.message.meta.text()
    dialog.outcome_filter.setCurrentIndex(dialog.outcome_filter.findData("responded"))
    assert model.rowCount() == 1 and model.row_at(0).outcome is NudgeOutcome.RESPONDED
    dialog.outcome_filter.setCurrentIndex(0)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: dialog.model.rowCount() == 2)
    assert yes and "logged by mistake" in yes[0]
    dialog.close()


def test_the_member_panel_shows_their_nudges_and_stage_evidence(
    shown: MainWindow, qtbot: QtBot
) -> None:
    shown.today.table.selectRow(0)  # Kwame Nwosu, nudged once, no response
    settle(shown)
    panel = shown.member_panel
    tab = panel.nudges_tab
    wait_for(qtbot, shown, lambda: tab.model.rowCount() == 1)
    assert tab.summary.text() == "1 nudge, 0 answered"
    assert tab.model.index(0, COL_OUTCOME).data() == "No response"
    assert tab.message.subject.text() == "We've missed you, Kwame"
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())][-1] == "N&udges"
    box = panel.stage_tab.evidence_box
    wait_for(qtbot, shown, lambda: "Their activity shows evidence" in box.text.text())
    assert "replies to fellow learners" in box.text.text()
    assert box.isVisibleTo(panel)
    # Staff have no stage evidence: the box hides.
    shown.pages.show_roster()
    mentor = next(r for r in shown.roster.model.rows() if r.role.value == "mentor")
    shown.roster.select_member(mentor.membership_id)
    wait_for(qtbot, shown, lambda: panel.detail() is not None)
    wait_for(qtbot, shown, lambda: panel.detail().row.membership_id == mentor.membership_id)
    assert not box.isVisibleTo(panel)
    # The tab's own Nudge… writes to the member shown.
    qtbot.mouseClick(tab.nudge_button, Qt.MouseButton.LeftButton)
    dialog = the_dialog(shown, NudgeDialog)
    assert [r.name for r in dialog.recipients] == [mentor.name]
    dialog.close()


def test_each_member_gets_their_template_and_one_can_be_used_for_everyone(
    shown: MainWindow, qtbot: QtBot, yes: list[str]
) -> None:
    items = shown.today.model.items()[:3]
    dialog = shown.messaging.nudge_items(items)
    assert dialog is not None
    wait_for(qtbot, shown, dialog.is_ready)
    assert [dialog.chosen[i.membership_id] for i in items] == [
        i.suggested_template_id for i in items
    ]
    assert len({i.suggested_template_id for i in items}) == 3
    dialog.recipient_list.setCurrentRow(1)
    assert dialog.subject_edit.text() == items[1].subject
    dialog.body_edit.setPlainText("My own words for you.")
    dialog.recipient_list.setCurrentRow(0)
    quiet = dialog.template_id()
    qtbot.mouseClick(dialog.picker.everyone_button, Qt.MouseButton.LeftButton)
    assert yes and items[1].name in yes[-1]  # asked before replacing the edited message
    wait_for(qtbot, shown, dialog.is_ready)
    assert set(dialog.chosen.values()) == {quiet}
    for row, item in enumerate(items):
        dialog.recipient_list.setCurrentRow(row)
        assert dialog.body_edit.toPlainText().startswith(f"Hi {item.name.split()[0]},")
    dialog.close()


def test_the_nudges_model_passes_the_model_tester(
    shown: MainWindow, qtbot: QtBot, qtmodeltester: Any
) -> None:
    dialog = shown.messaging.show_nudges()
    assert dialog is not None
    wait_for(qtbot, shown, lambda: dialog.model.rowCount() == 3)
    qtmodeltester.check(dialog.model)
    dialog.close()
