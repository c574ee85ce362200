"""Tells views what changed, so each decides what to reload."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeNotifier(QObject):
    """One per window; mutations announce themselves here once their transaction committed."""

    cohorts_changed = Signal()
    """The list of cohorts, a name, or an archived flag changed."""

    roster_changed = Signal(int)
    """Members were added, removed or edited in this cohort (id)."""

    member_changed = Signal(int, int)
    """One member changed: (cohort id, membership id). Their roster row needs reloading."""
