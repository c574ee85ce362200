"""The mentor view and review packs, driven as a facilitator and a mentor would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cohortdesk.app import build_context
from cohortdesk.core.paths import AppPaths, sqlite_url
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.services.mentoring.review_pack import make_review_pack
from cohortdesk.core.services.people import cohorts, tracking
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.mentees_model import COL_ATTENTION, COL_NAME, MenteesModel
from cohortdesk.ui.models.sessions_model import SessionsModel
from cohortdesk.ui.views.mentor_view import MentorView
from cohortdesk.ui.views.mentoring_dialog import MentoringDialog
from cohortdesk.ui.widgets import confirm
from tests.core.mentoring_builders import OSKAR_SESSION, MentoringStory
from tests.real_cohorts import REAL_COHORTS, build
from tests.ui.conftest import TODAY, settle


@pytest.fixture
def story(db: Database) -> MentoringStory:
    with db.write() as s:
        return MentoringStory(s)


def open_view(window: MainWindow, story: MentoringStory) -> MentorView:
    window.reload_cohorts(select_id=story.cohort)
    settle(window)
    view = window.mentoring.show_mentor_view()
    assert view is not None
    settle(window)
    return view


def names(model: MenteesModel) -> list[str]:
    return [model.row_at(r).name for r in range(model.rowCount())]


def test_a_mentor_sees_only_their_mentees(
    qtbot: QtBot, window: MainWindow, story: MentoringStory
) -> None:
    view = open_view(window, story)
    assert view.mentor_combo.count() == 2  # Mei and Oskar
    view.set_mentor(story.mei)
    settle(window)
    assert names(view.model) == ["Ana Souza", "Tomás Reyes"]
    assert view.model.index(0, COL_NAME).data() == "Ana Souza  ·  Leaders"
    needs = view.model.index(1, COL_ATTENTION)
    assert needs.data().endswith("reasons")
    assert "Open access problem" in needs.data(Qt.ItemDataRole.ToolTipRole)
    view.select_mentee(story.ana)
    detail = view.detail
    assert detail.name_label.text() == "Ana Souza  ·  group Leaders"
    assert "Worried about what Priya said" in detail.reasons_label.text()
    assert "Start a thread by Friday" in detail.goals_label.text()
    assert [r.notes for r in detail.sessions_model.rows()] == [
        "Ana wants to start a thread of her own"
    ]
    view.set_mentor(story.oskar)
    settle(window)
    assert names(view.model) == ["Priya Natarajan"]
    view.select_mentee(story.priya)
    assert [r.notes for r in view.detail.sessions_model.rows()] == [OSKAR_SESSION]
    view.close()


def test_write_edit_and_delete_a_session(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_view(window, story)
    view.set_mentor(story.mei)
    settle(window)
    view.select_mentee(story.tomas)
    assert view.detail.sessions_view.is_showing_empty_text()
    dialog = view.new_session()
    assert dialog is not None
    assert dialog.with_whom.currentText() == "Tomás Reyes"
    dialog.accept()  # nothing written: refused, with the reason shown
    assert dialog.isVisible() and "notes, goals or next steps" in dialog.error.text()
    dialog.notes.setPlainText("First call: he still cannot log in from the office")
    dialog.next_steps.setPlainText("Ask IT for a VPN account")
    dialog.accept()
    settle(window)
    rows = view.detail.sessions_model.rows()
    assert [r.next_steps for r in rows] == ["Ask IT for a VPN account"]

    view.detail.sessions_view.selectRow(0)
    edit = view.edit_session()
    assert edit is not None and edit.notes.toPlainText().startswith("First call")
    edit.goals.setPlainText("Logged in by Monday")
    edit.accept()
    settle(window)
    assert "Logged in by Monday" in view.detail.goals_label.text()

    monkeypatch.setattr(confirm, "confirm", lambda *_args: True)
    view.detail.sessions_view.selectRow(0)
    view.delete_session()
    settle(window)
    assert view.detail.sessions_model.rowCount() == 0
    view.close()


def test_mark_reviewed_then_see_what_changed(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, db: Database
) -> None:
    view = open_view(window, story)
    view.set_mentor(story.mei)
    settle(window)
    assert view.reviewed_label.text() == "Not reviewed yet"
    qtbot.mouseClick(view.review_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert view.reviewed_label.text().startswith("Last reviewed")
    with db.write() as s:
        tracking.change_stage(s, story.tomas, 2, "First post")
    view.reload()
    settle(window)
    view.select_mentee(story.tomas)
    assert "Stage 1 → 2" in view.detail.changes_label.text()
    assert "1 mentee with news" in view.reviewed_label.text()
    view.close()


def test_export_notes_from_the_view(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, tmp_path: Path
) -> None:
    view = open_view(window, story)
    view.set_mentor(story.mei)
    settle(window)
    target = tmp_path / "notes.json"
    with qtbot.waitSignal(view.status_message) as said:
        view.export_notes(target)
    assert said.args[0].startswith("Wrote 1 session of Mei Tanaka")
    assert json.loads(target.read_text("utf-8"))["mentor"]["name"] == "Mei Tanaka"
    view.close()


def test_a_pack_opens_on_its_mentor_view(
    qtbot: QtBot, db: Database, story: MentoringStory, paths: AppPaths, tmp_path: Path
) -> None:
    pack_file = tmp_path / "pack.sqlite"
    with db.read() as s:
        make_review_pack(s, story.mei, pack_file)
    pack = open_database(sqlite_url(pack_file), None)
    context = build_context(pack, paths, today=TODAY)
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        settle(window)
        view = window.mentoring.mentor_view
        assert view is not None and view.isVisible()
        assert not view.mentor_combo.isEnabled()
        assert view.mentor_combo.currentText() == "Mei Tanaka (2)"
        assert names(view.model) == ["Ana Souza", "Tomás Reyes"]
        assert "Review pack of Spring" in view.hint.text()
        view.close()
        window.close()
        settle(window)
    finally:
        context.runner.wait_idle(60_000)
        context.runner.shutdown()
        pack.dispose()


def test_make_a_review_pack_from_the_gui(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, tmp_path: Path
) -> None:
    window.reload_cohorts(select_id=story.cohort)
    settle(window)
    dialog = window.mentoring.make_review_pack()
    assert dialog is not None
    settle(window)
    assert [dialog.mentor.itemText(i) for i in range(dialog.mentor.count())] == [
        "Mei Tanaka (2 mentees)",
        "Oskar Lindqvist (1 mentees)",
    ]
    assert dialog.path.text().endswith("Spring - review pack for Mei Tanaka.sqlite")
    target = tmp_path / "for mei.sqlite"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.pack_made, timeout=20_000) as made:
        dialog.make()
    assert made.args[0].mentees == 2 and target.is_file()
    settle(window)
    assert "Wrote the review pack for Mei Tanaka" in window.statusBar().currentMessage()


def test_open_another_database_in_its_own_window(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, db: Database, tmp_path: Path
) -> None:
    pack_file = tmp_path / "pack.sqlite"
    with db.read() as s:
        make_review_pack(s, story.mei, pack_file)
    window.mentoring.open_other(pack_file)
    settle(window)
    qtbot.waitUntil(lambda: len(window.mentoring.windows) == 1, timeout=30_000)
    other = window.mentoring.windows[0]
    context: Any = other.context  # type: ignore[attr-defined]
    assert context.db.file == pack_file.resolve()
    context.runner.wait_idle(60_000)
    qtbot.waitUntil(lambda: other.mentoring.mentor_view is not None, timeout=30_000)  # type: ignore[attr-defined]
    context.runner.wait_idle(60_000)
    assert names(other.mentoring.mentor_view.model) == ["Ana Souza", "Tomás Reyes"]  # type: ignore[attr-defined]
    other.mentoring.mentor_view.close()  # type: ignore[attr-defined]
    other.close()
    qtbot.waitUntil(lambda: not window.mentoring.windows, timeout=30_000)


def test_the_models_pass_the_model_tester(
    window: MainWindow, story: MentoringStory, qtmodeltester: Any
) -> None:
    view = open_view(window, story)
    view.set_mentor(story.mei)
    settle(window)
    view.select_mentee(story.ana)
    qtmodeltester.check(view.model)
    sessions: SessionsModel = view.detail.sessions_model
    qtmodeltester.check(sessions)
    view.close()


def test_only_the_mentor_writes_their_sessions(context: AppContext, story: MentoringStory) -> None:
    """The view writes as the mentor shown: another mentor's sessions are never touched."""
    with context.db.read() as s:
        assert [x.notes for x in mentoring.list_sessions(s, story.oskar)] == [OSKAR_SESSION]


def check_the_no_mentors_guide(window: MainWindow, cohort_id: int) -> None:
    window.reload_cohorts(select_id=cohort_id)
    settle(window)
    view = window.mentoring.show_mentor_view()
    assert view is not None
    view.resize(1280, 720)
    settle(window)
    assert view.showing_guide() and view.guide.isVisible()
    assert not view.splitter.isVisible() and not view.mentor_combo.isVisible()
    assert not view.review_button.isVisible() and not view.export_button.isVisible()
    assert "A mentor view shows one mentor" in view.guide_text.text()
    assert view.guide_text.isVisible() and view.mentoring_button.isVisible()
    view.mentoring_button.click()
    settle(window)
    dialog = window.mentoring.dialog
    assert isinstance(dialog, MentoringDialog) and dialog.isVisible()
    assert dialog.cohort.id == cohort_id
    dialog.close()
    view.close()
    settle(window)


def test_a_cohort_without_mentors_says_what_the_view_is_for_and_how_to_link_them(
    window: MainWindow, db: Database, real_fixtures: Path
) -> None:
    with db.write() as s:
        empty = cohorts.create_cohort(s, CohortInput(name="No one yet")).value.id
    for cohort_id in (empty, *(build(db, cohort, real_fixtures) for cohort in REAL_COHORTS)):
        check_the_no_mentors_guide(window, cohort_id)


def test_the_guide_gives_way_to_the_mentees_once_a_mentor_is_linked(
    window: MainWindow, db: Database, story: MentoringStory
) -> None:
    with db.write() as s:
        bare = cohorts.create_cohort(s, CohortInput(name="Bare")).value.id
    check_the_no_mentors_guide(window, bare)
    view = open_view(window, story)
    assert not view.showing_guide() and view.splitter.isVisible()
    assert view.mentor_combo.isVisible()
