"""What the dialogs about one cohort share: the cohort and services they were opened with, the
heading that repeats the title, and for a list, reads of which only the newest counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import SignalInstance, Slot
from PySide6.QtWidgets import QDialog, QTableView, QWidget
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import CohortRow
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.row_table_model import IdRowT, RowTableModel
from cohortdesk.ui.tasks import Task, TaskRunner
from cohortdesk.ui.widgets.labels import heading_label
from cohortdesk.ui.widgets.tables import selected_id

ResultT = TypeVar("ResultT")

HEADING_SCALE = 1.3


class CohortScopedDialog(QDialog):
    """A dialog about one cohort, titled on its window and again in a heading (`title`).

    A subclass says its title in `TITLE` (`{name}` stands for the cohort's name), the
    smallest size it can take in `MINIMUM_SIZE`, and the size it opens at in `SIZE`.

    Args:
        context: the open database's services.
        cohort: the cohort the dialog is about.
        parent: the main window.
    """

    TITLE = "{name}"
    MINIMUM_SIZE: tuple[int, int] = (0, 0)
    SIZE: tuple[int, int] | None = None
    """Width and height when opened; None: what the layout asks for."""

    def __init__(
        self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        title = self.TITLE.format(name=cohort.name)
        self.setWindowTitle(title)
        self.setMinimumSize(*self.MINIMUM_SIZE)
        if self.SIZE is not None:
            self.resize(*self.SIZE)
        self.title = heading_label(title, scale=HEADING_SCALE)


class LatestReads:
    """The background reads that fill one list, of which only the newest counts.

    A reload started while another is on its way makes the older one stale: its rows are
    dropped, as are rows that arrive after the dialog was closed.

    Args:
        dialog: the dialog showing the list.
        runner: the app's background work.
    """

    def __init__(self, dialog: QWidget, runner: TaskRunner) -> None:
        self._dialog = dialog
        self._runner = runner
        self._request = 0

    def read(
        self,
        description: str,
        query: Callable[[Session], ResultT],
        arrived: Callable[[ResultT], None],
    ) -> Task:
        """Run `query` in the background; `arrived` gets its result unless it is stale."""
        self._request += 1
        request = self._request

        def deliver(result: ResultT) -> None:
            if request == self._request and shiboken6.isValid(self._dialog):
                arrived(result)

        return self._runner.read(description, query, deliver)


class CohortListDialog(CohortScopedDialog):
    """A cohort dialog around a list read in the background through `reads`.

    After `follow_roster(reload)`, the dialog calls `reload` (which reads its list again)
    whenever the cohort's roster changes (or what else it follows changes, for this cohort).
    The arguments are `CohortScopedDialog`'s.
    """

    def __init__(
        self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, cohort, parent)
        self.reads = LatestReads(self, context.runner)
        self._reload: Callable[[], object] | None = None

    def follow_roster(self, reload: Callable[[], object], *also: SignalInstance) -> None:
        """Call `reload` whenever the cohort's roster changes (once the list is built).

        Args:
            reload: reads the list again.
            also: more of the `ChangeNotifier`'s signals about one cohort (`nudges_changed`)
                that concern the list.
        """
        self._reload = reload
        for signal in (self.context.changes.roster_changed, *also):
            signal.connect(self._roster_changed)

    @Slot(int)
    def _roster_changed(self, cohort_id: int) -> None:
        if cohort_id == self.cohort.id and self._reload is not None and shiboken6.isValid(self):
            self._reload()


def selected_row(table: QTableView, model: RowTableModel[IdRowT]) -> IdRowT | None:
    """The row selected in `table`, which shows `model`, or None."""
    position = model.row_of_id(selected_id(table) or -1)
    return None if position is None else model.row_at(position)


def known_error_text(check: Callable[[], object]) -> str:
    """What the `KnownError` raised by `check` says, or an empty string when `check` passes."""
    try:
        check()
    except KnownError as exc:
        return str(exc)
    return ""
