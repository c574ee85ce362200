"""The files cohortdesk writes for the user are complete and owner-only, or not there at all."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from cohortdesk.core.errors import KnownError
from cohortdesk.core.exporters import csv_export, xapi_export
from cohortdesk.core.schemas import ExportFormat, ExportOptions
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.safefile import atomic_path, atomic_paths
from tests.core.exporters.conftest import NOW, Sample
from tests.core.exporters.support import run_export

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_a_written_file_is_owner_only_and_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_path(target) as temporary:
        temporary.write_text("all of it")
    assert target.read_text() == "all of it"
    assert _mode(target) == 0o600
    assert list(tmp_path.iterdir()) == [target]


@posix_only
def test_an_existing_file_is_replaced_and_made_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o644)
    with atomic_path(target) as temporary:
        temporary.write_text("new")
    assert (target.read_text(), _mode(target)) == ("new", 0o600)


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failure_mid_write_leaves_nothing_and_the_old_file_intact(
    tmp_path: Path, error: BaseException
) -> None:
    target, other = tmp_path / "a.csv", tmp_path / "a-events.csv"
    target.write_text("previous export")
    with pytest.raises(type(error)), atomic_paths([target, other]) as temporaries:
        temporaries[0].write_text("half")
        raise error
    assert target.read_text() == "previous export"
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="does not exist"), atomic_path(tmp_path / "no" / "x"):
        pass
    with pytest.raises(KnownError, match="is a folder"), atomic_path(tmp_path):
        pass


def test_a_disk_error_while_writing_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    message = r"x\.csv: cannot save: the disk is full"
    with pytest.raises(KnownError, match=message), atomic_path(target):
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("format", [ExportFormat.CSV, ExportFormat.XAPI])
def test_an_export_failing_after_some_events_leaves_no_file(
    db: Database,
    sample: Sample,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    format: ExportFormat,
) -> None:
    calls = 0

    def failing_tick() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk pulled out")

    original_csv, original_xapi = csv_export.export_csv, xapi_export.export_xapi
    monkeypatch.setattr(
        "cohortdesk.core.exporters.run.csv_export.export_csv",
        lambda data, events, path, tick=None: original_csv(data, events, path, failing_tick),
    )
    monkeypatch.setattr(
        "cohortdesk.core.exporters.run.export_xapi",
        lambda data, events, path, tick=None: original_xapi(data, events, path, failing_tick),
    )
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RuntimeError, match="disk pulled out"):
        run_export(db, sample.cohort_id, format, folder / "records.out", with_events=True)
    assert calls == 3
    assert list(folder.iterdir()) == []


def test_cancelling_through_progress_leaves_no_file(
    db: Database, sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohortdesk.core.exporters import run

    monkeypatch.setattr(run, "PROGRESS_EVERY", 2)

    class CancelledError(Exception):
        pass

    class Progress:
        def __init__(self) -> None:
            self.done: list[int] = []

        def report(self, done: int, total: int, message: str = "") -> None:
            self.done.append(done)

        def check(self) -> None:
            if len(self.done) >= 3:
                raise CancelledError

    folder = tmp_path / "out"
    folder.mkdir()
    progress = Progress()
    with pytest.raises(CancelledError):
        run.run_export(
            db,
            sample.cohort_id,
            ExportFormat.XLSX,
            folder / "x.xlsx",
            ExportOptions(with_events=True),
            now=NOW,
            progress=progress,
        )
    assert progress.done == [0, 2, 4] and list(folder.iterdir()) == []


def _write_settings(folder: Path) -> Path:
    from cohortdesk.core.settings import Settings, save_settings

    path = folder / "settings.json"
    save_settings(path, Settings(last_cohort_id=3))
    return path


def _write_eml(folder: Path) -> Path:
    from cohortdesk.core.services.messaging.outbox import write_eml

    path = folder / "nudge.eml"
    write_eml(path, to_name="Ann", to_address="ann@example.org", subject="Hi", body="Hello")
    return path


def _write_import_note(folder: Path) -> Path:
    from cohortdesk.core.storage.import_guard import guarded_import, marker_path

    db_file = folder / "cohortdesk.sqlite"
    db_file.write_bytes(b"")
    with guarded_import(db_file, None, folder / "week-1.csv", cohort_id=1):
        note = marker_path(db_file)
        copy = folder / "note-as-written"
        copy.write_bytes(note.read_bytes())
        copy.chmod(_mode(note))
    return copy


@posix_only
@pytest.mark.parametrize("write", [_write_settings, _write_eml, _write_import_note])
def test_every_writer_syncs_and_keeps_its_file_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Callable[[Path], Path]
) -> None:
    # Settings used to be renamed into place without fsync; the .eml and the import note
    # without syncing the folder. One writer does all of it now.
    from cohortdesk.core.storage import safefile

    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(safefile.os, "fsync", fsync)
    path = write(tmp_path)
    assert _mode(path) == 0o600
    assert synced == ["file", "folder"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
