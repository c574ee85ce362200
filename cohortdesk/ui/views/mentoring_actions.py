"""The main window's actions for mentoring, review packs, highlights, experts and summaries.

Kept out of `main_window` (which only places these actions in its menus) so that the window
stays readable: File › Open… (another database, such as a review pack, in a window of its
own), File › Import review notes…, Cohort › Mentoring…, Mentor view, Review pack…,
Highlights…, Member › Capture highlight…, Manager summary…, and Tools › Find experts….

A window opened on a review pack shows the mentor view of the pack's mentor straight away.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from cohortdesk.core.errors import KnownError
from cohortdesk.core.paths import sqlite_url
from cohortdesk.core.schemas import CohortRow
from cohortdesk.core.settings import Settings
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from cohortdesk.core.schemas.mentoring import ReviewPackInfoRow, ReviewPackResult
    from cohortdesk.ui.views.experts_search import ExpertsDialog
    from cohortdesk.ui.views.highlights_view import HighlightsDialog
    from cohortdesk.ui.views.mentor_view import MentorView
    from cohortdesk.ui.views.mentoring_dialog import MentoringDialog
    from cohortdesk.ui.views.review_pack_dialog import ReviewPackDialog

DATABASE_FILTER = "cohortdesk databases (*.sqlite *.db *.cohortdesk);;All files (*)"


class SecondaryContext(AppContext):
    """The context of a window opened with File › Open…: it keeps the user's settings alone."""

    def save_settings(self) -> None:
        pass


class MentoringActions(QObject):
    """Builds the actions and opens the dialogs; `window` is the main window they belong to.

    The window must have `context`, `cohort_list.current_row()`, `member_panel` and `say()`.
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.context: AppContext = window.context
        self.pack: ReviewPackInfoRow | None = None
        self.windows: list[QMainWindow] = []
        """Windows opened on other databases (kept alive while open)."""
        self.mentor_view: MentorView | None = None
        self.dialog: QWidget | None = None
        """The dialog last opened (for tests)."""

        self.open_action = self._action(
            "&Open database…",
            self.open_other,
            QKeySequence.StandardKey.Open,
            "Open another cohortdesk database, such as a mentor's review pack, in a new window",
        )
        self.import_notes_action = self._action(
            "Import review &notes…",
            self.import_notes,
            None,
            "Merge a mentor's notes file into the selected cohort (never duplicated)",
        )
        self.mentoring_action = self._action(
            "Men&toring…", self.show_mentoring, None, "Assign mentees to mentors; groups"
        )
        self.mentor_view_action = self._action(
            "Mentor &view",
            self.show_mentor_view,
            "Ctrl+M",
            "A mentor's mentees: progress, reasons, session notes, what changed",
        )
        self.review_pack_action = self._action(
            "Review &pack…",
            self.make_review_pack,
            None,
            "A database file for one mentor holding their mentees only",
        )
        self.highlights_action = self._action(
            "&Highlights…", self.show_highlights, None, "Success stories and quotes"
        )
        self.experts_action = self._action(
            "Find &experts…",
            self.find_experts,
            "Ctrl+Shift+F",
            "Who knows about something, across every cohort",
        )
        self.capture_action = self._action(
            "Capture &highlight…",
            self.capture_highlight,
            "Ctrl+Shift+H",
            "Keep a success story or quote of this member",
        )
        self.summary_action = self._action(
            "Manager s&ummary…",
            self.write_summary,
            None,
            "A short summary of this member for their line manager (PDF or text)",
        )

    def check_review_pack(self) -> None:
        """Read whether this database is a mentor's review pack (the menus follow)."""
        from cohortdesk.core.services.mentoring import review_pack

        self.context.runner.read("Checking for a review pack", review_pack.pack_info, self._pack)

    def _action(self, text: str, slot: Any, shortcut: Any, tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def cohort_actions(self) -> list[QAction]:
        return [
            self.mentoring_action,
            self.mentor_view_action,
            self.review_pack_action,
            self.highlights_action,
        ]

    def member_actions(self) -> list[QAction]:
        return [self.capture_action, self.summary_action]

    def update_actions(self, cohort: CohortRow | None) -> None:
        """Enable what applies to the selected cohort."""
        for action in (*self.cohort_actions(), self.import_notes_action):
            action.setEnabled(cohort is not None)

    def _cohort(self) -> CohortRow | None:
        cohort: CohortRow | None = self.window.cohort_list.current_row()
        if cohort is None:
            self.window.say("Select a cohort first")
        return cohort

    def _opened(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        status = getattr(dialog, "status_message", None)
        if status is not None:
            status.connect(self.window.say)
        dialog.show()

    # ---- a review pack ----

    def _pack(self, info: ReviewPackInfoRow | None) -> None:
        self.pack = info
        if info is None or not shiboken6.isValid(self.window):
            return
        self.window.say(f"A review pack made for {info.mentor_name}: only their mentees are here")
        self.show_mentor_view(info.cohort_id)

    # ---- cohort dialogs ----

    @Slot()
    def show_mentor_view(self, cohort_id: int | None = None) -> MentorView | None:
        """The mentor view of the selected cohort (or of the pack)."""
        from cohortdesk.ui.views.mentor_view import MentorView

        if not isinstance(cohort_id, int):
            cohort = self._cohort()
            if cohort is None:
                return None
            cohort_id = cohort.id
        view = MentorView(self.context, cohort_id, pack=self.pack, parent=self.window)
        view.setWindowFlag(Qt.WindowType.Window, True)
        view.mentoring_requested.connect(self.show_mentoring)
        self.mentor_view = view
        self._opened(view)
        return view

    @Slot()
    def show_mentoring(self) -> MentoringDialog | None:
        from cohortdesk.ui.views.mentoring_dialog import MentoringDialog

        cohort = self._cohort()
        if cohort is None:
            return None
        dialog = MentoringDialog(self.context, cohort, self.window)
        dialog.changed.connect(self.window.say)
        self._opened(dialog)
        return dialog

    @Slot()
    def make_review_pack(self) -> ReviewPackDialog | None:
        from cohortdesk.ui.views.review_pack_dialog import ReviewPackDialog

        cohort = self._cohort()
        if cohort is None:
            return None
        view = self.mentor_view
        mentor = view.mentor_id() if view is not None and self._mentor_view_open() else None
        dialog = ReviewPackDialog(self.context, cohort, self.window, mentor)
        dialog.pack_made.connect(self._pack_made)
        self._opened(dialog)
        return dialog

    def _mentor_view_open(self) -> bool:
        view = self.mentor_view
        return view is not None and shiboken6.isValid(view) and view.isVisible()

    def _pack_made(self, result: ReviewPackResult) -> None:
        self.window.say(result.message())

    @Slot()
    def show_highlights(self) -> HighlightsDialog | None:
        from cohortdesk.ui.views.highlights_view import HighlightsDialog

        cohort = self._cohort()
        if cohort is None:
            return None
        dialog = HighlightsDialog(self.context, cohort, self.window)
        self._opened(dialog)
        return dialog

    @Slot()
    def find_experts(self) -> ExpertsDialog:
        from cohortdesk.ui.views.experts_search import ExpertsDialog

        dialog = ExpertsDialog(self.context, self.window)
        self._opened(dialog)
        dialog.search.setFocus()
        return dialog

    # ---- member actions ----

    @Slot()
    def capture_highlight(self) -> Any:
        panel = self.window.member_panel
        if not panel.actions_enabled():
            self.window.say("Select a member first")
            return None
        return panel.capture_highlight()

    @Slot()
    def write_summary(self, path: Path | None = None) -> None:
        """Write the shown member's manager summary (asks where, unless `path` is given)."""
        from cohortdesk.core.exporters import manager_summary

        detail = self.window.member_panel.detail()
        if detail is None:
            self.window.say("Select a member first")
            return
        if not isinstance(path, Path):
            suggested = Path.home() / f"{detail.row.name} - summary.pdf"
            chosen, _ = QFileDialog.getSaveFileName(
                self.window,
                f"Manager summary of {detail.row.name}",
                str(suggested),
                "PDF (*.pdf);;Text (*.txt)",
            )
            if not chosen:
                return
            path = Path(chosen)
        target, membership_id = path, detail.row.membership_id
        as_of = self.context.as_of.shown_day()
        self.context.runner.read(
            "Writing the manager summary",
            lambda s: manager_summary.write_manager_summary(s, membership_id, target, as_of=as_of),
            lambda written: self.window.say(f"Wrote the manager summary to {written}"),
        )

    # ---- files ----

    @Slot()
    def import_notes(self, path: Path | None = None) -> None:
        """Merge a mentor's notes file into the selected cohort."""
        from cohortdesk.core.services.mentoring import review_notes

        cohort = self._cohort()
        if cohort is None:
            return
        if not isinstance(path, Path):
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, "Import a mentor's review notes", str(Path.home()), "Notes (*.json)"
            )
            if not chosen:
                return
            path = Path(chosen)
        source = path

        self.context.runner.write(
            "Importing review notes",
            lambda s: review_notes.import_notes(s, cohort.id, source),
            lambda result: self.window.say(result.message()),
        )

    @Slot()
    def open_other(self, path: Path | None = None) -> None:
        """Open another database (a review pack, say) in a window of its own."""
        from cohortdesk.core.storage.migrate import open_database

        if not isinstance(path, Path):
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, "Open a cohortdesk database", str(Path.home()), DATABASE_FILTER
            )
            if not chosen:
                return
            path = Path(chosen)
        current = self.context.db.file
        if current is not None and path.resolve() == current.resolve():
            self.window.say("That database is the one open in this window")
            return
        paths, url = self.context.paths, sqlite_url(path)

        task: list[Task] = []

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError):
                QMessageBox.warning(self.window, "Cannot open", str(exc))
            else:
                self.context.runner.task_failed.emit(task[0], exc)

        # Opening upgrades an older file first (after a backup): not on the GUI thread.
        task.append(
            self.context.runner.read(
                f"Opening {path.name}",
                lambda _s: open_database(url, paths.backup_dir),
                self._open_window,
                failed,
            )
        )

    def _open_window(self, db: Database) -> None:
        changes = ChangeNotifier()
        context = SecondaryContext(
            db=db,
            paths=self.context.paths,
            runner=TaskRunner(db, changes),
            changes=changes,
            settings=Settings(show_archived=self.context.settings.show_archived),
            today=self.context.today,
        )
        window: QMainWindow = type(self.window)(context)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        runner = context.runner

        def closed() -> None:
            runner.shutdown()
            db.dispose()

        def forget() -> None:
            self.windows = [w for w in self.windows if w is not window]

        window.destroyed.connect(closed)
        window.destroyed.connect(forget)
        self.windows.append(window)
        window.show()
        self.window.say(f"Opened {db.display_name} in a new window")
