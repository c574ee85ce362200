"""The start-up probe: when the window first paints and when Today is filled, for measuring.

With `COHORTDESK_STARTUP_PROBE=<file>` set, the GUI appends one JSON line to that file on the
first paint of its main window:

    {"event": "paint", "t": <time.time()>, "modules": [<deferred modules already loaded>]}

and one when the first screen is filled with the cohort's learners (Today, or the welcome
page when there is no cohort yet):

    {"event": "ready", "t": <time.time()>, "learners": <learners in the shown cohort>,
     "modules": [<modules deferred until used, already loaded>]}

then quits with exit code 0. The start-up benchmark (tests/perf/test_startup_bench.py), the
start-up tests and the bundle's test read these lines; nothing else writes them.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "COHORTDESK_STARTUP_PROBE"

#: What the window paints without: each loads when the screen or action that needs it is
#: first used (the ORM models once the first data is read, Alembic only to upgrade an old
#: database, the charts with the dashboard, the exporters with an export, the columnar and
#: PostgreSQL drivers with their importers and team mode).
DEFERRED_MODULES = (
    "cohortdesk.core.models",
    "alembic",
    "numpy",
    "pyqtgraph",
    "networkx",
    "reportlab",
    "openpyxl",
    "polars",
    "pyarrow",
    "psycopg",
)


#: What Today is filled without: the deferred modules but the ORM models (Today reads through
#: them), and what loads when first used (the member's page when a member is shown, the
#: schemas of other screens with them, the watch of a shared server and the PostgreSQL
#: dialect on a server only).
DEFERRED_UNTIL_USED = (
    *(name for name in DEFERRED_MODULES if name != "cohortdesk.core.models"),
    "cohortdesk.ui.views.member_tabs",
    "cohortdesk.ui.views.dashboard_view",
    "cohortdesk.ui.views.mentor_view",
    "cohortdesk.ui.server_watch",
    "cohortdesk.core.schemas.dashboard",
    "cohortdesk.core.schemas.exports",
    "cohortdesk.core.schemas.imports",
    "cohortdesk.core.schemas.mentoring",
    "cohortdesk.core.schemas.report",
    "sqlalchemy.dialects.postgresql",
)


def deferred_modules_loaded(deferred: tuple[str, ...] = DEFERRED_MODULES) -> list[str]:
    """The `deferred` modules (or any of their submodules) that are loaded now."""
    loaded = sys.modules.keys()
    return [
        name for name in deferred if name in loaded or any(m.startswith(name + ".") for m in loaded)
    ]


def append_event(file: Path, event: str, **fields: object) -> None:
    """Append one probe line `{"event": event, "t": now, **fields}` to `file`."""
    line = json.dumps({"event": event, "t": time.time(), **fields})
    with file.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


class FirstPaint(QObject):
    """Calls `on_paint` once, when `widget` first paints (before its children)."""

    def __init__(self, widget: QWidget, on_paint: object) -> None:
        super().__init__(widget)
        self._on_paint = on_paint
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            callback = self._on_paint
            assert callable(callback)
            callback()
        return False


class StartupProbe(QObject):
    """Writes the paint and ready lines for one main window, then quits the application."""

    def __init__(self, file: Path, widget: QWidget) -> None:
        super().__init__(widget)
        self.file = file
        self._ready = False
        self._paint = FirstPaint(widget, self._painted)

    @classmethod
    def from_environment(cls, widget: QWidget) -> StartupProbe | None:
        """A probe on `widget` when `COHORTDESK_STARTUP_PROBE` names a file, else None."""
        value = os.environ.get(ENV_VAR)
        return cls(Path(value), widget) if value else None

    def _painted(self) -> None:
        append_event(self.file, "paint", modules=deferred_modules_loaded())

    def ready(self, learners: int) -> None:
        """The first screen is filled: write the ready line (once) and quit."""
        if self._ready:
            return
        self._ready = True
        append_event(
            self.file,
            "ready",
            learners=learners,
            modules=deferred_modules_loaded(DEFERRED_UNTIL_USED),
        )
        QTimer.singleShot(0, lambda: QApplication.exit(0))
