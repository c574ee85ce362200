"""Honest nudges: copying is not sending, the facilitator confirms; priorities and suggestions
explain themselves; the whole journey from Today to a sent nudge works by keyboard alone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import NudgeChannel, NudgeStatus
from cohortdesk.core.schemas import EvidenceThresholds, MemberEvidence, NudgeInput, NudgeRow
from cohortdesk.core.services.attention import attention, evidence
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.attention_model import COL_PRIORITY, PRIORITY_PARTS_ROLE
from cohortdesk.ui.models.nudges_model import COL_OUTCOME
from cohortdesk.ui.views.drafts_question import DraftsQuestion
from cohortdesk.ui.views.member_tabs.evidence_box import MET, WAITING, evidence_html
from cohortdesk.ui.views.nudge_dialog import NudgeDialog
from cohortdesk.ui.views.nudges_dialog import NudgesDialog
from tests.core.test_evidence import stage_3_with_higher_numbers
from tests.ui.conftest import TODAY, settle
from tests.ui.messaging_support import the_dialog, wait_for

MORNING = datetime(2026, 10, 30, 8, 0, tzinfo=UTC)


def _log_drafts(db: Database, membership_ids: list[int]) -> list[int]:
    with db.write() as session:
        return [
            nudges.log_nudge(
                session,
                mid,
                NudgeInput(
                    subject="Checking in",
                    body="Hi, how is it going?",
                    channel=NudgeChannel.CLIPBOARD,
                    sent_at=MORNING,
                    status=NudgeStatus.DRAFT,
                ),
            ).value.id
            for mid in membership_ids
        ]


def _newest(db: Database, cohort_id: int) -> NudgeRow:
    with db.read() as session:
        return nudges.list_nudges(session, cohort_id, as_of=TODAY)[0]


def _press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key press where the keyboard is: the focused widget of the active window."""
    target = QApplication.focusWidget()
    assert isinstance(target, QWidget)
    qtbot.keyClick(target, key, modifier)


# ---- the keyboard journey -------------------------------------------------------------------


def test_from_today_to_a_sent_nudge_by_keyboard_alone(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int
) -> None:
    shown.activateWindow()
    shown.setFocus()
    # View ▸ Today puts the keyboard in Today's list, on the first learner.
    qtbot.keyClick(shown, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    today = shown.today
    assert QApplication.focusWidget() is today.table
    # Choose the second learner with the arrow key.
    _press(qtbot, Qt.Key.Key_Down)
    item = today.model.item_at(1)
    assert today.selected_ids() == [item.membership_id]
    # Enter: Nudge…
    _press(qtbot, Qt.Key.Key_Return)
    dialog = the_dialog(shown, NudgeDialog)
    wait_for(qtbot, shown, dialog.is_ready)
    # The suggested template is the one on screen, and the dialog says why.
    assert dialog.template_id() == item.suggested_template_id
    assert dialog.suggestion_label.text().startswith("Suggested: ")
    # Alt+C copies subject and body; the message is a draft, and the keyboard is on
    # "Mark as sent".
    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    wait_for(qtbot, shown, lambda: bool(dialog.sent))
    assert QGuiApplication.clipboard().text().startswith(f"{item.subject}\n\n")
    draft = _newest(db, demo)
    assert (draft.name, draft.status) == (item.name, NudgeStatus.DRAFT)
    assert QApplication.focusWidget() is dialog.confirm_button
    # Space presses it: the nudge is sent.
    _press(qtbot, Qt.Key.Key_Space)
    wait_for(qtbot, shown, lambda: _newest(db, demo).status is NudgeStatus.SENT)
    assert _newest(db, demo).id == draft.id
    _press(qtbot, Qt.Key.Key_Escape)
    wait_for(qtbot, shown, lambda: not dialog.isVisible())
    # Back on Today it counts: nudged today.
    wait_for(
        qtbot,
        shown,
        lambda: any(i.name == item.name and i.recently_nudged for i in today.model.items()),
    )


# ---- confirming -----------------------------------------------------------------------------


def test_the_nudges_list_confirms_a_draft(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int, said: list[str]
) -> None:
    first = shown.today.model.item_at(0)
    [draft_id] = _log_drafts(db, [first.membership_id])
    dialog = shown.messaging.show_nudges()
    assert isinstance(dialog, NudgesDialog)
    wait_for(qtbot, shown, lambda: dialog.model.rowCount() == 4)
    row = dialog.model.row_of_id(draft_id)
    assert row is not None
    assert dialog.model.index(row, COL_OUTCOME).data() == "Draft: sent?"
    assert "1 draft to confirm" in dialog.summary.text()
    dialog.table.selectRow(row)
    assert dialog.confirm_buttons.sent_button.isEnabled()
    assert "counts once you mark it sent" in dialog.message.meta.text()
    qtbot.mouseClick(dialog.confirm_buttons.sent_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: dialog.model.index(row, COL_OUTCOME).data() == "Waiting")
    assert "Marked 1 nudge sent" in said
    dialog.close()


def test_the_members_nudges_tab_confirms_not_sent(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int
) -> None:
    first = shown.today.model.item_at(0)
    [draft_id] = _log_drafts(db, [first.membership_id])
    shown.member_panel.show_member(first.membership_id)
    settle(shown)
    tab = shown.member_panel.nudges_tab
    wait_for(qtbot, shown, lambda: tab.model.row_of_id(draft_id) is not None)
    tab.view.selectRow(tab.model.row_of_id(draft_id) or 0)
    assert "draft to confirm" in tab.summary.text()
    qtbot.mouseClick(tab.confirm_buttons.not_sent_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: _newest(db, demo).status is NudgeStatus.NOT_SENT)


def test_at_start_did_you_send_these(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int
) -> None:
    items = shown.today.model.items()
    ids = _log_drafts(db, [i.membership_id for i in items[:3]])
    shown.messaging.ask_about_drafts()
    wait_for(qtbot, shown, lambda: shown.messaging.drafts_question is not None)
    question = the_dialog(shown, DraftsQuestion)
    assert question.title.text() == "Did you send these 3?"
    assert question.list.count() == 3
    assert question.list.item(0).text().startswith(f"{items[0].name}: “Checking in”\ncopied ")
    # Untick the last one: Sent applies to the two ticked.
    question.list.item(2).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(question.sent_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: not shiboken6.isValid(question) or not question.isVisible())
    with db.read() as session:
        statuses = {n.id: n.status for n in nudges.list_nudges(session, demo, as_of=TODAY)}
        waiting = [d.id for d in nudges.drafts_to_confirm(session)]
    assert [statuses[i] for i in ids] == [NudgeStatus.SENT, NudgeStatus.SENT, NudgeStatus.DRAFT]
    assert waiting == [ids[2]]


def test_ask_later_leaves_the_drafts_and_none_asks_nothing(
    shown: MainWindow, qtbot: QtBot, db: Database, demo: int
) -> None:
    shown.messaging.ask_about_drafts()
    settle(shown)
    assert shown.messaging.drafts_question is None  # no drafts: no question
    [draft_id] = _log_drafts(db, [shown.today.model.item_at(0).membership_id])
    shown.messaging.ask_about_drafts()
    wait_for(qtbot, shown, lambda: shown.messaging.drafts_question is not None)
    question = the_dialog(shown, DraftsQuestion)
    assert question.title.text() == "Did you send this message?"
    qtbot.mouseClick(question.later_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: not shiboken6.isValid(question) or not question.isVisible())
    with db.read() as session:
        assert [d.id for d in nudges.drafts_to_confirm(session)] == [draft_id]


# ---- priorities and suggestions explain themselves ------------------------------------------


def test_each_priority_shows_what_it_is_made_of(shown: MainWindow, db: Database, demo: int) -> None:
    with db.read() as session:
        expected = attention.attention(session, demo, TODAY)
    model = shown.today.model
    for row, item in enumerate(expected):
        parts = model.index(row, COL_PRIORITY).data(PRIORITY_PARTS_ROLE)
        assert len(parts) == len(item.reasons)
        assert sum(int(p.split()[0]) for p in parts) == item.priority
        tip = model.index(row, COL_PRIORITY).data(Qt.ItemDataRole.ToolTipRole)
        assert tip.splitlines() == [f"Priority {item.priority}:", *parts]
    first = model.index(0, COL_PRIORITY).data(PRIORITY_PARTS_ROLE)
    assert first == ["+35 no response to a nudge of 8 days ago", "+30 silent 15 days"]
    last = model.index(model.rowCount() - 1, COL_PRIORITY).data(PRIORITY_PARTS_ROLE)
    assert last[-1] == "-150 nudged 1 day ago"
    assert shown.today.priority_legend.text().startswith("Points: access problem +60")


# ---- evidence ticks match the stage shown ---------------------------------------------------


def test_no_tick_above_the_evidence_stage_the_panel_names() -> None:
    """A stage-3 learner with stage-4 and stage-5 numbers: those rows get no tick."""
    facts = stage_3_with_higher_numbers(EvidenceThresholds())
    lines = evidence.evidence_lines(facts, EvidenceThresholds(), ZoneInfo("UTC"), TODAY)
    found = MemberEvidence(
        membership_id=1,
        name="Ana",
        current_stage=3,
        evidence_stage=evidence.evidence_stage(lines),
        lines=tuple(lines),
        counts={},
    )
    html = evidence_html(found)
    assert "evidence up to stage <b>3" in html
    rows = html.split("<tr>")[1:]
    by_stage = {n: [r for r in rows if f"<td>{n}&nbsp;</td>" in r] for n in range(1, 6)}
    assert all(MET in r for n in (1, 2, 3) for r in by_stage[n])
    assert not any(MET in r for n in (4, 5) for r in by_stage[n])
    assert sum(WAITING in r for n in (4, 5) for r in by_stage[n]) == 3
