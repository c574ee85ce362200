"""Render each main screen with demo data to PNG files (`make screenshots`).

Runs headless (QT_QPA_PLATFORM=offscreen) on a throwaway data folder, with the demo's dates
fixed, so the pictures only change when the screens do.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from cohortdesk.app import build_context, ensure_application
from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.enums import Role, TemplatePurpose
from cohortdesk.core.paths import app_paths, database_url
from cohortdesk.core.schemas import ExportFormat, TemplateInput
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.messaging import templates
from cohortdesk.core.storage.migrate import open_database
from cohortdesk.ui.charts.theme import dark_palette
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.cohort_dialog import CohortDialog
from cohortdesk.ui.views.stage_dialog import StageDialog
from cohortdesk.ui.views.stages_dialog import StagesDialog

DEMO_END = date(2026, 10, 30)
SIZE = (1600, 900)
SCREENS = ((1280, 720), (1920, 1080))
"""A laptop's screen (what the README shows) and a desktop's: the main screens at each."""


def desktop_screen() -> str:
    """The headless platform with a 1920x1080 screen (its own is 800x600, and windows are
    kept within their screen): the largest of `SCREENS`."""
    config = Path(tempfile.gettempdir()) / "cohortdesk-screenshots-screen.json"
    config.write_text(
        '{"screens": [{"name": "desktop", "x": 0, "y": 0, "width": 1920, "height": 1080, '
        '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}',
        encoding="utf-8",
    )
    return f"offscreen:configfile={config}"


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


def save_dashboard(window: MainWindow, folder: Path) -> None:
    """The demo cohort's dashboard: on screen, the whole scrolling page, the reply network on
    its own, and the page again in a dark palette."""
    window.pages.show_dashboard()
    wait_for_dashboard(window)
    save(window, folder, "dashboard")
    page = window.dashboard.scroll_area.widget()
    assert page is not None
    save(page, folder, "dashboard-full")
    save(window.dashboard.network, folder, "reply-network")
    window.pages.show_roster()
    # A desktop in dark mode gives the application a dark palette before any window opens
    # (style sheets do not follow a palette changed later): open a second window that way.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    app.setPalette(dark_palette())
    dark = MainWindow(build_context(window.context.db, window.context.paths, today=DEMO_END))
    dark.resize(*SIZE)
    dark.show()
    settle(dark)
    dark.pages.show_dashboard()
    wait_for_dashboard(dark)
    save(dark, folder, "dashboard-dark")
    dark.close()
    dark.deleteLater()
    app.setPalette(light)
    settle(window)


def wait_for_dashboard(window: MainWindow) -> None:
    """Until the dashboard has drawn every chart: it draws one per turn of the event loop, on
    a timer, so settling alone can catch it half-drawn (the last charts still empty)."""
    board = window.dashboard
    settle(window)
    wait_until(
        window,
        lambda: board.data is not None and not board.is_stale() and not board.is_drawing(),
        "the dashboard",
    )


def save_member_chart(window: MainWindow, folder: Path, membership_id: int) -> None:
    """A member's activity week by week, with their stage changes (the Activity tab's chart)."""
    window.roster.select_member(membership_id)
    panel = window.member_panel
    panel.tabs.setCurrentWidget(panel.activity_tab)
    settle(window)
    save(panel.activity_tab.chart, folder, "member-activity-chart")
    panel.tabs.setCurrentIndex(0)


def save_compare(window: MainWindow, folder: Path) -> None:
    """Compare cohorts: the demo against an earlier, larger intake."""
    with window.context.db.write() as session:
        create_demo(
            session,
            DemoSpec(
                cohort="Leading Online Learning (spring)",
                members=40,
                seed=3,
                end=DEMO_END - timedelta(days=120),
            ),
        )
    window.reload_cohorts()
    settle(window)
    dialog = window.compare_cohorts()
    deadline = time.monotonic() + 20
    while dialog.comparison is None or len(dialog.comparison.cohorts) < 2:
        if time.monotonic() > deadline:
            raise SystemExit("the comparison did not arrive")
        settle(window)
        time.sleep(0.05)
    save(dialog, folder, "compare")
    dialog.close()


def save_file_menu(window: MainWindow, folder: Path) -> None:
    """The File menu open over the window, on Back up now…: the menu of the database's care."""
    menu = window.menus.file_menu
    bar = window.menuBar()
    title = bar.actionGeometry(menu.menuAction())
    # Opened as the menu bar opens it, below its title; offscreen, a popup is a window of its
    # own, so the window's picture is taken and the menu's painted onto it where it stands.
    bar.setActiveAction(menu.menuAction())
    settle(window)
    if not menu.isVisible():
        menu.popup(bar.mapToGlobal(title.bottomLeft()))
        settle(window)
    menu.setActiveAction(window.backup_action)
    settle(window)
    picture = window.grab()
    at = window.mapFromGlobal(menu.pos())
    painter = QPainter(picture)
    painter.drawPixmap(at, menu.grab())
    painter.end()
    menu.hide()
    bar.setActiveAction(None)  # type: ignore[arg-type]
    settle(window)
    # The top left of the window: enough of it to place the menu, small enough to read it.
    margin = 48
    shown = QRect(0, 0, at.x() + menu.width() + 12 * margin, at.y() + menu.height() + margin)
    path = folder / "menu-file.png"
    if not picture.copy(shown.intersected(picture.rect())).save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def wait_until(window: MainWindow, done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not arrive")
        settle(window)
        time.sleep(0.05)


def save_today(window: MainWindow, folder: Path) -> None:
    """Today: who needs the facilitator, with the first of them shown in the member panel."""
    window.pages.setCurrentWidget(window.today)
    window.today.table.selectRow(0)
    settle(window)
    window.member_panel.tabs.setCurrentWidget(window.member_panel.nudges_tab)
    settle(window)
    save(window, folder, "today")
    window.member_panel.tabs.setCurrentIndex(0)


def save_screen_sizes(window: MainWindow, folder: Path, featured: int) -> None:
    """Today, the roster with a member, and the dashboard at each of `SCREENS`."""
    for width, height in SCREENS:
        window.resize(width, height)
        settle(window)
        size = f"{width}x{height}"
        window.pages.setCurrentWidget(window.today)
        window.member_panel_action.trigger()  # Today's list with the width (F9)
        settle(window)
        save(window, folder, f"today-{size}")
        window.member_panel_action.trigger()
        window.pages.show_roster()
        window.roster.select_member(featured)
        settle(window)
        save(window, folder, f"roster-{size}")
        window.pages.show_dashboard()
        wait_for_dashboard(window)
        window.dashboard.scroll_area.verticalScrollBar().setValue(0)
        settle(window)
        save(window, folder, f"dashboard-{size}")
    window.resize(*SIZE)
    window.pages.show_roster()
    settle(window)


def save_nudge_dialog(window: MainWindow, folder: Path) -> None:
    """The nudge dialog for the three most urgent learners, the first message filled in."""
    dialog = window.messaging.nudge_items(window.today.model.items()[:3])
    assert dialog is not None
    wait_until(window, lambda: dialog.is_ready(), "the nudge messages")
    save(dialog, folder, "nudge-dialog")
    dialog.close()


def save_template_editor(window: MainWindow, folder: Path) -> None:
    """The template editor on a template of the facilitator's own, previewed with a learner."""
    with window.context.db.write() as session:
        own = templates.create_template(
            session,
            TemplateInput(
                name="Back after a busy spell",
                purpose=TemplatePurpose.SILENT,
                stage=3,
                subject="Good to see you, {first_name}",
                body=(
                    "Hi {first_name},\n\nIt was good to see you back in {cohort}. If you "
                    "want an easy way in, {peer_name} asked a question in {peer_thread} "
                    "that fits your experience well.\n\nThe next e-tivity, {next_etivity}, "
                    "opens on {next_date}.\n\nBest wishes,\n{facilitator_first_name}"
                ),
            ),
        ).value
    dialog = window.messaging.show_templates()
    wait_until(window, lambda: dialog.model.row_of_id(own.id) is not None, "the templates")
    dialog.select_template(own.id)
    editor = dialog.editor
    combo = editor.member_combo
    learner = next((i for i in range(combo.count()) if "stage 3" in combo.itemText(i)), 0)
    combo.setCurrentIndex(learner)
    editor.body_edit.setFocus()
    wait_until(window, lambda: bool(editor.preview_body.toPlainText()), "the preview")
    save(dialog, folder, "template-editor")
    dialog.close()


def save_mentor_view(window: MainWindow, folder: Path, cohort_id: int) -> None:
    """The first mentor's view: five mentees (three in a group), sessions, news since review."""
    from datetime import UTC, datetime, time, timedelta

    from sqlalchemy import text

    from cohortdesk.core.schemas.mentoring import GroupInput, HighlightInput, SessionInput
    from cohortdesk.core.services.dashboards import highlights
    from cohortdesk.core.services.mentoring import mentoring
    from cohortdesk.core.services.people import tracking

    # Fixed times, so that the picture only changes when the screen does: events recorded as
    # they happened, the last review three days before the demo's end, news after it.
    reviewed = datetime.combine(DEMO_END - timedelta(days=3), time(9), UTC)
    later = reviewed + timedelta(days=2)
    db = window.context.db
    with db.write() as s:
        s.execute(text("UPDATE activity_events SET created_at = occurred_at"))
        mentor = mentoring.list_mentors(s, cohort_id)[0].membership_id
        learners = sorted(
            (r for r in participation.roster(s, cohort_id) if r.role is Role.LEARNER),
            key=lambda r: r.name,
        )
        chosen = [r.membership_id for r in learners[::4][:5]]
        group = mentoring.create_group(
            s, mentor, GroupInput(name="Leadership circle", goal="Lead an e-tivity by week 8")
        ).value
        for n, mentee in enumerate(chosen):
            mentoring.assign_mentor(s, mentor, mentee, group.id if n < 3 else None)
        mentoring.add_session(
            s,
            mentor,
            SessionInput(
                held_on=DEMO_END - timedelta(days=9),
                mentee_membership_id=chosen[0],
                notes="Talked about the week 6 e-tivity; keen to lead the next one.",
                goals="Lead the week 8 e-tivity",
                next_steps="Draft the spark and send it to me by Friday",
            ),
            now=reviewed - timedelta(days=6),
        )
        mentoring.add_session(
            s,
            mentor,
            SessionInput(
                held_on=DEMO_END - timedelta(days=2),
                group_id=group.id,
                notes="Group call: each shared one thing they tried with their own team.",
                goals="Everyone weaves two threads this week",
            ),
            now=later,
        )
        mentoring.mark_reviewed(s, mentor, now=reviewed)
        tracking.add_motivation(
            s, chosen[1], 2, "Work is busy this month", checked_on=DEMO_END, now=later
        )
        highlights.add_highlight(
            s,
            HighlightInput(
                membership_id=chosen[0],
                happened_on=DEMO_END,
                text="Summarised the week's thread for everyone, unprompted",
                tags="summary, leadership",
            ),
            now=later,
        )
    view = window.mentoring.show_mentor_view(cohort_id)
    assert view is not None
    view.resize(1400, 820)
    settle(window)
    view.set_mentor(mentor)
    settle(window)
    view.select_mentee(chosen[0])
    settle(window)
    save(view, folder, "mentor-view")
    view.close()


def main(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        os.environ["QT_QPA_PLATFORM"] = desktop_screen()
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
        window.pages.show_roster()  # the window opens on Today (today.png); this is the roster
        window.roster.select_member(featured.membership_id)
        settle(window)
        save(window, folder, "main-window")
        save_file_menu(window, folder)
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
        save_today(window, folder)
        save_nudge_dialog(window, folder)
        save_template_editor(window, folder)
        window.pages.show_roster()
        save_import_dialog(window, folder, Path(home))
        save_export_dialog(window, folder, Path(home))
        save_dashboard(window, folder)
        save_member_chart(window, folder, featured.membership_id)
        save_screen_sizes(window, folder, featured.membership_id)
        save_compare(window, folder)
        save_mentor_view(window, folder, cohort.id)
        window.close()
        db.dispose()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
