"""What every window and view is given by the composition root (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cohortdesk.core.paths import AppPaths
from cohortdesk.core.settings import Settings, save_settings
from cohortdesk.core.storage.db import Database
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

    def current_date(self) -> date:
        return self.today or date.today()

    def save_settings(self) -> None:
        save_settings(self.paths.settings_file, self.settings)
