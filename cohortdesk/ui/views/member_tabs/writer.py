"""How the member panel changes things: off the GUI thread, errors shown.

What changed is announced by the task runner, from what the service returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.schemas import Changed, Changes, MemberDetail
from cohortdesk.core.storage.server_errors import ServerUnavailableError, StaleEditError
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task, pass_on_failure

T = TypeVar("T")


@dataclass(frozen=True)
class MemberTarget:
    """The member an action started on, captured before its dialog opens."""

    cohort_id: int
    membership_id: int
    name: str
    cohort_name: str

    @classmethod
    def of(cls, detail: MemberDetail) -> MemberTarget:
        return cls(detail.cohort_id, detail.row.membership_id, detail.row.name, detail.cohort_name)


class MemberWriter(QObject):
    """Runs a change in the write thread; on success says what happened.

    A `KnownError` (the member was removed meanwhile, say) is shown in a warning box over
    `window`; anything else is a bug and goes to `TaskRunner.task_failed` like any task's.
    """

    status_message = Signal(str)
    """One sentence saying what changed, for the status bar."""
    target_missing = Signal(int)
    """A change failed because something was gone (membership id): worth reading again."""
    target_stale = Signal(int)
    """A save was refused because someone else changed the member (membership id) since it
    was read: read it again to show their version."""

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self._window = window

    def write(
        self,
        title: str,
        target: MemberTarget,
        change: Callable[[Session], Changed[T] | Changes],
        message: str,
        *,
        on_done: Callable[[T | None], None] | None = None,
        keep_edit: Callable[[KnownError], None] | None = None,
    ) -> Task:
        """Run `change(session)` as one transaction.

        Args:
            title: what the user asked for ("Change stage"), the title of any warning.
            target: whose data changes.
            change: the service call; it returns what it changed, with its result.
            message: the status bar sentence.
            on_done: called with the result (None for bare `Changes`), once the views were told
                what changed.
            keep_edit: called when nothing was saved but the edit is worth offering again:
                someone else changed the member since it was read (called after the warning,
                before the member is read again), or the server could not be reached.
        """
        runner = self.context.runner
        started: list[Task] = []

        def done(result: Any) -> None:
            self.status_message.emit(message)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError):
                self.show_warning(title, str(exc))
                if isinstance(exc, NotFoundError):
                    self.target_missing.emit(target.membership_id)
                if keep_edit is not None and isinstance(
                    exc, StaleEditError | ServerUnavailableError
                ):
                    keep_edit(exc)
                if isinstance(exc, StaleEditError):
                    self.target_stale.emit(target.membership_id)
            else:
                pass_on_failure(runner, started[0], exc)

        started.append(runner.write(title, change, done, failed))
        return started[0]

    def show_warning(self, title: str, text: str) -> None:
        QMessageBox.warning(self._window, title, text)
