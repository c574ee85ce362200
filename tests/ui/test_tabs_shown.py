"""The tabs of the window stay in sight at every size the window allows.

The cohort's pages (Today, Roster, Dashboard, beside the as-of day) never scroll their tabs
and never cut a label, down to the window's narrowest. The member panel's six tabs are all in
full from a laptop's 1280 px up; in a narrower window they may scroll, the one shown in sight.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTabWidget, QToolButton

from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from tests.real_cohorts import REAL_COHORTS, build
from tests.ui.conftest import settle
from tests.ui.test_fits_a_laptop import show_first_member

WIDTHS = (0, 1024, 1100, 1280, 1440)
"""Window widths tried (0: as narrow as the window goes)."""


def hidden_tabs(tabs: QTabWidget, *, every: bool = True) -> list[str]:
    """The tabs not wholly in sight or drawn narrower than their label needs (`every`: any
    tab; otherwise the current one), and the scroll arrows if `every` and any shows."""
    bar = tabs.tabBar()
    found = []
    for index in range(tabs.count()) if every else [tabs.currentIndex()]:
        rect = bar.tabRect(index)
        if not bar.rect().contains(rect) or rect.width() < bar.tabSizeHint(index).width():
            found.append(f"{tabs.tabText(index)} at {rect.x()}+{rect.width()} in {bar.width()}")
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    if every and arrows:
        found.append(f"{len(arrows)} scroll arrows")
    corner = tabs.cornerWidget()
    if corner is not None and corner.isVisible() and bar.geometry().right() > corner.x():
        found.append("the tabs run under the as-of day")
    return found


def tabs_out_of_sight(window: MainWindow) -> list[str]:
    """At each width, with a member shown beside each cohort's pages: the tabs not in sight."""
    found = []
    cohorts = window.cohort_list
    for row in range(cohorts.model.rowCount()):
        cohorts.view.setCurrentIndex(cohorts.model.index(row, 0))
        settle(window)
        name = cohorts.current_row().name  # type: ignore[union-attr]
        window.pages.show_roster()
        window.roster.table.selectRow(0)
        settle(window)
        assert window.member_panel.isVisible()
        for width in WIDTHS:
            window.resize(width, 700)
            QApplication.processEvents()
            where = f"{name} at {window.width()} px"
            found += [f"{where}: {t}" for t in hidden_tabs(window.pages)]
            panel = hidden_tabs(window.member_panel.tabs, every=window.width() >= 1280)
            found += [f"{where}, member: {t}" for t in panel]
    return found


def test_the_demo_keeps_every_tab_in_sight(window: MainWindow, demo: int) -> None:
    assert not tabs_out_of_sight(window)


@pytest.mark.parametrize("real", REAL_COHORTS, ids=lambda cohort: cohort.name)
def test_the_real_cohorts_keep_every_tab_in_sight(
    window: MainWindow, db: Database, real_fixtures: Path, real: object
) -> None:
    build(db, real, real_fixtures)  # type: ignore[arg-type]
    window.reload_cohorts()
    settle(window)
    assert not tabs_out_of_sight(window)


def test_the_window_still_fits_the_smallest_screen(window: MainWindow, demo: int) -> None:
    """Keeping the tabs whole does not push the window past 1024 px with a member shown."""
    show_first_member(window, demo)
    assert window.member_panel.isVisible()
    assert window.minimumSizeHint().width() <= 1024
