"""Tells views what changed, so each decides what to reload.

The only sender is `ChangeNotifier.apply`, which the task runner calls with the `Changes` a
finished write returned; views connect to the signals and never emit them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from cohortdesk.core.schemas import Changes


class ChangeNotifier(QObject):
    """One per window; announces what a write changed once its transaction committed."""

    cohorts_changed = Signal()
    """The list of cohorts, a name, an archived flag or a cohort's counts changed."""

    roster_changed = Signal(int)
    """Members were added, removed or edited in this cohort (id), or all their figures moved."""

    member_changed = Signal(int, int)
    """One member changed: (cohort id, membership id). Their roster row needs reloading."""

    nudges_changed = Signal(int)
    """A nudge was logged or deleted in this cohort (id)."""

    templates_changed = Signal()
    """A message template was added, edited or retired."""

    mentoring_changed = Signal(int)
    """Mentor links, groups, session notes or reviews changed in this cohort (id)."""

    highlights_changed = Signal(int)
    """A highlight was captured, edited or deleted in this cohort (id)."""

    data_replaced = Signal()
    """The whole database was replaced (a restore): every view reads everything again."""

    def apply(self, changes: Changes) -> None:
        """Announce `changes`, the narrowest signals first and the list of cohorts last."""
        if changes.everything:
            self.data_replaced.emit()
            return
        for cohort_id in sorted(changes.rosters):
            self.roster_changed.emit(cohort_id)
        # A roster reload shows its members afresh: announcing them one by one as well would
        # only make every view read them twice.
        for cohort_id, membership_id in sorted(changes.members):
            if cohort_id not in changes.rosters:
                self.member_changed.emit(cohort_id, membership_id)
        for cohort_id in sorted(changes.nudges):
            self.nudges_changed.emit(cohort_id)
        for cohort_id in sorted(changes.mentoring):
            self.mentoring_changed.emit(cohort_id)
        for cohort_id in sorted(changes.highlights):
            self.highlights_changed.emit(cohort_id)
        if changes.templates:
            self.templates_changed.emit()
        if changes.cohorts:
            self.cohorts_changed.emit()
