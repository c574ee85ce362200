"""The message template library: list, create, edit, duplicate and retire templates.

Templates belong to the whole database (every cohort uses the same library); the preview
uses a member of the cohort the dialog was opened from. Built-in templates are kept as
shipped: duplicate one to adapt it. Nothing is ever deleted, only retired (hidden from the
pickers), so the nudge log keeps saying which template a message came from.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QItemSelection, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import Changed, CohortRow, MemberRow, TemplateRow
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.templates_model import (
    COL_KIND,
    COL_NAME,
    COL_PURPOSE,
    COL_STAGE,
    COL_USES,
    TemplatesModel,
)
from cohortdesk.ui.tasks import Task, pass_on_failure
from cohortdesk.ui.views.cohort_scoped_dialog import HEADING_SCALE, LatestReads, selected_row
from cohortdesk.ui.views.template_editor import TemplateEditor
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.dialog_parts import dialog_layout
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id


class TemplatesDialog(QDialog):
    """The template library with an editor for the selected template.

    Args:
        context: the open database's services.
        cohort: whose members the preview can use (None: no preview).
        parent: the main window.
    """

    templates_loaded = Signal()
    """The list was (re)loaded."""
    status_message = Signal(str)
    """What a change did, for the status bar."""

    def __init__(
        self, context: AppContext, cohort: CohortRow | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        self._reads = LatestReads(self, context.runner)
        self._shown_id: int | None = None
        self.setWindowTitle("Message templates")
        self.setMinimumSize(1000, 640)
        self.resize(1280, 800)

        self.title = heading_label("Message templates", scale=HEADING_SCALE)
        self.hint = muted_label(
            "The messages you start nudges from. Built-in templates cover every stage and "
            "purpose; duplicate one to adapt it, or write your own."
        )
        self.show_retired = QCheckBox("Show &retired")
        self.show_retired.setToolTip("Retired templates are kept for the nudge log, hidden here")
        self.model = TemplatesModel(self)
        self.table = make_table(
            self.model, (COL_NAME,), fitted=(COL_PURPOSE, COL_STAGE, COL_KIND, COL_USES)
        )
        self.table.setAccessibleName("Templates")
        self.new_button = QPushButton("&New")
        self.new_button.setToolTip("Write a new template of your own")
        self.duplicate_button = QPushButton("D&uplicate")
        self.duplicate_button.setToolTip(
            "Copy the selected template to adapt it (built-in ones are never edited)"
        )
        self.retire_button = QPushButton("Re&tire")
        self.retire_button.setToolTip(
            "Hide the selected template from the nudge dialog, or bring it back"
        )
        self.editor = TemplateEditor(context)
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save your changes to this template")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setToolTip("Forget your changes to this template")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close the template library")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.show_retired)
        left_layout.addWidget(self.table, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.duplicate_button)
        list_buttons.addWidget(self.retire_button)
        list_buttons.addStretch(1)
        left_layout.addLayout(list_buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.editor, 1)
        editor_buttons = QHBoxLayout()
        editor_buttons.addStretch(1)
        editor_buttons.addWidget(self.revert_button)
        editor_buttons.addWidget(self.save_button)
        right_layout.addLayout(editor_buttons)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 760])
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        layout = dialog_layout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.show_retired.toggled.connect(lambda _on: self.reload())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.new_button.clicked.connect(self.new_template)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.retire_button.clicked.connect(self.toggle_retired)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.close_button.clicked.connect(self.reject)
        self.editor.changed.connect(self._update_buttons)
        self._update_buttons()
        self.reload()
        self._load_members()

    # -- loading -------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> Task:
        """Read the templates again, keeping (or moving) the selection."""
        from cohortdesk.core.services.messaging import templates

        everything = self.show_retired.isChecked()
        wanted = select if select is not None else selected_id(self.table)
        return self._reads.read(
            "Loading the templates",
            lambda session: templates.list_templates(session, include_retired=everything),
            lambda rows: self._arrived(rows, wanted),
        )

    def _arrived(self, rows: list[TemplateRow], wanted: int | None) -> None:
        self.model.set_rows(rows)
        if wanted is not None and self.model.row_of_id(wanted) is not None:
            select_id(self.table, wanted)
            if wanted == self._shown_id and not self.editor.is_dirty():
                self._show_selected()  # a saved change: show what was stored
        elif rows and self._shown_id is None and not self.editor.is_dirty():
            self.table.selectRow(0)
        self._update_buttons()
        self.templates_loaded.emit()

    def _load_members(self) -> None:
        from cohortdesk.core.services.activity import participation

        if self.cohort is None:
            return
        cohort_id = self.cohort.id
        self.context.runner.read(
            "Loading the members to preview with",
            lambda session: participation.roster(session, cohort_id),
            self._members_arrived,
        )

    def _members_arrived(self, rows: list[MemberRow]) -> None:
        if shiboken6.isValid(self):
            self.editor.set_members(rows)

    # -- selection and the editor --------------------------------------------------------

    def selected_template(self) -> TemplateRow | None:
        return selected_row(self.table, self.model)

    def select_template(self, template_id: int) -> bool:
        if self.model.row_of_id(template_id) is None:
            return False
        select_id(self.table, template_id)
        return True

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_template()
        if row is not None and row.id == self._shown_id:
            return
        if self.editor.is_dirty() and not self._discard_ok():
            self.table.selectionModel().blockSignals(True)
            select_id(self.table, self._shown_id)
            if self._shown_id is None:
                self.table.clearSelection()
            self.table.selectionModel().blockSignals(False)
            return
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.selected_template()
        self._shown_id = row.id if row else None
        self.editor.show_template(row)
        self._update_buttons()

    def _discard_ok(self) -> bool:
        name = self.editor.name_edit.text().strip() or "the new template"
        return confirm.confirm(
            self, "Unsaved changes", f"Discard your changes to “{name}”?", "Discard"
        )

    @Slot()
    def _update_buttons(self) -> None:
        row = self.selected_template()
        self.duplicate_button.setEnabled(row is not None)
        self.retire_button.setEnabled(row is not None)
        self.retire_button.setText("Res&tore" if row and row.retired else "Re&tire")
        dirty = self.editor.is_dirty()
        self.save_button.setEnabled(dirty and self.editor.error is None)
        self.revert_button.setEnabled(dirty)

    # -- changes -------------------------------------------------------------------------

    @Slot()
    def new_template(self) -> None:
        """Start a template of your own (saved with Save)."""
        if self.editor.is_dirty() and not self._discard_ok():
            return
        self.table.selectionModel().blockSignals(True)
        self.table.clearSelection()
        self.table.selectionModel().blockSignals(False)
        self._shown_id = None
        self.editor.show_template(None, new=True)
        self.editor.name_edit.setFocus()
        self.editor.name_edit.selectAll()
        self._update_buttons()

    @Slot()
    def revert(self) -> None:
        """Forget the changes in the editor."""
        if self._shown_id is None:
            self.editor.show_template(None, new=True)
        else:
            self.editor.show_template(self.selected_template())
        self._update_buttons()

    @Slot()
    def save(self) -> Task | None:
        """Save the editor's template (a new one, or changes to your own)."""
        from cohortdesk.core.services.messaging import templates

        if not self.editor.is_dirty() or self.editor.validate() is not None:
            return None
        try:
            data = self.editor.value()
        except KnownError as exc:
            self.editor.error_label.setText(str(exc))
            self.editor.error_label.show()
            return None
        template_id = self._shown_id
        if template_id is None:
            return self._write(
                f"Creating the template {data.name}",
                lambda session: templates.create_template(session, data),
                "Created the template",
            )
        return self._write(
            f"Saving the template {data.name}",
            lambda session: templates.update_template(session, template_id, data),
            "Saved the template",
        )

    @Slot()
    def duplicate_selected(self) -> Task | None:
        """Copy the selected template as one of your own, ready to adapt."""
        from cohortdesk.core.services.messaging import templates

        row = self.selected_template()
        if row is None:
            return None
        if self.editor.is_dirty() and not self._discard_ok():
            return None
        self.editor.show_template(row)  # the changes are discarded
        return self._write(
            f"Duplicating {row.name}",
            lambda session: templates.duplicate_template(session, row.id),
            "Duplicated the template as",
        )

    @Slot()
    def toggle_retired(self) -> Task | None:
        """Retire the selected template (hidden from pickers), or bring it back."""
        from cohortdesk.core.services.messaging import templates

        row = self.selected_template()
        if row is None:
            return None
        retire = not row.retired
        verb = "Retired" if retire else "Restored"
        return self._write(
            f"{verb[:-1]}ing {row.name}",
            lambda session: templates.set_retired(session, row.id, retire),
            verb,
        )

    def _write(
        self, description: str, change: Callable[[Session], Changed[TemplateRow]], verb: str
    ) -> Task:
        started: list[Task] = []

        def done(saved: TemplateRow) -> None:
            message = f"{verb} “{saved.name}”"
            self.status_message.emit(message)
            if not shiboken6.isValid(self):
                return
            if saved.retired and not self.show_retired.isChecked():
                self._shown_id = None  # hidden now: the first template is shown instead
                self.editor.show_template(None)
                self.reload()
                return
            self._shown_id = saved.id
            self.editor.show_template(saved)
            self.reload(select=saved.id)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError) and shiboken6.isValid(self):
                self.editor.error_label.setText(str(exc))
                self.editor.error_label.show()
                self.status_message.emit(f"{description}: {exc}")
            elif not isinstance(exc, KnownError):
                pass_on_failure(self.context.runner, started[0], exc)

        started.append(self.context.runner.write(description, change, done, failed))
        return started[0]

    def reject(self) -> None:
        if self.editor.is_dirty() and not self._discard_ok():
            return
        super().reject()

    def template_rows(self) -> list[TemplateRow]:
        return list(self.model.rows())
