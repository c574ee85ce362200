"""The import use case the command line and the GUI both run: guarded, counted, cancellable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.models import ActivityEvent, ImportBatch
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import Changes
from cohortdesk.core.services.activity.importing import (
    BACKING_UP,
    STARTING,
    ImportPace,
    ImportRequest,
    run_import,
)
from cohortdesk.core.storage.backup import BackupKind, list_backups
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.import_guard import marker_path
from tests.core.builders import make_cohort
from tests.core.test_imports import MAPPING, ROWS, count, write


class Progress:
    """What the GUI hands a job: it records the reports and can cancel at a given row."""

    def __init__(self, cancel_at: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.cancel_at = cancel_at

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))

    def check(self) -> None:
        if self.cancel_at is not None and len(self.reports) >= self.cancel_at:
            raise KeyboardInterrupt


@pytest.fixture
def request_for(db: Database, tmp_path: Path) -> ImportRequest:
    with db.write() as session:
        cohort_id = make_cohort(session, start_date=date(2025, 3, 1)).id
    path = write(tmp_path, ROWS)
    return ImportRequest(cohort_id, path, "activity-csv", ImportOptions(mapping=MAPPING))


def test_an_import_backs_up_first_and_changes_the_roster_and_the_list(
    db: Database, paths: AppPaths, request_for: ImportRequest
) -> None:
    progress = Progress()
    done = run_import(db, request_for, backup_dir=paths.backup_dir, progress=progress)
    assert done.value.inserted == 4 and done.value.batch_id is not None
    assert done.changes == Changes(cohorts=True, rosters=frozenset({request_for.cohort_id}))
    size = request_for.path.stat().st_size
    done_bytes, total, message = progress.reports[-1]  # the whole file, once it is done
    assert (done_bytes, total) == (size, size)
    assert message.startswith("100% · 4 rows · ") and message.endswith(" rows/s")
    if db.file is None:  # a server's backups are the server's: nothing is copied here
        assert progress.reports[0] == (0, 0, STARTING)
        assert list_backups(paths.backup_dir) == []
    else:
        assert progress.reports[0] == (0, 0, BACKING_UP)
        assert [b.kind for b in list_backups(paths.backup_dir)] == [BackupKind.IMPORT]
        assert not marker_path(db.file).exists()
    assert count(db, ActivityEvent) == 4


def test_a_dry_run_counts_changes_nothing_and_makes_no_backup(
    db: Database, paths: AppPaths, request_for: ImportRequest
) -> None:
    progress = Progress()
    done = run_import(db, request_for, dry_run=True, backup_dir=paths.backup_dir, progress=progress)
    assert (done.value.inserted, done.value.batch_id, done.value.dry_run) == (4, None, True)
    assert not done.changes
    assert BACKING_UP not in [message for _d, _t, message in progress.reports]
    assert list_backups(paths.backup_dir) == []
    assert count(db, ActivityEvent) == 0 and count(db, ImportBatch) == 0


def test_cancelling_imports_nothing_and_leaves_no_note(
    db: Database, paths: AppPaths, request_for: ImportRequest
) -> None:
    with pytest.raises(KeyboardInterrupt):
        run_import(db, request_for, backup_dir=paths.backup_dir, progress=Progress(cancel_at=1))
    assert count(db, ActivityEvent) == 0 and count(db, ImportBatch) == 0
    assert db.file is None or not marker_path(db.file).exists()


def test_without_progress_the_command_line_imports_all_the_same(
    db: Database, request_for: ImportRequest
) -> None:
    assert run_import(db, request_for).value.inserted == 4
    assert count(db, ActivityEvent) == 4


def test_the_pace_says_the_share_of_the_file_rows_per_second_and_time_left() -> None:
    now = [100.0]
    pace = ImportPace(lambda: now[0])
    now[0] = 110.0
    assert pace.describe(50_000, 25, 100) == "25% · 50,000 rows · 5,000 rows/s · 30 s left"
    now[0] = 200.0
    assert pace.describe(90_000, 50, 100) == "50% · 90,000 rows · 900 rows/s · 1 min 40 s left"
    assert pace.describe(0, 0, 0) == "0 rows"


def forum_export(folder: Path, posts: int) -> Path:
    """A Moodle forum CSV export of `posts` posts in threads of five, one line each."""
    header = "id,discussion,parent,userid,userfullname,created,subject,message,wordcount"
    lines = [header]
    for post in range(1, posts + 1):
        parent = 0 if post % 5 == 1 else post - 1
        created = 1733245740 + post * 60
        lines.append(
            f"{post},{1 + post // 5},{parent},{3 + post % 7},User {post % 7},{created},"
            f"Re: topic {post // 5},<p>message {post} with a few words in it</p>,7"
        )
    path = folder / f"forum-{posts}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("block", [2_000, 8_000])
@pytest.mark.parametrize("fmt", ["moodle-forum", "moodle-log"])
def test_a_tabular_import_advances_with_the_share_of_the_file_read(
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    real_fixtures: Path,
    fmt: str,
    block: int,
) -> None:
    """Block by block, from the first to the whole file, never back: not 0 then all at once
    (a forum export is read whole before its replies are linked, and jumped so)."""
    from cohortdesk.core.importers import columnar
    from cohortdesk.core.services.activity import imports

    monkeypatch.setattr(columnar, "BLOCK_BYTES", block)
    if fmt == "moodle-forum":
        path = forum_export(tmp_path, 600)
    else:
        path = real_fixtures / "moodle_log_edify_module3_sp17.csv"
    size = path.stat().st_size
    reached: list[int] = []

    def progress(_read: int, done: int, total: int) -> None:
        assert total == size
        reached.append(done)

    with db.write() as session:
        cohort_id = make_cohort(session, f"{fmt} {block}").id
    with db.trial() as session:
        imports.import_file(session, cohort_id, path, fmt, dry_run=True, progress=progress)
    assert reached == sorted(reached) and reached[-1] == size
    between = {done for done in reached if 0 < done < size}
    assert len(between) >= size // block // 2, (size, reached)
