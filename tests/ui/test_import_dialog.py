"""The import dialog, driven as a facilitator would: a file, a preview, an import, a cancel."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.base import ImportOptions, ImportRejectedError
from cohortdesk.core.models import ActivityEvent, ImportBatch, Person
from cohortdesk.core.schemas import CohortInput, ImportPreviewRow, MemberInput
from cohortdesk.core.services.activity import imports
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.import_preview_model import (
    COL_DETAIL,
    COL_KIND,
    COL_OUTCOME,
    COL_ROW,
    COL_WHEN,
    COL_WHO,
    ImportPreviewModel,
)
from cohortdesk.ui.models.roster_model import COL_NAME, COL_POSTS
from cohortdesk.ui.views.import_dialog import ImportDialog
from cohortdesk.ui.views.import_files import rejection_text
from cohortdesk.ui.views.import_progress import ImportProgress
from tests.ui.conftest import settle

ACTIVITY = """Sender,Timestamp,Action,Reply to,Thread
ana@example.org,2026-10-05T09:00:00,post,,Week 1
Ben Carter,2026-10-05T10:00:00,comment,ana@example.org,Week 1
Chioma Obi,2026-10-06T11:30:00,comment,Ben Carter,Week 1
Ben Carter,2026-10-07T08:15:00,like,,Week 1
,2026-10-07T09:00:00,view,,Week 1
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def count(db: Database, table: Any) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def roster_names(window: MainWindow) -> list[str]:
    proxy = window.roster.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


@pytest.fixture
def cohort_id(db: Database) -> int:
    """Spring 2027 (Lisbon time) with one member, Ana Souza."""
    with db.write() as session:
        row = cohorts.create_cohort(
            session, CohortInput(name="Spring", timezone="Europe/Lisbon")
        ).value
        members.add_member(
            session, row.id, MemberInput(full_name="Ana Souza", email="ana@example.org")
        )
        return row.id


def open_previewed(qtbot: QtBot, window: MainWindow, path: Path) -> ImportDialog:
    """Open the dialog on `path` and wait for its first preview (which needs the event loop,
    so it cannot have finished before the wait begins)."""
    dialog = window.open_import_dialog(path)
    assert dialog is not None
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        pass
    return dialog


def test_import_a_csv_through_the_dialog_and_see_the_roster(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    path = write(tmp_path, "forum.csv", ACTIVITY)
    assert window.import_action.isEnabled()
    dialog = open_previewed(qtbot, window, path)

    assert dialog.format_name() == "activity-csv"
    assert dialog.zone_combo.currentText() == "Europe/Lisbon"  # the cohort's
    assert dialog.mapping.isVisible()
    assert dialog.mapping.mapping() == {
        "who": "Sender",
        "when": "Timestamp",
        "kind": "Action",
        "replied_to": "Reply to",
        "thread": "Thread",
    }
    values = dialog.summary_view.values()
    assert values["New events"] == "4"
    assert values["New people"] == "2"
    assert values["Unattributed"] == "1"
    assert values["Rows read"] == "5"
    assert "Ben Carter, Chioma Obi" in dialog.summary_view.people_label.text()
    assert "names nobody" in dialog.summary_view.skipped_label.text()
    assert "UTF-8" in dialog.summary_view.notes_label.text()
    model = dialog.preview_model
    assert model.rowCount() == 5
    first = [model.index(0, c).data() for c in (COL_ROW, COL_OUTCOME, COL_WHO, COL_WHEN, COL_KIND)]
    # ana@example.org is Ana Souza, a member already: the preview names her as the roster will
    assert first == ["2", "Event", "Ana Souza", "5 Oct 2026 09:00", "Started a thread"]
    assert model.index(4, COL_OUTCOME).data() == "Unattributed"
    # the preview stored nothing
    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0
    assert roster_names(window) == ["Ana Souza"]

    assert dialog.import_button.isEnabled() and dialog.import_button.isDefault()
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    summary = finished.args[0]
    assert (summary.inserted, summary.people_created, summary.dry_run) == (4, 2, False)
    assert dialog.summary_view.headline.text().startswith("Imported forum.csv: 4 new events")
    assert dialog.close_button.text() == "Close"
    assert not dialog.import_button.isVisible()
    assert roster_names(window) == ["Ana Souza", "Ben Carter", "Chioma Obi"]
    ana = window.roster.proxy.index(0, COL_POSTS).data()
    assert ana == "1"
    assert "Imported forum.csv" in window.statusBar().currentMessage()
    with db.read() as session:
        first_time = session.scalar(select(func.min(ActivityEvent.occurred_at)))
    assert first_time == datetime(2026, 10, 5, 8, 0, tzinfo=UTC)  # 09:00 in Lisbon (summer)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_cancel_leaves_nothing_imported(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_previewed(qtbot, window, write(tmp_path, "forum.csv", ACTIVITY))
    # Hold the write thread so the import is still waiting when Cancel is pressed; it then
    # runs to its last progress report, which raises and rolls everything back.
    release = threading.Event()
    window.context.runner.job("Hold", lambda _progress: release.wait(10))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.progress_bar.isVisible()
    assert dialog.close_button.text() == "Cancel import"
    assert not dialog.format_combo.isEnabled()
    with qtbot.waitSignal(dialog.import_cancelled, timeout=30_000):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        assert dialog.progress_label.text() == "Cancelling…"
        release.set()
    settle(window)
    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0
    assert count(db, Person) == 1
    assert roster_names(window) == ["Ana Souza"]
    assert dialog.isVisible()
    assert dialog.preview_status.text() == "Import cancelled: nothing was imported."
    assert dialog.summary_view.values()["New events"] == "4"  # the preview is still shown
    assert dialog.import_button.isEnabled()
    assert not dialog.progress_bar.isVisible()
    assert dialog.close_button.text() == "Cancel"
    assert "cancelled" in window.statusBar().currentMessage()


def test_escape_during_an_import_cancels_it_and_keeps_the_dialog(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_previewed(qtbot, window, write(tmp_path, "forum.csv", ACTIVITY))
    release = threading.Event()
    window.context.runner.job("Hold", lambda _progress: release.wait(10))
    dialog.start_import()
    with qtbot.waitSignal(dialog.import_cancelled, timeout=30_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        release.set()
    assert dialog.isVisible()
    assert count(db, ActivityEvent) == 0


@pytest.mark.parametrize(
    ("text", "row", "reason"),
    [
        (
            "Sender,Timestamp,Action\nAna,2026-10-05T09:00:00,post\nBen,yesterday,post\n",
            "row 3",
            "'yesterday'",
        ),
        (
            'Sender,Timestamp,Action\nAna,2026-10-05T09:00:00,post\nBen,"2026-10-06,post\n',
            "row 3",
            "never closed",
        ),
        (
            "Sender,Timestamp,Action\nAna,2026-10-05T09:00:00,dance\n",
            "row 2",
            "'dance' is not one cohortdesk knows",
        ),
    ],
)
def test_a_broken_file_shows_file_row_and_reason_inline(
    qtbot: QtBot,
    db: Database,
    cohort_id: int,
    window: MainWindow,
    tmp_path: Path,
    text: str,
    row: str,
    reason: str,
) -> None:
    failures: list[object] = []
    window.context.runner.task_failed.connect(lambda task, exc: failures.append(exc))
    dialog = open_previewed(qtbot, window, write(tmp_path, "broken.csv", text))
    error = dialog.error_text()
    assert error.startswith("Cannot import broken.csv, ")
    assert row in error and reason in error
    assert "Traceback" not in error and "--time-format" not in error
    assert dialog.error_label.isVisible()
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_button.isEnabled()  # try again after fixing the file
    assert dialog.preview_model.rowCount() == 0
    assert failures == []
    assert count(db, ImportBatch) == 0


def test_columns_chosen_by_hand_and_one_kind_for_every_row(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    path = write(tmp_path, "sessions.csv", "A,B\nAna Souza,05/10/2026\nBen Carter,20/10/2026\n")
    dialog = window.open_import_dialog(path)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.mapping.header() == ["A", "B"], timeout=30_000)
    assert "Choose the column that says who did it and the one that says when" in (
        dialog.preview_status.text()
    )
    assert not dialog.import_button.isEnabled()
    dialog.mapping.set_choice("who", "A")
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        dialog.mapping.set_choice("when", "B")
    assert dialog.mapping.fixed_kind_combo.isEnabled()
    dialog.mapping.fixed_kind_combo.setCurrentIndex(
        dialog.mapping.fixed_kind_combo.findData(EventKind.ATTEND.value)
    )
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        pass
    model = dialog.preview_model
    assert [model.index(r, COL_KIND).data() for r in range(2)] == ["Attended", "Attended"]
    assert model.index(1, COL_WHEN).data() == "20 Oct 2026 00:00"  # day first, read whole
    assert dialog.summary_view.values()["New people"] == "1"


def test_an_ambiguous_date_is_settled_with_a_time_format(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    text = "Who,When,Kind\nAna Souza,03/04/2026 10:00,login\nBen Carter,04/05/2026 11:00,login\n"
    dialog = open_previewed(qtbot, window, write(tmp_path, "logins.csv", text))
    assert "could be day/month/year" in dialog.error_text()
    assert "Time format" in dialog.error_text()
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        dialog.mapping.time_format_combo.setCurrentText("%m/%d/%Y %H:%M")
    assert dialog.error_text() == ""
    assert dialog.preview_model.index(0, COL_WHEN).data() == "4 Mar 2026 10:00"
    assert dialog.import_button.isEnabled()


def test_a_roster_is_detected_and_needs_no_columns(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    text = (
        "Name,Email,Role\nBen Carter,ben@example.org,learner\nDee Mentor,dee@example.org,mentor\n"
    )
    dialog = open_previewed(qtbot, window, write(tmp_path, "people.csv", text))
    assert dialog.format_name() == "roster"
    assert dialog.format_note.text() == "detected from the file"
    assert not dialog.mapping.isVisible()
    assert dialog.preview_model.index(0, COL_OUTCOME).data() == "Person"
    assert dialog.summary_view.values()["New people"] == "2"
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        dialog.start_import()
    settle(window)
    assert roster_names(window) == ["Ana Souza", "Ben Carter", "Dee Mentor"]


def test_switching_to_activity_csv_asks_for_the_columns(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    text = "Name,Email,Role\nBen Carter,ben@example.org,learner\n"
    dialog = open_previewed(qtbot, window, write(tmp_path, "people.csv", text))
    assert dialog.preview_model.rowCount() == 1
    dialog.set_format("activity-csv")
    qtbot.waitUntil(lambda: dialog.mapping.header() == ["Name", "Email", "Role"], timeout=30_000)
    assert dialog.mapping.isVisible()
    assert dialog.mapping.mapping() == {"who": "Name"}
    assert dialog.preview_status.text() == "Choose the column that says when."
    assert dialog.preview_model.rowCount() == 0
    assert not dialog.import_button.isEnabled()


def test_an_unknown_time_zone_is_explained(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_previewed(qtbot, window, write(tmp_path, "forum.csv", ACTIVITY))
    dialog.zone_combo.setCurrentText("Mars/Olympus")
    assert "Unknown time zone 'Mars/Olympus'" in dialog.preview_status.text()
    assert not dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        dialog.zone_combo.setCurrentText("Asia/Tokyo")
    assert dialog.import_button.isEnabled()


def test_file_import_opens_the_dialog_and_choose_picks_the_file(
    qtbot: QtBot,
    cohort_id: int,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write(tmp_path, "forum.csv", ACTIVITY)
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert dialog.path() is None
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_status.text() == "Choose a file to see what it holds."
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        lambda *args: (str(path), ""),
    )
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path() == path
    assert dialog.file_edit.text() == str(path)


def drop(window: MainWindow, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_dropping_a_file_on_the_window_opens_the_import(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    path = write(tmp_path, "forum.csv", ACTIVITY)
    drop(window, path)
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.path() == path
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        pass
    assert dialog.summary_view.values()["New events"] == "4"


def test_dropping_a_file_without_a_cohort_says_what_to_do(
    window: MainWindow, tmp_path: Path
) -> None:
    drop(window, write(tmp_path, "forum.csv", ACTIVITY))
    assert window.findChild(ImportDialog) is None
    assert not window.import_action.isEnabled()
    assert "Select a cohort" in window.statusBar().currentMessage()


def test_the_preview_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = ImportPreviewModel()
    model.set_rows(
        [
            ImportPreviewRow(
                row=2,
                outcome="event",
                who="Ana",
                when=datetime(2026, 10, 5, 8, tzinfo=UTC),
                kind=EventKind.POST,
                detail="post in thread Week 1",
            ),
            ImportPreviewRow(
                row=3, outcome="unattributed", who="", when=None, kind=None, detail="guest"
            ),
            ImportPreviewRow(
                row=4, outcome="skipped", who="", when=None, kind=None, detail="bot message"
            ),
        ],
        "Europe/Lisbon",
    )
    qtmodeltester.check(model)
    assert model.index(0, COL_WHEN).data() == "5 Oct 2026 09:00"
    assert model.index(1, COL_DETAIL).data() == "guest"
    assert model.index(2, COL_OUTCOME).data() == "Skipped"


@pytest.mark.parametrize(
    ("name", "expected_format", "facts"),
    [
        (
            "moodle_log_edify_module3_sp17.csv",
            "moodle-log",
            {"read": 696, "unattributed": 148, "people_created": 7},
        ),
        ("slack_export_2016.zip", "slack", {}),
        ("mooced_dlt1_nodes.csv", "roster", {"people_created": 445}),
        (
            "mooced_dlt1_edgelist.csv",
            "activity-csv",
            {"read": 2529, "inserted": 2529, "people_created": 442},
        ),
    ],
)
def test_the_real_exports_import_through_the_dialog(
    qtbot: QtBot,
    db: Database,
    cohort_id: int,
    window: MainWindow,
    real_fixtures: Path,
    name: str,
    expected_format: str,
    facts: dict[str, int],
) -> None:
    dialog = open_previewed(qtbot, window, real_fixtures / name)
    assert dialog.error_text() == ""
    assert dialog.format_name() == expected_format
    if expected_format == "activity-csv":
        assert dialog.mapping.mapping() == {
            "who": "Sender",
            "when": "Timestamp",
            "replied_to": "Receiver",
            "thread": "Discussion ID",
        }
        assert dialog.mapping.fixed_kind() is EventKind.REPLY
    with qtbot.waitSignal(dialog.import_finished, timeout=60_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    summary = finished.args[0]
    assert summary.inserted + summary.people_created > 0
    for field, value in facts.items():
        assert getattr(summary, field) == value, field
    assert len(roster_names(window)) == 1 + summary.people_created


def test_enter_imports_and_the_fields_have_keyboard_labels(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_previewed(qtbot, window, write(tmp_path, "forum.csv", ACTIVITY))
    labels = {label.text(): label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    assert labels["&File:"] is dialog.file_edit
    assert labels["F&ormat:"] is dialog.format_combo
    assert labels["Time &zone:"] is dialog.zone_combo
    assert labels["&Who did it:"] is dialog.mapping.who_combo
    assert labels["Time for&mat:"] is dialog.mapping.time_format_combo
    dialog.choose_button.setFocus()
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert count(db, ActivityEvent) == 4


def test_closing_before_the_file_was_read_is_harmless(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = window.open_import_dialog(write(tmp_path, "forum.csv", ACTIVITY))
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    # delete it now, before the background work it started reports back
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    settle(window)
    assert window.findChild(ImportDialog) is None
    assert count(db, ImportBatch) == 0


def test_cancelling_a_moodle_log_read_in_columns_leaves_nothing(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    log = Path(__file__).resolve().parents[1] / "fixtures" / "moodle_log" / "realistic_en_bom.csv"
    dialog = open_previewed(qtbot, window, log)
    assert dialog.format_name() == "moodle-log"
    release = threading.Event()
    window.context.runner.job("Hold", lambda _progress: release.wait(10))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.import_cancelled, timeout=10_000):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        release.set()
    settle(window)
    assert count(db, ActivityEvent) == 0
    assert count(db, ImportBatch) == 0
    assert count(db, Person) == 1


def test_the_progress_shows_the_share_of_the_file_and_the_pace(qtbot: QtBot) -> None:
    progress = ImportProgress()
    qtbot.addWidget(progress)
    progress.start()
    assert progress.bar.maximum() == 0  # not known until the first report
    progress.advance(3_000_000, 12_000_000, "25% · 250,000 rows · 41,000 rows/s · 18 s left")
    assert (progress.bar.value(), progress.bar.maximum()) == (3_000_000, 12_000_000)
    assert progress.label.text() == "25% · 250,000 rows · 41,000 rows/s · 18 s left"


UNREADABLE = {
    "empty.csv": b"",
    "blank_lines.csv": b"\r\n\n  \n",
    "binary.csv": bytes(range(256)) * 4,
    "utf16_without_bom.csv": "Who,When\nAna,2026-10-05\n".encode("utf-16-le"),
    "a_pdf.csv": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    "a_jpeg.csv": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200),
    "one_column.txt": b"Dear all,\nthe course starts on Monday.\n",
    "cut_header.csv": b"Tim",
}
"""Files that are no table at all: the dialog says why, as the command line does, and offers
no columns to choose."""


def import_error(db: Database, cohort_id: int, path: Path) -> ImportRejectedError:
    """What the command line's `import activity-csv FILE --map who=1,when=2` says."""
    options = ImportOptions(mapping={"who": "1", "when": "2"}, kind=EventKind.POST)
    with pytest.raises(ImportRejectedError) as caught, db.trial() as session:
        imports.import_file(session, cohort_id, path, "activity-csv", options, dry_run=True)
    return caught.value


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_a_file_that_is_no_table_is_refused_with_its_reason_and_no_columns_to_choose(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(UNREADABLE[name])
    dialog = window.open_import_dialog(path)
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(dialog.error_text()), timeout=30_000)
    settle(window)
    refused = import_error(db, cohort_id, path)
    assert dialog.error_text() == rejection_text(refused)
    assert refused.file == name and refused.reason in dialog.error_text()
    assert not dialog.mapping.isVisible()
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_model.rowCount() == 0
    dialog.set_format("moodle-log")  # another format reads it its own way, and back
    settle(window)
    dialog.set_format("activity-csv")
    settle(window)
    assert dialog.error_text() == rejection_text(refused)
    assert not dialog.mapping.isVisible()
    dialog.reject()


def test_a_table_whose_columns_are_not_recognised_offers_the_columns(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    path = write(tmp_path, "odd.csv", "Person;Moment\nAna;2026-10-05 09:00\n")
    dialog = window.open_import_dialog(path)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.mapping.isVisible(), timeout=30_000)
    settle(window)
    assert dialog.error_text() == ""
    assert dialog.format_name() == "activity-csv"
    dialog.reject()
