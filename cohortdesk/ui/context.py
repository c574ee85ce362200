"""What every window and view is given by the composition root (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import CohortRow
from cohortdesk.core.settings import Settings, save_settings
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.as_of import AsOf
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.tasks import TaskRunner


@dataclass
class AppContext:
    """The services of one open database, shared by the views of its window."""

    db: Database
    paths: AppPaths
    runner: TaskRunner
    changes: ChangeNotifier
    settings: Settings = field(default_factory=Settings)
    today: date | None = None
    """Fixed 'today' for screenshots and tests; None means the real date."""
    as_of: AsOf = field(init=False)
    """The day each cohort is judged as of, shared by every screen."""

    def __post_init__(self) -> None:
        self.as_of = AsOf(self.current_date)

    def current_date(self) -> date:
        return self.today or date.today()

    def as_of_day(self, cohort: CohortRow) -> date:
        """The day `cohort` is judged as of on every screen (see `ui/as_of.py`)."""
        return self.as_of.day(cohort)

    def save_settings(self) -> None:
        save_settings(self.paths.settings_file, self.settings)
