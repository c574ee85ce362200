"""The mentor view: one mentor's mentees and nothing about anyone else.

A table of the mentees (stage, access, motivation, recent activity, whether they need
attention, what is new since the last review) beside the selected mentee: their reasons, what
changed, their goals and next steps, and the mentor's own session notes, which can be written,
edited and deleted here. "Mark as reviewed" remembers now as the mentor's last review.

Opened on a review pack, it shows the pack's mentor only and offers "Export notes…", the file
the mentor sends back to the facilitator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.schemas.mentoring import (
    MenteeOverview,
    MentorOverview,
    MentorRow,
    NotesExportResult,
    ReviewPackInfoRow,
    SessionInput,
    SessionRow,
)
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.mentees_model import COL_NAME, MenteesModel
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.views.mentee_detail import NO_MENTEES, MenteeDetail
from cohortdesk.ui.views.mentoring_session_dialog import MentoringSessionDialog
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.centred import centred_row
from cohortdesk.ui.widgets.dialog_parts import close_button
from cohortdesk.ui.widgets.labels import guide_labels, heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

NO_MENTORS = "No mentors in this cohort yet"
WHAT_A_MENTOR_VIEW_IS = (
    "A mentor view shows one mentor their mentees' progress, what needs attention and their "
    "session notes: give a member the role Mentor (Edit details…), then assign their mentees "
    "in Mentoring…"
)
#: the guide's text wraps at this width
GUIDE_WIDTH = 520


class MentorView(QDialog):
    """The mentor view of one cohort (or of a review pack).

    Args:
        context: the open database's services.
        cohort_id: the cohort.
        mentor_id: the mentor to show first (None: the first mentor).
        pack: set when the database is a review pack: its mentor only.
        parent: the main window.
    """

    mentoring_requested = Signal()
    """Open Cohort › Mentoring… (the cohort has no mentors yet)."""
    overview_loaded = Signal(object)
    """A `MentorOverview` was shown."""
    status_message = Signal(str)
    """What a change did, for the status bar."""

    def __init__(
        self,
        context: AppContext,
        cohort_id: int,
        mentor_id: int | None = None,
        pack: ReviewPackInfoRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort_id = cohort_id
        self.pack = pack
        self._wanted = pack.mentor_membership_id if pack else mentor_id
        self._view: MentorOverview | None = None
        self._request = 0
        self.setWindowTitle("Mentor view")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setMinimumSize(900, 560)
        self.resize(1280, 760)

        self.title = heading_label("Mentor view", scale=1.3)
        self.mentor_combo = QComboBox()
        self.mentor_combo.setMinimumWidth(220)
        self.mentor_combo.setAccessibleName("Mentor")
        self.reviewed_label = muted_label(wrap=False)
        self.review_button = QPushButton("Mark as &reviewed")
        self.review_button.setToolTip(
            "Remember now as your last review: what changes after it is shown as new"
        )
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        self.mentor_label = QLabel("Mentor:")
        top.addWidget(self.mentor_label)
        top.addWidget(self.mentor_combo)
        top.addStretch(1)
        top.addWidget(self.reviewed_label)
        top.addWidget(self.review_button)
        self.hint = muted_label()

        self.model = MenteesModel(self)
        self.model.today = context.current_date()
        self.table = make_table(self.model, (COL_NAME,), fitted=tuple(range(1, 8)), empty_text="")
        self.table.setAccessibleName("Mentees")
        self.detail = MenteeDetail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 560])

        self.export_button = QPushButton("E&xport notes…")
        self.export_button.setToolTip(
            "Write your session notes to a file to send to your facilitator"
        )
        close = close_button()
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        self.guide = self._no_mentors_guide()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.guide)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)

        self.mentor_combo.currentIndexChanged.connect(self._mentor_chosen)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.review_button.clicked.connect(self.mark_reviewed)
        self.export_button.clicked.connect(self.export_notes)
        self.detail.new_button.clicked.connect(self.new_session)
        self.detail.edit_button.clicked.connect(self.edit_session)
        self.detail.delete_button.clicked.connect(self.delete_session)
        self.detail.sessions_view.doubleClicked.connect(self.edit_session)
        self.detail.sessions_view.selectionModel().selectionChanged.connect(self._update_buttons)
        context.changes.roster_changed.connect(self._roster_changed)
        context.changes.mentoring_changed.connect(self._mentoring_changed)
        self._update_buttons()
        self._load_mentors()

    def _no_mentors_guide(self) -> QWidget:
        """What a cohort without mentors shows: what the view is for, and how to link mentors."""
        title, self.guide_text = guide_labels(NO_MENTORS, WHAT_A_MENTOR_VIEW_IS, GUIDE_WIDTH)
        self.mentoring_button = QPushButton("Mentoring…")
        self.mentoring_button.setToolTip("Assign mentees to mentors (Cohort › Mentoring…)")
        self.mentoring_button.setAccessibleName("Open Mentoring")
        self.mentoring_button.clicked.connect(self.mentoring_requested)
        guide = QWidget()
        layout = QVBoxLayout(guide)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addSpacing(4)
        layout.addLayout(centred_row(self.guide_text))
        layout.addSpacing(12)
        layout.addLayout(centred_row(self.mentoring_button))
        layout.addStretch(2)
        return guide

    def showing_guide(self) -> bool:
        """True while the view says there are no mentors yet, in place of the mentees."""
        return self.pages.currentWidget() is self.guide

    # ---- loading ----

    def _load_mentors(self) -> None:
        from cohortdesk.core.services.mentoring import mentoring

        self.context.runner.read(
            "Loading the mentors",
            lambda s: mentoring.list_mentors(s, self.cohort_id),
            self._mentors_arrived,
        )

    def _mentors_arrived(self, mentors: list[MentorRow]) -> None:
        if not shiboken6.isValid(self):
            return
        if self.pack is not None:
            mentors = [m for m in mentors if m.membership_id == self.pack.mentor_membership_id]
        self.mentor_combo.blockSignals(True)
        self.mentor_combo.clear()
        for mentor in mentors:
            self.mentor_combo.addItem(f"{mentor.name} ({mentor.mentees})", mentor.membership_id)
        index = self.mentor_combo.findData(self._wanted) if self._wanted is not None else 0
        self.mentor_combo.setCurrentIndex(max(index, 0))
        self.mentor_combo.blockSignals(False)
        self.mentor_combo.setEnabled(self.pack is None and len(mentors) > 1)
        self.pages.setCurrentWidget(self.splitter if mentors else self.guide)
        for part in (self.mentor_label, self.mentor_combo, self.review_button, self.export_button):
            part.setVisible(bool(mentors))
        if not mentors:
            self._view = None
            self.hint.setText("")
            self._update_buttons()
            return
        self._mentor_chosen()

    def mentor_id(self) -> int | None:
        """The mentor shown."""
        value = self.mentor_combo.currentData()
        return int(value) if value is not None else None

    def set_mentor(self, mentor_id: int) -> None:
        """Show this mentor (when they are in the list)."""
        self._wanted = mentor_id
        index = self.mentor_combo.findData(mentor_id)
        if index >= 0:
            self.mentor_combo.setCurrentIndex(index)

    @Slot()
    def _mentor_chosen(self) -> None:
        mentor = self.mentor_id()
        if mentor is not None:
            self._wanted = mentor
            self.reload()

    def reload(self) -> Task | None:
        """Read the mentor's overview again; the newest request wins."""
        from cohortdesk.core.services.mentoring import mentor_overview

        mentor = self.mentor_id()
        if mentor is None:
            return None
        self._request += 1
        request, as_of = self._request, self.context.as_of.shown_day()

        def arrived(view: MentorOverview) -> None:
            if request == self._request and shiboken6.isValid(self):
                self.model.today = view.as_of  # "3 days ago" counts to the as-of day
                self._show(view)

        return self.context.runner.read(
            "Loading the mentor view",
            lambda s: mentor_overview.mentor_overview(s, mentor, as_of),
            arrived,
        )

    def overview(self) -> MentorOverview | None:
        """What is on screen."""
        return self._view

    def _show(self, view: MentorOverview) -> None:
        self._view = view
        self.setWindowTitle(f"{view.mentor.name}'s mentees — {view.cohort_name}")
        if self.pack is not None:
            made = fmt.short_date(fmt.local_date(self.pack.made_at, view.timezone))
            self.hint.setText(
                f"Review pack of {view.cohort_name}, made on {made} for {view.mentor.name}: it "
                "holds your mentees only. Write your session notes, then Export notes… and send "
                "the file to your facilitator."
            )
        else:
            self.hint.setText(
                f"{view.mentor.name}'s mentees in {view.cohort_name}, as of "
                f"{fmt.short_date(view.as_of)}. Session notes are the mentor's own."
            )
        if view.since is None:
            self.reviewed_label.setText("Not reviewed yet")
        else:
            new = sum(1 for m in view.mentees if m.changes)
            when = fmt.local_time(view.since, view.timezone)
            self.reviewed_label.setText(
                f"Last reviewed {when}  ·  {fmt.plural(new, 'mentee')} with news"
            )
        self.model.recent_days = view.recent_days
        self.model.low_motivation = view.low_motivation
        kept = selected_id(self.table)
        self.model.set_rows(view.mentees, view.timezone)
        self.table.set_empty_text(NO_MENTEES)
        if kept is not None:
            select_id(self.table, kept)
        elif view.mentees:
            self.table.selectRow(0)
        self._show_selected()
        self.overview_loaded.emit(view)

    def selected_mentee(self) -> MenteeOverview | None:
        row = self.model.row_of_id(selected_id(self.table) or -1)
        return None if row is None else self.model.row_at(row)

    def select_mentee(self, membership_id: int) -> None:
        select_id(self.table, membership_id)

    @Slot()
    def _show_selected(self) -> None:
        if self._view is not None:
            self.detail.show_mentee(self.selected_mentee(), self._view)
        self._update_buttons()

    def selected_session(self) -> SessionRow | None:
        view = self.detail.sessions_view
        row = self.detail.sessions_model.row_of_id(selected_id(view) or -1)
        return None if row is None else self.detail.sessions_model.row_at(row)

    @Slot()
    def _update_buttons(self) -> None:
        has_mentor = self._view is not None
        self.review_button.setEnabled(has_mentor)
        self.export_button.setEnabled(has_mentor)
        self.detail.new_button.setEnabled(self.selected_mentee() is not None)
        chosen = self.selected_session() is not None
        self.detail.edit_button.setEnabled(chosen)
        self.detail.delete_button.setEnabled(chosen)

    @Slot(int)
    def _roster_changed(self, cohort_id: int) -> None:
        if cohort_id == self.cohort_id:
            self._load_mentors()

    @Slot(int)
    def _mentoring_changed(self, cohort_id: int) -> None:
        # Mentees counted in the mentor list may have moved too, not only this overview.
        self._roster_changed(cohort_id)

    # ---- changes ----

    def _write(self, title: str, change: Callable[[Session], object], message: str) -> Task:
        # The list follows the change the service returns (`_mentoring_changed`): no reload here.
        return self.context.runner.write(
            title, change, lambda _result: self.status_message.emit(message)
        )

    @Slot()
    def mark_reviewed(self) -> Task | None:
        """Remember now as the mentor's last review."""
        from cohortdesk.core.services.mentoring import mentoring

        mentor = self.mentor_id()
        if mentor is None:
            return None
        return self._write(
            "Marking as reviewed",
            lambda s: mentoring.mark_reviewed(s, mentor),
            "Marked as reviewed: changes from now on are shown as new",
        )

    def _dialog(self, initial: SessionRow | None) -> MentoringSessionDialog | None:
        view, mentee = self._view, self.selected_mentee()
        if view is None:
            return None
        dialog = MentoringSessionDialog(
            self,
            view.mentees,
            view.groups,
            self.context.as_of.shown_day(),  # an ended cohort's session: on its last day
            initial,
            mentee.membership_id if mentee else None,
        )
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    @Slot()
    def new_session(self) -> MentoringSessionDialog | None:
        """Open the dialog for a new session with the selected mentee."""
        from cohortdesk.core.services.mentoring import mentoring

        mentor, dialog = self.mentor_id(), self._dialog(None)
        if mentor is None or dialog is None:
            return None

        def save() -> None:
            data: SessionInput = dialog.value()
            self._write(
                "Saving the session",
                lambda s: mentoring.add_session(s, mentor, data),
                "Saved the session",
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    @Slot()
    def edit_session(self) -> MentoringSessionDialog | None:
        """Open the selected session for editing."""
        from cohortdesk.core.services.mentoring import mentoring

        mentor, session = self.mentor_id(), self.selected_session()
        dialog = self._dialog(session) if session else None
        if mentor is None or session is None or dialog is None:
            return None

        def save() -> None:
            data: SessionInput = dialog.value()
            self._write(
                "Saving the session",
                lambda s: mentoring.update_session(s, mentor, session.id, data),
                "Saved the session",
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    @Slot()
    def delete_session(self) -> None:
        """Delete the selected session, after asking."""
        from cohortdesk.core.services.mentoring import mentoring

        mentor, session = self.mentor_id(), self.selected_session()
        if mentor is None or session is None:
            return
        question = (
            f"Delete the session of {fmt.short_date(session.held_on)} with "
            f"{session.with_whom}? Its notes, goals and next steps go with it."
        )
        if not confirm.confirm(self, "Delete session", question, "Delete"):
            return
        self._write(
            "Deleting the session",
            lambda s: mentoring.delete_session(s, mentor, session.id),
            "Deleted the session",
        )

    @Slot()
    def export_notes(self, path: Path | None = None) -> Task | None:
        """Write the mentor's notes file (asks where, unless `path` is given)."""
        from cohortdesk.core.services.mentoring import review_notes

        mentor, view = self.mentor_id(), self._view
        if mentor is None or view is None:
            return None
        if not isinstance(path, Path):
            suggested = Path.home() / f"{view.mentor.name} - session notes.json"
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export session notes", str(suggested), "Notes files (*.json)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        target = path

        def done(result: NotesExportResult) -> None:
            self.status_message.emit(result.message())

        return self.context.runner.read(
            "Exporting the notes",
            lambda s: review_notes.export_notes(s, mentor, target),
            done,
        )
