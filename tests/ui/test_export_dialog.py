"""The export dialog, as a trainer uses it: choose, check the preview, export, or cancel."""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas import ExportFormat, ExportPreview
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.export_preview_model import ExportPreviewModel
from cohortdesk.ui.views.export_dialog import ExportDialog, default_file_name
from tests.core.exporters.conftest import build_sample
from tests.ui.conftest import settle


@pytest.fixture
def cohort_id(db: Database) -> int:
    with db.write() as session:
        return build_sample(session).cohort_id


def open_dialog(qtbot: QtBot, window: MainWindow, folder: Path) -> ExportDialog:
    """The dialog from File > Export…, writing into `folder`, with its first preview."""
    assert window.export_action.isEnabled()
    with qtbot.waitSignal(window.context.runner.busy_changed, timeout=30_000):
        window.export_action.trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        dialog.set_path(folder / "records.csv")
    return dialog


def changed(qtbot: QtBot, dialog: ExportDialog, change: Any) -> ExportPreview:
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000) as blocker:
        change()
    preview = blocker.args[0]
    assert isinstance(preview, ExportPreview)
    return preview


def column(dialog: ExportDialog, name: str) -> list[str]:
    model = dialog.preview_model
    position = model.columns().index(name)
    return [model.index(row, position).data() for row in range(model.rowCount())]


def test_the_preview_shows_what_will_be_exported(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, window, tmp_path)
    assert column(dialog, "Name") == ["Ann Archer", "Ben Brook", "Cara Colé", "Dev Dunn", "Fay Fox"]
    assert dialog.preview_model.columns()[:2] == ("Name", "Email")
    text = dialog.summary_label.text()
    assert "5 members and 16 events counted (not listed)" in text and "records.csv" in text

    preview = changed(qtbot, dialog, lambda: dialog.events_check.setChecked(True))
    assert [p.name for p in preview.files] == ["records.csv", "records-events.csv"]
    preview = changed(qtbot, dialog, lambda: dialog.inactive_check.setChecked(False))
    assert (preview.members, preview.left_out) == (4, 1)
    assert "1 without activity left out" in dialog.summary_label.text()

    changed(qtbot, dialog, lambda: dialog.pseudonymise_check.setChecked(True))
    assert dialog.preview_model.columns()[0] == "Pseudonym"
    assert "Name" not in dialog.preview_model.columns()
    assert all(p.startswith("p-") for p in column(dialog, "Pseudonym"))
    assert "new to this export" in dialog.summary_label.text()


def test_the_format_sets_the_file_ending_and_the_event_choice(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, window, tmp_path)
    changed(qtbot, dialog, lambda: dialog.set_format(ExportFormat.PDF))
    assert dialog.path() == tmp_path / "records.pdf"
    assert not dialog.events_check.isEnabled()
    changed(qtbot, dialog, lambda: dialog.set_format(ExportFormat.XAPI))
    assert dialog.path() == tmp_path / "records.json"
    assert default_file_name("Spring: 2025/26", ExportFormat.XLSX) == (
        "Spring 2025 26 participation.xlsx"
    )


def test_a_short_key_or_a_reversed_period_is_explained(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, window, tmp_path)
    dialog.pseudonymise_check.setChecked(True)
    assert dialog.key_edit.isEnabled()
    dialog.key_edit.setText("short")
    assert "at least 16 characters" in dialog.error_label.text()
    assert not dialog.export_button.isEnabled()
    changed(qtbot, dialog, lambda: dialog.key_edit.setText("long enough to link exports"))
    assert not dialog.error_label.isVisible() and dialog.export_button.isEnabled()
    assert "made with your key" in dialog.summary_label.text()
    dialog.date_from.edit.setDate(dialog.date_to.edit.date().addDays(1))
    dialog.date_from.check.setChecked(True)
    dialog.date_to.check.setChecked(True)
    assert "ends before it starts" in dialog.error_label.text()
    assert dialog.start_export() is None


def test_export_writes_in_the_background_and_says_so(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, window, tmp_path)
    changed(qtbot, dialog, lambda: dialog.events_check.setChecked(True))
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    settle(window)
    result = finished.args[0]
    assert result.files == (tmp_path / "records.csv", tmp_path / "records-events.csv")
    with (tmp_path / "records.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 5
    assert window.findChild(ExportDialog) is None  # closed and deleted
    assert window.statusBar().currentMessage() == (
        "Exported 5 members and 16 events of Spring cohort to records.csv and records-events.csv"
    )


def test_cancel_leaves_no_file(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, window, tmp_path)
    changed(qtbot, dialog, lambda: dialog.set_format(ExportFormat.PDF))
    release = threading.Event()  # hold the write thread so Cancel comes first
    window.context.runner.job("Hold", lambda _progress: release.wait(10))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.progress_bar.isVisible()
    assert dialog.close_button.text() == "Cancel export"
    with qtbot.waitSignal(dialog.export_cancelled, timeout=30_000):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        release.set()
    settle(window)
    assert list(tmp_path.glob("records*")) == []
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Export cancelled: no file was written."
    assert dialog.export_button.isEnabled()


def test_a_file_that_cannot_be_written_is_explained_inline(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, window, tmp_path)
    changed(qtbot, dialog, lambda: dialog.set_path(tmp_path / "missing" / "records.csv"))
    with qtbot.waitSignal(dialog.export_failed, timeout=30_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in dialog.error_label.text()
    assert dialog.isVisible()


def test_export_is_disabled_without_a_cohort(window: MainWindow) -> None:
    assert not window.export_action.isEnabled()
    assert window.export_cohort() is None


def test_the_preview_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = ExportPreviewModel()
    model.set_preview(
        ExportPreview(
            members=2,
            left_out=0,
            events=0,
            columns=("Pseudonym", "Logins"),
            rows=(("p-1", "3"), ("p-2", "0")),
            files=(),
            period="up to 1 Jan 2025",
        )
    )
    qtmodeltester.check(model)
