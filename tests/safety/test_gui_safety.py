"""The window's side: one instance per database, Back up now, Restore from backup, Erase this
person, the start-up recovery of a damaged database, and storage errors shown as one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cohortdesk.core.models import Person
from cohortdesk.core.paths import AppPaths, database_url
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.backup import BackupKind, backup_sqlite, list_backups
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.errors import disk_full
from cohortdesk.core.storage.import_guard import marker_path
from cohortdesk.core.storage.recovery import CorruptDatabaseError
from cohortdesk.ui import data_actions
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.single_instance import SingleInstance, bring_to_front
from cohortdesk.ui.views import recovery_dialog
from cohortdesk.ui.views.recovery_dialog import Recovery, open_or_recover
from cohortdesk.ui.widgets import confirm
from tests.databases import sqlite_only
from tests.safety.conftest import REPO, child_env, damage, make_demo, settle

SECOND_LAUNCH = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from cohortdesk.ui.single_instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance(sys.argv[1], Path(sys.argv[2]))
if instance.acquire():
    print("first", flush=True)
    time.sleep(float(sys.argv[3]))
    sys.exit(0)
sys.exit(0 if instance.notify_running() else 1)
"""


def launch(url: str, lock_dir: Path, home: Path, hold: float = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_LAUNCH, url, str(lock_dir), str(hold)],
        cwd=REPO,
        env=child_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# ---- one instance --------------------------------------------------------------------------


def test_a_second_launch_raises_the_first_and_exits(
    qtbot: QtBot, paths: AppPaths, isolated_home: Path
) -> None:
    url = database_url(paths)
    first = SingleInstance(url, paths.data_dir)
    try:
        assert first.acquire()
        with qtbot.waitSignal(first.activation_requested, timeout=20_000):
            second = launch(url, paths.data_dir, isolated_home)
        out, err = second.communicate(timeout=20)
        assert second.returncode == 0, err
        assert "first" not in out
    finally:
        first.release()


def test_the_real_second_launch_of_cohortdesk_raises_the_window(
    qtbot: QtBot, paths: AppPaths, isolated_home: Path
) -> None:
    first = SingleInstance(database_url(paths), paths.data_dir)
    try:
        assert first.acquire()
        with qtbot.waitSignal(first.activation_requested, timeout=30_000):
            second = subprocess.Popen(
                [sys.executable, "-m", "cohortdesk"],
                cwd=REPO,
                env=child_env(isolated_home),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        _out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
        assert "already open" in err  # logged, and it exited without a window
    finally:
        first.release()


@pytest.mark.usefixtures("qapp")
def test_another_database_is_another_instance(paths: AppPaths, tmp_path: Path) -> None:
    first = SingleInstance(database_url(paths), paths.data_dir)
    other = SingleInstance(f"sqlite:///{tmp_path / 'other.sqlite'}", paths.data_dir)
    try:
        assert first.acquire()
        assert other.acquire()
    finally:
        first.release()
        other.release()


@pytest.mark.usefixtures("qapp")
def test_a_lock_left_by_a_killed_instance_is_taken_over(
    paths: AppPaths, isolated_home: Path
) -> None:
    url = database_url(paths)
    holder = launch(url, paths.data_dir, isolated_home, hold=60)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "first"
        assert not SingleInstance(url, paths.data_dir).acquire()  # alive: not ours to take
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    assert (paths.data_dir / SingleInstance(url, paths.data_dir).lock_path.name).exists()
    taker = SingleInstance(url, paths.data_dir)
    try:
        assert taker.acquire()  # the stale lock and the dead server's socket are taken over
        assert taker._server is not None and taker._server.isListening()
    finally:
        taker.release()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_bring_to_front_restores_a_minimised_window(qtbot: QtBot, gui_window: MainWindow) -> None:
    gui_window.showMinimized()
    bring_to_front(gui_window)
    assert not gui_window.isMinimized()
    assert gui_window.isVisible()


# ---- File > Back up now, File > Restore from backup ------------------------------------------


@sqlite_only("backups and recovery of the SQLite file")
def test_back_up_now_writes_a_checked_owner_only_copy(
    gui_window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    target = tmp_path / "mine.sqlite"
    with qtbot.waitSignal(gui_window.data_actions.status_message, timeout=20_000) as said:
        gui_window.data_actions.back_up_to(target)
    assert said.args == [f"Backed up to {target}"]
    assert target.stat().st_mode & 0o777 == 0o600
    assert gui_window.backup_action.isEnabled()


@sqlite_only("backups and recovery of the SQLite file")
def test_restore_from_the_list_of_backups_replaces_the_data(
    gui_window: MainWindow, db: Database, paths: AppPaths, qtbot: QtBot, yes: list[str]
) -> None:
    assert db.file is not None
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="In the backup"))
    backup_sqlite(db.file, paths.backup_dir / "cohortdesk-20261001-080000-manual.sqlite")
    with db.write() as session:
        cohorts.create_cohort(session, CohortInput(name="Made after it"))
    gui_window.restore_action.trigger()
    settle(gui_window)
    dialog = gui_window.data_actions.restore_dialog
    assert dialog is not None
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 1).data() == "Made by hand"
    dialog.table.selectRow(0)
    with qtbot.waitSignal(gui_window.context.changes.data_replaced, timeout=20_000):
        dialog.restore_button.click()
    settle(gui_window)
    assert "kept first" in yes[0]
    with db.read() as session:
        assert [c.name for c in cohorts.list_cohorts(session)] == ["In the backup"]
    kinds = {b.kind for b in list_backups(paths.backup_dir)}
    assert BackupKind.RESTORE in kinds
    names = [gui_window.cohort_list.model.index(r, 0).data() for r in range(1)]
    assert names == ["In the backup"]


# ---- Member > Erase this person everywhere -----------------------------------------------


def test_erase_from_the_member_menu_removes_the_person(
    gui_window: MainWindow, db: Database, qtbot: QtBot, yes: list[str]
) -> None:
    with db.write() as session:
        make_demo(session)
    gui_window.reload_cohorts()
    settle(gui_window)
    row = gui_window.roster.model.rows()[0]
    assert gui_window.roster.select_member(row.membership_id)
    settle(gui_window)
    assert gui_window.erase_action.isEnabled()
    with qtbot.waitSignal(gui_window.context.changes.cohorts_changed, timeout=30_000):
        gui_window.erase_action.trigger()
    settle(gui_window)
    assert f"Erase {row.name}" in yes[0]
    if db.file is None:  # what the server may still keep is said before erasing, as the CLI says
        assert f"{db.display_name} is a database server: the rows are deleted; its own " in yes[0]
        assert "may still hold them until they expire (ask its administrator)." in yes[0]
        assert "%2F" not in yes[0]
        assert "a fresh backup is made" not in yes[0]
    else:
        assert "the backups that still hold them are deleted (a fresh backup is made)" in yes[0]
        assert "database server" not in yes[0]
    with db.read() as session:
        assert session.scalar(select(Person).where(Person.id == row.person_id)) is None
    assert row.name not in [r.name for r in gui_window.roster.model.rows()]
    assert gui_window.member_panel.detail() is None


def test_declining_to_erase_keeps_the_person(
    gui_window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        make_demo(session)
    gui_window.reload_cohorts()
    settle(gui_window)
    row = gui_window.roster.model.rows()[0]
    gui_window.roster.select_member(row.membership_id)
    settle(gui_window)
    monkeypatch.setattr(confirm, "confirm", lambda *_args: False)
    gui_window.erase_action.trigger()
    settle(gui_window)
    with db.read() as session:
        assert session.get(Person, row.person_id) is not None


# ---- start-up ------------------------------------------------------------------------------


@sqlite_only("backups and recovery of the SQLite file")
def test_start_up_makes_the_days_backup_and_tells_of_an_interrupted_import(
    gui_window: MainWindow, db: Database, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert db.file is not None
    marker_path(db.file).write_text(
        '{"file": "week3.csv", "cohort_id": 1, "started_at": "2026-10-29T08:00:00+00:00"}'
    )
    told: list[str] = []
    monkeypatch.setattr(
        data_actions.QMessageBox, "information", lambda _parent, _title, text: told.append(text)
    )
    gui_window.data_actions.start_up()
    settle(gui_window)
    assert [b.kind for b in list_backups(paths.backup_dir)] == [BackupKind.DAILY]
    assert len(told) == 1 and "nothing from it was imported" in told[0]


@sqlite_only("backups and recovery of the SQLite file")
def test_a_damaged_database_at_start_up_is_restored_from_the_newest_backup(
    demo_db: Database, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert demo_db.file is not None
    file = demo_db.file
    backup_sqlite(file, paths.backup_dir / "cohortdesk-20261001-080000-daily.sqlite")
    demo_db.dispose()
    damage(file, "activity_events")
    asked: list[str] = []

    def choose(exc: Any, _parent: Any = None) -> Recovery:
        asked.append(recovery_dialog.recovery_text(exc))
        return Recovery.RESTORE

    monkeypatch.setattr(recovery_dialog, "ask_recovery", choose)
    monkeypatch.setattr(recovery_dialog.QMessageBox, "information", lambda *_args: None)
    db = open_or_recover(f"sqlite:///{file}", paths)
    assert db is not None
    try:
        with db.read() as session:
            assert len(cohorts.list_cohorts(session)) == 1
    finally:
        db.dispose()
    assert "It has not been changed" in asked[0]
    assert "newest good backup" in asked[0]
    assert list(paths.data_dir.glob("cohortdesk.sqlite.damaged-*"))


@sqlite_only("backups and recovery of the SQLite file")
def test_a_damaged_database_can_be_rescued_or_left_alone(
    demo_db: Database, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert demo_db.file is not None
    file = demo_db.file
    demo_db.dispose()
    damage(file, "activity_events")
    monkeypatch.setattr(recovery_dialog, "ask_recovery", lambda *_args: Recovery.QUIT)
    assert open_or_recover(f"sqlite:///{file}", paths) is None
    assert not file.exists()  # kept aside, not deleted, not overwritten
    [aside] = list(paths.data_dir.glob("cohortdesk.sqlite.damaged-*"))
    # A second start finds no database where it was: a fresh one would start empty, so the
    # user rescues the damaged one instead.
    monkeypatch.setattr(recovery_dialog.QMessageBox, "information", lambda *_args: None)
    report = recovery_dialog.recover(
        CorruptDatabaseError(file, aside, "damaged", None),
        Recovery.SALVAGE,
        paths,
    )
    assert "Rescued" in report
    db = migrate.open_database(f"sqlite:///{file}", paths.backup_dir)
    try:
        with db.read() as session:
            assert len(cohorts.list_cohorts(session)) == 1
    finally:
        db.dispose()


# ---- storage errors in the window --------------------------------------------------------


def test_a_full_disk_during_a_change_is_one_clear_message(
    gui_window: MainWindow, monkeypatch: pytest.MonkeyPatch, paths: AppPaths
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "cohortdesk.ui.main_window.QMessageBox.warning",
        lambda _parent, _title, text: shown.append(text),
    )

    def change(_session: Any) -> None:
        raise disk_full(paths.default_db_file)

    gui_window.context.runner.write("Saving", change)
    settle(gui_window)
    assert len(shown) == 1
    assert "the disk is full" in shown[0]
    assert "\n" not in shown[0]


@sqlite_only("backups and recovery of the SQLite file")
def test_the_restore_dialog_lists_backups_with_their_date_and_size(
    qtbot: QtBot, paths: AppPaths, demo_db: Database
) -> None:
    from cohortdesk.ui.views.restore_dialog import RestoreDialog

    assert demo_db.file is not None
    for stamp, kind in (("20261001-080000", "daily"), ("20261002-090000", "before-import")):
        backup_sqlite(demo_db.file, paths.backup_dir / f"cohortdesk-{stamp}-{kind}.sqlite")
    dialog = RestoreDialog(list_backups(paths.backup_dir), paths.backup_dir)
    qtbot.addWidget(dialog)
    rows = [
        [dialog.model.index(r, c).data() for c in range(4)] for r in range(dialog.model.rowCount())
    ]
    assert [r[1] for r in rows] == ["Before an import", "Daily"]
    assert all(r[2].endswith(("KB", "MB")) for r in rows)
    assert rows[0][3] == "cohortdesk-20261002-090000-before-import.sqlite"
    assert dialog.restore_button.isEnabled()
    assert dialog.table.horizontalHeader().sectionResizeMode(3) is not None
    assert Qt.AlignmentFlag.AlignRight & dialog.model.data(
        dialog.model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole
    )
