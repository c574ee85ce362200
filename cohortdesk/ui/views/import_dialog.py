"""Import a file into a cohort: choose it, check a dry-run preview, import with progress.

Everything that touches the file or the database runs in the background through the
`TaskRunner`: detecting the format and reading a CSV's header (`job`), the preview (a dry run
in `Database.trial()`, always rolled back) and the import itself (`Database.write()`, one
transaction). Cancelling raises `CancelledError` from the progress callback, so the
transaction rolls back and nothing is imported.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.schemas import CohortRow, ImportSummary
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import CancelledError, Task, pass_on_failure
from cohortdesk.ui.views.cohort_scoped_dialog import CohortScopedDialog, known_error_text
from cohortdesk.ui.views.import_files import (
    FileInfo,
    dropped_file,
    inspect_file,
    read_header,
    rejection_text,
)
from cohortdesk.ui.views.import_preview import ImportPreview
from cohortdesk.ui.views.import_progress import ImportProgress
from cohortdesk.ui.views.import_source import ACTIVITY_CSV, ImportSource
from cohortdesk.ui.widgets.dialog_parts import action_buttons, dialog_layout
from cohortdesk.ui.widgets.labels import muted_label, show_error

if TYPE_CHECKING:
    from cohortdesk.core.services.activity.importing import ImportRequest

log = logging.getLogger(__name__)

FILE_FILTER = (
    "Exports (*.csv *.tsv *.txt *.json *.jsonl *.ndjson *.zip *.xlsx *.xlsm);;All files (*)"
)
CANCELLED_TEXT = "Import cancelled: nothing was imported."
#: wait this long after the last change before previewing again
PREVIEW_DELAY_MS = 400


class ImportDialog(CohortScopedDialog):
    """Choose a file, check the preview, import in the background.

    Args:
        context: the open database's services.
        cohort: the cohort to import into.
        path: a file to start with (dropped on the window), or None to choose one.
        parent: the main window.
    """

    TITLE = "Import into {name}"
    MINIMUM_SIZE = (820, 640)
    SIZE = (980, 760)

    preview_finished = Signal(object)
    """A preview ended: the dry run's `ImportSummary`, or None when the file was rejected."""
    import_finished = Signal(object)
    """The import committed: its `ImportSummary`."""
    import_cancelled = Signal()
    """The user cancelled the import; nothing was imported."""
    import_failed = Signal(str)
    """The file was rejected when importing (the message shown)."""

    def __init__(
        self,
        context: AppContext,
        cohort: CohortRow,
        path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, cohort, parent)
        self.setAcceptDrops(True)
        self._path: Path | None = None
        self._header_path: Path | None = None
        #: why the current file cannot be read as a table, when it cannot (no mapping then)
        self._unreadable: str | None = None
        self._generation = 0
        self._preview: ImportSummary | None = None
        self._preview_task: Task | None = None
        self._import_task: Task | None = None
        self._file_task: Task | None = None
        self._rejected_settings: object = None
        self._done = False
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.preview)
        self._build()
        self._connect()
        self._update_state()
        if path is not None:
            self.set_file(path)
        else:
            self._set_status(self._problem())

    # ---- building --------------------------------------------------------------------

    def _build(self) -> None:
        intro = muted_label(
            "An import is one step: a bad row anywhere imports nothing, rows already in the "
            "cohort are not stored twice, and Cohort › Imports can undo it."
        )
        self.source = ImportSource(self.cohort.timezone)
        # the parts tests and keyboard users reach directly
        self.file_edit = self.source.file_edit
        self.choose_button = self.source.choose_button
        self.format_combo = self.source.format_combo
        self.format_note = self.source.format_note
        self.zone_combo = self.source.zone_combo
        self.mapping = self.source.mapping

        self.preview_pane = ImportPreview()
        # the parts tests reach directly
        self.preview_status = self.preview_pane.status
        self.preview_button = self.preview_pane.button
        self.summary_view = self.preview_pane.summary_view
        self.error_label = self.preview_pane.error_label
        self.preview_model = self.preview_pane.model
        self.staff_choice = self.preview_pane.staff
        self.dates_offer = self.preview_pane.dates
        self.progress = ImportProgress()
        self.progress_bar = self.progress.bar
        self.progress_label = self.progress.label

        self.buttons, self.import_button, self.close_button = action_buttons(
            "&Import", self.choose_button, self.preview_button
        )

        layout = dialog_layout(self)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addWidget(self.source)
        layout.addSpacing(4)
        layout.addWidget(self.preview_pane, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.choose_button.setFocus()

    def _connect(self) -> None:
        self.choose_button.clicked.connect(self.choose_file)
        self.source.format_changed.connect(self._format_changed)
        self.source.settings_changed.connect(self._settings_changed)
        self.preview_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self.dates_offer.set_dates.connect(self.set_cohort_dates)

    # ---- the file and its settings ---------------------------------------------------

    def path(self) -> Path | None:
        return self._path

    def format_name(self) -> str:
        return self.source.format_name()

    def set_format(self, name: str) -> None:
        """Choose another format, as the user would."""
        self.source.set_format(name)

    @Slot()
    def choose_file(self) -> None:
        start = str(self._path.parent) if self._path else str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Choose the file to import", start, FILE_FILTER
        )
        if chosen:
            self.set_file(Path(chosen))

    def set_file(self, path: Path) -> None:
        """Use `path`: its format is detected in the background, then it is previewed."""
        self._path = path
        self._header_path = None
        self._unreadable = None
        self._invalidate()
        self.file_edit.setText(str(path))
        self.file_edit.setToolTip(str(path))
        self.format_note.setText("looking at the file…")
        self._set_status("")
        task = self.context.runner.job(
            f"Looking at {path.name}",
            lambda _progress: inspect_file(path),
            self._file_inspected,
            lambda exc: self._file_failed(path, task, exc),
        )
        self._file_task = task
        self._update_state()

    def _file_inspected(self, info: FileInfo) -> None:
        if info.path != self._path:
            return
        self._file_task = None
        if info.detected is not None:
            self.source.set_format(info.detected, "detected from the file", announce=False)
        else:
            self.source.set_format(
                ACTIVITY_CSV,
                "not a format cohortdesk recognises: choose the columns",
                announce=False,
            )
        self._format_changed()

    def _file_failed(self, path: Path, task: Task, exc: BaseException) -> None:
        if path != self._path:
            return
        self._file_task = None
        self.format_note.setText("")
        self._show_failure(exc, task)
        self._update_state()

    @Slot()
    def _format_changed(self) -> None:
        is_csv = self.source.needs_columns()
        # columns are offered only for a file that reads as a table
        self.mapping.setVisible(is_csv and self._unreadable is None)
        if is_csv and self._path is not None and self._header_path != self._path:
            self._load_header(self._path)
            return
        self._settings_changed()

    def _load_header(self, path: Path) -> None:
        self._invalidate()
        self._set_status("Reading the columns…")

        def done(header: list[str]) -> None:
            if path != self._path:
                return
            self._header_path = path
            self.mapping.set_header(header)  # announces mapping_changed: previews
            self._settings_changed()

        def failed(exc: BaseException) -> None:
            if path == self._path:
                self._header_path = path
                self.mapping.set_header([])
                if isinstance(exc, KnownError):
                    self._unreadable = rejection_text(exc)
                    self.mapping.hide()
                    self.format_note.setText("cannot be read: see why below")
                self._show_failure(exc, None)
                self._update_state()

        self.context.runner.job(
            f"Reading the columns of {path.name}", lambda _p: read_header(path), done, failed
        )

    def options(self) -> ImportOptions:
        """The choices made, with the staff ticked (raises `KnownError` for an unknown time
        zone)."""
        return dataclasses.replace(self.source.options(), staff=self.staff_choice.checked())

    def _settings_key(self) -> object:
        opts = self.options()
        return (
            self._path,
            self.format_name(),
            opts.timezone.key,
            tuple(sorted((opts.mapping or {}).items())),
            opts.kind,
            opts.time_format,
        )

    def _problem(self) -> str:
        """Why the file cannot be previewed or imported yet, or an empty string."""
        if self._path is None:
            return "Choose a file to see what it holds."
        if self._file_task is not None:
            return "Looking at the file…"
        if self.source.needs_columns():
            if self._header_path != self._path:
                return "Reading the columns…"
            if self._unreadable is not None:
                return "Choose another file, or the format it is in."
            problem = self.mapping.problem()
            if problem:
                return problem
        return known_error_text(self.options)

    @Slot()
    def _settings_changed(self) -> None:
        if self._import_task is not None or self._done:
            return
        self._invalidate()
        if self._unreadable is not None and self.source.needs_columns():
            self.preview_pane.show_failure(self._unreadable)  # why there are no columns
            self._update_state()
            return
        problem = self._problem()
        self._set_status(problem)
        if not problem:
            self._preview_timer.start()
        self._update_state()

    def _stop_preview(self) -> None:
        """Forget any preview on its way (a running dry run is cancelled)."""
        self._generation += 1
        self._preview_timer.stop()
        if self._preview_task is not None:
            self._preview_task.cancel()
            self._preview_task = None

    def _invalidate(self) -> None:
        """The preview shown no longer matches the settings: stop it and clear it."""
        self._stop_preview()
        self._preview = None
        self._rejected_settings = None
        self.preview_pane.clear()

    def _request(self) -> ImportRequest:
        from cohortdesk.core.services.activity.importing import ImportRequest

        assert self._path is not None
        return ImportRequest(self.cohort.id, self._path, self.format_name(), self.options())

    # ---- preview ---------------------------------------------------------------------

    @Slot()
    def preview(self) -> Task | None:
        """Run a dry run of the import in the background and show what it would do."""
        from cohortdesk.core.services.activity.importing import run_import

        self._preview_timer.stop()
        problem = self._problem()
        if problem or self._import_task is not None or self._done:
            self._set_status(problem)
            return None
        self._invalidate()
        generation = self._generation
        request, db = self._request(), self.context.db
        key = self._settings_key()
        task = self.context.runner.job(
            f"Previewing {request.path.name}",
            lambda progress: run_import(db, request, dry_run=True, progress=progress),
            lambda summary: self._preview_done(generation, summary),
            lambda exc: self._preview_failed(generation, key, task, exc),
        )
        task.progressed.connect(
            lambda _done, _total, message: self._preview_progressed(generation, message)
        )
        self._preview_task = task
        self._set_status("Reading the file…")
        self._update_state()
        return task

    def _preview_progressed(self, generation: int, message: str) -> None:
        if generation == self._generation and message:
            self._set_status(f"Reading the file… {message}")

    def _preview_done(self, generation: int, summary: ImportSummary) -> None:
        if generation != self._generation:
            return
        self._preview_task = None
        self._preview = summary
        self.preview_pane.show_summary(summary, self.options().timezone.key)
        shown = len(summary.sample)
        self._set_status(
            f"showing the first {shown:,} of {summary.read:,} rows" if shown < summary.read else ""
        )
        self._update_state()
        self.preview_finished.emit(summary)

    def _preview_failed(self, generation: int, key: object, task: Task, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._preview_task = None
        if isinstance(exc, CancelledError):
            self._set_status("")
        else:
            self._rejected_settings = key
            self._show_failure(exc, task)
        self._update_state()
        self.preview_finished.emit(None)

    # ---- import ----------------------------------------------------------------------

    @Slot()
    def start_import(self) -> Task | None:
        """Import the file for real, in the background, with progress and Cancel."""
        from cohortdesk.core.services.activity.importing import run_import

        if self._problem() or self._import_task is not None or self._done:
            return None
        request, db = self._request(), self.context.db
        backup_dir = self.context.paths.backup_dir
        self._stop_preview()  # the preview shown stays: it is what is being imported
        show_error(self.error_label, "")
        self.progress.start()
        self._set_status("")
        task = self.context.runner.job(
            f"Importing {request.path.name}",
            lambda progress: run_import(db, request, backup_dir=backup_dir, progress=progress),
            self._import_done,
            lambda exc: self._import_error(task, exc),
        )
        task.progressed.connect(self.progress.advance)
        self._import_task = task
        self._update_state()
        return task

    def cancel_import(self) -> None:
        """Stop the running import; what it wrote is rolled back."""
        if self._import_task is not None:
            self._import_task.cancel()
            self.progress.cancelling()
            self.close_button.setEnabled(False)

    def _import_done(self, summary: ImportSummary) -> None:
        self._import_task = None
        self._done = True
        self._end_progress()
        self.preview_pane.show_summary(summary, self.options().timezone.key, done=True)
        self._set_status("")
        self._update_state()
        self.close_button.setFocus()
        self.import_finished.emit(summary)

    def _import_error(self, task: Task, exc: BaseException) -> None:
        self._import_task = None
        self._end_progress()
        if isinstance(exc, CancelledError):
            self._set_status(CANCELLED_TEXT)  # the preview stays: Import can start again
            self._update_state()
            self.import_cancelled.emit()
            return
        self._show_failure(exc, task)
        self._update_state()
        if isinstance(exc, KnownError):
            self.import_failed.emit(rejection_text(exc))

    @Slot(object, object)
    def set_cohort_dates(self, first: date, last: date) -> Task:
        """Start and end the cohort on the file's first and last day of activity."""
        from cohortdesk.core.services.people.cohorts import change_cohort

        cohort_id = self.cohort.id
        task = self.context.runner.write(
            f"Setting the dates of {self.cohort.name}",
            lambda session: change_cohort(session, cohort_id, start_date=first, end_date=last),
            lambda _row: self.dates_offer.dates_set(first, last),
            lambda exc: self._dates_failed(task, exc),
        )
        return task

    def _dates_failed(self, task: Task, exc: BaseException) -> None:
        self.dates_offer.button.setEnabled(True)
        if isinstance(exc, KnownError):
            show_error(self.error_label, str(exc))
        else:
            pass_on_failure(self.context.runner, task, exc)

    def _end_progress(self) -> None:
        self.progress.hide()
        self.close_button.setEnabled(True)

    # ---- showing state ---------------------------------------------------------------

    def _show_failure(self, exc: BaseException, task: Task | None) -> None:
        """A rejected file inline, with file, row and reason; a bug to the main window too."""
        if isinstance(exc, KnownError):
            self.preview_pane.show_failure(rejection_text(exc))
            self._set_status("")
            return
        self.preview_pane.show_failure(
            "Something went wrong inside cohortdesk (a bug): nothing was imported."
        )
        if task is not None:
            pass_on_failure(self.context.runner, task, exc)
        else:
            log.error("Reading %s failed", self._path, exc_info=exc)

    def error_text(self) -> str:
        """The inline error shown, or an empty string."""
        return self.preview_pane.error_text()

    def _set_status(self, text: str) -> None:
        self.preview_status.setText(text)

    def _update_state(self) -> None:
        importing = self._import_task is not None
        editable = not importing and not self._done
        self.source.setEnabled(editable)
        rejected = False
        if not self._problem() and self._rejected_settings is not None:
            rejected = self._settings_key() == self._rejected_settings
        ready = editable and not self._problem()
        self.import_button.setEnabled(ready and not rejected)
        self.preview_button.setEnabled(ready and self._preview_task is None)
        self.preview_pane.title.setText("Result" if self._done else "Preview")
        if importing:
            self.close_button.setText("Cancel import")
        elif self._done:
            self.close_button.setText("Close")
            self.import_button.hide()
            self.preview_button.hide()
        else:
            self.close_button.setText("Cancel")

    # ---- closing and dropping --------------------------------------------------------

    def reject(self) -> None:
        """Escape or Cancel: stops an import (the dialog stays to say so), or closes."""
        if self._import_task is not None:
            self.cancel_import()
            return
        self._invalidate()
        # Work still on its way (detecting, reading the columns) finds no file and does nothing.
        self._path = self._header_path = None
        super().reject()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._import_task is None and not self._done and dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_file(event)
        if path is not None and self._import_task is None and not self._done:
            event.acceptProposedAction()
            self.set_file(path)
