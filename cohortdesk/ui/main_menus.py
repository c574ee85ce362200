"""The main window's menu bar: File, Cohort, Member, View, Tools and Help.

Kept out of `main_window` so the window only composes its views. This module builds the menus
and their actions, adds the same actions to the cohort list's and the roster's context menus,
and enables each action when it applies. The work the actions start stays with the objects
that own it (the window, the member panel, `CohortActions`, `DataActions`, `Messaging`,
`MentoringActions`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from cohortdesk.core.schemas import CohortRow

if TYPE_CHECKING:
    from cohortdesk.ui.main_window import MainWindow


class MainMenus(QObject):
    """Every menu of the main window, with the actions tests and tools reach by name.

    Args:
        window: the main window. Its views, `data_actions`, `messaging` and `mentoring` must
            exist already: the menus hold their actions and call their slots.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        bar = window.menuBar()
        self._build_file_menu(bar)
        self._build_cohort_menu(bar)
        self._build_member_menu(bar)
        self._build_view_menu(bar)
        tools_menu = bar.addMenu("&Tools")
        tools_menu.addAction(window.mentoring.experts_action)
        self._build_help_menu(bar)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], Any],
        shortcut: Any = None,
        tip: str = "",
    ) -> QAction:
        # Parented to the window (not to this object), like the actions of Messaging and
        # MentoringActions: the window is what they belong to.
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_file_menu(self, bar: QMenuBar) -> None:
        window = self.window
        mentoring, data, cohorts = window.mentoring, window.data_actions, window.cohort_actions
        menu = bar.addMenu("&File")
        self.new_cohort_action = self._action(
            menu,
            "&New cohort…",
            cohorts.new_cohort,
            QKeySequence.StandardKey.New,
            "Create a cohort",
        )
        self.demo_action = self._action(
            menu,
            "Create &demo cohort",
            cohorts.create_demo,
            None,
            "Add a believable demo cohort to explore cohortdesk",
        )
        menu.addAction(mentoring.open_action)
        menu.addSeparator()
        self.import_action = self._action(
            menu,
            "&Import…",
            window.import_file,
            "Ctrl+I",
            "Import a roster or an activity export into the selected cohort",
        )
        self.export_action = self._action(
            menu,
            "&Export…",
            window.export_cohort,
            "Ctrl+E",
            "Export the selected cohort's participation as CSV, Excel, a PDF report or xAPI",
        )
        menu.addAction(mentoring.import_notes_action)
        menu.addSeparator()
        self.backup_action = self._action(
            menu,
            "&Back up now…",
            data.back_up_now,
            None,
            "Copy the database to a file of your choice, checked before it is kept",
        )
        self.restore_action = self._action(
            menu,
            "&Restore from backup…",
            data.restore_from_backup,
            None,
            "Replace the data with a backup (the data as it is now is kept as a backup first)",
        )
        menu.addSeparator()
        self._action(menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)
        self.file_menu = menu

    def _build_cohort_menu(self, bar: QMenuBar) -> None:
        window = self.window
        cohorts = window.cohort_actions
        menu = bar.addMenu("&Cohort")
        self.edit_cohort_action = self._action(
            menu, "&Edit cohort…", cohorts.edit_cohort, "F2", "Rename, describe, set dates"
        )
        self.archive_action = self._action(menu, "&Archive cohort", cohorts.toggle_archived)
        self.delete_cohort_action = self._action(menu, "&Delete cohort…", cohorts.delete_cohort)
        menu.addSeparator()
        self.add_member_action = self._action(
            menu,
            "Add &member…",
            cohorts.add_member,
            "Ctrl+Shift+A",
            "Add a person to this cohort",
        )
        self.imports_action = self._action(
            menu,
            "&Imports…",
            window.show_imports,
            None,
            "The files imported into this cohort, and undo",
        )
        self.compare_action = self._action(
            menu,
            "Com&pare cohorts…",
            window.compare_cohorts,
            None,
            "Two or more cohorts side by side: stages, and activity by week of cohort",
        )
        menu.addSeparator()
        window.messaging.add_cohort_actions(menu)
        menu.addSeparator()
        menu.addActions(window.mentoring.cohort_actions())
        window.cohort_list.view.addActions(
            [self.edit_cohort_action, self.archive_action, self.delete_cohort_action]
        )

    def _build_member_menu(self, bar: QMenuBar) -> None:
        window = self.window
        panel, mentoring = window.member_panel, window.mentoring
        menu = bar.addMenu("&Member")
        menu.addAction(window.messaging.nudge_action)
        menu.addSeparator()
        self.member_actions = [
            window.messaging.nudge_action,
            self._action(menu, "Change &stage…", panel.change_stage, "Ctrl+Shift+S"),
            self._action(menu, "Record &motivation…", panel.record_motivation, "Ctrl+Shift+M"),
            self._action(menu, "Add &event…", panel.add_event, "Ctrl+Shift+E"),
            self._action(
                menu, "Report access &problem…", panel.report_access_problem, "Ctrl+Shift+P"
            ),
            self._action(menu, "Add &note", panel.add_note_focus, "Ctrl+Shift+N"),
            self._action(menu, "Edit &details…", panel.edit_details, "Ctrl+Shift+D"),
            *mentoring.member_actions(),
        ]
        """The actions on the member shown in the panel (enabled once they have loaded)."""
        menu.addActions(mentoring.member_actions())
        menu.addSeparator()
        self.member_actions.append(self._action(menu, "&Remove from cohort…", panel.remove_member))
        self.erase_action = self._action(
            menu,
            "E&rase this person everywhere…",
            lambda: window.data_actions.erase_member(panel.detail()),
            None,
            "Remove every record of this person from every cohort, and the backups holding them",
        )
        self.erase_action.setEnabled(False)
        panel.actions_enabled_changed.connect(self.erase_action.setEnabled)
        menu.addSeparator()
        self.merge_action = self._action(
            menu,
            "Mer&ge people…",
            window.merge_people,
            None,
            "Merge two records of one person (select both in the roster with Ctrl+click)",
        )
        separator = QAction(window)
        separator.setSeparator(True)
        window.roster.table.addActions([*self.member_actions[:-1], separator, self.merge_action])

    def _build_view_menu(self, bar: QMenuBar) -> None:
        window = self.window
        pages = window.pages
        menu = bar.addMenu("&View")
        self._action(menu, "&Today", window.today.show_and_focus, "Ctrl+0")
        self._action(menu, "&Roster", pages.show_roster, "Ctrl+1")
        self._action(menu, "&Dashboard", pages.show_dashboard, "Ctrl+2")
        menu.addSeparator()
        self._action(menu, "&Find member", pages.find_member, QKeySequence.StandardKey.Find)
        self.show_archived_action = self._action(
            menu, "Show &archived cohorts", window.toggle_show_archived
        )
        self.show_archived_action.setCheckable(True)
        self.show_archived_action.setChecked(window.context.settings.show_archived)
        self._action(menu, "&Refresh", window.refresh, QKeySequence.StandardKey.Refresh)
        menu.addSeparator()
        self.member_panel_action = self._action(
            menu,
            "&Member panel",
            window.toggle_member_panel,
            "F9",
            "Show or hide the selected member beside the cohort's pages",
        )
        self.member_panel_action.setCheckable(True)
        self.member_panel_action.setChecked(window.context.settings.show_member_panel)
        self.member_panel_action.setToolTip("Show or hide the member panel (F9)")

    def _build_help_menu(self, bar: QMenuBar) -> None:
        window = self.window
        menu = bar.addMenu("&Help")
        self._action(
            menu,
            "Salmon's &five stages",
            window.show_stages,
            QKeySequence.StandardKey.HelpContents,
        )
        self._action(menu, "&About cohortdesk", window.show_about)

    def update_actions(
        self, cohort: CohortRow | None, member_shown: bool, roster_rows: int
    ) -> None:
        """Enable what applies: cohort actions when a cohort is selected, member actions once
        the member panel has loaded someone, merging when the roster has two people or more."""
        for action in (
            self.edit_cohort_action,
            self.archive_action,
            self.delete_cohort_action,
            self.add_member_action,
            self.import_action,
            self.export_action,
            self.imports_action,
        ):
            action.setEnabled(cohort is not None)
        self.window.messaging.update_actions(cohort is not None)
        self.window.mentoring.update_actions(cohort)
        self.merge_action.setEnabled(cohort is not None and roster_rows >= 2)
        self.archive_action.setText(
            "Un&archive cohort" if cohort and cohort.archived else "&Archive cohort"
        )
        for action in self.member_actions:
            action.setEnabled(member_shown)
