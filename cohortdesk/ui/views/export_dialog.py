"""Export a cohort: choose the format, the file and what to include, see a preview, export.

The preview (`exporters.preview`) and the export (`exporters.run_export`, as the command
line runs it) run in the background through the `TaskRunner`; the preview follows every
change after a short pause. Cancelling a running export stops it at the next batch of events
and leaves no file behind.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import (
    CohortRow,
    ExportFormat,
    ExportOptions,
    ExportPreview,
    ExportResult,
    validated,
)
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.export_preview_model import ExportPreviewModel
from cohortdesk.ui.tasks import CancelledError, Task, pass_on_failure
from cohortdesk.ui.views.cohort_scoped_dialog import CohortScopedDialog, known_error_text
from cohortdesk.ui.widgets.dialog_parts import action_buttons, dialog_layout
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error
from cohortdesk.ui.widgets.optional_date import OptionalDate
from cohortdesk.ui.widgets.tables import make_table

PREVIEW_DELAY_MS = 250
_UNSAFE = re.compile(r"[^\w\- ]+")
FILTERS = {
    ExportFormat.CSV: "CSV files (*.csv)",
    ExportFormat.XLSX: "Excel workbooks (*.xlsx)",
    ExportFormat.PDF: "PDF documents (*.pdf)",
    ExportFormat.XAPI: "xAPI statements (*.json)",
}


def default_file_name(cohort: str, format: ExportFormat) -> str:
    """`Spring cohort participation.xlsx`: the cohort's name, safe for any file system."""
    stem = " ".join(_UNSAFE.sub(" ", cohort).split())[:80] or "cohort"
    return f"{stem} participation{format.suffix}"


class ExportDialog(CohortScopedDialog):
    """Choose what to export and where, check the preview, export in the background.

    Args:
        context: the open database's services.
        cohort: the cohort to export.
        parent: the main window.
    """

    TITLE = "Export {name}"
    MINIMUM_SIZE = (760, 600)

    preview_finished = Signal(object)
    """A preview arrived: the `ExportPreview`."""
    export_finished = Signal(object)
    """The files are written: the `ExportResult`."""
    export_failed = Signal(str)
    """The export could not be written (the message shown)."""
    export_cancelled = Signal()

    def __init__(self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None):
        super().__init__(context, cohort, parent)
        self._generation = 0
        self._preview: ExportPreview | None = None
        self._export_task: Task | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.preview)
        self._build()
        self._connect()
        self._format_changed()

    # ---- building --------------------------------------------------------------------

    def _build(self) -> None:
        intro = muted_label(
            "Participation records for HR, managers or a learning record store, or a report "
            "for management. The file is written completely or not at all, readable by you only."
        )
        self.format_combo = QComboBox()
        for format in ExportFormat:
            self.format_combo.addItem(format.label, format.value)
        self.file_edit = QLineEdit(
            str(Path.home() / default_file_name(self.cohort.name, ExportFormat.CSV))
        )
        self.file_edit.setAccessibleName("File to write")
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setToolTip("Choose the file to export to")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        as_of = self.context.as_of_day(self.cohort)
        self.date_from = OptionalDate("From", None, self.cohort.start_date or as_of)
        self.date_to = OptionalDate("To", None, as_of)
        period_row = QHBoxLayout()
        period_row.addWidget(self.date_from)
        period_row.addSpacing(12)
        period_row.addWidget(self.date_to)
        period_row.addWidget(
            muted_label(
                f"days in the cohort's time zone; as of {fmt.short_date(as_of)} unless To "
                "says otherwise"
            ),
            1,
        )

        self.inactive_check = QCheckBox("Include members with no activity in the period")
        self.inactive_check.setToolTip("Also list the members who did nothing in the period")
        self.inactive_check.setChecked(True)
        self.events_check = QCheckBox("Include every event")
        self.events_check.setToolTip(
            "Add every activity event, one per row, not only each member's totals"
        )
        self.events_note = muted_label(wrap=False)
        events_row = QHBoxLayout()
        events_row.addWidget(self.events_check)
        events_row.addWidget(self.events_note, 1)
        self.pseudonymise_check = QCheckBox("Pseudonymise: no names, emails, notes or message text")
        self.pseudonymise_check.setToolTip(
            "Replace each member by a pseudonym and leave out emails, notes and message text"
        )
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("random for this export; give one to link exports")
        self.key_edit.setAccessibleName("Pseudonymisation key")
        self.key_edit.setEnabled(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, buddy, row in (
            ("F&ormat:", self.format_combo, self.format_combo),
            ("&File:", self.file_edit, file_row),
            ("Period:", None, period_row),
        ):
            label = QLabel(text)
            if buddy is not None:
                label.setBuddy(buddy)
            form.addRow(label, row)
        form.addRow("", self.inactive_check)
        form.addRow("", events_row)
        form.addRow("", self.pseudonymise_check)
        key_label = QLabel("&Key:")
        key_label.setBuddy(self.key_edit)
        form.addRow(key_label, self.key_edit)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label = error_label()
        self.preview_model = ExportPreviewModel(self)
        self.preview_table = make_table(self.preview_model, (), empty_text="Preparing the preview…")
        self.preview_table.setAccessibleName("First rows of the export")
        self.preview_table.setMinimumHeight(180)

        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        self.buttons, self.export_button, self.close_button = action_buttons(
            "&Export", self.choose_button
        )

        layout = dialog_layout(self)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(heading_label("What will be exported"))
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.choose_button.clicked.connect(self.choose_file)
        self.file_edit.textChanged.connect(self._settings_changed)
        self.date_from.changed.connect(self._settings_changed)
        self.date_to.changed.connect(self._settings_changed)
        self.inactive_check.toggled.connect(self._settings_changed)
        self.events_check.toggled.connect(self._settings_changed)
        self.pseudonymise_check.toggled.connect(self.key_edit.setEnabled)
        self.pseudonymise_check.toggled.connect(self._settings_changed)
        self.key_edit.textChanged.connect(self._settings_changed)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self._close_or_cancel)

    # ---- the choices -----------------------------------------------------------------

    def format(self) -> ExportFormat:
        return ExportFormat(self.format_combo.currentData())

    def set_format(self, format: ExportFormat) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(format.value))

    def path(self) -> Path | None:
        text = self.file_edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path) -> None:
        self.file_edit.setText(str(path))

    def options(self) -> ExportOptions:
        """The choices as the exporter takes them.

        Raises:
            KnownError: a key that is too short, or a period that ends before it starts.
        """
        pseudonymise = self.pseudonymise_check.isChecked()
        date_to = self.date_to.value()
        as_of = self.context.as_of_day(self.cohort)
        return validated(
            ExportOptions,
            pseudonymise=pseudonymise,
            key=(self.key_edit.text() or None) if pseudonymise else None,
            as_of=max(as_of, date_to) if date_to else as_of,
            date_from=self.date_from.value(),
            date_to=date_to,
            include_inactive=self.inactive_check.isChecked(),
            with_events=self.events_check.isChecked() and self.events_check.isEnabled(),
        )

    @Slot()
    def choose_file(self) -> None:
        format = self.format()
        current = self.path() or Path.home() / default_file_name(self.cohort.name, format)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export to", str(current), f"{FILTERS[format]};;All files (*)"
        )
        if chosen:
            path = Path(chosen)
            self.set_path(path if path.suffix else path.with_suffix(format.suffix))

    @Slot()
    def _format_changed(self) -> None:
        format = self.format()
        tabular = format in (ExportFormat.CSV, ExportFormat.XLSX)
        self.events_check.setEnabled(tabular)
        notes = {
            ExportFormat.CSV: "in a second file, …-events.csv",
            ExportFormat.XLSX: "on a second sheet",
            ExportFormat.PDF: "(a report has no event list)",
            ExportFormat.XAPI: "(xAPI is one statement per event)",
        }
        self.events_note.setText(notes[format])
        path = self.path()
        if path is not None and path.suffix.lower() in {f.suffix for f in ExportFormat}:
            self.set_path(path.with_suffix(format.suffix))
        self._settings_changed()

    def _problem(self) -> str:
        if self.path() is None:
            return "Choose the file to write."
        return known_error_text(self.options)

    @Slot()
    def _settings_changed(self) -> None:
        if self._export_task is not None:
            return
        self._generation += 1
        problem = self._problem()
        show_error(self.error_label, problem)
        self.export_button.setEnabled(not problem)
        if not problem:
            self._timer.start()

    # ---- preview and export ------------------------------------------------------------

    def _now(self) -> datetime | None:
        """The app's fixed "today" (screenshots, tests) as a moment; None: the clock."""
        if self.context.today is None:
            return None
        return datetime.combine(self.context.today, time(12), tzinfo=UTC)

    @Slot()
    def preview(self) -> Task | None:
        """Work out, in the background, what the export will include."""
        from cohortdesk.core import exporters

        self._timer.stop()
        if self._problem():
            return None
        generation = self._generation
        cohort_id, format, path, options = (
            self.cohort.id,
            self.format(),
            self.path(),
            self.options(),
        )
        now = self._now()
        task = self.context.runner.read(
            "Previewing the export",
            lambda session: exporters.preview(session, cohort_id, format, path, options, now=now),
            lambda preview: self._preview_done(generation, preview),
            lambda exc: self._failed(task, exc),
        )
        return task

    def _preview_done(self, generation: int, preview: ExportPreview) -> None:
        if generation != self._generation:
            return
        self._preview = preview
        self.preview_model.set_preview(preview)
        self.preview_table.resizeColumnsToContents()
        self.summary_label.setText(self.summary_text(preview))
        self.preview_finished.emit(preview)

    def summary_text(self, preview: ExportPreview) -> str:
        """`24 members and 1,712 events, 4 Sep 2026 – 30 Oct 2026, to …`"""
        members = fmt.plural(preview.members, "member")
        if preview.left_out:
            members += f" ({preview.left_out} without activity left out)"
        events = fmt.plural(preview.events, "event")
        format, options = self.format(), self.options()
        if format in (ExportFormat.CSV, ExportFormat.XLSX) and not options.with_events:
            events += " counted (not listed)"
        files = " and ".join(path.name for path in preview.files)
        lines = [f"{members} and {events}, {preview.period}, to {files}."]
        if options.pseudonymise:
            lines.append(
                "Pseudonymised: each member appears as a pseudonym"
                + (" made with your key." if options.key else " new to this export.")
            )
        return "\n".join(lines)

    def preview_snapshot(self) -> ExportPreview | None:
        return self._preview

    @Slot()
    def start_export(self) -> Task | None:
        """Write the export in the background, with progress and Cancel."""
        from cohortdesk.core import exporters

        problem = self._problem()
        if problem or self._export_task is not None:
            show_error(self.error_label, problem)
            return None
        cohort_id, format, options = self.cohort.id, self.format(), self.options()
        path = self.path()
        assert path is not None
        db, now = self.context.db, self._now()
        task = self.context.runner.job(
            f"Exporting {self.cohort.name}",
            lambda progress: exporters.run_export(
                db, cohort_id, format, path, options, now=now, progress=progress
            ),
            self._export_done,
            lambda exc: self._export_error(task, exc),
        )
        task.progressed.connect(self._progressed)
        self._export_task = task
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel export")
        for widget in (self.format_combo, self.file_edit, self.choose_button):
            widget.setEnabled(False)
        return task

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, _message: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _export_done(self, result: ExportResult) -> None:
        self._export_task = None
        self.export_finished.emit(result)
        self.accept()

    def _export_error(self, task: Task, exc: BaseException) -> None:
        self._export_task = None
        self.progress_bar.hide()
        self.close_button.setText("Cancel")
        for widget in (self.format_combo, self.file_edit, self.choose_button):
            widget.setEnabled(True)
        self.export_button.setEnabled(True)
        if isinstance(exc, CancelledError):
            show_error(self.error_label, "Export cancelled: no file was written.")
            self.export_cancelled.emit()
            return
        self._failed(task, exc)
        if isinstance(exc, KnownError):
            self.export_failed.emit(str(exc))

    def _failed(self, task: Task, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            show_error(self.error_label, str(exc))
            return
        pass_on_failure(self.context.runner, task, exc)  # a bug: the main window reports it

    @Slot()
    def _close_or_cancel(self) -> None:
        if self._export_task is not None:
            self._export_task.cancel()
            return
        self.reject()
