"""The commands made for an SQLite file, given a database on a server: one line saying what
they do there, or what to use instead; never a traceback."""

from __future__ import annotations

import json

import pytest

from tests.cli.support import run
from tests.databases import server_only

pytestmark = server_only("what the file commands say of a server")


@pytest.mark.parametrize(
    ("argv", "advice"),
    [
        (["backup", "x.sqlite"], "pg_dump"),
        (["restore", "x.sqlite"], "pg_restore"),
        (["salvage", "x.sqlite"], "recovers with its own tools"),
    ],
)
def test_a_file_command_says_what_to_use_instead(
    capsys: pytest.CaptureFixture[str], argv: list[str], advice: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    [line] = err.splitlines()
    assert "is a database server" in line and advice in line
    assert "postgresql+psycopg://postgres@/" in line


def test_check_counts_the_daily_sums_on_a_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "demo", "--cohort", "Demo", "--members", "8", "--days", "14")[0] == 0
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert "ok (daily counts checked; the server keeps its own pages sound)" in out


def test_erase_says_what_the_server_may_still_hold(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "demo", "--cohort", "Demo", "--members", "8", "--days", "14")[0] == 0
    code, out, _ = run(capsys, "status", "--cohort", "Demo", "--json")
    assert code == 0, out
    email = json.loads(out)["members"][0]["email"]
    code, out, err = run(capsys, "erase", "--email", email, "--yes")
    assert code == 0, err
    assert "Erased" in out
    assert "its own backups and archived logs may still hold them" in out
