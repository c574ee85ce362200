"""The member panel: showing a member, keeping up with changes, errors, and its look."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import EventKind
from cohortdesk.core.schemas import EventInput, MemberDetail
from cohortdesk.core.services.people import members, tracking
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.views.member_panel import EMPTY_TEXT, GONE_TEXT, MemberPanel
from tests.ui.member_data import Cohort, tell_ana_story
from tests.ui.member_panel_support import click, settle, show

SCREENSHOT = Path("/tmp/member_panel.png")


# ---- showing a member ----------------------------------------------------------------------


def test_starts_empty_and_offers_no_actions(panel: MemberPanel) -> None:
    assert panel.stack.currentWidget() is panel.empty_label
    assert panel.empty_label.text() == EMPTY_TEXT
    assert not panel.actions_enabled()
    assert panel.change_stage() is None
    assert panel.record_motivation() is None
    assert panel.add_event() is None
    assert panel.report_access_problem() is None
    assert panel.edit_details() is None
    panel.add_note_focus()
    panel.remove_member()
    assert panel.context.runner.is_idle()


def test_shows_a_member_in_the_header(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort
) -> None:
    tell_ana_story(db, cohort)
    with qtbot.waitSignal(panel.actions_enabled_changed) as enabled:
        show(qtbot, panel, cohort.ana)
    assert enabled.args == [True]
    assert panel.actions_enabled()
    header = panel.header
    assert header.name_label.text() == "Ana Souza"
    assert header.meta_label.text() == "Learner · joined 28 Sep 2026"
    assert "ana.souza@example.org" in header.email_label.text()
    assert header.expertise_label.text() == "Expertise: Nursing education, simulation, Portuguese"
    assert header.staircase.stage() == 3
    assert header.stage_caption.text() == "Stage 3 · Information exchange"
    assert (header.posts.value(), header.replies.value(), header.peer_replies.value()) == (
        "3",
        "2",
        "2",
    )
    assert header.last_active.value() == "2 days ago"
    assert panel.stage_tab.stage_label.text() == "Stage 3 · Information exchange"
    assert panel.stage_tab.since_label.text() == "Since 12 Oct 2026 (8 days ago)"
    assert "Summarising every 10 to 20 messages" in panel.stage_tab.guidance.text().replace(
        "summarising", "Summarising"
    )
    assert panel.activity_tab.count_label.text() == "6 events"


def test_show_none_returns_to_the_empty_state(
    qtbot: QtBot, panel: MemberPanel, cohort: Cohort
) -> None:
    show(qtbot, panel, cohort.ana)
    with qtbot.waitSignal(panel.actions_enabled_changed) as enabled:
        panel.show_member(None)
    assert enabled.args == [False]
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_TEXT
    assert panel.detail() is None


def test_a_stale_response_is_ignored(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, panel: MemberPanel, cohort: Cohort
) -> None:
    real = members.member_detail
    release = threading.Event()

    def slow_for_ana(session: Any, membership_id: int, **kwargs: Any) -> MemberDetail:
        if membership_id == cohort.ana:
            assert release.wait(10)
        return real(session, membership_id, **kwargs)

    monkeypatch.setattr(members, "member_detail", slow_for_ana)
    shown: list[str] = []
    panel.member_loaded.connect(lambda detail: shown.append(detail.row.name))
    try:
        panel.show_member(cohort.ana)
        with qtbot.waitSignal(panel.member_loaded):
            panel.show_member(cohort.ben)
    finally:
        release.set()
    settle(panel.context)
    assert shown == ["Ben Okafor"]
    assert panel.header.name_label.text() == "Ben Okafor"
    assert panel.membership_id() == cohort.ben


def test_reloads_when_a_write_elsewhere_changed_the_shown_member(
    qtbot: QtBot, ctx: AppContext, panel: MemberPanel, cohort: Cohort
) -> None:
    show(qtbot, panel, cohort.ana)
    loads: list[object] = []
    panel.member_loaded.connect(loads.append)
    ctx.runner.write("Check in", lambda s: tracking.add_motivation(s, cohort.ben, 1))
    settle(ctx)
    assert loads == []  # someone else: nothing to read
    with qtbot.waitSignal(panel.member_loaded):
        ctx.runner.write(
            "Check in",
            lambda s: tracking.add_motivation(s, cohort.ana, 5, "Loved the live session"),
        )
    assert panel.motivation_tab.history_model.rowCount() == 1
    assert panel.motivation_tab.latest_label.text().startswith("Latest: 5 · High")


def test_a_member_removed_elsewhere_leaves_the_empty_state(
    qtbot: QtBot, ctx: AppContext, panel: MemberPanel, cohort: Cohort
) -> None:
    show(qtbot, panel, cohort.ana)
    ctx.runner.write("Remove", lambda s: members.remove_member(s, cohort.ana))
    settle(ctx)
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == GONE_TEXT
    assert not panel.actions_enabled()


def test_caps_the_timeline_and_says_so(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort
) -> None:
    with db.write() as s:
        for minute in range(502):
            when = datetime(2026, 10, 1, 8, tzinfo=UTC).replace(
                minute=minute % 60, hour=8 + minute // 60
            )
            tracking.add_event(s, cohort.ana, EventInput(kind=EventKind.VIEW, occurred_at=when))
    show(qtbot, panel, cohort.ana)
    assert panel.activity_tab.events_model.rowCount() == 500
    assert panel.activity_tab.count_label.text() == "Showing latest 500 of 502 events"


# ---- errors --------------------------------------------------------------------------------


def test_a_known_error_is_a_warning_and_the_panel_catches_up(
    qtbot: QtBot,
    db: Database,
    ctx: AppContext,
    panel: MemberPanel,
    cohort: Cohort,
    warnings_shown: list[str],
) -> None:
    show(qtbot, panel, cohort.ana)
    failed: list[object] = []
    ctx.runner.task_failed.connect(lambda task, exc: failed.append(exc))
    with db.write() as s:
        members.remove_member(s, cohort.ana)  # behind the panel's back
    qtbot.keyClicks(panel.notes_tab.note_edit, "Follow up on Monday")
    click(qtbot, panel.notes_tab.add_button)
    settle(ctx)
    assert warnings_shown == [f"No member with id {cohort.ana}"]
    assert failed == []
    assert panel.empty_label.text() == GONE_TEXT


def test_a_bug_goes_to_the_runner_not_a_warning(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    ctx: AppContext,
    panel: MemberPanel,
    cohort: Cohort,
    warnings_shown: list[str],
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tracking, "add_note", broken)
    show(qtbot, panel, cohort.ana)
    qtbot.keyClicks(panel.notes_tab.note_edit, "Anything")
    with qtbot.waitSignal(ctx.runner.task_failed) as blocker:
        click(qtbot, panel.notes_tab.add_button)
    task, exc = blocker.args
    assert isinstance(exc, RuntimeError)
    assert task.description == "Add note"
    assert "RuntimeError: boom" in task.traceback_text
    assert warnings_shown == []
    assert panel.notes_tab.note_edit.toPlainText() == "Anything"  # kept, to try again


# ---- how it looks --------------------------------------------------------------------------


def test_screenshot_of_a_realistic_member(
    qtbot: QtBot, db: Database, panel: MemberPanel, cohort: Cohort
) -> None:
    tell_ana_story(db, cohort)
    show(qtbot, panel, cohort.ana)
    settle(panel.context)
    panel.grab().save(str(SCREENSHOT))
    for index in range(1, panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        panel.grab().save(str(SCREENSHOT.with_name(f"member_panel_tab{index}.png")))
    panel.tabs.setCurrentIndex(0)
    panel.show_member(None)
    panel.grab().save(str(SCREENSHOT.with_name("member_panel_empty.png")))
    assert SCREENSHOT.stat().st_size > 0
