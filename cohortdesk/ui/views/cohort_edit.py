"""Editing a cohort's details without losing anyone's save.

On a shared server two facilitators may edit one cohort at once. The save carries the version
the dialog was opened on; when a colleague saved first, nothing is saved, the message says so,
the list shows their version, and the dialog opens again on it with what this edit changed on
top. A server that cannot be reached keeps the edit too: the dialog opens again to save it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from cohortdesk.core.schemas import CohortInput, CohortRow
from cohortdesk.core.storage.server_errors import ServerUnavailableError, StaleEditError
from cohortdesk.ui.tasks import pass_on_failure
from cohortdesk.ui.views.cohort_dialog import CohortDialog

if TYPE_CHECKING:
    from cohortdesk.ui.context import AppContext
    from cohortdesk.ui.tasks import Task

#: the dialog's title when a colleague saved first
REAPPLY = "Re-apply your edit to {name}"
#: the dialog's title when the server could not be reached
SAVE_AGAIN = "Save again: {name}"


def edit_cohort(
    parent: QWidget,
    context: AppContext,
    cohort: CohortRow,
    show: Callable[[CohortRow, str], None],
    *,
    offered: CohortRow | None = None,
    title: str = "Edit cohort",
) -> None:
    """Ask for `cohort`'s new details and save them.

    Args:
        parent: the window the dialogs and messages belong to.
        context: the app's shared state (its task runner, today's date).
        cohort: the cohort as read: its version is what the save is checked against.
        show: shows a cohort with a status message: the saved one, or a colleague's version.
        offered: the details the dialog starts from, if not the cohort's own (an edit being
            offered again).
        title: the dialog's title.
    """
    dialog = CohortDialog(parent, title, offered or cohort, context.current_date())
    if dialog.exec() != CohortDialog.DialogCode.Accepted:
        return
    data: CohortInput = dialog.value()
    _save(parent, context, cohort, data, show)


def _save(
    parent: QWidget,
    context: AppContext,
    cohort: CohortRow,
    data: CohortInput,
    show: Callable[[CohortRow, str], None],
) -> None:
    from cohortdesk.core.services.people import cohorts

    runner = context.runner
    started: list[Task] = []
    # what this edit changed, to apply on top of a colleague's version (not what it left)
    changed = {k: v for k, v in data.model_dump().items() if getattr(cohort, k) != v}

    def theirs(newer: CohortRow) -> None:
        show(newer, f"{newer.name} was changed by someone else: their version is shown")
        offered = newer.model_copy(update=changed)
        again = REAPPLY.format(name=newer.name)
        edit_cohort(parent, context, newer, show, offered=offered, title=again)

    def failed(exc: BaseException) -> None:
        pass_on_failure(runner, started[0], exc)  # the window's one way of saying it
        if isinstance(exc, StaleEditError):
            runner.read(
                f"Reading the cohort {cohort.name}",
                lambda session: cohorts.get_cohort(session, cohort.id),
                theirs,
            )
        elif isinstance(exc, ServerUnavailableError):
            offered = cohort.model_copy(update=changed)
            again = SAVE_AGAIN.format(name=cohort.name)
            edit_cohort(parent, context, cohort, show, offered=offered, title=again)

    started.append(
        runner.write(
            f"Saving the cohort {data.name}",
            lambda session: cohorts.update_cohort(session, cohort.id, data, seen=cohort.version),
            lambda row: show(row, f"Saved the cohort {row.name}"),
            failed,
        )
    )
