"""Where data lives, and how --db, COHORTDESK_DB and COHORTDESK_HOME choose it."""

from __future__ import annotations

from pathlib import Path

from cohortdesk.core.paths import app_paths, database_url


def test_home_relocates_data_and_settings(tmp_path: Path) -> None:
    paths = app_paths({"COHORTDESK_HOME": str(tmp_path)})
    assert paths.data_dir == tmp_path / "data"
    assert paths.config_dir == tmp_path / "config"
    assert database_url(paths, environ={}) == f"sqlite:///{tmp_path / 'data' / 'cohortdesk.sqlite'}"


def test_without_home_the_platform_folders_are_used() -> None:
    paths = app_paths({})
    assert paths.data_dir.name == "cohortdesk"
    assert paths.default_db_file.name == "cohortdesk.sqlite"


def test_db_option_beats_the_environment_which_beats_the_default(tmp_path: Path) -> None:
    paths = app_paths({"COHORTDESK_HOME": str(tmp_path)})
    env = {"COHORTDESK_DB": str(tmp_path / "env.sqlite")}
    assert database_url(paths, None, env) == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert database_url(paths, str(tmp_path / "opt.db"), env) == f"sqlite:///{tmp_path / 'opt.db'}"
    assert database_url(paths, "postgresql://u@localhost/c", env) == "postgresql://u@localhost/c"


def test_a_relative_path_is_made_absolute(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    paths = app_paths({"COHORTDESK_HOME": str(tmp_path)})
    assert database_url(paths, "mine.sqlite", {}) == f"sqlite:///{tmp_path / 'mine.sqlite'}"
