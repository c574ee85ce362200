"""Start-up: the window paints before the heavy parts load, and the command line's help and
version load none of them (each in a fresh process; no timing here, see tests/perf)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohortdesk.ui.startup_probe import DEFERRED_MODULES
from tests.startup_runs import make_demo, modules_loaded_by, start


def deferred_among(modules: set[str]) -> list[str]:
    return [n for n in DEFERRED_MODULES if any(m == n or m.startswith(n + ".") for m in modules)]


@pytest.mark.slow
def test_the_window_paints_before_the_heavy_parts_and_then_fills_today(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_demo(home)
    run = start(home, tmp_path / "probe.jsonl")
    assert run.paint_modules == []
    assert run.learners > 0
    assert run.ready_ms >= run.paint_ms


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["status", "--help"]])
def test_help_and_version_load_none_of_the_heavy_parts(args: list[str], tmp_path: Path) -> None:
    loaded = modules_loaded_by(args, tmp_path / "home")
    assert deferred_among(loaded) == []
    assert "PySide6" not in loaded
    assert "sqlalchemy" not in loaded
