"""The one background-work API of the GUI.

No database or file work runs on the GUI thread. `TaskRunner.read` runs a query in a worker of
a shared pool; `TaskRunner.write` runs a change in the single write thread, inside one
`BEGIN IMMEDIATE` transaction, so writes never race each other. Results and errors come back
on the GUI thread through Qt's queued signals; no exception is swallowed: a task without its
own error handler reports to `TaskRunner.task_failed`, which the main window shows.

A write or a job returns what it changed with its result (`Changes`, or `Changed` around the
result): the runner hands the changes to the window's `ChangeNotifier` on the GUI thread, and
then gives the caller's `on_done` the result alone (None for bare `Changes`). So no caller
announces a change, and none can forget to.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QRunnable, QThreadPool, Signal
from sqlalchemy.orm import Session

from cohortdesk.core.schemas import Changed, Changes
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.server_errors import ServerUnavailableError
from cohortdesk.ui.changes import ChangeNotifier

log = logging.getLogger(__name__)

ResultHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]


class CancelledError(Exception):
    """Raised inside a job when the user cancelled it; its transaction is rolled back."""


class Progress:
    """Handed to long jobs: report progress, and check whether the user cancelled.

    It is the `core.progress.JobProgress` the long use cases take (import, export).
    """

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancelled = threading.Event()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Tell the GUI how far the job has got (`total` 0 means unknown)."""
        self._task.progressed.emit(done, total, message)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise `CancelledError` if the user cancelled; call between units of work."""
        if self._cancelled.is_set():
            raise CancelledError


class Task(QObject):
    """One job's signals; lives on the GUI thread so its slots run there."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description
        self.progress = Progress(self)
        self.traceback_text = ""

    def cancel(self) -> None:
        """Ask the job to stop at its next check; what it wrote is rolled back."""
        self.progress.cancel()


class _Runnable(QRunnable):
    def __init__(self, task: Task, job: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._job = job

    def run(self) -> None:
        try:
            result = self._job()
        except BaseException as exc:
            self._task.traceback_text = traceback.format_exc()
            self._task.failed.emit(exc)
        else:
            self._task.finished.emit(result)


def split_changes(result: Any) -> tuple[Any, Changes]:
    """A finished write's result without its changes, and the changes (empty if it had none)."""
    if isinstance(result, Changed):
        return result.value, result.changes
    if isinstance(result, Changes):
        return None, result
    return result, Changes()


class TaskRunner(QObject):
    """Runs database work off the GUI thread and reports back by signal.

    Args:
        db: the open database.
        notifier: where the changes of finished writes and jobs are announced.
        parent: the owning QObject, if any.
    """

    task_failed = Signal(object, object)  # (Task, exception) for tasks with no error handler
    busy_changed = Signal(bool)

    def __init__(
        self, db: Database, notifier: ChangeNotifier, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.notifier = notifier
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(4)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._running: set[Task] = set()

    def read(
        self,
        description: str,
        query: Callable[[Session], Any],
        on_done: ResultHandler | None = None,
        on_error: ErrorHandler | None = None,
    ) -> Task:
        """Run `query(session)` in a worker; `on_done(result)` runs on the GUI thread.

        A read that lost a shared server's connection is tried once more on a new one (a
        restarted server, a dropped network): reading twice changes nothing. Writes are not
        retried by themselves: a connection lost while committing may have committed.
        """

        def job() -> Any:
            try:
                with self.db.read() as session:
                    return query(session)
            except ServerUnavailableError:
                with self.db.read() as session:
                    return query(session)

        return self._start(self._read_pool, description, job, on_done, on_error, changes=False)

    def write(
        self,
        description: str,
        change: Callable[[Session], Any],
        on_done: ResultHandler | None = None,
        on_error: ErrorHandler | None = None,
    ) -> Task:
        """Run `change(session)` in the write thread as one transaction.

        `change` returns what it changed (`Changes` or `Changed`); they are announced before
        `on_done` gets the result.
        """

        def job() -> Any:
            with self.db.write() as session:
                return change(session)

        return self._start(self._write_pool, description, job, on_done, on_error)

    def job(
        self,
        description: str,
        work: Callable[[Progress], Any],
        on_done: ResultHandler | None = None,
        on_error: ErrorHandler | None = None,
    ) -> Task:
        """Run a long job `work(progress)` in the write thread, with progress and Cancel.

        A job that changes data returns `Changes` or `Changed`, as a write does.
        """
        task = Task(description)
        return self._start(
            self._write_pool,
            description,
            lambda: work(task.progress),
            on_done,
            on_error,
            task=task,
        )

    def _start(
        self,
        pool: QThreadPool,
        description: str,
        job: Callable[[], Any],
        on_done: ResultHandler | None,
        on_error: ErrorHandler | None,
        *,
        task: Task | None = None,
        changes: bool = True,
    ) -> Task:
        task = task or Task(description)
        was_idle = not self._running
        self._running.add(task)

        # One handler per outcome, so the result and the bookkeeping arrive in the same queued
        # call: whoever waits for `on_done`'s effects then finds the runner idle (or busy with
        # the work `on_done` chained), never still "delivering" this task.
        def delivered(result: Any) -> None:
            try:
                if changes:
                    result, changed = split_changes(result)
                    if changed:
                        self.notifier.apply(changed)
                if on_done is not None:
                    on_done(result)
            finally:
                self._forget(task)

        def failed(exc: BaseException) -> None:
            try:
                if on_error is not None:
                    on_error(exc)
                else:
                    self._report(task, exc)
            finally:
                self._forget(task)

        task.finished.connect(delivered)
        task.failed.connect(failed)
        pool.start(_Runnable(task, job))
        if was_idle:
            self.busy_changed.emit(True)
        return task

    def _report(self, task: Task, exc: BaseException) -> None:
        if task.traceback_text and not isinstance(exc, CancelledError):
            log.debug("%s failed:\n%s", task.description, task.traceback_text)
        self.task_failed.emit(task, exc)

    def _forget(self, task: Task) -> None:
        self._running.discard(task)
        if not self._running:
            self.busy_changed.emit(False)

    def is_idle(self) -> bool:
        """True when no task is running or waiting to deliver its result."""
        return not self._running

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every task has delivered (for tests and shutdown)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._running and not deadline.hasExpired():
            QCoreApplication.processEvents()
            self._read_pool.waitForDone(10)
            self._write_pool.waitForDone(10)
        QCoreApplication.processEvents()
        return not self._running

    def shutdown(self) -> None:
        """Wait for running work to finish before the database is closed."""
        self._read_pool.waitForDone()
        self._write_pool.waitForDone()


def pass_on_failure(runner: TaskRunner, task: Task, exc: BaseException) -> None:
    """Hand a failure to the runner's default report (the main window shows it as a bug).

    For a task's own error handler: it shows the errors it expects (a `KnownError`) and
    passes anything else on here, so no exception is swallowed.
    """
    runner._report(task, exc)
