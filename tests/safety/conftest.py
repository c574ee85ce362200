"""Helpers for the safety tests: child processes with a full disk or a read-only folder,
populated databases, and the checks every crash or failure must pass."""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from cohortdesk.app import build_context
from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.enums import HighlightKind, NudgeChannel
from cohortdesk.core.models import (
    AccessIssue,
    Highlight,
    Intervention,
    MemberNote,
    Membership,
    MentoringSession,
    Person,
)
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import CohortRow
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.main_window import MainWindow
from tests.databases import database_kind  # noqa: F401
from tests.pg_server import PgServer, migrate_to_head

REPO = Path(__file__).resolve().parents[2]
PR_CAPBSET_DROP = 24
#: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: what lets root ignore permissions
DAC_CAPS = (1, 2, 3)


def child_env(home: Path) -> dict[str, str]:
    """The environment of a cohortdesk child process working in `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COHORTDESK_")}
    env.update(
        COHORTDESK_HOME=str(home),
        PYTHONDONTWRITEBYTECODE="1",
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(REPO),
    )
    return env


def _drop_dac() -> None:
    """In the child, before exec: lose the capabilities that let root ignore permissions."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in DAC_CAPS:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_it() -> None:
        # Growing a file past the limit then fails with EFBIG (the signal would kill us).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return limit_it


def run_cli(
    home: Path,
    *argv: str,
    file_size_limit: int | None = None,
    permissions_apply: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m cohortdesk ARGV` in a child process.

    Args:
        home: its COHORTDESK_HOME.
        file_size_limit: RLIMIT_FSIZE for the child (a disk that fills up at this size).
        permissions_apply: drop root's power to ignore file permissions, so that a folder
            made read-only with chmod is read-only for the child too.
    """
    setups: list[Callable[[], None]] = []
    if file_size_limit is not None:
        setups.append(_limit_file_size(file_size_limit))
    if permissions_apply:
        setups.append(_drop_dac)

    def prepare() -> None:
        for setup in setups:
            setup()

    return subprocess.run(
        [sys.executable, "-m", "cohortdesk", *argv],
        env=child_env(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=prepare if setups else None,
        check=False,
    )


def read_only_works(folder: Path) -> str | None:
    """None when a chmod-ed folder stops a child from writing; else why it does not."""
    probe = folder / "probe"
    probe.mkdir()
    probe.chmod(0o500)
    try:
        result = subprocess.run(
            [sys.executable, "-c", f"open({str(probe / 'x')!r}, 'w')"],
            capture_output=True,
            text=True,
            preexec_fn=_drop_dac,
            check=False,
        )
    except OSError as exc:
        return f"cannot drop root's permission override ({exc})"
    finally:
        probe.chmod(0o700)
    if result.returncode == 0:
        return "this system lets the test process write into a read-only folder"
    probe.rmdir()
    return None


def one_line(text: str) -> str:
    """The single line a failed command printed (it must be exactly one)."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def integrity(file: Path) -> tuple[str, list[tuple[object, ...]]]:
    """`PRAGMA integrity_check` and `PRAGMA foreign_key_check` of `file`."""
    with closing(sqlite3.connect(file)) as raw:
        verdict = str(raw.execute("PRAGMA integrity_check").fetchone()[0])
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
    return verdict, broken


def count(file: Path, sql: str, *params: object) -> int:
    with closing(sqlite3.connect(file)) as raw:
        return int(raw.execute(sql, params).fetchone()[0])


def batches_whole(file: Path) -> list[str]:
    """Problems with imports: a committed batch whose events are not all there."""
    with closing(sqlite3.connect(file)) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        if "import_batches" not in tables:
            return []
        rows = raw.execute(
            "SELECT b.id, b.inserted, (SELECT count(*) FROM activity_events e "
            "WHERE e.import_batch_id = b.id) FROM import_batches b WHERE b.undone_at IS NULL"
        ).fetchall()
    return [f"batch {i}: inserted {n} but {m} events" for i, n, m in rows if n != m]


def make_demo(session: Session, members: int = 10, days: int = 14) -> CohortRow:
    """A small, believable cohort (fixed seed and end day)."""
    spec = DemoSpec(members=members, days=days, seed=3, end=date(2026, 10, 30))
    return create_demo(session, spec)


def add_private_records(session: Session, target: Person, other: Person) -> dict[str, str]:
    """Give `target` a note, an access issue, a nudge, a highlight and a mentoring session,
    and mention them in a nudge and a note about `other`. Returns the texts written."""
    now = datetime(2026, 10, 29, 9, 0, tzinfo=UTC)
    mine = session.query(Membership).filter_by(person_id=target.id).first()
    theirs = session.query(Membership).filter_by(person_id=other.id).first()
    assert mine is not None and theirs is not None
    texts = {
        "note": "Worried about her night shifts; call on Thursday xq7",
        "issue": "Cannot log in from the hospital network zz9",
        "nudge": f"Hi {target.full_name.split()[0]}, the week 3 thread misses your voice",
        "highlight": "Her reply on rota design changed how the ward plans kk4",
        "session": "Discussed leadership goals and the night-shift pilot mm2",
        "mention": f"Ask {target.full_name} to pair with you ({target.email})",
    }
    session.add(MemberNote(membership_id=mine.id, body=texts["note"], created_at=now))
    session.add(AccessIssue(membership_id=mine.id, note=texts["issue"], opened_at=now))
    session.add(
        Intervention(
            membership_id=mine.id,
            body=texts["nudge"],
            channel=NudgeChannel.CLIPBOARD,
            sent_at=now,
        )
    )
    session.add(
        Highlight(
            membership_id=mine.id,
            kind=HighlightKind.QUOTE,
            happened_on=now.date(),
            text=texts["highlight"],
        )
    )
    session.add(
        MentoringSession(
            uuid="4b6f0c3e-1d0e-4a59-9a43-1c9c2b0f7e11",
            mentor_membership_id=theirs.id,
            mentee_membership_id=mine.id,
            held_on=now.date(),
            notes=texts["session"],
        )
    )
    session.add(
        Intervention(
            membership_id=theirs.id,
            body=texts["mention"],
            channel=NudgeChannel.EMAIL,
            sent_at=now,
        )
    )
    session.add(MemberNote(membership_id=theirs.id, body=texts["mention"], created_at=now))
    session.flush()
    return texts


def people(db: Database, *roles: str) -> Sequence[Person]:
    """People of the demo cohort with one of these roles, by id."""
    with db.read() as session:
        rows = (
            session.query(Person)
            .join(Membership, Membership.person_id == Person.id)
            .filter(Membership.role.in_(roles))
            .order_by(Person.id)
            .all()
        )
        session.expunge_all()
    return rows


@pytest.fixture(scope="session")
def demo_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the small demo cohort, made once and copied by `demo_db`."""
    file = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copyfile(migrated_template, file)
    template = Database(f"sqlite:///{file}")
    with template.write() as session:
        make_demo(session)
    template.dispose()
    return file


def _demo_on_server(url: str) -> None:
    migrate_to_head(url)
    template = Database(url)
    with template.write() as session:
        make_demo(session)
    template.dispose()


@pytest.fixture
def demo_db(
    database_kind: str,  # noqa: F811
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Database]:
    """The test database (in the test's data folder, or its own on the server, which the
    commands the test runs then open) with a small demo cohort in it."""
    if database_kind == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        url = server.from_template("demo", _demo_on_server)
        monkeypatch.setenv("COHORTDESK_DB", url)
        database = Database(url)
        yield database
        database.dispose()
        server.drop(url)
        return
    shutil.copyfile(request.getfixturevalue("demo_template"), paths.default_db_file)
    database = Database(f"sqlite:///{paths.default_db_file}")
    yield database
    database.dispose()


def leaf_pages(file: Path, table: str) -> list[int]:
    """The b-tree leaf pages holding `table`'s rows, in page order."""
    with closing(sqlite3.connect(file)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = raw.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        ).fetchall()
    return [int(r[0]) for r in rows]


def damage(file: Path, table: str, how_many: int = 1) -> list[int]:
    """Overwrite leaf pages in the middle of `table` with garbage, as a failing disk would."""
    pages = leaf_pages(file, table)
    assert len(pages) >= how_many + 2, f"{table} has too few pages to damage"
    with closing(sqlite3.connect(file)) as raw:
        size = int(raw.execute("PRAGMA page_size").fetchone()[0])
    middle = len(pages) // 2
    hit = pages[middle : middle + how_many]
    with file.open("r+b") as handle:
        for page in hit:
            handle.seek((page - 1) * size)
            handle.write(bytes([0xA5]) * size)
    return hit


@pytest.fixture
def gui_context(db: Database, paths: AppPaths) -> Iterator[AppContext]:
    """The services of a window on the test database (as `tests/ui` builds them)."""
    built = build_context(db, paths, today=date(2026, 10, 30))
    yield built
    built.runner.wait_idle(60_000)
    built.runner.shutdown()


@pytest.fixture
def gui_window(qtbot: QtBot, gui_context: AppContext) -> Iterator[MainWindow]:
    main = MainWindow(gui_context)
    qtbot.addWidget(main)
    main.show()
    settle(main)
    yield main
    settle(main)


def settle(window: MainWindow) -> None:
    """Let every background job deliver (results chain into further loads)."""
    for _ in range(4):
        assert window.context.runner.wait_idle(20_000)
