"""The window's cohort commands: new, edit, archive, delete, the demo cohort, add a member.

The main window's File and Cohort menus, the cohort list, the welcome page and Today's empty
guide call these slots; the writes run through `context.runner` and what happened comes back
on the signals (the window puts sentences in the status bar and reloads its cohort list).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from cohortdesk.ui.context import AppContext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cohortdesk.core.schemas import Changed, CohortRow, MemberInput
    from cohortdesk.core.services.people import cohorts


class CohortActions(QObject):
    """Creates, edits, archives and deletes cohorts, and adds members to the selected one.

    Args:
        context: the open database's services.
        window: the main window (parent of dialogs).
        current_cohort: the selected cohort, or None.
    """

    status_message = Signal(str)
    """What happened, for the status bar."""

    cohort_changed = Signal(int)
    """A cohort was saved (its id) or deleted (-1): reload the list and select that one."""

    member_added = Signal(int)
    """A member was added (their membership id): select them once the roster has loaded."""

    def __init__(
        self,
        context: AppContext,
        window: QWidget,
        current_cohort: Callable[[], CohortRow | None],
    ) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.current_cohort = current_cohort

    # ---- create and edit ----

    @Slot()
    def new_cohort(self) -> None:
        """Ask for the new cohort's name and dates, then create it."""
        from cohortdesk.core.services.people import cohorts
        from cohortdesk.ui.views.cohort_dialog import CohortDialog

        dialog = CohortDialog(self.window, "New cohort", None, self.context.current_date())
        if dialog.exec() != CohortDialog.DialogCode.Accepted:
            return
        data = dialog.value()
        self.context.runner.write(
            f"Creating the cohort {data.name}",
            lambda session: cohorts.create_cohort(session, data),
            lambda row: self._cohort_saved(row, f"Created the cohort {row.name}"),
        )

    @Slot()
    def edit_cohort(self) -> None:
        """Rename the selected cohort, describe it, set its dates."""
        from cohortdesk.ui.views.cohort_edit import edit_cohort

        cohort = self.current_cohort()
        if cohort is not None:
            edit_cohort(self.window, self.context, cohort, self._cohort_saved)

    @Slot()
    def toggle_archived(self) -> None:
        """Archive the selected cohort, or restore it when it is archived."""
        from cohortdesk.core.services.people import cohorts

        cohort = self.current_cohort()
        if cohort is None:
            return
        archive = not cohort.archived
        if archive and not self.context.settings.show_archived:
            message = f"Archived {cohort.name} (View > Show archived cohorts to see it)"
        else:
            message = f"{'Archived' if archive else 'Restored'} {cohort.name}"
        self.context.runner.write(
            "Archiving the cohort" if archive else "Restoring the cohort",
            lambda session: cohorts.set_archived(session, cohort.id, archive),
            lambda row: self._cohort_saved(row, message),
        )

    @Slot()
    def create_demo(self) -> None:
        """Add a believable demo cohort."""
        from cohortdesk.core.demo.build import create_demo_cohort

        self.status_message.emit("Creating the demo cohort…")
        self.context.runner.write(
            "Creating the demo cohort",
            create_demo_cohort,
            lambda row: self._cohort_saved(row, f"Created the demo cohort {row.name}"),
        )

    def _cohort_saved(self, row: CohortRow, message: str) -> None:
        self.status_message.emit(message)
        self.cohort_changed.emit(row.id)

    # ---- delete ----

    @Slot()
    def delete_cohort(self) -> None:
        """Count what the selected cohort holds, then ask before deleting it."""
        from cohortdesk.core.services.people import cohorts

        cohort = self.current_cohort()
        if cohort is None:
            return
        self.context.runner.read(
            "Counting what the cohort holds",
            lambda session: cohorts.cohort_size(session, cohort.id),
            lambda size: self._confirm_delete(cohort, size),
        )

    def _confirm_delete(self, cohort: CohortRow, size: cohorts.CohortSize) -> None:
        from cohortdesk.core.services.people import cohorts
        from cohortdesk.ui import format as fmt
        from cohortdesk.ui.widgets.confirm import confirm

        text = (
            f"Delete “{cohort.name}”? It holds {fmt.plural(size.members, 'member')} and "
            f"{fmt.plural(size.events, 'activity event')}, with their stages, check-ins and "
            "notes.\n\nPeople who are in no other cohort are deleted too. This cannot be undone; "
            "archiving keeps the cohort out of the way instead."
        )
        if not confirm(self.window, "Delete cohort", text, "Delete cohort"):
            return
        self.context.runner.write(
            f"Deleting the cohort {cohort.name}",
            lambda session: cohorts.delete_cohort(session, cohort.id),
            lambda _none: self._cohort_deleted(cohort),
        )

    def _cohort_deleted(self, cohort: CohortRow) -> None:
        self.status_message.emit(f"Deleted the cohort {cohort.name}")
        if self.context.settings.last_cohort_id == cohort.id:
            self.context.settings.last_cohort_id = None
        self.cohort_changed.emit(-1)

    # ---- members ----

    @Slot()
    def add_member(self) -> None:
        """Ask for a person's details, then add them to the selected cohort."""
        from cohortdesk.core.services.activity import participation
        from cohortdesk.core.services.people import members
        from cohortdesk.ui.views.member_dialog import MemberDialog

        cohort = self.current_cohort()
        if cohort is None:
            return
        dialog = MemberDialog(self.window, f"Add a member to {cohort.name}", None)
        if dialog.exec() != MemberDialog.DialogCode.Accepted:
            return
        data: MemberInput = dialog.value()

        def add(session: Session) -> Changed[tuple[int, str]]:
            added = members.add_member(session, cohort.id, data)
            return added.with_value(
                (added.value, participation.roster_row(session, added.value).name)
            )

        self.context.runner.write(
            f"Adding {data.full_name}",
            add,
            lambda added: self._member_added(added, data.full_name),
        )

    def _member_added(self, added: tuple[int, str], typed: str) -> None:
        membership_id, name = added
        if name == typed.strip():
            self.status_message.emit(f"Added {name}")
        else:
            self.status_message.emit(
                f"Added {name} (already known by that email; typed as {typed.strip()})"
            )
        self.member_added.emit(membership_id)
