"""A cohort's imports, newest first, and undoing one of them."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import CohortRow, ImportBatchRow
from cohortdesk.core.services import imports
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.import_batches_model import COL_FILE, ImportBatchesModel
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.views.member_tabs.base import make_table, select_id, selected_id
from cohortdesk.ui.views.member_tabs.writer import pass_on_failure
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error

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


class ImportsDialog(QDialog):
    """The Imports list of one cohort: what came from which file, and Undo.

    Args:
        context: the open database's services.
        cohort: whose imports.
        parent: the main window.
    """

    batches_loaded = Signal()
    """The list was (re)loaded."""
    batch_undone = Signal(str)
    """An import was undone: what happened, for the status bar."""

    def __init__(
        self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        self._request = 0
        self.setWindowTitle(f"Imports of {cohort.name}")
        self.setMinimumSize(760, 380)
        self.resize(1000, 460)

        self.title = heading_label(f"Imports of {cohort.name}", scale=1.3)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.error_label)
        layout.addLayout(row)

        self.undo_button.clicked.connect(self.undo_selected)
        self.refresh_button.clicked.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        context.changes.roster_changed.connect(self._roster_changed)
        self._update_buttons()
        self.reload()

    def reload(self) -> Task:
        """Read the cohort's imports again (in the background)."""
        self._request += 1
        request, cohort_id = self._request, self.cohort.id
        return self.context.runner.read(
            "Loading the imports",
            lambda session: imports.list_batches(session, cohort_id),
            lambda rows: self._rows_arrived(request, rows),
        )

    def _rows_arrived(self, request: int, rows: list[ImportBatchRow]) -> None:
        if request != self._request or not shiboken6.isValid(self):
            return  # a newer load is on its way, or the dialog was closed meanwhile
        kept = selected_id(self.table)
        self.model.set_rows(rows, self.cohort.timezone)
        self.empty_label.setVisible(not rows)
        if kept is not None:
            select_id(self.table, kept)
        elif rows and self.table.currentIndex().row() < 0:
            self.table.selectRow(0)
        self._update_buttons()
        self.batches_loaded.emit()

    @Slot(int)
    def _roster_changed(self, cohort_id: int) -> None:
        if cohort_id == self.cohort.id:
            self.reload()

    def selected_batch(self) -> ImportBatchRow | None:
        position = self.model.row_of_id(selected_id(self.table) or -1)
        return None if position is None else self.model.row_at(position)

    @Slot()
    def _update_buttons(self) -> None:
        row = self.selected_batch()
        self.undo_button.setEnabled(row is not None and row.undone_at is None)

    @Slot()
    def undo_selected(self) -> None:
        """Ask, then undo the selected import and tell every view."""
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

    def _undone(self, row: ImportBatchRow, removed: int) -> None:
        changes = self.context.changes
        changes.roster_changed.emit(self.cohort.id)  # reloads this list too
        changes.cohorts_changed.emit()
        if not shiboken6.isValid(self):
            return  # closed while the undo ran
        self.batch_undone.emit(
            f"Undid the import of {row.file_name}: {fmt.plural(removed, 'event')} removed"
        )

    def _undo_failed(self, task: Task, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            show_error(self.error_label, f"Cannot undo: {exc}")
            self.reload()
        else:
            pass_on_failure(self.context.runner, task, exc)
        self._update_buttons()
