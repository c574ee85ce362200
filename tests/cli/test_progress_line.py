"""A long command's progress line: redrawn in place on a terminal (its carriage returns reach
the terminal), the messages' control characters shown, the same line for import and copy."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.cli.terminal import ProgressLine, SafeStream
from tests.cli.support import run
from tests.databases import sqlite_only


class Terminal(io.StringIO):
    """What a terminal receives."""

    def isatty(self) -> bool:
        return True


@sqlite_only("the progress line alone: no database involved")
@given(message=st.text(max_size=30), share=st.booleans())
def test_the_line_sends_its_own_returns_and_shows_the_messages_controls(
    message: str, share: bool
) -> None:
    terminal = Terminal()
    line = ProgressLine(SafeStream(terminal), clock=lambda: 0.0, share=share)
    line.report(1, 2, message or "Reading")
    line.end()
    written = terminal.getvalue()
    assert written.startswith("\r") and written.endswith("\n")
    body = written[1:-1].rstrip(" ")
    assert not any(c < " " or "\x7f" <= c <= "\x9f" for c in body)  # nothing drives it
    if share:
        assert body.endswith("… 50%")


def test_a_copy_on_a_terminal_shows_its_progress_in_place(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    laptop = f"sqlite:///{tmp_path / 'laptop.sqlite'}"
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    argv = ("demo", "--cohort", "Spring", "--members", "8", "--days", "14")
    assert run(capsys, "--db", laptop, *argv)[0] == 0
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, _, _ = run(capsys, "copy", "--from", laptop, "--to", other)
    assert code == 0, terminal.getvalue()
    shown = terminal.getvalue()
    assert "\r" in shown and "\\x0d" not in shown and "\\x1b" not in shown
    assert shown.rstrip("\n").split("\r")[-1].strip().endswith("100%")
