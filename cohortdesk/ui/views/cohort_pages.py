"""The centre of the window: Today, the roster and the dashboard of the same cohort, as tabs.

The dashboard (its charts, with pyqtgraph and numpy behind them) is built the first time it
is shown or asked for: a start that never opens it never loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QTabWidget, QWidget

from cohortdesk.core.schemas import CohortRow
from cohortdesk.ui.views.roster_view import RosterView

if TYPE_CHECKING:
    from cohortdesk.ui.charts.base import Selection
    from cohortdesk.ui.views.dashboard_view import DashboardView

DASHBOARD_TIP = "The cohort at a glance, in charts (Ctrl+2)"


class CohortPages(QTabWidget):
    """The roster and the dashboard of the same cohort, as tabs (the window adds Today).

    A click on a chart selects its members in the roster: one member stays on the dashboard
    (the member panel shows them); several switch to the roster, where they are selected.

    Args:
        roster: the roster tab.
        make_dashboard: builds the dashboard tab (given its parent) when it is first needed.
        parent: the main window's splitter.
    """

    status_message = Signal(str)

    def __init__(
        self,
        roster: RosterView,
        make_dashboard: Callable[[QWidget], DashboardView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.roster = roster
        self._make_dashboard = make_dashboard
        self._dashboard: DashboardView | None = None
        self._cohort: CohortRow | None = None
        self._stand_in = QWidget()  # the dashboard's tab until it is built
        self.setDocumentMode(True)
        # The tabs are never scrolled nor shortened: their whole width (and the as-of day's
        # beside them) counts in the pages' minimum, which the window's splitter respects.
        self.setUsesScrollButtons(False)
        self.setElideMode(Qt.TextElideMode.ElideNone)
        self.addTab(roster, "Roster")
        self.addTab(self._stand_in, "Dashboard")
        self.setTabToolTip(self.indexOf(roster), "Who is in the cohort (Ctrl+1)")
        self.setTabToolTip(self.indexOf(self._stand_in), DASHBOARD_TIP)
        self.currentChanged.connect(self._tab_changed)

    @property
    def dashboard(self) -> DashboardView:
        """The dashboard tab, built (with its charts) the first time it is needed."""
        if self._dashboard is None:
            was_active = self.window().isActiveWindow()
            dashboard = self._make_dashboard(self)  # a child from the start, never a window
            self._dashboard = dashboard
            index = self.indexOf(self._stand_in)
            was_current = self.currentIndex() == index
            self.blockSignals(True)  # the tab stays the same one for whoever watches
            self.insertTab(index, dashboard, "Dashboard")
            self.removeTab(index + 1)
            self.setTabToolTip(index, DASHBOARD_TIP)
            if was_current:
                self.setCurrentIndex(index)
            self.blockSignals(False)
            self._stand_in.deleteLater()
            dashboard.members_selected.connect(self.select)
            dashboard.show_cohort(self._cohort)
            if was_active:
                # building the charts takes the window's activation (and so the keyboard)
                # away, once the queued window events are handled: ask for it back after them
                self.window().activateWindow()
        return self._dashboard

    def dashboard_built(self) -> bool:
        """Whether the dashboard has been built (reloading one never shown is not needed)."""
        return self._dashboard is not None

    @Slot(int)
    def _tab_changed(self, index: int) -> None:
        if self._dashboard is None and self.widget(index) is self._stand_in:
            self.dashboard  # noqa: B018 (built on first use)

    def show_cohort(self, cohort: CohortRow | None) -> None:
        self._cohort = cohort
        self.roster.show_cohort(cohort)
        if self._dashboard is not None:
            self._dashboard.show_cohort(cohort)

    @Slot()
    def show_roster(self) -> None:
        self.setCurrentWidget(self.roster)  # by widget: the window adds Today before it

    @Slot()
    def show_dashboard(self) -> None:
        self.setCurrentWidget(self.dashboard)

    @Slot()
    def find_member(self) -> None:
        """Ctrl+F: the roster's filter box, from any tab."""
        self.show_roster()
        self.roster.focus_search()

    @Slot(object)
    def select(self, selection: Selection) -> int:
        """Select the members a chart picked in the roster; say what was selected."""
        found = self.roster.select_members(selection.membership_ids)
        if not found:
            self.status_message.emit("Those members are not in the roster any more")
            return 0
        if found > 1:
            self.show_roster()
            self.status_message.emit(f"Selected {found:,} {selection.description}")
        else:
            self.status_message.emit(f"Selected {selection.description}")
        return found
