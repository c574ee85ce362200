"""The one "as of" day the window judges each cohort by, shared by every screen.

Today, the roster, the dashboard, the member panel, the mentor view and the exports all read a
cohort as of the same day (`core/metrics/period.py`): by default today, the cohort's end date
once it has ended, or its start while it has not begun. The facilitator can pick another day;
the choice holds for that cohort until they reset it (or close the window).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal

from cohortdesk.core.schemas import CohortRow


class AsOf(QObject):
    """Each cohort's as-of day; `changed(cohort_id)` when one is picked or reset."""

    changed = Signal(int)

    def __init__(self, today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._chosen: dict[int, date] = {}
        self._shown: CohortRow | None = None

    def today(self) -> date:
        """Today (fixed in screenshots and tests)."""
        return self._today()

    def default(self, cohort: CohortRow) -> date:
        """The cohort's own as-of day (today, its end once ended, its start before it)."""
        from cohortdesk.core.metrics.period import default_as_of

        return default_as_of(cohort.start_date, cohort.end_date, self._today())

    def day(self, cohort: CohortRow) -> date:
        """The day `cohort` is judged as of now (a day after its end counts as its end)."""
        from cohortdesk.core.metrics.period import period_for

        chosen = self._chosen.get(cohort.id)
        today = self._today()
        return period_for(cohort.start_date, cohort.end_date, today, as_of=chosen).as_of

    def show(self, cohort: CohortRow | None) -> None:
        """The cohort the window shows now (its pages and members follow it)."""
        self._shown = cohort

    def shown_day(self) -> date:
        """The as-of day of the cohort shown (today without one)."""
        return self.today() if self._shown is None else self.day(self._shown)

    def is_chosen(self, cohort: CohortRow) -> bool:
        """Whether the facilitator picked a day other than the cohort's default."""
        return cohort.id in self._chosen

    def choose(self, cohort: CohortRow, day: date | None) -> None:
        """Judge `cohort` as of `day` from now on (None: back to its default)."""
        before = self.day(cohort)
        if day is None or day == self.default(cohort):
            self._chosen.pop(cohort.id, None)
        else:
            self._chosen[cohort.id] = day
        if self.day(cohort) != before:
            self.changed.emit(cohort.id)
