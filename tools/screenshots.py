"""Render each main screen with demo data to PNG files (`make screenshots`).

Runs headless (QT_QPA_PLATFORM=offscreen) on a throwaway data folder, with the demo's dates
fixed, so the pictures only change when the screens do.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from cohortdesk.app import build_context, ensure_application
from cohortdesk.core.demo import DemoSpec, create_demo
from cohortdesk.core.migrate import open_database
from cohortdesk.core.models import Role
from cohortdesk.core.paths import app_paths, database_url
from cohortdesk.core.schemas import ExportFormat
from cohortdesk.core.services import participation
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.cohort_dialog import CohortDialog
from cohortdesk.ui.views.stage_dialog import StageDialog
from cohortdesk.ui.views.stages_dialog import StagesDialog

DEMO_END = date(2026, 10, 30)
SIZE = (1600, 900)


def settle(window: MainWindow) -> None:
    window.context.runner.wait_idle()
    for _ in range(5):
        QApplication.processEvents()
    window.context.runner.wait_idle()


def save(widget: QWidget, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def save_import_dialog(window: MainWindow, folder: Path, home: Path) -> None:
    """The import dialog previewing a small forum export read as an activity CSV."""
    names = [*(r.name for r in window.roster.model.rows()[:6]), "Noor Haddad", "Tomás Reyes"]
    kinds = ("post", "comment", "comment", "like", "comment")
    lines = ["Author,Posted,Type,Reply to,Discussion"]
    for i in range(48):
        kind = kinds[i % len(kinds)]
        replied = names[(i + 3) % len(names)] if kind == "comment" else ""
        posted = f"2026-10-{20 + i % 9:02d} {9 + i % 9:02d}:{(i * 7) % 60:02d}"
        lines.append(f"{names[i % len(names)]},{posted},{kind},{replied},Week {8 + i % 2}")
    export = home / "week-9-forum.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = window.open_import_dialog(export)
    assert dialog is not None
    deadline = time.monotonic() + 20
    while not dialog.preview_model.rowCount() and not dialog.error_text():
        if time.monotonic() > deadline:
            raise SystemExit("the import preview did not arrive")
        settle(window)
        time.sleep(0.05)
    save(dialog, folder, "dialog-import")
    dialog.close()


def save_export_dialog(window: MainWindow, folder: Path, home: Path) -> None:
    """The export dialog previewing an Excel export of the demo cohort, with its events."""
    dialog = window.export_cohort()
    assert dialog is not None
    dialog.set_format(ExportFormat.XLSX)
    dialog.set_path(home / "Leading Online Learning participation.xlsx")
    dialog.events_check.setChecked(True)
    dialog.resize(980, 700)
    deadline = time.monotonic() + 20
    while not dialog.preview_model.rowCount() or not dialog.summary_label.text():
        if time.monotonic() > deadline:
            raise SystemExit("the export preview did not arrive")
        settle(window)
        time.sleep(0.05)
    save(dialog, folder, "dialog-export")
    dialog.close()


def main(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    with tempfile.TemporaryDirectory() as home:
        os.environ["COHORTDESK_HOME"] = home
        paths = app_paths()
        paths.ensure()
        db = open_database(database_url(paths), paths.backup_dir)

        empty = MainWindow(build_context(db, paths, today=DEMO_END))
        empty.resize(*SIZE)
        empty.show()
        settle(empty)
        save(empty, folder, "welcome")
        empty.close()

        with db.write() as session:
            cohort = create_demo(session, DemoSpec(end=DEMO_END))
        with db.read() as session:
            rows = participation.roster(session, cohort.id)
        learners = [r for r in rows if r.role is Role.LEARNER]
        featured = max(learners, key=lambda r: (r.stage == 3, r.peer_replies, r.motivation or 0))

        window = MainWindow(build_context(db, paths, today=DEMO_END))
        window.resize(*SIZE)
        window.show()
        settle(window)
        window.roster.select_member(featured.membership_id)
        settle(window)
        save(window, folder, "main-window")
        tabs = window.member_panel.tabs
        for position in range(tabs.count()):
            tabs.setCurrentIndex(position)
            settle(window)
            name = tabs.tabText(position).lower().replace(" ", "-").replace("&", "")
            save(window.member_panel, folder, f"member-{name}")
        tabs.setCurrentIndex(0)

        window.roster.search.setText("")
        window.roster.stage_filter.setCurrentIndex(window.roster.stage_filter.findData(1))
        settle(window)
        save(window, folder, "roster-filtered-stage-1")
        window.roster.stage_filter.setCurrentIndex(0)

        dialogs: list[tuple[str, QDialog]] = [
            ("dialog-new-cohort", CohortDialog(window, "New cohort", None, DEMO_END)),
            ("dialog-change-stage", StageDialog(window, featured.name, featured.stage)),
            ("dialog-five-stages", StagesDialog(window)),
        ]
        for name, dialog in dialogs:
            dialog.show()
            QApplication.processEvents()
            save(dialog, folder, name)
            dialog.close()
        save_import_dialog(window, folder, Path(home))
        save_export_dialog(window, folder, Path(home))
        window.close()
        db.dispose()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
