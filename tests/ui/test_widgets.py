"""The small widgets every view shares: the optional day and the tables' helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas import NoteRow
from cohortdesk.ui.models.notes_model import NotesModel
from cohortdesk.ui.widgets.optional_date import OptionalDate
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id, selected_ids

DAY = date(2026, 10, 30)


def test_an_optional_day_starts_set_or_unset(qtbot: QtBot) -> None:
    given = OptionalDate("Ends", DAY, date(2026, 1, 1))
    qtbot.addWidget(given)
    assert given.value() == DAY and given.edit.isEnabled()
    unset = OptionalDate("From", None, DAY)
    qtbot.addWidget(unset)
    assert unset.value() is None and not unset.edit.isEnabled()
    assert unset.edit.date() == QDate(2026, 10, 30)  # what checking it will offer
    assert unset.edit.accessibleName() == "From"


def test_an_optional_day_says_when_it_changes(qtbot: QtBot) -> None:
    # Only the export dialog's copy had the signal and set_value; every use has them now.
    day = OptionalDate("Set", None, DAY, display_format="ddd d MMM yyyy")
    qtbot.addWidget(day)
    assert day.edit.text() == "Fri 30 Oct 2026"
    with qtbot.waitSignal(day.changed):
        day.check.setChecked(True)
    assert day.value() == DAY
    with qtbot.waitSignal(day.changed):
        day.set_value(date(2026, 11, 2))
    assert day.value() == date(2026, 11, 2)
    day.set_value(None)
    assert day.value() is None and not day.edit.isEnabled()


def test_tables_find_their_selected_rows_by_id(qtbot: QtBot) -> None:
    model = NotesModel()
    written = datetime(2026, 10, 30, 9, tzinfo=UTC)
    model.set_rows([NoteRow(id=n, created_at=written, body=f"Note {n}") for n in (7, 3, 9)])
    table = make_table(model, (1,), empty_text="No notes yet")
    qtbot.addWidget(table)
    assert selected_id(table) is None and selected_ids(table) == []
    select_id(table, 3)
    assert selected_id(table) == 3
    select_id(table, 42)  # gone since: the selection stays
    assert selected_id(table) == 3
    table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
    select_id(table, 9)
    assert sorted(selected_ids(table)) == [3, 9]
