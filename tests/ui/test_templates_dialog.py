"""The template library and editor: live checks with the error marked, preview, changes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cohortdesk.core.services.messaging import templates
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.templates_dialog import TemplatesDialog
from tests.ui.messaging_support import wait_for


@pytest.fixture
def dialog(shown: MainWindow, qtbot: QtBot) -> TemplatesDialog:
    opened = shown.messaging.show_templates()
    wait_for(qtbot, shown, lambda: opened.model.rowCount() > 0)
    wait_for(qtbot, shown, lambda: opened.editor.member_combo.count() > 0)
    return opened


def new_template(dialog: TemplatesDialog, qtbot: QtBot, body: str) -> None:
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    dialog.editor.body_edit.setPlainText(body)


def by_name(dialog: TemplatesDialog, name: str) -> int:
    return next(r.id for r in dialog.model.rows() if r.name == name)


def test_an_unknown_placeholder_is_an_error_at_its_place(
    dialog: TemplatesDialog, qtbot: QtBot
) -> None:
    new_template(dialog, qtbot, "Hello {frist_name},\nsee you soon")
    editor = dialog.editor
    assert editor.error is not None
    message = editor.error_label.text()
    assert "Unknown placeholder {frist_name} (did you mean {first_name}?)" in message
    assert "line 1, column 7" in message
    assert editor.error_label.isVisibleTo(dialog)
    assert editor.marked_range() == (6, 18)  # "{frist_name}" is marked in the text
    assert not dialog.save_button.isEnabled()
    assert dialog.save() is None  # nothing saved, nothing crashed
    # A second-line problem is found on its line; fixing it clears the mark.
    editor.body_edit.setPlainText("Hello {first_name},\nsee {you soon")
    assert "line 2, column 5" in editor.error_label.text()
    editor.body_edit.setPlainText("Hello {first_name},\nsee you soon")
    assert editor.error is None and editor.marked_range() is None
    assert not editor.error_label.isVisibleTo(dialog)
    assert dialog.save_button.isEnabled()


@pytest.mark.parametrize(
    "hostile",
    [
        "{0.__class__}",
        "{first_name.__class__.__mro__}",
        "{first_name!r}",
        "{first_name:>99999999}",
        "{__import__('os').system('true')}",
    ],
)
def test_a_hostile_template_is_rejected_in_the_editor(
    dialog: TemplatesDialog, qtbot: QtBot, db: Database, hostile: str
) -> None:
    new_template(dialog, qtbot, f"Hi {hostile}")
    editor = dialog.editor
    assert editor.error is not None and "is not a placeholder" in editor.error_label.text()
    assert editor.marked_range() == (3, 3 + len(hostile))
    assert not dialog.save_button.isEnabled()
    assert "Fix the problem above" in editor.preview_note.text()
    with db.read() as session:
        count = len(templates.list_templates(session, include_retired=True))
    dialog.save()
    with db.read() as session:
        assert len(templates.list_templates(session, include_retired=True)) == count


def test_a_bad_subject_is_named_and_marked(dialog: TemplatesDialog, qtbot: QtBot) -> None:
    new_template(dialog, qtbot, "Hi {first_name}")
    dialog.editor.subject_edit.setText("About {cohort")
    assert dialog.editor.error_label.text().startswith("Subject: A { that is not closed")
    assert "border" in dialog.editor.subject_edit.styleSheet()


def test_the_preview_fills_in_a_real_member(
    dialog: TemplatesDialog, qtbot: QtBot, shown: MainWindow
) -> None:
    editor = dialog.editor
    dialog.select_template(by_name(dialog, "Gone quiet"))
    combo = editor.member_combo
    position = next(i for i in range(combo.count()) if combo.itemText(i).startswith("Kwame"))
    combo.setCurrentIndex(position)
    wait_for(qtbot, shown, lambda: editor.preview_body.toPlainText().startswith("Hi Kwame,"))
    body = editor.preview_body.toPlainText()
    assert "Leading Online Learning (demo)" in body and "Farhan Banerjee" in body
    assert "{" not in body
    assert editor.preview_subject.text() == "We've missed you, Kwame"
    # Typing changes the preview a moment later.
    new_template(dialog, qtbot, "Dear {first_name}, you are at stage {stage_name}.")
    wait_for(qtbot, shown, lambda: editor.preview_body.toPlainText().startswith("Dear "))
    assert "you are at stage " in editor.preview_body.toPlainText()


def test_placeholders_are_listed_and_a_click_inserts_one(
    dialog: TemplatesDialog, qtbot: QtBot
) -> None:
    editor = dialog.editor
    tokens = [
        editor.placeholder_list.item(i).text().split("\n")[0]
        for i in range(editor.placeholder_list.count())
    ]
    assert tokens[:3] == ["{first_name}", "{full_name}", "{cohort}"]
    assert "{next_etivity}" in tokens and "{space_link}" in tokens
    new_template(dialog, qtbot, "Hi ")
    cursor = editor.body_edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.body_edit.setTextCursor(cursor)
    editor.body_edit.setFocus()
    item = editor.placeholder_list.item(0)
    editor.placeholder_list.itemClicked.emit(item)
    assert editor.body_edit.toPlainText() == "Hi {first_name}"


def test_built_ins_are_read_only_and_duplicate_to_adapt(
    dialog: TemplatesDialog, qtbot: QtBot, shown: MainWindow, db: Database
) -> None:
    editor = dialog.editor
    dialog.select_template(by_name(dialog, "Gone quiet"))
    assert editor.body_edit.isReadOnly() and editor.name_edit.isReadOnly()
    assert editor.builtin_note.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.duplicate_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: dialog.selected_template() is not None)
    wait_for(qtbot, shown, lambda: dialog.selected_template().name == "Gone quiet (copy)")
    copy = dialog.selected_template()
    assert copy is not None and not copy.builtin
    assert not editor.body_edit.isReadOnly()
    editor.name_edit.setText("Gone quiet, my way")
    editor.name_edit.textEdited.emit("Gone quiet, my way")
    editor.body_edit.setPlainText("Hi {first_name}, all well? {facilitator_first_name}")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: by_name(dialog, "Gone quiet, my way") == copy.id)
    with db.read() as session:
        saved = templates.get_template(session, copy.id)
    assert saved.body == "Hi {first_name}, all well? {facilitator_first_name}"


def test_create_then_retire_and_show_retired(
    dialog: TemplatesDialog, qtbot: QtBot, shown: MainWindow, said: list[str]
) -> None:
    new_template(dialog, qtbot, "Hi {first_name}, thanks for {last_thread}!")
    dialog.editor.name_edit.setText("Quick thanks")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: any(r.name == "Quick thanks" for r in dialog.model.rows()))
    assert dialog.selected_template().name == "Quick thanks"
    assert any("Created the template “Quick thanks”" in m for m in said)
    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, shown, lambda: all(r.name != "Quick thanks" for r in dialog.model.rows()))
    dialog.show_retired.setChecked(True)
    wait_for(qtbot, shown, lambda: any(r.name == "Quick thanks" for r in dialog.model.rows()))
    row = next(r for r in dialog.model.rows() if r.name == "Quick thanks")
    assert row.retired


def test_unsaved_changes_are_not_lost_silently(
    dialog: TemplatesDialog, qtbot: QtBot, yes: list[str]
) -> None:
    new_template(dialog, qtbot, "Draft {first_name}")
    dialog.table.selectRow(0)
    assert yes and "Discard your changes" in yes[0]


def test_the_templates_model_passes_the_model_tester(
    dialog: TemplatesDialog, qtmodeltester: Any
) -> None:
    qtmodeltester.check(dialog.model)
