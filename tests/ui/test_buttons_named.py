"""Every button of the main window and of each dialog says what it is and what it does.

A screen reader reads a button's accessible name (or its text); everyone else hovers for its
tooltip. A button with an icon only (the star) has neither unless it is given them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCalendarWidget,
    QDialog,
    QLineEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import NudgeChannel, NudgeStatus
from cohortdesk.core.schemas import NudgeInput
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.cohort_dialog import CohortDialog
from cohortdesk.ui.views.drafts_question import DraftsQuestion
from tests.ui.conftest import TODAY, settle

_QT_PARTS = (QTabBar, QCalendarWidget, QAbstractSpinBox, QLineEdit)
"""Widgets whose own buttons Qt makes and names (tab scrolling, calendars, clearing a field)."""


def _own_buttons(top: QWidget) -> list[QAbstractButton]:
    """The buttons cohortdesk made (not the tab bar's scroll arrows or a calendar's)."""
    found = []
    for button in top.findChildren(QAbstractButton):
        if button.objectName().startswith("qt_"):
            continue
        parent = button.parentWidget()
        if isinstance(parent, _QT_PARTS) or isinstance(parent.parentWidget(), _QT_PARTS):
            continue
        found.append(button)
    return found


def unnamed(top: QWidget) -> list[str]:
    """The buttons without an accessible name (or text) or without a tooltip."""
    missing = []
    for button in _own_buttons(top):
        text = button.text().replace("&", "").strip()
        # a symbol ("★", "···") is no name: a screen reader cannot say what it does
        name = button.accessibleName() or (text if any(c.isalnum() for c in text) else "")
        where = f"{type(top).__name__}: {type(button).__name__} {name or '(no name)'!r}"
        if not name:
            missing.append(f"{where} has no accessible name")
        if not button.toolTip():
            missing.append(f"{where} has no tooltip")
    return missing


def test_every_button_of_the_main_window_is_named(shown: MainWindow) -> None:
    shown.today.table.selectRow(0)
    settle(shown)
    for index in range(shown.pages.count()):
        shown.pages.setCurrentIndex(index)
        settle(shown)
    missing = unnamed(shown)
    assert not missing, "\n".join(missing)


DIALOGS = (
    "nudge",
    "nudges",
    "templates",
    "settings",
    "imports",
    "export",
    "compare",
    "merge",
    "import",
    "mentoring",
    "highlights",
    "experts",
    "review pack",
    "mentor view",
    "stage",
    "motivation",
    "event",
    "access problem",
    "member",
    "cohort",
    "drafts",
)


def _opener(window: MainWindow, db: Database, name: str) -> Callable[[], Any]:
    panel, mentoring, messaging = window.member_panel, window.mentoring, window.messaging

    def drafts() -> QDialog:
        with db.read() as session:
            waiting = nudges.drafts_to_confirm(session)
        return DraftsQuestion(window.context, waiting, lambda _text: None, window)

    return {
        "nudge": messaging.nudge_selected,
        "nudges": messaging.show_nudges,
        "templates": messaging.show_templates,
        "settings": messaging.show_settings,
        "imports": window.show_imports,
        "export": window.export_cohort,
        "compare": window.compare_cohorts,
        "merge": window.merge_people,
        "import": lambda: window.open_import_dialog(None),
        "mentoring": mentoring.show_mentoring,
        "highlights": mentoring.show_highlights,
        "experts": mentoring.find_experts,
        "review pack": mentoring.make_review_pack,
        "mentor view": mentoring.show_mentor_view,
        "stage": panel.change_stage,
        "motivation": panel.record_motivation,
        "event": panel.add_event,
        "access problem": panel.report_access_problem,
        "member": panel.edit_details,
        "cohort": lambda: CohortDialog(window, "Edit cohort", None, TODAY),
        "drafts": drafts,
    }[name]


@pytest.mark.parametrize("name", DIALOGS)
def test_every_button_of_each_dialog_is_named(
    shown: MainWindow, db: Database, demo: int, qtbot: QtBot, name: str
) -> None:
    first = shown.today.model.item_at(0)
    with db.write() as session:
        draft = NudgeInput(body="Hi", channel=NudgeChannel.CLIPBOARD, status=NudgeStatus.DRAFT)
        nudges.log_nudge(session, first.membership_id, draft)
    shown.today.table.selectRow(0)
    settle(shown)
    dialog = _opener(shown, db, name)()
    assert dialog is not None, name
    settle(shown)
    try:
        missing = unnamed(dialog)
        assert not missing, "\n".join(missing)
    finally:
        dialog.close()
        settle(shown)
