"""The background-work API: results and errors come back on the GUI thread, never lost."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.tasks import CancelledError, Progress, TaskRunner


def test_a_read_runs_off_the_gui_thread_and_answers_on_it(qtbot: QtBot, db: Database) -> None:
    runner = TaskRunner(db, ChangeNotifier())
    seen: dict[str, object] = {}

    def query(session: Session) -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return len(cohorts.list_cohorts(session))

    def done(result: int) -> None:
        seen["result"] = result
        seen["gui"] = QThread.currentThread() is runner.thread()

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.read("Counting", query, done)
    assert seen == {"worker": True, "result": 0, "gui": True}
    assert runner.is_idle()


def test_writes_commit_and_failures_reach_the_gui(qtbot: QtBot, db: Database) -> None:
    runner = TaskRunner(db, ChangeNotifier())
    runner.write("Create", lambda s: cohorts.create_cohort(s, CohortInput(name="One")))
    with qtbot.waitSignal(runner.task_failed) as failure:
        runner.write("Create again", lambda s: cohorts.create_cohort(s, CohortInput(name="one")))
    task, exc = failure.args
    assert task.description == "Create again"
    assert isinstance(exc, KnownError)
    with db.read() as session:
        assert [c.name for c in cohorts.list_cohorts(session)] == ["One"]


def test_a_bug_in_a_task_is_reported_with_its_traceback(qtbot: QtBot, db: Database) -> None:
    runner = TaskRunner(db, ChangeNotifier())

    def broken(_session: Session) -> None:
        raise ZeroDivisionError("oops")

    with qtbot.waitSignal(runner.task_failed) as failure:
        runner.read("Broken", broken)
    task, exc = failure.args
    assert isinstance(exc, ZeroDivisionError)
    assert "ZeroDivisionError: oops" in task.traceback_text


def test_a_cancelled_job_rolls_back_what_it_wrote(qtbot: QtBot, db: Database) -> None:
    runner = TaskRunner(db, ChangeNotifier())

    def work(progress: Progress) -> None:
        with db.write() as session:
            cohorts.create_cohort(session, CohortInput(name="Half"))
            progress.report(1, 2, "halfway")
            progress.cancel()
            progress.check()

    with qtbot.waitSignal(runner.task_failed) as failure:
        runner.job("Long job", work)
    assert isinstance(failure.args[1], CancelledError)
    with db.read() as session:
        assert cohorts.list_cohorts(session) == []


class _Announcer(QObject):
    announced = Signal()


def test_the_runner_is_idle_once_a_result_has_been_handled(qtbot: QtBot, db: Database) -> None:
    """A view announces what it loaded from `on_done`; whoever waits for that announcement
    must find the task forgotten, not still 'delivering' (this raced before)."""
    runner = TaskRunner(db, ChangeNotifier())
    announcer = _Announcer()
    for _ in range(40):
        with qtbot.waitSignal(announcer.announced):
            runner.read("Count", cohorts.list_cohorts, lambda _rows: announcer.announced.emit())
        assert runner.is_idle()
    with qtbot.waitSignal(announcer.announced):
        runner.read("Broken", lambda _s: 1 / 0, on_error=lambda _exc: announcer.announced.emit())
    assert runner.is_idle()
