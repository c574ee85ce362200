"""The window's messaging commands: Nudge…, the Nudges list, templates and cohort settings.

Kept out of the main window so it stays small: the window builds one `Messaging`, puts its
actions in the menus and connects the views that ask for a nudge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QTabWidget, QWidget

from cohortdesk.core.schemas import AttentionItem, CohortRow, DraftNudge, MemberRow
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.message_labels import suggestion_reason
from cohortdesk.ui.views.member_panel import MemberPanel
from cohortdesk.ui.views.roster_view import RosterView
from cohortdesk.ui.views.today_view import TodayView

if TYPE_CHECKING:
    from cohortdesk.core.services.messaging.sending import Recipient
    from cohortdesk.ui.views.cohort_settings_dialog import CohortSettingsDialog
    from cohortdesk.ui.views.drafts_question import DraftsQuestion
    from cohortdesk.ui.views.nudge_dialog import NudgeDialog
    from cohortdesk.ui.views.nudges_dialog import NudgesDialog
    from cohortdesk.ui.views.templates_dialog import TemplatesDialog

NUDGE_SHORTCUT = "Ctrl+Shift+G"


def recipient_of_item(item: AttentionItem) -> Recipient:
    """A learner of the attention list, with the template suggested for them and why."""
    from cohortdesk.core.services.messaging.sending import Recipient

    return Recipient(
        item.membership_id,
        item.name,
        item.email,
        item.stage,
        item.suggested_template_id,
        suggestion_reason(item.suggested_for, item.stage),
    )


def recipient_of_row(row: MemberRow, item: AttentionItem | None = None) -> Recipient:
    """A member of the roster (with the attention list's suggestion, when they are on it)."""
    from cohortdesk.core.services.messaging.sending import Recipient

    if item is not None:
        return recipient_of_item(item)
    return Recipient(row.membership_id, row.name, row.email, row.stage)


class Messaging(QObject):
    """Opens the messaging dialogs for the window's selected cohort and members.

    Args:
        context: the open database's services.
        window: the main window (the dialogs' parent).
        pages: the centre tabs (Today, Roster…), to know where the selection is.
        today: the Today view.
        roster: the roster view.
        member_panel: the member panel (its shown member is the fallback selection).
        current_cohort: the selected cohort, or None.
        say: puts a sentence in the status bar.
    """

    def __init__(
        self,
        context: AppContext,
        window: QWidget,
        pages: QTabWidget,
        today: TodayView,
        roster: RosterView,
        member_panel: MemberPanel,
        current_cohort: Callable[[], CohortRow | None],
        say: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.pages = pages
        self.today = today
        self.roster = roster
        self.member_panel = member_panel
        self.current_cohort = current_cohort
        self.say = say
        self.cohort_actions: list[QAction] = []
        self.drafts_question: DraftsQuestion | None = None
        self.nudge_action = QAction("&Nudge…", window)
        self.nudge_action.setShortcut(QKeySequence(NUDGE_SHORTCUT))
        self.nudge_action.setStatusTip("Write to the selected members from a template")
        self.nudge_action.triggered.connect(self.nudge_selected)
        today.nudge_requested.connect(self.nudge_items)
        today.status_message.connect(say)
        member_panel.nudge_requested.connect(lambda mid: self.nudge_members([mid]))

    def add_cohort_actions(self, menu: QMenu) -> None:
        """The Cohort menu's Nudges…, Message templates… and settings entries."""
        entries: list[tuple[str, Callable[[], object], str]] = [
            ("N&udges…", self.show_nudges, "Every nudge sent in this cohort, and what followed"),
            (
                "Message &templates…",
                self.show_templates,
                "The templates nudges start from: create, edit, duplicate, retire",
            ),
            (
                "Attention and message &settings…",
                self.show_settings,
                "When someone needs you, what counts as stage evidence, and the facts messages use",
            ),
        ]
        for text, slot, tip in entries:
            action = QAction(text, self.window)
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            menu.addAction(action)
            if slot != self.show_templates:  # the library needs no cohort
                self.cohort_actions.append(action)

    def update_actions(self, has_cohort: bool) -> None:
        for action in self.cohort_actions:
            action.setEnabled(has_cohort)

    # -- nudging -------------------------------------------------------------------------

    def _suggestions(self) -> dict[int, AttentionItem]:
        return {i.membership_id: i for i in self.today.model.items()}

    @Slot()
    def nudge_selected(self) -> NudgeDialog | None:
        """Member ▸ Nudge…: the members selected on the page shown (Today or the roster)."""
        if self.pages.currentWidget() is self.today and self.today.selected_items():
            return self.nudge_items(self.today.selected_items())
        rows = self.roster.selected_rows()
        if rows:
            suggested = self._suggestions()
            return self._open([recipient_of_row(r, suggested.get(r.membership_id)) for r in rows])
        shown = self.member_panel.membership_id()
        return self.nudge_members([shown]) if shown is not None else None

    @Slot(list)
    def nudge_items(self, items: list[AttentionItem]) -> NudgeDialog | None:
        """Write to learners of the attention list."""
        return self._open([recipient_of_item(item) for item in items])

    def nudge_members(self, membership_ids: list[int]) -> NudgeDialog | None:
        """Write to these members of the selected cohort (found in the roster)."""
        by_id = {row.membership_id: row for row in self.roster.model.rows()}
        suggested = self._suggestions()
        recipients = [
            recipient_of_row(by_id[mid], suggested.get(mid))
            for mid in membership_ids
            if mid in by_id
        ]
        return self._open(recipients)

    def _open(self, recipients: list[Recipient]) -> NudgeDialog | None:
        from cohortdesk.ui.views.nudge_dialog import NudgeDialog

        cohort = self.current_cohort()
        if cohort is None or not recipients:
            self.say("Select the members to nudge first")
            return None
        dialog = NudgeDialog(self.context, cohort, recipients, self.window)
        dialog.status_message.connect(self.say)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- drafts not confirmed -----------------------------------------------------------

    def ask_about_drafts(self) -> None:
        """At start: "Did you send these?" when messages were copied or mailed but never
        confirmed sent (nothing is shown when there are none)."""
        from cohortdesk.core.services.messaging import nudges

        self.context.runner.read(
            "Looking for nudges to confirm", nudges.drafts_to_confirm, self._drafts_found
        )

    def _drafts_found(self, drafts: list[DraftNudge]) -> None:
        from cohortdesk.ui.views.drafts_question import DraftsQuestion

        if not drafts or not shiboken6.isValid(self.window):
            return
        dialog = DraftsQuestion(self.context, drafts, self.say, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.drafts_question = dialog

    # -- lists and settings --------------------------------------------------------------

    @Slot()
    def show_nudges(self) -> NudgesDialog | None:
        """Cohort ▸ Nudges…: the cohort's nudges and their outcomes."""
        from cohortdesk.ui.views.nudges_dialog import NudgesDialog

        cohort = self.current_cohort()
        if cohort is None:
            return None
        dialog = NudgesDialog(self.context, cohort, self.window)
        dialog.status_message.connect(self.say)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def show_templates(self) -> TemplatesDialog:
        """Cohort ▸ Message templates…: the library, previewing with this cohort's members."""
        from cohortdesk.ui.views.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self.context, self.current_cohort(), self.window)
        dialog.status_message.connect(self.say)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def show_settings(self) -> CohortSettingsDialog | None:
        """Cohort ▸ Attention and message settings…."""
        from cohortdesk.ui.views.cohort_settings_dialog import CohortSettingsDialog

        cohort = self.current_cohort()
        if cohort is None:
            return None
        dialog = CohortSettingsDialog(self.context, cohort, self.window)
        dialog.settings_saved.connect(self.say)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
