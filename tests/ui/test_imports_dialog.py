"""The Imports list of a cohort: what came from which file, and undoing an import."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.models import ActivityEvent
from cohortdesk.core.schemas import CohortInput, ImportBatchRow, MemberInput
from cohortdesk.core.services.activity import imports
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.import_batches_model import (
    COL_EVENTS_NOW,
    COL_FILE,
    COL_FORMAT,
    COL_NEW,
    COL_PEOPLE,
    COL_UNDONE,
    COL_WHEN,
    ImportBatchesModel,
)
from cohortdesk.ui.models.roster_model import COL_NAME
from cohortdesk.ui.views.imports_dialog import EMPTY_TEXT, ImportsDialog
from cohortdesk.ui.widgets import confirm
from tests.ui.conftest import settle

ACTIVITY = """Sender,Timestamp,Action,Reply to
ana@example.org,2026-10-05T09:00:00,post,
Ben Carter,2026-10-05T10:00:00,comment,ana@example.org
Chioma Obi,2026-10-06T11:30:00,comment,Ben Carter
"""
MAPPING = {"who": "Sender", "when": "Timestamp", "kind": "Action", "replied_to": "Reply to"}


@pytest.fixture
def cohort_id(db: Database, tmp_path: Path) -> int:
    """A cohort with Ana Souza, and one import that added Ben and Chioma."""
    path = tmp_path / "forum.csv"
    path.write_text(ACTIVITY, encoding="utf-8")
    with db.write() as session:
        row = cohorts.create_cohort(session, CohortInput(name="Spring", timezone="UTC")).value
        members.add_member(
            session, row.id, MemberInput(full_name="Ana Souza", email="ana@example.org")
        )
        options = ImportOptions(timezone=ZoneInfo("UTC"), mapping=MAPPING)
        imports.import_file(
            session,
            row.id,
            path,
            "activity-csv",
            options,
            now=datetime(2026, 10, 8, 14, 30, tzinfo=UTC),
        )
        return row.id


def events(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(ActivityEvent)) or 0


def roster_names(window: MainWindow) -> list[str]:
    proxy = window.roster.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def open_imports(qtbot: QtBot, window: MainWindow) -> ImportsDialog:
    dialog = window.show_imports()
    assert dialog is not None
    with qtbot.waitSignal(dialog.batches_loaded, timeout=30_000):
        pass
    return dialog


def test_the_list_shows_each_import(qtbot: QtBot, cohort_id: int, window: MainWindow) -> None:
    assert window.imports_action.isEnabled()
    dialog = open_imports(qtbot, window)
    model = dialog.model
    assert model.rowCount() == 1
    cells = [
        model.index(0, c).data()
        for c in (COL_WHEN, COL_FILE, COL_FORMAT, COL_NEW, COL_PEOPLE, COL_EVENTS_NOW, COL_UNDONE)
    ]
    assert cells == ["8 Oct 2026 14:30", "forum.csv", "activity-csv", "3", "2", "3", ""]
    assert "SHA-256" in model.index(0, COL_FILE).data(Qt.ItemDataRole.ToolTipRole)
    assert dialog.undo_button.isEnabled()  # the newest import is selected
    assert not dialog.empty_label.isVisible()


def test_undo_removes_the_events_and_the_people_it_added(
    qtbot: QtBot,
    db: Database,
    cohort_id: int,
    window: MainWindow,
    yes: list[str],
) -> None:
    assert roster_names(window) == ["Ana Souza", "Ben Carter", "Chioma Obi"]
    assert events(db) == 3
    dialog = open_imports(qtbot, window)
    with qtbot.waitSignal(dialog.batch_undone, timeout=30_000):
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.batches_loaded, timeout=30_000):
        pass
    settle(window)
    assert "Undo the import of forum.csv from 8 Oct 2026 14:30?" in yes[0]
    assert "Its 3 events will be removed" in yes[0]
    assert "2 people it added" in yes[0]
    assert events(db) == 0
    assert roster_names(window) == ["Ana Souza"]
    assert dialog.model.index(0, COL_EVENTS_NOW).data() == "0"
    assert dialog.model.index(0, COL_UNDONE).data() != ""
    assert not dialog.undo_button.isEnabled()
    assert window.statusBar().currentMessage() == (
        "Undid the import of forum.csv: 3 events removed, 2 members it had added removed"
    )


def test_declining_the_undo_keeps_everything(
    qtbot: QtBot,
    db: Database,
    cohort_id: int,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(confirm, "confirm", lambda *args: False)
    dialog = open_imports(qtbot, window)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert events(db) == 3
    assert dialog.undo_button.isEnabled()
    assert dialog.model.index(0, COL_UNDONE).data() == ""


def test_a_cohort_without_imports_says_so(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Empty"))
    window.reload_cohorts()
    settle(window)
    dialog = open_imports(qtbot, window)
    assert dialog.model.rowCount() == 0
    assert dialog.empty_label.isVisible()
    assert dialog.empty_label.text() == EMPTY_TEXT
    assert not dialog.undo_button.isEnabled()


def test_an_import_through_the_dialog_appears_in_the_list(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_imports(qtbot, window)
    path = tmp_path / "more.csv"
    path.write_text("Sender,Timestamp\nAna Souza,2026-10-09T09:00:00\n", encoding="utf-8")
    importer = window.open_import_dialog(path)
    assert importer is not None
    qtbot.waitUntil(lambda: importer.mapping.header() == ["Sender", "Timestamp"], timeout=30_000)
    with qtbot.waitSignal(dialog.batches_loaded, timeout=30_000):
        importer.start_import()
    assert [dialog.model.index(r, COL_FILE).data() for r in range(2)] == ["more.csv", "forum.csv"]


def test_the_batches_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    when = datetime(2026, 10, 8, 14, 30, tzinfo=UTC)
    model = ImportBatchesModel()
    rows = [
        ImportBatchRow(
            id=identifier,
            format="moodle-log",
            file_name=f"logs-{identifier}.csv",
            sha256="ab" * 32,
            imported_at=when,
            read=1200,
            inserted=1100,
            duplicates=100,
            unattributed=3,
            ignored=2,
            people_created=14,
            events_now=0 if undone else 1100,
            undone_at=when if undone else None,
        )
        for identifier, undone in ((2, True), (1, False))
    ]
    model.set_rows(rows, "Europe/Lisbon")
    qtmodeltester.check(model)
    assert model.index(0, COL_WHEN).data() == "8 Oct 2026 15:30"
    assert model.index(1, COL_NEW).data() == "1,100"
    assert model.index(0, COL_UNDONE).data() == "8 Oct 2026 15:30"
    assert model.index(0, COL_FILE).data(Qt.ItemDataRole.ForegroundRole) is not None
