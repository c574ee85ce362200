"""A cohort's imports, newest first, and undoing one of them."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialogButtonBox, QHBoxLayout, QPushButton, QWidget

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import CohortRow, ImportBatchRow, UndoneImport
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.import_batches_model import COL_FILE, ImportBatchesModel
from cohortdesk.ui.tasks import Task, pass_on_failure
from cohortdesk.ui.views.cohort_scoped_dialog import CohortListDialog, selected_row
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.dialog_parts import dialog_layout, explain_buttons
from cohortdesk.ui.widgets.labels import error_label, muted_label, show_error
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

EMPTY_TEXT = "No imports yet: File › Import… brings in a roster or an activity export."


def undo_question(row: ImportBatchRow, timezone: str) -> str:
    """The confirmation for undoing `row`, saying exactly what goes."""
    text = (
        f"Undo the import of {row.file_name} from {fmt.local_time(row.imported_at, timezone)}?"
        f"\n\nIts {fmt.plural(row.events_now, 'event')} will be removed"
    )
    if row.people_created:
        added = fmt.plural(row.people_created, "person", "people")
        text += (
            f", and the {added} it added unless something else is recorded about them "
            "(other activity, notes, check-ins or access issues)"
        )
    return text + ". Everything else stays; the import stays listed as undone."


class ImportsDialog(CohortListDialog):
    """The Imports list of one cohort: what came from which file, and Undo.

    Args:
        context: the open database's services.
        cohort: whose imports.
        parent: the main window.
    """

    TITLE = "Imports of {name}"
    MINIMUM_SIZE = (760, 380)
    SIZE = (1000, 460)

    batches_loaded = Signal()
    """The list was (re)loaded."""
    batch_undone = Signal(str)
    """An import was undone: what happened, for the status bar."""

    def __init__(
        self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, cohort, parent)
        self.hint = muted_label(
            "Each file imported into this cohort, newest first. Undo removes exactly the events "
            "an import brought in."
        )
        self.model = ImportBatchesModel(self)
        self.table = make_table(self.model, (COL_FILE,), fitted=tuple(range(9)))
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setAccessibleName("Imports")
        self.empty_label = muted_label(EMPTY_TEXT)
        self.empty_label.hide()
        self.error_label = error_label()

        self.undo_button = QPushButton("&Undo import…")
        self.undo_button.setToolTip("Remove the events of the selected import")
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Read the list of imports again")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        explain_buttons(buttons)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = dialog_layout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.error_label)
        layout.addLayout(row)

        self.undo_button.clicked.connect(self.undo_selected)
        self.refresh_button.clicked.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.follow_roster(self.reload)
        self._update_buttons()
        self.reload()

    def reload(self) -> Task:
        """Read the cohort's imports again (in the background)."""
        from cohortdesk.core.services.activity import imports

        cohort_id = self.cohort.id
        return self.reads.read(
            "Loading the imports",
            lambda session: imports.list_batches(session, cohort_id),
            self._rows_arrived,
        )

    def _rows_arrived(self, rows: list[ImportBatchRow]) -> None:
        kept = selected_id(self.table)
        self.model.set_rows(rows, self.cohort.timezone)
        self.empty_label.setVisible(not rows)
        if kept is not None:
            select_id(self.table, kept)
        elif rows and self.table.currentIndex().row() < 0:
            self.table.selectRow(0)
        self._update_buttons()
        self.batches_loaded.emit()

    def selected_batch(self) -> ImportBatchRow | None:
        return selected_row(self.table, self.model)

    @Slot()
    def _update_buttons(self) -> None:
        row = self.selected_batch()
        self.undo_button.setEnabled(row is not None and row.undone_at is None)

    @Slot()
    def undo_selected(self) -> None:
        """Ask, then undo the selected import (the runner tells every view, this list too)."""
        from cohortdesk.core.services.activity import imports

        row = self.selected_batch()
        if row is None or row.undone_at is not None:
            return
        if not confirm.confirm(
            self, "Undo import", undo_question(row, self.cohort.timezone), "Undo import"
        ):
            return
        show_error(self.error_label, "")
        self.undo_button.setEnabled(False)
        task: list[Task] = []
        task.append(
            self.context.runner.write(
                f"Undoing the import of {row.file_name}",
                lambda session: imports.undo_batch(session, row.id),
                lambda removed: self._undone(row, removed),
                lambda exc: self._undo_failed(task[0], exc),
            )
        )

    def _undone(self, row: ImportBatchRow, undone: UndoneImport) -> None:
        if not shiboken6.isValid(self):
            return  # closed while the undo ran
        self.batch_undone.emit(undone.message())

    def _undo_failed(self, task: Task, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            show_error(self.error_label, f"Cannot undo: {exc}")
            self.reload()
        else:
            pass_on_failure(self.context.runner, task, exc)
        self._update_buttons()
