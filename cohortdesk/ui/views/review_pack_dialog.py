"""Cohort › Review pack…: a database file for one mentor, holding their mentees only.

The facilitator picks the mentor and where to save; the pack is built in the background (with
Cancel, which leaves no file). The mentor opens it with cohortdesk (File › Open…), writes
session notes, and sends back the notes file (File › Import review notes…).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.progress import step
from cohortdesk.core.schemas import CohortRow
from cohortdesk.core.schemas.mentoring import MentorRow, ReviewPackResult
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import CancelledError, Progress, Task
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error

WHAT_IS_IN = (
    "The pack holds the cohort, the mentor and their mentees: stages, access, motivation "
    "check-ins and activity. Nothing else: no other member (replies to others read “Another "
    "learner” or “Cohort staff”), no facilitator notes, no nudges. Other people's names in "
    "event details are replaced. The file is readable by you only: send it to the mentor "
    "privately."
)


def pack_file_name(cohort: str, mentor: str) -> str:
    """`Spring - review pack for Mei Tanaka.cohortdesk.sqlite`, safe on every system."""
    name = f"{cohort} - review pack for {mentor}"
    safe = "".join(c if c.isalnum() or c in " -_.()" else "_" for c in name).strip()
    return f"{safe}.sqlite"


class ReviewPackDialog(QDialog):
    """Choose the mentor and the file; Make pack builds it in the background."""

    pack_made = Signal(object)
    """A `ReviewPackResult`."""

    def __init__(
        self,
        context: AppContext,
        cohort: CohortRow,
        parent: QWidget | None = None,
        mentor_id: int | None = None,
    ) -> None:
        from cohortdesk.core.services.mentoring import mentoring

        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        self._wanted = mentor_id
        self._task: Task | None = None
        self.setWindowTitle(f"Review pack for a mentor of {cohort.name}")
        self.setMinimumWidth(620)
        self.mentor = QComboBox()
        self.path = QLineEdit()
        self.browse_button = QPushButton("Browse…")
        self.browse_button.setToolTip("Choose where the pack is saved")
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow("&Mentor", self.mentor)
        save_as = QLabel("&Save as")
        save_as.setBuddy(self.path)
        form.addRow(save_as, where)
        self.progress = QProgressBar()
        self.progress.hide()
        self.error = error_label()
        self.make_button = QPushButton("&Make pack")
        self.make_button.setToolTip("Write the review pack file for the mentor")
        self.make_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Close, or stop making the pack (no file is left)")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(heading_label("Review pack for a mentor", scale=1.3))
        layout.addWidget(muted_label(WHAT_IS_IN))
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.browse_button.clicked.connect(self.browse)
        self.make_button.clicked.connect(self.make)
        self.cancel_button.clicked.connect(self.cancel)
        self.mentor.currentIndexChanged.connect(self._suggest_path)
        self.path.textChanged.connect(self._update_buttons)
        self._update_buttons()
        context.runner.read(
            "Loading the mentors",
            lambda s: mentoring.list_mentors(s, cohort.id),
            self._mentors_arrived,
        )

    def _mentors_arrived(self, mentors: list[MentorRow]) -> None:
        if not shiboken6.isValid(self):
            return
        for mentor in mentors:
            if mentor.mentees:
                self.mentor.addItem(
                    f"{mentor.name} ({mentor.mentees} mentees)", mentor.membership_id
                )
        if not self.mentor.count():
            show_error(self.error, "No mentor in this cohort has mentees yet: Cohort › Mentoring…")
        index = self.mentor.findData(self._wanted)
        self.mentor.setCurrentIndex(max(index, 0))
        self._suggest_path()

    def set_mentor(self, mentor_id: int) -> None:
        self.mentor.setCurrentIndex(max(self.mentor.findData(mentor_id), 0))

    @Slot()
    def _suggest_path(self) -> None:
        if self.mentor.currentData() is None:
            return
        name = self.mentor.currentText().rsplit(" (", 1)[0]
        current = Path(self.path.text()) if self.path.text() else Path.home() / "x"
        self.path.setText(str(current.parent / pack_file_name(self.cohort.name, name)))

    @Slot()
    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the review pack", self.path.text(), "cohortdesk databases (*.sqlite)"
        )
        if chosen:
            self.path.setText(chosen)

    @Slot()
    def _update_buttons(self) -> None:
        busy = self._task is not None
        self.make_button.setEnabled(not busy and bool(self.path.text().strip()))
        self.mentor.setEnabled(not busy)
        self.path.setEnabled(not busy)
        self.browse_button.setEnabled(not busy)

    @Slot()
    def make(self) -> Task | None:
        """Build the pack in the background; Cancel stops it and leaves no file."""
        from cohortdesk.core.services.mentoring import review_pack

        mentor = self.mentor.currentData()
        if mentor is None or self._task is not None:
            return None
        target = Path(self.path.text().strip()).expanduser()
        db_file = self.context.db.file
        if db_file is not None and target.resolve() == db_file.resolve():
            show_error(self.error, "That is the database itself: choose another file")
            return None
        show_error(self.error, "")
        self.progress.setRange(0, review_pack.STEPS)
        self.progress.setValue(0)
        self.progress.show()
        db = self.context.db

        def work(progress: Progress) -> ReviewPackResult:
            with db.read() as session:
                return review_pack.make_review_pack(
                    session, mentor, target, on_step=partial(step, progress)
                )

        self._task = self.context.runner.job(
            "Making the review pack", work, self._made, self._failed
        )
        self._task.progressed.connect(self._progressed)
        self._update_buttons()
        return self._task

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, what: str) -> None:
        if shiboken6.isValid(self):
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(what)

    def _made(self, result: ReviewPackResult) -> None:
        self._task = None
        self.pack_made.emit(result)
        if shiboken6.isValid(self):
            self.accept()

    def _failed(self, exc: BaseException) -> None:
        task, self._task = self._task, None
        if not isinstance(exc, CancelledError | KnownError) and task is not None:
            self.context.runner.task_failed.emit(task, exc)  # a bug: the window reports it
        if not shiboken6.isValid(self):
            return
        self.progress.hide()
        self._update_buttons()
        if isinstance(exc, CancelledError):
            show_error(self.error, "Cancelled: no pack was written")
        elif isinstance(exc, KnownError):
            show_error(self.error, str(exc))

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
        else:
            self.reject()
