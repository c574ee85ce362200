"""Paths that are not files (a device, a pipe, a folder, a link to one, `-`) are refused
before anything is opened, written, renamed over or chmod-ed.

As the administrator, `--db /dev/null` once made /dev/null owner-only and `backup /dev/null`
replaced the device with a regular file. The tests use pipes and folders in a temporary folder
(never a real device): to cohortdesk they are the same class, "not a file".
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.support import run

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="pipes need POSIX")


def _pipe(folder: Path) -> Path:
    path = folder / "pipe"
    os.mkfifo(path)
    return path


def _folder(folder: Path) -> Path:
    path = folder / "a-folder"
    path.mkdir()
    return path


def _link_to_pipe(folder: Path) -> Path:
    target = _pipe(folder)
    link = folder / "link"
    link.symlink_to(target)
    return link


def _node(path: Path) -> tuple[tuple[int, ...], ...]:
    """What must not change: the node (link and target), its type and mode, its owner.
    Access times are left out: following a link to check it reads the link."""
    return tuple(
        (s.st_dev, s.st_ino, s.st_mode, s.st_nlink, s.st_uid) for s in (path.lstat(), path.stat())
    )


SPECIAL: dict[str, Callable[[Path], Path]] = {
    "pipe": _pipe,
    "folder": _folder,
    "link to a pipe": _link_to_pipe,
}
#: every command that takes a path to write or open, with {} for the special path
COMMANDS = [
    ("--db", "{}", "cohort", "list"),
    ("--db", "sqlite:///{}", "status", "--cohort", "T1"),
    ("backup", "{}"),
    ("export", "csv", "--cohort", "T1", "-o", "{}"),
    ("export", "pdf", "--cohort", "T1", "-o", "{}"),
    ("export", "xapi", "--cohort", "T1", "-o", "{}"),
    ("restore", "{}"),
    ("salvage", "{}", "--output", "{}.rescued"),
    ("import", "activity-csv", "{}", "--cohort", "T1"),
]


@pytest.fixture
def cohort(capsys: pytest.CaptureFixture[str]) -> str:
    assert run(capsys, "cohort", "create", "T1")[0] == 0
    return "T1"


@posix_only
@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c).replace("{}", "X"))
def test_a_path_that_is_not_a_file_is_refused_and_left_as_it_was(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    cohort: str,
    kind: str,
    command: tuple[str, ...],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = SPECIAL[kind](work)
    made = sorted(p.name for p in work.iterdir())
    before = _node(path)
    code, _, err = run(capsys, *(part.replace("{}", str(path)) for part in command))
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _node(path) == before  # the same node, mode and owner: nothing replaced or chmod-ed
    assert not stat.S_ISREG(path.stat().st_mode)
    assert sorted(p.name for p in work.iterdir()) == made  # no journal, partial or copy beside it


def test_a_dash_is_refused_rather_than_written_as_a_file_named_dash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "export", "csv", "--cohort", cohort, "-o", "-")
    assert code == 1 and "standard output" in err, err
    assert not (tmp_path / "-").exists()


def test_salvaging_a_missing_file_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    code, _, err = run(capsys, "salvage", str(work / "missing.db"), "--output", str(work / "new"))
    assert code == 1 and "no such file" in err, err
    assert list(work.iterdir()) == []
