"""Merging two records of one person from the roster: pick both, keep one, lose nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from cohortdesk.core.enums import EventKind
from cohortdesk.core.models import (
    ActivityEvent,
    Identity,
    MemberNote,
    Membership,
    Person,
    StageChange,
)
from cohortdesk.core.services.people import tracking
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.roster_model import COL_NAME, COL_POSTS
from cohortdesk.ui.views.merge_dialog import MergeDialog
from cohortdesk.ui.widgets import confirm
from tests.core.builders import MONDAY, add, event, make_cohort, person_of
from tests.ui.conftest import settle

COUNTED = (ActivityEvent, MemberNote, StageChange, Identity)


class Spring:
    """Ana typed in by hand, and again as "Moodle user 5104" from a log; Ben."""

    def __init__(self, db: Database) -> None:
        with db.write() as s:
            cohort = make_cohort(s, "Spring").id
            self.ana = add(s, cohort, "Ana Souza", email="ana@example.org")
            self.moodle = add(s, cohort, "Moodle user 5104", email="")
            self.ben = add(s, cohort, "Ben Carter")
            s.add(
                Identity(person_id=person_of(s, self.moodle), source="moodle", external_id="5104")
            )
            event(s, self.moodle, EventKind.LOGIN)
            event(s, self.moodle, EventKind.POST, thread="Week 1")
            event(s, self.ben, EventKind.REPLY, to=self.moodle, thread="Week 1")
            tracking.add_note(s, self.moodle, "Asked about week 2", now=MONDAY)
            tracking.add_note(s, self.ana, "Prefers email", now=MONDAY)


@pytest.fixture
def spring(db: Database) -> Spring:
    return Spring(db)


def counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {
            table.__tablename__: s.scalar(select(func.count()).select_from(table)) or 0
            for table in (*COUNTED, Membership, Person)
        }


def roster_names(window: MainWindow) -> list[str]:
    proxy = window.roster.proxy
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]


def click_member(
    qtbot: QtBot,
    window: MainWindow,
    name: str,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    table = window.roster.table
    index = window.roster.proxy.index(roster_names(window).index(name), COL_NAME)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualRect(index).center()
    )


def open_merge(qtbot: QtBot, window: MainWindow) -> MergeDialog:
    window.merge_action.trigger()
    dialog = window.findChild(MergeDialog)
    assert dialog is not None and dialog.isVisible()
    settle(window)  # what is recorded about each person arrives in the background
    return dialog


def test_merge_two_selected_members_and_keep_everything(
    qtbot: QtBot,
    db: Database,
    spring: Spring,
    window: MainWindow,
    yes: list[str],
) -> None:
    before = counts(db)
    click_member(qtbot, window, "Ana Souza")
    click_member(qtbot, window, "Moodle user 5104", Qt.KeyboardModifier.ControlModifier)
    assert [r.name for r in window.roster.selected_rows()] == ["Moodle user 5104", "Ana Souza"]
    assert window.merge_action.isEnabled()

    dialog = open_merge(qtbot, window)
    assert dialog.first.row().name == "Moodle user 5104"  # the current row
    assert dialog.second.row().name == "Ana Souza"
    first = dialog.first.details.text()
    assert "no email" in first and "Known as moodle 5104" in first
    assert "2 events here" in first
    assert "ana@example.org" in dialog.second.details.text()
    assert dialog.outcome.text() == "Moodle user 5104 is kept; Ana Souza is merged into them."

    qtbot.mouseClick(dialog.second.keep, Qt.MouseButton.LeftButton)
    assert dialog.outcome.text() == "Ana Souza is kept; Moodle user 5104 is merged into them."
    with qtbot.waitSignal(dialog.people_merged, timeout=30_000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    settle(window)

    assert yes[0].startswith("Merge “Moodle user 5104” into “Ana Souza”?")
    assert "2 activity events" in yes[0] and "cannot be undone" in yes[0]
    assert window.findChild(MergeDialog) is None  # closed, then deleted
    assert roster_names(window) == ["Ana Souza", "Ben Carter"]
    assert window.roster.proxy.index(0, COL_POSTS).data() == "1"
    assert window.roster.selected_membership_id() == spring.ana
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Merged Moodle user 5104 into Ana Souza: 2 events, 1 identity")
    )
    detail = window.member_panel.detail()
    assert detail is not None and detail.row.name == "Ana Souza"
    assert {note.body for note in detail.notes} == {"Prefers email", "Asked about week 2"}
    after = counts(db)
    for table in COUNTED:
        assert after[table.__tablename__] == before[table.__tablename__], table
    assert after["people"] == before["people"] - 1
    assert after["memberships"] == before["memberships"] - 1


def test_declining_the_confirmation_merges_nothing(
    qtbot: QtBot,
    db: Database,
    spring: Spring,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = counts(db)
    click_member(qtbot, window, "Ana Souza")
    click_member(qtbot, window, "Moodle user 5104", Qt.KeyboardModifier.ControlModifier)
    dialog = open_merge(qtbot, window)
    monkeypatch.setattr(confirm, "confirm", lambda *args: False)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert dialog.isVisible()
    assert counts(db) == before
    assert len(roster_names(window)) == 3


def test_from_one_selected_member_choose_the_other(
    qtbot: QtBot, spring: Spring, window: MainWindow
) -> None:
    click_member(qtbot, window, "Ana Souza")
    dialog = open_merge(qtbot, window)
    assert dialog.first.row().name == "Ana Souza"
    assert dialog.second.row() is None
    assert not dialog.merge_button.isEnabled()
    assert dialog.outcome.text() == "Choose the two records of the same person."
    assert dialog.focusWidget() is dialog.second.combo or not dialog.isActiveWindow()
    dialog.second.choose(spring.ana)
    assert not dialog.merge_button.isEnabled()
    assert dialog.outcome.text() == "Choose two different members."
    dialog.second.choose(spring.ben)
    assert dialog.merge_button.isEnabled()
    settle(window)
    assert "Known as" not in dialog.second.details.text()
    assert "No platform ids" in dialog.second.details.text()


def test_merge_is_in_the_member_menu_and_the_roster_context_menu(
    spring: Spring, window: MainWindow
) -> None:
    table = window.roster.table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert window.merge_action in table.actions()
    member_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Member"
    )
    assert window.merge_action in member_menu.actions()
    assert window.merge_action.isEnabled()


def test_merge_needs_two_members(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    with db.write() as s:
        add(s, make_cohort(s, "Tiny").id, "Ana Souza")
    window.reload_cohorts()
    settle(window)
    assert roster_names(window) == ["Ana Souza"]
    assert not window.merge_action.isEnabled()
    assert window.merge_people() is None


def test_closing_before_the_facts_arrive_is_harmless(
    qtbot: QtBot, spring: Spring, window: MainWindow
) -> None:
    click_member(qtbot, window, "Ana Souza")
    dialog = window.merge_people()
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    # delete it now, before the background work it started reports back
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    settle(window)
    assert window.findChild(MergeDialog) is None
    assert len(roster_names(window)) == 3


@pytest.mark.parametrize(("records", "said"), [(1, "1 other record:"), (3, "3 other records:")])
def test_a_card_counts_the_other_records_in_good_english(records: int, said: str) -> None:
    """It said "1 notes, check-ins, stage entries and other records"."""
    from cohortdesk.core.services.people.people import PersonFacts
    from cohortdesk.ui.views.merge_dialog import facts_text
    from tests.ui.dashboard_data import member_rows

    facts = PersonFacts.model_construct(cohorts=("MOOC",), identities=(), records=records)
    text = facts_text(member_rows()[0], facts)
    assert said in text.splitlines()[-1]
