"""Cohort › Mentoring…: who mentors whom, and the mentors' groups.

Pick a mentor, select members (Ctrl+click for several) and "Assign to …" them, optionally in
one of the mentor's groups sharing a goal. A mentee has one mentor: assigning another mentor
replaces the first.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import Changed, Changes, CohortRow, validated
from cohortdesk.core.schemas.mentoring import AssignmentRow, GroupInput, GroupRow, MentorRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.assignments_model import COL_NAME, AssignmentsModel
from cohortdesk.ui.models.row_table_model import ID_ROLE
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error
from cohortdesk.ui.widgets.tables import make_table, selected_ids

NO_GROUP = "No group"


NO_MENTORS = "No mentors yet: give a member the role Mentor"


class GroupDialog(QDialog):
    """A mentoring group's name and goal."""

    def __init__(self, parent: QWidget | None, initial: GroupRow | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit group" if initial else "New mentoring group")
        self.setMinimumWidth(420)
        self._value: GroupInput | None = None
        self.name = QLineEdit(initial.name if initial else "")
        self.name.setPlaceholderText("e.g. Leadership circle")
        self.goal = QPlainTextEdit(initial.goal if initial else "")
        self.goal.setPlaceholderText("The goal the group shares")
        self.goal.setFixedHeight(70)
        self.error = error_label()
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Goal", self.goal)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        explain_buttons(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def value(self) -> GroupInput:
        assert self._value is not None
        return self._value

    @Slot()
    def accept(self) -> None:
        try:
            self._value = validated(GroupInput, name=self.name.text(), goal=self.goal.toPlainText())
        except KnownError as exc:
            show_error(self.error, str(exc))
            return
        super().accept()


class MentoringDialog(QDialog):
    """Assign mentees to mentors in one cohort, and manage the mentors' groups."""

    changed = Signal(str)
    """Something was assigned or edited: what happened, for the status bar."""
    loaded = Signal()

    def __init__(self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        self._groups: list[GroupRow] = []
        self.setWindowTitle(f"Mentoring in {cohort.name}")
        self.setMinimumSize(760, 500)
        self.resize(980, 640)

        self.mentor_combo = QComboBox()
        self.mentor_combo.setMinimumWidth(240)
        # shown while there is no mentor to choose (an empty box said nothing)
        self.mentor_combo.setPlaceholderText(NO_MENTORS)
        self.group_combo = QComboBox()
        self.group_combo.setMinimumWidth(200)
        self.new_group_button = QPushButton("New group…")
        self.new_group_button.setToolTip("Create a mentoring group with a shared goal")
        self.edit_group_button = QPushButton("Edit group…")
        self.edit_group_button.setToolTip("Rename the selected group or change its goal")
        self.group_goal = muted_label()
        top = QHBoxLayout()
        for text, buddy in (("&Mentor:", self.mentor_combo), ("&Group:", self.group_combo)):
            label = QLabel(text)
            label.setBuddy(buddy)
            top.addWidget(label)
            top.addWidget(buddy)
            top.addSpacing(12)
        top.addWidget(self.new_group_button)
        top.addWidget(self.edit_group_button)
        top.addStretch(1)

        self.model = AssignmentsModel(self)
        self.table = make_table(self.model, (COL_NAME,), fitted=(1, 2, 3, 4))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAccessibleName("Members")
        self.assign_button = QPushButton("&Assign to mentor")
        self.assign_button.setToolTip("Give the selected members to the chosen mentor")
        self.unassign_button = QPushButton("&Remove mentor")
        self.unassign_button.setToolTip("The selected members no longer have a mentor")
        self.error = error_label()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        explain_buttons(close)
        close.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.assign_button)
        actions.addWidget(self.unassign_button)
        actions.addStretch(1)
        actions.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(heading_label(f"Mentoring in {cohort.name}", scale=1.3))
        layout.addWidget(
            muted_label(
                "Each mentee has one mentor. Select members (Ctrl+click for several) and assign "
                "them to the chosen mentor, in one of the mentor's groups if they share a goal. "
                "Members with the role Mentor, and anyone with mentees, are listed as mentors."
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.group_goal)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(actions)

        self.mentor_combo.currentIndexChanged.connect(self._load_groups)
        self.group_combo.currentIndexChanged.connect(self._group_chosen)
        self.new_group_button.clicked.connect(self.new_group)
        self.edit_group_button.clicked.connect(self.edit_group)
        self.assign_button.clicked.connect(self.assign_selected)
        self.unassign_button.clicked.connect(self.unassign_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    # ---- loading ----

    def reload(self) -> Task:
        from cohortdesk.core.services.mentoring import mentoring

        cohort_id = self.cohort.id

        def query(s: Session) -> tuple[list[MentorRow], list[AssignmentRow]]:
            return mentoring.list_mentors(s, cohort_id), mentoring.assignments(s, cohort_id)

        return self.context.runner.read("Loading the mentors", query, self._arrived)

    def _arrived(self, result: tuple[list[MentorRow], list[AssignmentRow]]) -> None:
        if not shiboken6.isValid(self):
            return
        mentors, rows = result
        kept = self.mentor_id()
        self.mentor_combo.blockSignals(True)
        self.mentor_combo.clear()
        for mentor in mentors:
            self.mentor_combo.addItem(f"{mentor.name} ({mentor.mentees})", mentor.membership_id)
        index = self.mentor_combo.findData(kept) if kept is not None else 0
        self.mentor_combo.setCurrentIndex(max(index, 0))
        self.mentor_combo.blockSignals(False)
        selected = set(self.selected_ids())
        self.model.set_rows(rows)
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(ID_ROLE) in selected:
                self.table.selectRow(row)
        self._load_groups()
        self.loaded.emit()

    def mentor_id(self) -> int | None:
        value = self.mentor_combo.currentData()
        return int(value) if value is not None else None

    def set_mentor(self, mentor_id: int) -> None:
        index = self.mentor_combo.findData(mentor_id)
        if index >= 0:
            self.mentor_combo.setCurrentIndex(index)

    @Slot()
    def _load_groups(self) -> None:
        from cohortdesk.core.services.mentoring import mentoring

        mentor = self.mentor_id()
        if mentor is None:
            self._groups_arrived([])
            return
        self.context.runner.read(
            "Loading the groups", lambda s: mentoring.list_groups(s, mentor), self._groups_arrived
        )

    def _groups_arrived(self, groups: list[GroupRow]) -> None:
        if not shiboken6.isValid(self):
            return
        self._groups = groups
        kept = self.group_id()
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(NO_GROUP, None)
        for group in groups:
            self.group_combo.addItem(group.name, group.id)
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(kept), 0))
        self.group_combo.blockSignals(False)
        self._group_chosen()

    def group_id(self) -> int | None:
        value = self.group_combo.currentData()
        return int(value) if value is not None else None

    def set_group(self, group_id: int | None) -> None:
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(group_id), 0))

    @Slot()
    def _group_chosen(self) -> None:
        group = next((g for g in self._groups if g.id == self.group_id()), None)
        self.group_goal.setText(
            f"Goal of {group.name}: {group.goal}" if group and group.goal else ""
        )
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        return selected_ids(self.table)

    def select_members(self, membership_ids: list[int]) -> None:
        self.table.clearSelection()
        wanted = set(membership_ids)
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(ID_ROLE) in wanted:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    @Slot()
    def _update_buttons(self) -> None:
        mentor = self.mentor_id()
        chosen = self.selected_ids()
        name = self.mentor_combo.currentText().rsplit(" (", 1)[0]
        self.assign_button.setText(f"&Assign to {name}" if mentor else "&Assign to mentor")
        self.assign_button.setEnabled(mentor is not None and bool(chosen) and mentor not in chosen)
        self.unassign_button.setEnabled(bool(chosen))
        self.new_group_button.setEnabled(mentor is not None)
        self.edit_group_button.setEnabled(self.group_id() is not None)

    # ---- changes ----

    def _write(self, title: str, change: Callable[[Session], Changed[str]]) -> Task:
        def done(message: str) -> None:
            show_error(self.error, "")
            self.changed.emit(message)
            if shiboken6.isValid(self):
                self.reload()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError) and shiboken6.isValid(self):
                show_error(self.error, str(exc))
            else:
                self.context.runner.task_failed.emit(task[0], exc)

        task = [self.context.runner.write(title, change, done, failed)]
        return task[0]

    @Slot()
    def assign_selected(self) -> Task | None:
        """Make the chosen mentor the mentor of the selected members."""
        from cohortdesk.core.services.mentoring import mentoring

        mentor, group, chosen = self.mentor_id(), self.group_id(), self.selected_ids()
        if mentor is None or not chosen:
            return None

        def change(s: Session) -> Changed[str]:
            done = [mentoring.assign_mentor(s, mentor, m, group) for m in chosen]
            first = done[0].value
            message = (
                first.message()
                if len(done) == 1
                else f"Assigned {len(done)} mentees to {first.mentor_name}"
            )
            return Changed(value=message, changes=Changes.merged(d.changes for d in done))

        return self._write("Assigning mentees", change)

    @Slot()
    def unassign_selected(self) -> Task | None:
        from cohortdesk.core.services.mentoring import mentoring

        chosen = self.selected_ids()
        if not chosen:
            return None

        def change(s: Session) -> Changed[str]:
            changes = Changes.merged(mentoring.unassign_mentor(s, m).changes for m in chosen)
            message = f"Removed the mentor of {fmt.plural(len(chosen), 'member')}"
            return Changed(value=message, changes=changes)

        return self._write("Removing mentors", change)

    @Slot()
    def new_group(self) -> GroupDialog | None:
        from cohortdesk.core.services.mentoring import mentoring

        mentor = self.mentor_id()
        if mentor is None:
            return None
        dialog = GroupDialog(self)
        dialog.finished.connect(dialog.deleteLater)

        def save() -> None:
            data = dialog.value()

            def change(s: Session) -> Changed[str]:
                created = mentoring.create_group(s, mentor, data)
                return created.with_value(f"Created the group {data.name}")

            self._write("Creating the group", change)

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    @Slot()
    def edit_group(self) -> GroupDialog | None:
        from cohortdesk.core.services.mentoring import mentoring

        group = next((g for g in self._groups if g.id == self.group_id()), None)
        if group is None:
            return None
        dialog = GroupDialog(self, group)
        dialog.finished.connect(dialog.deleteLater)

        def save() -> None:
            data = dialog.value()

            def change(s: Session) -> Changed[str]:
                saved = mentoring.update_group(s, group.id, data)
                return saved.with_value(f"Saved the group {data.name}")

            self._write("Saving the group", change)

        dialog.accepted.connect(save)
        dialog.open()
        return dialog
