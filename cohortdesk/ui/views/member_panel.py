"""The right-hand side of the main window: everything about one member, and changes to it.

The member's page (the header and six tabs, with their dialogs and schemas) is built the
first time a member is shown (`member_tabs.page`): until then the panel is its empty text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from cohortdesk.core.errors import NotFoundError
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task, pass_on_failure
from cohortdesk.ui.widgets.labels import muted_label

if TYPE_CHECKING:
    from cohortdesk.core.schemas import MemberDetail
    from cohortdesk.ui.views.event_dialog import EventDialog
    from cohortdesk.ui.views.highlight_dialog import HighlightDialog
    from cohortdesk.ui.views.member_dialog import MemberDialog
    from cohortdesk.ui.views.member_tabs.access_tab import AccessTab
    from cohortdesk.ui.views.member_tabs.activity_tab import ActivityTab
    from cohortdesk.ui.views.member_tabs.extras import MemberExtras
    from cohortdesk.ui.views.member_tabs.header import MemberHeader
    from cohortdesk.ui.views.member_tabs.motivation_tab import MotivationTab
    from cohortdesk.ui.views.member_tabs.notes_tab import NotesTab
    from cohortdesk.ui.views.member_tabs.nudges_tab import NudgesTab
    from cohortdesk.ui.views.member_tabs.page import MemberPage
    from cohortdesk.ui.views.member_tabs.stage_tab import StageTab
    from cohortdesk.ui.views.member_tabs.writer import MemberWriter
    from cohortdesk.ui.views.motivation_dialog import MotivationDialog
    from cohortdesk.ui.views.stage_dialog import StageDialog
    from cohortdesk.ui.views.text_prompt_dialog import TextPromptDialog

EMPTY_TEXT = "Select a member to see their stage, access, motivation and activity"
LOADING_TEXT = "Loading…"
GONE_TEXT = "That member is no longer in the cohort. " + EMPTY_TEXT
EMPTY_PAGE, MEMBER_PAGE = 0, 1


class MemberPanel(QWidget):
    """One member: header, then Stage, Access, Motivation, Activity, Notes and Nudges tabs.

    Reads run through `context.runner`; a response for a member no longer shown is dropped.
    Changes go through `context.runner.write`, announce `member_changed` and say what
    happened on `status_message`.

    Args:
        context: the open database's services.
        parent: the main window's splitter, usually.
    """

    status_message = Signal(str)
    """What a change did, for the status bar ("Moved Ana Souza to stage 3 · ...")."""
    member_removed = Signal(int)
    """The shown member (membership id) was removed from the cohort; the panel is now empty."""
    member_loaded = Signal(object)
    """A `MemberDetail` was shown (after `show_member` or a reload)."""
    actions_enabled_changed = Signal(bool)
    """`actions_enabled()` flipped: the Member menu's actions follow it."""
    nudge_requested = Signal(int)
    """Write to this member (membership id): the Nudges tab's "Nudge…"."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._membership_id: int | None = None
        self._detail: MemberDetail | None = None
        self._request = 0
        self._enabled = False
        self._page: MemberPage | None = None
        self._writer: MemberWriter | None = None

        self.stack = QStackedWidget()
        self.empty_label = muted_label(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(24)
        self.stack.addWidget(self.empty_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        context.changes.member_changed.connect(self._member_changed)
        context.changes.roster_changed.connect(self._roster_changed)
        context.as_of.changed.connect(self._roster_changed)  # counts as of another day
        context.changes.nudges_changed.connect(self._roster_changed)  # the Nudges tab

    # ---- the member's page, built when first needed ----

    def page_built(self) -> bool:
        """Whether the member's page (header and tabs) has been built."""
        return self._page is not None

    @property
    def member_page(self) -> MemberPage:
        """The header and the tabs, built (with their modules) the first time they are needed."""
        if self._page is None:
            from cohortdesk.ui.views.member_tabs.page import MemberPage
            from cohortdesk.ui.views.member_tabs.writer import MemberWriter
            from cohortdesk.ui.widgets.vertical_scroll import VerticalScrollArea

            writer = MemberWriter(self.context, self)
            writer.status_message.connect(self.status_message)
            writer.target_missing.connect(self._target_missing)
            writer.target_stale.connect(self._target_missing)
            page = MemberPage(self.context, writer)
            page.header.member_removed.connect(self._removed)
            page.header.highlight_button.clicked.connect(self.capture_highlight)
            page.nudges_tab.nudge_requested.connect(self.nudge_requested)
            page.highlight_event_action.triggered.connect(self._highlight_selected_event)
            # A short window scrolls the member rather than growing taller than the screen.
            self.stack.addWidget(VerticalScrollArea(page))
            self._writer, self._page = writer, page
        return self._page

    @property
    def writer(self) -> MemberWriter:
        """How the panel's parts change the member (built with the member's page)."""
        self.member_page  # noqa: B018 (built on first use)
        assert self._writer is not None
        return self._writer

    @property
    def header(self) -> MemberHeader:
        return self.member_page.header

    @property
    def tabs(self) -> QTabWidget:
        return self.member_page.tabs

    @property
    def stage_tab(self) -> StageTab:
        return self.member_page.stage_tab

    @property
    def access_tab(self) -> AccessTab:
        return self.member_page.access_tab

    @property
    def motivation_tab(self) -> MotivationTab:
        return self.member_page.motivation_tab

    @property
    def activity_tab(self) -> ActivityTab:
        return self.member_page.activity_tab

    @property
    def notes_tab(self) -> NotesTab:
        return self.member_page.notes_tab

    @property
    def nudges_tab(self) -> NudgesTab:
        return self.member_page.nudges_tab

    @property
    def highlight_event_action(self) -> QAction:
        return self.member_page.highlight_event_action

    # ---- what is shown ----

    def membership_id(self) -> int | None:
        """The member shown (or being loaded), or None."""
        return self._membership_id

    def detail(self) -> MemberDetail | None:
        """What is on screen, once loaded; None while another member loads."""
        return self._detail

    def actions_enabled(self) -> bool:
        """True when a member is shown, so the Member menu's actions apply to them."""
        return self._enabled

    @Slot(object)
    def show_member(self, membership_id: int | None) -> None:
        """Show this member (loaded in the background), or the empty state for None."""
        if membership_id is None:
            self._membership_id = None
            self._request += 1  # whatever is still loading is no longer wanted
            self._show_empty(EMPTY_TEXT)
            return
        if membership_id != self._membership_id:
            self._membership_id = membership_id
            self._detail = None
            self._set_enabled(False)
            if self.stack.currentIndex() == EMPTY_PAGE:
                self.empty_label.setText(LOADING_TEXT)
            else:
                self.member_page.setEnabled(False)
        self.reload()

    def reload(self) -> Task | None:
        """Read the shown member again; the newest request wins."""
        from cohortdesk.ui.views.member_tabs.extras import load_member

        if self._membership_id is None:
            return None
        self._request += 1
        request, membership_id = self._request, self._membership_id
        as_of = self.context.as_of.shown_day()
        task: list[Task] = []

        def loaded(found: tuple[MemberDetail, MemberExtras]) -> None:
            if request == self._request:
                detail, extras = found
                self.nudges_tab.show_nudges(extras.nudges, detail.timezone)
                self.stage_tab.evidence_box.show_evidence(extras.evidence)
                self._show_detail(detail)

        def failed(exc: BaseException) -> None:
            if request != self._request:
                return
            if isinstance(exc, NotFoundError):
                self._membership_id = None
                self._show_empty(GONE_TEXT)
            else:
                pass_on_failure(self.context.runner, task[0], exc)

        task.append(
            self.context.runner.read(
                "Load member", lambda s: load_member(s, membership_id, as_of), loaded, failed
            )
        )
        return task[0]

    def _show_detail(self, detail: MemberDetail) -> None:
        self._detail = detail
        for part in self.member_page.parts():
            part.show_detail(detail)
        self.member_page.setEnabled(True)
        self.stack.setCurrentIndex(MEMBER_PAGE)
        self._set_enabled(True)
        self.member_loaded.emit(detail)

    def _show_empty(self, text: str) -> None:
        self._detail = None
        self.empty_label.setText(text)
        self.stack.setCurrentIndex(EMPTY_PAGE)
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        if enabled != self._enabled:
            self._enabled = enabled
            self.actions_enabled_changed.emit(enabled)

    @Slot(int, int)
    def _member_changed(self, cohort_id: int, membership_id: int) -> None:
        if membership_id == self._membership_id:
            self.reload()

    @Slot(int)
    def _roster_changed(self, cohort_id: int) -> None:
        # Someone else's name may appear here ("replied to"), or this member may be gone.
        if self._detail is not None and self._detail.cohort_id == cohort_id:
            self.reload()

    @Slot(int)
    def _target_missing(self, membership_id: int) -> None:
        if membership_id == self._membership_id:
            self.reload()

    @Slot(int)
    def _removed(self, membership_id: int) -> None:
        if membership_id == self._membership_id:
            self.show_member(None)
        self.member_removed.emit(membership_id)

    # ---- actions for the Member menu ----

    @Slot()
    def change_stage(self) -> StageDialog | None:
        """Open "Change stage…" for the shown member."""
        return self.stage_tab.change_stage() if self._show_tab(self.stage_tab) else None

    @Slot()
    def record_motivation(self) -> MotivationDialog | None:
        """Open "Add check-in…" for the shown member."""
        if not self._show_tab(self.motivation_tab):
            return None
        return self.motivation_tab.record_motivation()

    @Slot()
    def add_event(self) -> EventDialog | None:
        """Open "Add event…" for the shown member."""
        return self.activity_tab.add_event() if self._show_tab(self.activity_tab) else None

    @Slot()
    def report_access_problem(self) -> TextPromptDialog | None:
        """Open "Report a problem…" for the shown member."""
        return self.access_tab.report_problem() if self._show_tab(self.access_tab) else None

    @Slot()
    def add_note_focus(self) -> None:
        """Switch to Notes and put the cursor in the note box."""
        if self._show_tab(self.notes_tab):
            self.notes_tab.focus_note()

    @Slot()
    def edit_details(self) -> MemberDialog | None:
        """Open "Edit details…" for the shown member."""
        return self.header.edit_details() if self.actions_enabled() else None

    @Slot()
    def remove_member(self) -> None:
        """Ask, then remove the shown member from the cohort."""
        if self.actions_enabled():
            self.header.remove_member()

    def _show_tab(self, tab: QWidget) -> bool:
        if not self.actions_enabled():
            return False
        self.tabs.setCurrentWidget(tab)
        return True

    # ---- highlights ----

    @Slot()
    def _highlight_selected_event(self) -> None:
        event = self.activity_tab.selected_event()
        self.capture_highlight(event.id if event else None)

    @Slot()
    def capture_highlight(self, event_id: int | None = None) -> HighlightDialog | None:
        """Open "Capture a highlight" for the shown member, from `event_id` if given."""
        from cohortdesk.core.services.dashboards import highlights
        from cohortdesk.ui.views.highlight_dialog import HighlightDialog
        from cohortdesk.ui.views.member_tabs.writer import MemberTarget

        detail = self._detail
        if not self.actions_enabled() or detail is None:
            return None
        target = MemberTarget.of(detail)
        dialog = HighlightDialog(
            self,
            [(target.membership_id, target.name)],
            self.context.as_of.shown_day(),  # an ended cohort's highlight: on its last day
            membership_id=target.membership_id,
            events=detail.events,
            timezone=detail.timezone,
            event_id=event_id if isinstance(event_id, int) else None,
        )
        dialog.finished.connect(dialog.deleteLater)

        def save() -> None:
            data = dialog.value()
            self.writer.write(
                "Capture highlight",
                target,
                lambda s: highlights.add_highlight(s, data),
                f"Captured a highlight of {target.name}",
            )

        def tags_arrived(tags: list[str]) -> None:
            if shiboken6.isValid(dialog):
                dialog.set_tags(tags)

        dialog.accepted.connect(save)
        self.context.runner.read(
            "Load tags", lambda s: highlights.all_tags(s, target.cohort_id), tags_arrived
        )
        dialog.open()
        return dialog
