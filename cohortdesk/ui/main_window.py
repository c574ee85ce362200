"""The main window: cohorts on the left, the roster in the middle, the member on the right.

It can show itself before the database is open: `MainWindow(paths=...)` paints at the size
it had last time, saying it is opening, and `attach(context)` then builds its panes on the
open database (the app does this after the first paint, so the window appears at once; this
module imports the panes, and through them the services, only then).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from cohortdesk.core.paths import AppPaths
from cohortdesk.ui.style import STYLE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cohortdesk.core.schemas import CohortRow, ImportSummary
    from cohortdesk.core.services.people.people import MergeResult
    from cohortdesk.ui.context import AppContext
    from cohortdesk.ui.main_menus import MainMenus
    from cohortdesk.ui.tasks import Task
    from cohortdesk.ui.views.compare_view import CompareDialog
    from cohortdesk.ui.views.dashboard_view import DashboardView
    from cohortdesk.ui.views.export_dialog import ExportDialog
    from cohortdesk.ui.views.import_dialog import ImportDialog
    from cohortdesk.ui.views.imports_dialog import ImportsDialog
    from cohortdesk.ui.views.merge_dialog import MergeDialog

PAGE_WELCOME = 0
PAGE_COHORTS = 1


class MainWindow(QMainWindow):
    """The one window of an open database."""

    first_screen_filled = Signal(int)
    """The first screen shows its data: Today with the cohort's learners (their number), or
    the welcome page (0) when there is no cohort yet."""

    def __init__(
        self,
        context: AppContext | None = None,
        parent: QWidget | None = None,
        *,
        load: bool = True,
        paths: AppPaths | None = None,
    ) -> None:
        """Built on `context` at once; without one, it says it is opening until `attach`.

        `load=False` leaves reading the data to `start_loading`.
        """
        super().__init__(parent)
        if paths is None:
            assert context is not None, "a window needs its context or at least its paths"
            paths = context.paths
        self.paths = paths
        self.attached = False
        self.setWindowTitle("cohortdesk")
        self.setStyleSheet(STYLE)
        opening = QLabel("Opening the database…")
        opening.setObjectName("muted")
        opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(opening)
        self._restore_geometry()
        if context is not None:
            self.attach(context, load=load)

    def attach(self, context: AppContext, *, load: bool = True) -> None:
        """Build the panes, menus and actions on the open database; read it unless `load`
        is False (then `start_loading` does)."""
        from cohortdesk.ui.cohort_actions import CohortActions
        from cohortdesk.ui.data_actions import DataActions
        from cohortdesk.ui.main_menus import MainMenus
        from cohortdesk.ui.views.cohort_list import CohortList
        from cohortdesk.ui.views.cohort_pages import CohortPages
        from cohortdesk.ui.views.member_panel import MemberPanel
        from cohortdesk.ui.views.mentoring_actions import MentoringActions
        from cohortdesk.ui.views.messaging import Messaging
        from cohortdesk.ui.views.roster_view import RosterView
        from cohortdesk.ui.views.today_view import TodayView
        from cohortdesk.ui.views.welcome_page import WelcomePage
        from cohortdesk.ui.widgets.as_of_bar import AsOfBar

        self.context = context
        self._select_member_after_load: int | None = None
        self._cohorts_request = 0
        self._first_screen_done = False

        self.cohort_list = CohortList()
        self.roster = RosterView(context)
        self.pages = CohortPages(self.roster, lambda parent: self._make_dashboard(context, parent))
        # Today comes first: the cohort's home ("who needs me today?"), Roster a click away.
        self.today = TodayView(context)
        self.pages.insertTab(0, self.today, "Today")
        self.pages.setTabToolTip(
            0, "Who needs you today, and who is ready for a next stage (Ctrl+0)"
        )
        self.pages.setCurrentWidget(self.today)
        # One "as of" day for every page of the cohort, beside their tabs.
        self.as_of_bar = AsOfBar(context.as_of)
        self.member_panel_button = QToolButton()
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 4, 0)
        corner_layout.setSpacing(0)
        corner_layout.addWidget(self.as_of_bar)
        corner_layout.addWidget(self.member_panel_button)
        self.pages.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.member_panel = MemberPanel(context)
        self.messaging = Messaging(
            context,
            self,
            self.pages,
            self.today,
            self.roster,
            self.member_panel,
            self.cohort_list.current_row,
            self.say,
        )
        self.welcome = WelcomePage()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for pane in (self.cohort_list, self.pages, self.member_panel):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        # The member panel as wide as its six tabs written in full, at a laptop's 1280 px too.
        self.splitter.setSizes([195, 790, 450])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.busy_label = QLabel()
        self.statusBar().addPermanentWidget(self.busy_label)
        db_label = QLabel(context.db.display_name)
        db_label.setObjectName("muted")
        db_label.setToolTip("The database this window works on")
        self.statusBar().addPermanentWidget(db_label)

        self.mentoring = MentoringActions(self)
        self.data_actions = DataActions(context, self)
        self.cohort_actions = CohortActions(context, self, self.cohort_list.current_row)
        self.menus = MainMenus(self)
        self._keep_actions(self.menus)
        # Beside the as-of day: the member panel's switch (View ▸ Member panel, F9).
        self.member_panel_button.setDefaultAction(self.member_panel_action)
        self.member_panel_action.setIconText("Member")  # beside the as-of day; the menu says more
        self.member_panel_button.setAccessibleName("Show or hide the member panel")
        self.member_panel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._update_member_pane()
        self.setAcceptDrops(True)  # a file dropped on the window is imported (dropEvent)
        self._connect()
        self._restore_splitter()
        self._update_actions()
        self.attached = True
        if load:
            self.start_loading()

    def start_loading(self) -> None:
        """Read what the window shows: the cohorts, then Today; once Today is filled, what
        is a tab away (the roster) and the review pack's note (see `_first_screen_shown`)."""
        self.reload_cohorts()

    def _first_screen_shown(self, *_args: object) -> None:
        # Read beside Today, the roster (a tab away) and the review pack's note would only
        # delay it: they are read once it is filled, or once another tab is shown before.
        if self._first_screen_done:
            return
        self._first_screen_done = True
        self.pages.show_cohort(self.cohort_list.current_row())
        self.mentoring.check_review_pack()

    @staticmethod
    def _make_dashboard(context: AppContext, parent: QWidget) -> DashboardView:
        from cohortdesk.ui.views.dashboard_view import DashboardView

        return DashboardView(context, parent)

    @property
    def dashboard(self) -> DashboardView:
        """The Dashboard tab (built, with its charts, when first needed)."""
        return self.pages.dashboard

    # -- menus ---------------------------------------------------------------------------

    def _keep_actions(self, menus: MainMenus) -> None:
        # The actions that tests, tools/screenshots.py and the slots below reach on the window.
        self.new_cohort_action = menus.new_cohort_action
        self.demo_action = menus.demo_action
        self.import_action = menus.import_action
        self.export_action = menus.export_action
        self.backup_action = menus.backup_action
        self.restore_action = menus.restore_action
        self.edit_cohort_action = menus.edit_cohort_action
        self.archive_action = menus.archive_action
        self.delete_cohort_action = menus.delete_cohort_action
        self.add_member_action = menus.add_member_action
        self.imports_action = menus.imports_action
        self.compare_action = menus.compare_action
        self.member_actions = menus.member_actions
        self.erase_action = menus.erase_action
        self.merge_action = menus.merge_action
        self.show_archived_action = menus.show_archived_action
        self.member_panel_action = menus.member_panel_action

    def _connect(self) -> None:
        runner = self.context.runner
        runner.task_failed.connect(self.show_task_error)
        runner.busy_changed.connect(
            lambda busy: self.busy_label.setText("Working…" if busy else "")
        )
        self.cohort_list.cohort_selected.connect(self._cohort_selected)
        cohort_actions = self.cohort_actions
        self.cohort_list.create_requested.connect(cohort_actions.new_cohort)
        self.welcome.create_requested.connect(cohort_actions.new_cohort)
        self.welcome.demo_requested.connect(cohort_actions.create_demo)
        self.roster.member_selected.connect(self._member_selected)
        self.today.member_selected.connect(self._today_member_selected)
        self.today.empty_guide.import_requested.connect(self.import_file)
        self.today.empty_guide.add_people_requested.connect(cohort_actions.add_member)
        self.roster.roster_loaded.connect(self._roster_loaded)
        self.today.today_loaded.connect(self._today_loaded)
        self.member_panel.status_message.connect(self.say)
        self.pages.status_message.connect(self.say)
        self.member_panel.member_removed.connect(lambda _mid: self._update_actions())
        self.member_panel.member_removed.connect(lambda _mid: self._update_member_pane())
        self.member_panel.member_loaded.connect(lambda _detail: self._update_member_pane())
        # The Member menu follows the panel: its actions apply once the member has loaded.
        self.member_panel.actions_enabled_changed.connect(lambda _on: self._update_actions())
        self.first_screen_filled.connect(self._first_screen_shown)
        self.pages.currentChanged.connect(self._first_screen_shown)
        self.context.changes.cohorts_changed.connect(self.reload_cohorts)
        self.context.changes.data_replaced.connect(self.refresh)
        self.data_actions.status_message.connect(self.say)
        cohort_actions.status_message.connect(self.say)
        cohort_actions.cohort_changed.connect(lambda cohort_id: self.reload_cohorts(cohort_id))
        cohort_actions.member_added.connect(self._select_member_when_loaded)

    def _update_actions(self) -> None:
        self.menus.update_actions(
            self.cohort_list.current_row(),
            self.member_panel.actions_enabled(),
            self.roster.model.rowCount(),
        )

    def say(self, message: str) -> None:
        """Tell the user what just happened, in the status bar."""
        self.statusBar().showMessage(message, 8000)

    # -- cohorts -------------------------------------------------------------------------

    def reload_cohorts(self, select_id: int | None = None) -> None:
        """Load the cohort list; keep or move the selection to `select_id`.

        The newest request wins: a reload the change notifier asked for and the one that
        selects a cohort just saved may finish in either order.
        """
        from cohortdesk.core.services.people import cohorts

        self._cohorts_request += 1
        request = self._cohorts_request
        show_archived = self.context.settings.show_archived
        wanted = select_id if select_id is not None else self.cohort_list.current_id()
        if wanted is None:
            wanted = self.context.settings.last_cohort_id

        def query(session: Session) -> tuple[list[CohortRow], int]:
            everything = cohorts.list_cohorts(session)
            shown = [c for c in everything if show_archived or not c.archived]
            return shown, len(everything)

        def arrived(result: tuple[list[CohortRow], int]) -> None:
            if request == self._cohorts_request:
                self._cohorts_arrived(result[0], result[1], wanted)

        self.context.runner.read("Loading cohorts", query, arrived)

    def _cohorts_arrived(self, rows: list[CohortRow], total: int, select_id: int | None) -> None:
        self.stack.setCurrentIndex(PAGE_WELCOME if total == 0 else PAGE_COHORTS)
        if total == 0:
            self.first_screen_filled.emit(0)
        self.cohort_list.set_cohorts(rows, select_id)
        self.as_of_bar.show_cohort(self.cohort_list.current_row())  # its dates may have changed
        self._update_actions()

    @Slot(object)
    def _cohort_selected(self, cohort_id: int | None) -> None:
        cohort = self.cohort_list.current_row()
        if self.today.cohort is None or cohort is None or self.today.cohort.id != cohort.id:
            self.pages.setCurrentWidget(self.today)  # another cohort opens on its Today
        self.as_of_bar.show_cohort(cohort)
        self.today.show_cohort(cohort)
        if self._first_screen_done:
            self.pages.show_cohort(cohort)
        self.member_panel.show_member(None)
        self._update_member_pane()
        self.setWindowTitle(f"{cohort.name} — cohortdesk" if cohort else "cohortdesk")
        if cohort_id is not None and cohort_id != self.context.settings.last_cohort_id:
            self.context.settings.last_cohort_id = cohort_id
        self._update_actions()

    @Slot()
    def toggle_show_archived(self) -> None:
        self.context.settings.show_archived = self.show_archived_action.isChecked()
        self.reload_cohorts()

    def _select_member_when_loaded(self, membership_id: int) -> None:
        self._select_member_after_load = membership_id

    @Slot(int)
    def _roster_loaded(self, _cohort_id: int) -> None:
        if self._select_member_after_load is not None:
            self.roster.select_member(self._select_member_after_load)
            self._select_member_after_load = None
        self._update_actions()

    @Slot(int)
    def _today_loaded(self, cohort_id: int) -> None:
        cohort = self.cohort_list.current_row()
        if cohort is not None and cohort.id == cohort_id:
            self.first_screen_filled.emit(cohort.learners)

    @Slot(object)
    def _member_selected(self, membership_id: int | None) -> None:
        self.member_panel.show_member(membership_id)
        self._update_member_pane()
        self._update_actions()

    @Slot(object)
    def _today_member_selected(self, membership_id: int | None) -> None:
        if membership_id is not None:
            self.member_panel.show_member(membership_id)
            self._update_member_pane()
            self._update_actions()

    @Slot()
    def toggle_member_panel(self) -> None:
        """View ▸ Member panel: show or hide it; the choice is kept for the next start."""
        self.context.settings.show_member_panel = self.member_panel_action.isChecked()
        self._update_member_pane()

    def _update_member_pane(self) -> None:
        """The member panel takes room only when the user wants it and someone is selected."""
        wanted = self.context.settings.show_member_panel
        self.member_panel.setVisible(wanted and self.member_panel.membership_id() is not None)

    # -- imports and merging -------------------------------------------------------------

    @Slot()
    def import_file(self) -> None:
        self.open_import_dialog(None)

    def open_import_dialog(self, path: Path | None) -> ImportDialog | None:
        """The import dialog for the selected cohort, starting with `path` if given."""
        from cohortdesk.ui.views.import_dialog import ImportDialog

        cohort = self.cohort_list.current_row()
        if cohort is None:
            self.say("Select the cohort to import into first")
            return None
        dialog = ImportDialog(self.context, cohort, path, self)
        dialog.import_finished.connect(self._imported)
        dialog.import_cancelled.connect(lambda: self.say("Import cancelled: nothing was imported"))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot(object)
    def _imported(self, summary: ImportSummary) -> None:
        from cohortdesk.ui.views.import_summary import headline

        self.say(headline(summary))

    @Slot()
    def show_imports(self) -> ImportsDialog | None:
        """The selected cohort's imports, with undo."""
        from cohortdesk.ui.views.imports_dialog import ImportsDialog

        cohort = self.cohort_list.current_row()
        if cohort is None:
            return None
        dialog = ImportsDialog(self.context, cohort, self)
        dialog.batch_undone.connect(self.say)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def export_cohort(self) -> ExportDialog | None:
        """The export dialog for the selected cohort; says what was written when it is done."""
        from cohortdesk.ui.views.export_dialog import ExportDialog

        cohort = self.cohort_list.current_row()
        if cohort is None:
            self.say("Select the cohort to export first")
            return None
        dialog = ExportDialog(self.context, cohort, self)
        dialog.export_finished.connect(lambda result: self.say(result.message()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def compare_cohorts(self) -> CompareDialog:
        """Cohorts side by side, starting with the selected one."""
        from cohortdesk.ui.views.compare_view import CompareDialog

        dialog = CompareDialog(self.context, self.cohort_list.current_id(), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def merge_people(self) -> MergeDialog | None:
        """Merge two records of one person, starting from the members selected in the roster."""
        from cohortdesk.ui.views.merge_dialog import MergeDialog

        cohort = self.cohort_list.current_row()
        rows = self.roster.model.rows()
        if cohort is None or len(rows) < 2:
            self.say("Merging needs a cohort with at least two members")
            return None
        dialog = MergeDialog(self.context, cohort, rows, self.roster.selected_rows(), self)
        dialog.people_merged.connect(self._people_merged)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot(object, int)
    def _people_merged(self, result: MergeResult, kept_membership_id: int) -> None:
        self._select_member_when_loaded(kept_membership_id)
        self.say(result.message())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from cohortdesk.ui.views.import_files import dropped_file

        if dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from cohortdesk.ui.views.import_files import dropped_file

        path = dropped_file(event)
        if path is None:
            return
        event.acceptProposedAction()
        if self.cohort_list.current_row() is None:
            self.say(f"Select a cohort, then drop {path.name} on it again to import it")
            return
        self.open_import_dialog(path)

    # -- everything else -----------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        self.reload_cohorts()
        self.roster.reload()
        if self.pages.dashboard_built():
            self.dashboard.reload()
        self.today.reload()
        self.say("Refreshed")

    @Slot()
    def show_stages(self) -> None:
        from cohortdesk.ui.views.stages_dialog import StagesDialog

        StagesDialog(self).exec()

    @Slot()
    def show_about(self) -> QMessageBox:
        """Help ▸ About: the version, the data folder and the database in use."""
        from cohortdesk.ui.views.about_box import about_box

        box = about_box(self, self.context.paths, self.context.db.display_name)
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def show_task_error(self, task: Task, exc: BaseException) -> None:
        """A failed background task: a clear message for a known problem, a bug report else."""
        from cohortdesk.core.errors import ConflictError, KnownError
        from cohortdesk.core.storage.server_errors import StaleEditError
        from cohortdesk.ui.tasks import CancelledError

        if isinstance(exc, CancelledError):
            self.say(f"{task.description}: cancelled")
            return
        if isinstance(exc, KnownError):
            title = "Cannot do that"
            if isinstance(exc, StaleEditError):
                title = "Changed meanwhile"
            elif isinstance(exc, ConflictError):
                title = "Already exists"
            QMessageBox.warning(self, title, str(exc))
            self.say(f"{task.description}: {exc}")
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Unexpected error",
            f"{task.description} failed because of a bug in cohortdesk. Nothing was half-done: "
            "the change was rolled back.",
            parent=self,
        )
        box.setDetailedText(task.traceback_text or repr(exc))
        box.exec()

    # -- window state --------------------------------------------------------------------

    def _qsettings(self) -> QSettings:
        return QSettings(str(self.paths.qt_settings_file), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        geometry = self._qsettings().value("geometry")
        self._geometry_restored = isinstance(geometry, QByteArray) and self.restoreGeometry(
            geometry
        )
        if not self._geometry_restored:
            self.resize(1440, 900)

    def _restore_splitter(self) -> None:
        splitter = self._qsettings().value("splitter")
        if self._geometry_restored and isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        stored = self._qsettings()
        stored.setValue("geometry", self.saveGeometry())
        if self.attached:
            stored.setValue("splitter", self.splitter.saveState())
        stored.sync()
        if self.attached:
            self.context.save_settings()
            self.context.runner.wait_idle()
        super().closeEvent(event)
