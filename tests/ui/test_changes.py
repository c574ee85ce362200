"""Changes travel with results: the runner announces what a write returned, nobody else does."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import Signal
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

import cohortdesk.ui
from cohortdesk.core.schemas import Changed, Changes, CohortInput, CohortRow
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.tasks import TaskRunner

UI = Path(cohortdesk.ui.__file__).parent
SIGNALS = frozenset(
    name for name, value in vars(ChangeNotifier).items() if isinstance(value, Signal)
)
#: the notifier itself, and the runner that hands it each write's changes
ANNOUNCERS = {
    "changes.py": "the notifier",
    "tasks.py": "the task runner",
    "server_watch.py": "what others committed on a shared server",
}


def announcements(source: str) -> list[str]:
    """Where `source` emits a `ChangeNotifier` signal or applies changes itself (`line: code`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver, method = node.func.value, node.func.attr
        emits = method == "emit" and (
            (isinstance(receiver, ast.Attribute) and receiver.attr in SIGNALS)
            or (isinstance(receiver, ast.Name) and receiver.id in SIGNALS)
        )
        applies = method == "apply" and (
            (isinstance(receiver, ast.Attribute) and receiver.attr in {"changes", "notifier"})
            or (isinstance(receiver, ast.Name) and receiver.id in {"changes", "notifier"})
        )
        if emits or applies:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_scan_finds_a_hand_made_announcement() -> None:
    """The check below could pass by finding nothing: here is what it must find."""
    source = (
        "def done(self, cohort_id):\n"
        "    self.context.changes.roster_changed.emit(cohort_id)\n"
        "    changes = self.context.changes\n"
        "    changes.cohorts_changed.emit()\n"
        "    changes.apply(something)\n"
        "    self.status_message.emit('fine: not a change signal')\n"
    )
    assert announcements(source) == [
        "2: self.context.changes.roster_changed.emit(cohort_id)",
        "4: changes.cohorts_changed.emit()",
        "5: changes.apply(something)",
    ]
    assert {"cohorts_changed", "roster_changed", "member_changed", "nudges_changed"} <= SIGNALS


def test_no_view_announces_a_change_by_hand() -> None:
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 50  # the whole GUI is scanned, not an empty folder
    by_hand = {
        str(path.relative_to(UI)): found
        for path in modules
        if path.relative_to(UI).as_posix() not in ANNOUNCERS
        and (found := announcements(path.read_text("utf-8")))
    }
    assert by_hand == {}, "announce changes by returning them from the write (`Changes`)"


def test_a_write_announces_its_changes_before_on_done_gets_its_value(
    qtbot: QtBot, db: Database
) -> None:
    notifier = ChangeNotifier()
    runner = TaskRunner(db, notifier)
    heard: list[str] = []
    notifier.cohorts_changed.connect(lambda: heard.append("cohorts_changed"))

    def done(row: CohortRow) -> None:
        heard.append(f"on_done {row.name}")

    runner.write("Create", lambda s: cohorts.create_cohort(s, CohortInput(name="One")), done)
    assert runner.wait_idle(60_000)
    assert heard == ["cohorts_changed", "on_done One"]


def test_bare_changes_give_on_done_nothing_and_reads_are_left_alone(
    qtbot: QtBot, db: Database
) -> None:
    notifier = ChangeNotifier()
    runner = TaskRunner(db, notifier)
    rosters: list[int] = []
    notifier.roster_changed.connect(rosters.append)
    results: list[object] = []
    runner.write("Touch", lambda _s: Changes.of_roster(4), results.append)
    runner.job("Touch", lambda _p: Changed(value=7, changes=Changes.of_roster(5)), results.append)
    assert runner.wait_idle(60_000)
    assert results == [None, 7] and rosters == [4, 5]

    def odd_read(_session: Session) -> Changed[int]:
        return Changed(value=1, changes=Changes.of_roster(6))

    runner.read("Read", odd_read, results.append)
    assert runner.wait_idle(60_000)
    assert rosters == [4, 5]  # a read changes nothing: its result is handed over as it is
    assert isinstance(results[-1], Changed)


def test_a_failed_write_announces_nothing(qtbot: QtBot, db: Database) -> None:
    notifier = ChangeNotifier()
    runner = TaskRunner(db, notifier)
    heard: list[object] = []
    notifier.cohorts_changed.connect(lambda: heard.append("cohorts"))

    def create_twice(session: Session) -> Changed[CohortRow]:
        cohorts.create_cohort(session, CohortInput(name="Twice"))
        return cohorts.create_cohort(session, CohortInput(name="twice"))

    runner.write("Create twice", create_twice, on_error=heard.append)
    assert runner.wait_idle(60_000)
    assert len(heard) == 1 and not isinstance(heard[0], str)  # the error, and no announcement


def test_the_notifier_says_each_change_once_at_its_grain(qtbot: QtBot) -> None:
    notifier = ChangeNotifier()
    heard: list[tuple[object, ...]] = []
    for name in sorted(SIGNALS):
        getattr(notifier, name).connect(lambda *args, n=name: heard.append((n, *args)))
    notifier.apply(
        Changes(
            cohorts=True,
            rosters=frozenset({2}),
            members=frozenset({(2, 20), (3, 30)}),
            nudges=frozenset({3}),
            templates=True,
            mentoring=frozenset({2}),
            highlights=frozenset({3}),
        )
    )
    assert heard == [
        ("roster_changed", 2),
        ("member_changed", 3, 30),  # member 20 is in roster 2, which reloads as a whole
        ("nudges_changed", 3),
        ("mentoring_changed", 2),
        ("highlights_changed", 3),
        ("templates_changed",),
        ("cohorts_changed",),
    ]
    heard.clear()
    notifier.apply(Changes(everything=True, rosters=frozenset({2})))
    assert heard == [("data_replaced",)]
