"""An empty cohort's Today says what to do next, with buttons, instead of "Enjoy the calm"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas import CohortInput, MemberInput
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.import_dialog import ImportDialog
from cohortdesk.ui.views.member_dialog import MemberDialog
from cohortdesk.ui.widgets.empty_cohort import NO_ACTIVITY, NO_MEMBERS, is_empty
from tests.ui.conftest import settle
from tests.ui.drop_support import drop_file

ACTIVITY = """Sender,Timestamp,Action
ana@example.org,2026-10-05T09:00:00,post
"""


@pytest.fixture
def cohort_id(db: Database) -> int:
    with db.write() as session:
        return cohorts.create_cohort(session, CohortInput(name="New", timezone="UTC")).value.id


def _add_member(db: Database, cohort_id: int) -> None:
    with db.write() as session:
        members.add_member(
            session, cohort_id, MemberInput(full_name="Ana Souza", email="ana@example.org")
        )


def test_a_cohort_without_members_says_what_to_do_next(
    qtbot: QtBot, cohort_id: int, window: MainWindow
) -> None:
    settle(window)
    guide = window.today.empty_guide
    assert guide.isVisible()
    assert not window.today.splitter.isVisible()
    assert guide.title.text() == NO_MEMBERS
    assert "Enjoy the calm" not in guide.text.text()
    qtbot.mouseClick(guide.import_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_add_people_opens_the_add_member_flow(
    qtbot: QtBot,
    cohort_id: int,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settle(window)
    opened: list[str] = []

    def exec_(dialog: MemberDialog) -> int:
        opened.append(dialog.windowTitle())
        return MemberDialog.DialogCode.Rejected

    monkeypatch.setattr(MemberDialog, "exec", exec_)
    qtbot.mouseClick(window.today.empty_guide.add_button, Qt.MouseButton.LeftButton)
    assert opened == ["Add a member to New"]


def test_members_without_activity_then_with_it(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    _add_member(db, cohort_id)
    window.refresh()
    settle(window)
    guide = window.today.empty_guide
    assert guide.isVisible() and guide.title.text().startswith(NO_ACTIVITY)
    assert window.today.splitter.isVisible()  # whoever has not got in yet needs you

    path = tmp_path / "forum.csv"
    path.write_text(ACTIVITY, encoding="utf-8")
    drop_file(guide, path)  # dropped on the guide, the window takes it
    (dialog,) = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        pass
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.accept()
    settle(window)
    assert not guide.isVisible()
    assert window.today.splitter.isVisible()


@pytest.mark.parametrize(
    ("members_", "events", "empty"), [(0, 0, True), (3, 0, True), (0, 5, True), (3, 5, False)]
)
def test_is_empty(members_: int, events: int, empty: bool) -> None:
    assert is_empty(members_, events) is empty
