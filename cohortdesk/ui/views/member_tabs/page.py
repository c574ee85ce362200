"""The member panel's page for one member: the header, then Stage, Access, Motivation,
Activity, Notes and Nudges tabs.

The panel builds it (and imports the tabs, their dialogs and their schemas) the first time a
member is shown: a window where nobody is selected never loads them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from cohortdesk.ui.context import AppContext
from cohortdesk.ui.views.member_tabs.access_tab import AccessTab
from cohortdesk.ui.views.member_tabs.activity_tab import ActivityTab
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.header import MemberHeader
from cohortdesk.ui.views.member_tabs.motivation_tab import MotivationTab
from cohortdesk.ui.views.member_tabs.notes_tab import NotesTab
from cohortdesk.ui.views.member_tabs.nudges_tab import NudgesTab
from cohortdesk.ui.views.member_tabs.stage_tab import StageTab
from cohortdesk.ui.views.member_tabs.writer import MemberWriter


class MemberPage(QWidget):
    """The header and the six tabs of one member; every change goes through `writer`."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(10)
        self.header = MemberHeader(context, writer)
        layout.addWidget(self.header)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.stage_tab = StageTab(context, writer)
        self.access_tab = AccessTab(context, writer)
        self.motivation_tab = MotivationTab(context, writer)
        self.activity_tab = ActivityTab(context, writer)
        self.notes_tab = NotesTab(context, writer)
        self.nudges_tab = NudgesTab(context, writer)
        self.tabs.addTab(self.stage_tab, "&Stage")
        self.tabs.addTab(self.access_tab, "A&ccess")
        self.tabs.addTab(self.motivation_tab, "&Motivation")
        self.tabs.addTab(self.activity_tab, "Ac&tivity")
        self.tabs.addTab(self.notes_tab, "&Notes")
        self.tabs.addTab(self.nudges_tab, "N&udges")
        layout.addWidget(self.tabs, 1)
        # Capture a highlight from an event: right-click it in the Activity tab.
        events_view = self.activity_tab.events_view
        self.highlight_event_action = QAction("Capture as highlight…", events_view)
        events_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        events_view.addAction(self.highlight_event_action)

    def parts(self) -> tuple[MemberTab, ...]:
        """The header and the tabs: each shows the member's detail."""
        return (
            self.header,
            self.stage_tab,
            self.access_tab,
            self.motivation_tab,
            self.activity_tab,
            self.notes_tab,
            self.nudges_tab,
        )
