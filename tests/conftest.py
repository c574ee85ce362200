"""Every test runs headless against its own data folder: nothing touches the user's data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("COHORTDESK_DB", None)

from cohortdesk.core.paths import AppPaths, app_paths
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database, sqlite_file

# The session's PostgreSQL server (`pg_server`), a fresh database on it (`pg_url`) and a migrated
# one (`pg_migrated_url`).
from tests.databases import leave_out_server_runs
from tests.pg_server import pg_migrated_url, pg_server, pg_url  # noqa: F401
from tests.sqlite_templates import copy_template

SHARED_REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real"

# No test depends on how fast the machine is: Hypothesis would otherwise fail an example that
# takes over 200 ms, or data that is slow to generate, on a busy machine. Speed is measured in
# tests/perf (make bench).
# Every run draws the same examples, so a run on a clean clone says the same as the one before
# it; `COHORTDESK_FUZZ_RANDOM=1` draws new ones (`make fuzz` and `make stress` do).
settings.register_profile(
    "cohortdesk",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("COHORTDESK_FUZZ_RANDOM") != "1",
)
settings.load_profile("cohortdesk")

# Nor does a GUI test: pytest-qt gives a wait 5 s, and on a busy machine (CI's two cores, a
# benchmark beside it) a background read has taken longer. A wait that succeeds still returns
# the moment its signal comes or its condition holds, so only a failing test waits the longer
# time. A test that passes its own timeout keeps it.
PATIENCE_MS = 30_000
for _wait in (QtBot.waitSignal, QtBot.waitSignals, QtBot.waitUntil, QtBot.waitCallback):
    assert _wait.__kwdefaults__ is not None and "timeout" in _wait.__kwdefaults__
    _wait.__kwdefaults__["timeout"] = PATIENCE_MS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    leave_out_server_runs(items, config)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point COHORTDESK_HOME at a fresh folder for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("COHORTDESK_HOME", str(home))
    monkeypatch.delenv("COHORTDESK_DB", raising=False)
    return home


@pytest.fixture
def paths(isolated_home: Path) -> AppPaths:
    resolved = app_paths()
    resolved.ensure()
    return resolved


@pytest.fixture
def database_kind() -> str:
    """Which database `db` is: SQLite here; the core, CLI and safety folders run on both
    (their conftest parametrises this over `DATABASE_KINDS`)."""
    return "sqlite"


@pytest.fixture
def database_url(
    database_kind: str,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> str:
    """The URL of the test's database: the default SQLite file in the test's own folder, or a
    migrated database of its own on the session's PostgreSQL server, which COHORTDESK_DB then
    names, so that the commands a test runs open it as a user's would."""
    if database_kind == "postgresql":
        url = str(request.getfixturevalue("pg_migrated_url"))
        monkeypatch.setenv("COHORTDESK_DB", url)
        return url
    return f"sqlite:///{paths.default_db_file}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest schema, migrated once per session (per worker
    under pytest-xdist) and copied by `db` and the safety tests' `fresh_db`."""
    file = tmp_path_factory.mktemp("template") / "template.sqlite"
    template = Database(f"sqlite:///{file}")
    migrate.upgrade(template)
    template.dispose()
    return file


@pytest.fixture
def db(database_url: str, paths: AppPaths, request: pytest.FixtureRequest) -> Iterator[Database]:
    """The test's database (`database_url`) at the newest schema: a copy of the session's
    migrated template (SQLite file or PostgreSQL template database), which the upgrade then
    finds at the head revision."""
    file = sqlite_file(database_url)
    if file is not None and not file.exists():
        copy_template(request.getfixturevalue("migrated_template"), file)
    database = Database(database_url)
    migrate.upgrade(database, paths.backup_dir)
    yield database
    database.dispose()


@pytest.fixture
def real_fixtures() -> Path:
    """The real exports beside the checkout; skips when that folder is absent."""
    if not SHARED_REAL.is_dir():
        pytest.skip(f"real exports not found at {SHARED_REAL}")
    return SHARED_REAL


@pytest.fixture
def yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every confirmation the GUI asks is answered yes; the questions are kept."""
    from cohortdesk.ui.widgets import confirm  # here, so that tests without a GUI load no Qt

    questions: list[str] = []

    def answer(parent: Any, title: str, text: str, action_label: str) -> bool:
        questions.append(text)
        return True

    monkeypatch.setattr(confirm, "confirm", answer)
    return questions
