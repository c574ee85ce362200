"""Assigning mentors, capturing highlights, finding experts and summaries, from the window."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas.mentoring import HighlightInput
from cohortdesk.core.services.dashboards import highlights
from cohortdesk.core.services.mentoring import mentoring, review_notes
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.highlights_view import HighlightsDialog
from cohortdesk.ui.widgets import confirm
from tests.core.mentoring_builders import MentoringStory
from tests.ui.conftest import settle


@pytest.fixture
def story(db: Database) -> MentoringStory:
    with db.write() as s:
        return MentoringStory(s)


def select_cohort(window: MainWindow, story: MentoringStory) -> None:
    window.reload_cohorts(select_id=story.cohort)
    settle(window)


def show_member(window: MainWindow, membership_id: int) -> None:
    window.member_panel.show_member(membership_id)
    settle(window)


def test_assign_mentees_in_a_group(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, db: Database
) -> None:
    select_cohort(window, story)
    dialog = window.mentoring.show_mentoring()
    assert dialog is not None
    settle(window)
    dialog.set_mentor(story.oskar)
    settle(window)
    assert not dialog.assign_button.isEnabled()  # nobody selected
    group = dialog.new_group()
    assert group is not None
    group.name.setText("Second years")
    group.goal.setPlainText("Write a case study")
    group.accept()
    settle(window)
    dialog.set_group(dialog.group_combo.itemData(dialog.group_combo.findText("Second years")))
    assert dialog.group_goal.text() == "Goal of Second years: Write a case study"
    dialog.select_members([story.ben, story.zoe])
    assert dialog.assign_button.text() == "&Assign to Oskar Lindqvist"
    with qtbot.waitSignal(dialog.loaded):
        dialog.assign_selected()
    settle(window)
    rows = {r.name: r for r in dialog.model.rows()}
    assert rows["Ben Carter"].mentor_name == "Oskar Lindqvist"
    assert rows["Zoë Adebayo"].group_name == "Second years"
    assert window.statusBar().currentMessage() == "Assigned 2 mentees to Oskar Lindqvist"
    with db.read() as s:
        assert len(mentoring.mentee_ids(s, story.oskar)) == 3
    dialog.select_members([story.ben])
    dialog.unassign_selected()
    settle(window)
    with db.read() as s:
        assert story.ben not in mentoring.mentee_ids(s, story.oskar)
    dialog.close()


def test_a_cohort_without_mentors_says_so_in_the_mentor_box(
    window: MainWindow, db: Database
) -> None:
    """Edify, Slack and the MOOC have no mentor: the box said nothing at all."""
    from cohortdesk.core.schemas import CohortInput
    from cohortdesk.core.services.people import cohorts
    from cohortdesk.ui.views.mentoring_dialog import NO_MENTORS

    with db.write() as s:
        empty = cohorts.create_cohort(s, CohortInput(name="Without mentors")).value
    window.reload_cohorts(select_id=empty.id)
    settle(window)
    dialog = window.mentoring.show_mentoring()
    assert dialog is not None
    settle(window)
    combo = dialog.mentor_combo
    assert combo.count() == 0 and combo.currentIndex() == -1
    assert combo.placeholderText() == NO_MENTORS
    dialog.close()


def test_a_mentor_cannot_mentor_themselves(window: MainWindow, story: MentoringStory) -> None:
    select_cohort(window, story)
    dialog = window.mentoring.show_mentoring()
    assert dialog is not None
    settle(window)
    dialog.set_mentor(story.mei)
    dialog.select_members([story.mei, story.ben])
    assert not dialog.assign_button.isEnabled()
    dialog.close()


def test_capture_a_highlight_from_the_member_panel_and_an_event(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, db: Database
) -> None:
    select_cohort(window, story)
    show_member(window, story.ana)
    dialog = window.member_panel.capture_highlight()
    assert dialog is not None
    assert dialog.member.currentText() == "Ana Souza" and not dialog.member.isEnabled()
    dialog.text.setPlainText("Ran her first discussion and summarised it for everyone")
    dialog.tags.setText("leadership, summary")
    dialog.accept()
    settle(window)
    assert window.statusBar().currentMessage() == "Captured a highlight of Ana Souza"

    # From an event: right-click it in the Activity tab.
    panel = window.member_panel
    panel.tabs.setCurrentWidget(panel.activity_tab)
    post = next(
        r
        for r in range(panel.activity_tab.events_model.rowCount())
        if panel.activity_tab.events_model.row_at(r).thread == "Week 1"
    )
    panel.activity_tab.events_view.selectRow(post)
    assert panel.highlight_event_action in panel.activity_tab.events_view.actions()
    panel.highlight_event_action.trigger()
    from_event = panel.findChildren(type(dialog))[-1]
    assert from_event.source_event.currentData() == panel.activity_tab.selected_event().id
    assert from_event.day.date().toPython() == date(2025, 3, 3)
    from_event.quote.setChecked(True)
    from_event.text.setPlainText("I never thought I would start a thread")
    from_event.accept()
    settle(window)
    with db.read() as s:
        found = highlights.list_highlights(s, story.cohort, membership_id=story.ana)
    # newest first: the story today, the quote on the day of the post
    assert [(h.kind.value, h.happened_on) for h in found] == [
        ("story", date(2026, 10, 30)),
        ("quote", date(2025, 3, 3)),
    ]
    assert any(h.event_id is not None for h in found)


def test_list_search_edit_and_delete_highlights(
    qtbot: QtBot,
    window: MainWindow,
    story: MentoringStory,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with db.write() as s:
        for who, text, tags in (
            (story.ana, "Summarised week 2", "summary"),
            (story.ben, "Helped Zoë log in", "helping"),
        ):
            highlights.add_highlight(
                s,
                HighlightInput(
                    membership_id=who, happened_on=date(2025, 3, 4), text=text, tags=tags
                ),
            )
    select_cohort(window, story)
    dialog = window.mentoring.show_highlights()
    assert isinstance(dialog, HighlightsDialog)
    settle(window)
    assert dialog.model.rowCount() == 2 and dialog.count_label.text() == "2 highlights"
    with qtbot.waitSignal(dialog.loaded):
        dialog.search.setText("ZOE")
    assert [r.text for r in dialog.model.rows()] == ["Helped Zoë log in"]
    with qtbot.waitSignal(dialog.loaded):
        dialog.search.setText("nothing like this")
    assert dialog.table.is_showing_empty_text()
    with qtbot.waitSignal(dialog.loaded):
        dialog.search.setText("")
    dialog.tag.setCurrentIndex(dialog.tag.findData("summary"))
    settle(window)
    assert [r.text for r in dialog.model.rows()] == ["Summarised week 2"]

    dialog.table.selectRow(0)
    dialog.edit_selected()
    settle(window)
    editor = dialog.dialog
    assert editor is not None and editor.text.toPlainText() == "Summarised week 2"
    editor.text.setPlainText("Summarised weeks 2 and 3")
    with qtbot.waitSignal(dialog.loaded):
        editor.accept()
    assert [r.text for r in dialog.model.rows()] == ["Summarised weeks 2 and 3"]

    monkeypatch.setattr(confirm, "confirm", lambda *_a: True)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.loaded):
        dialog.delete_selected()
    assert dialog.model.rowCount() == 0
    dialog.close()


def test_find_experts(qtbot: QtBot, window: MainWindow, story: MentoringStory) -> None:
    dialog = window.mentoring.find_experts()
    assert dialog.table.is_showing_empty_text()
    with qtbot.waitSignal(dialog.results_shown):
        dialog.search.setText("online FACILITATION")
    assert [r.name for r in dialog.model.rows()] == ["Ana Souza", "Walter Hargreaves"]
    assert dialog.count_label.text() == "2 people found"
    assert dialog.copy_emails() == "ana.souza@example.org, walter.hargreaves@example.org"
    assert QGuiApplication.clipboard().text() == dialog.copy_emails()
    with qtbot.waitSignal(dialog.results_shown):
        dialog.search.setText("knitting")
    assert dialog.table.empty_text() == "Nobody lists expertise in “knitting” yet."
    dialog.close()


def test_manager_summary_and_notes_import_from_the_menus(
    qtbot: QtBot, window: MainWindow, story: MentoringStory, db: Database, tmp_path: Path
) -> None:
    select_cohort(window, story)
    show_member(window, story.ana)
    assert window.mentoring.summary_action.isEnabled()
    target = tmp_path / "ana.txt"
    window.mentoring.write_summary(target)
    settle(window)
    assert "Ana Souza: Spring" in target.read_text("utf-8")

    notes = tmp_path / "notes.json"
    with db.read() as s:
        review_notes.export_notes(s, story.mei, notes)
    window.mentoring.import_notes(notes)
    settle(window)
    assert "0 new, 0 updated, 1 unchanged" in window.statusBar().currentMessage()


def test_the_menus_hold_the_new_actions(window: MainWindow) -> None:
    texts: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        menu: Any = action.menu()
        texts[action.text()] = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert "&Open database…" in texts["&File"]
    assert "Import review &notes…" in texts["&File"]
    assert {"Men&toring…", "Mentor &view", "Review &pack…", "&Highlights…"} <= set(texts["&Cohort"])
    assert {"Capture &highlight…", "Manager s&ummary…"} <= set(texts["&Member"])
    assert texts["&Tools"] == ["Find &experts…"]
