"""The columnar Moodle log reading gives the same answers as the row-by-row one it replaced.

Each file is imported twice into fresh databases, once a row at a time and once in batches of
columns, and everything an import leaves or says must be the same: the events (person, time,
kind, key, thread, detail), the people and their identities and roles, the counts, the notes,
the preview and the rollups; or, for a refused file, the same file, row and reason.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.importers.base import ImportOptions
from tests.core.importers.differential import CSV_FIXTURES, FIXTURES
from tests.core.importers.differential import same as _same


@pytest.mark.parametrize("path", CSV_FIXTURES, ids=lambda path: path.name)
def test_every_fixture_gives_the_same_answers(path: Path, tmp_path: Path) -> None:
    _same(tmp_path, path, "moodle-log")


def test_a_given_time_format_gives_the_same_answers(tmp_path: Path) -> None:
    options = ImportOptions(timezone=ZoneInfo("America/New_York"), time_format="%m/%d/%y, %H:%M")
    _same(tmp_path, FIXTURES / "moodle_log" / "ambiguous_dates.csv", "moodle-log", options)


def test_the_real_moodle_log_gives_the_same_answers(real_fixtures: Path, tmp_path: Path) -> None:
    _same(tmp_path, real_fixtures / "moodle_log_edify_module3_sp17.csv", "moodle-log")


def test_a_file_read_partly_by_each_reader_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small blocks: plain blocks go to polars, the rest of the file after an odd one (a
    quoted line break, a blank line) to the csv module, with the rows numbered on."""
    from cohortdesk.core.importers import columnar

    monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)
    lines = _log_lines(
        [
            (1, 3, "The user with id '5104' viewed the course with id '7'."),
            (2, 4, "The user with id '5105' has created the discussion with id '9'."),
            (3, 5, "The user with id '5104' has logged in."),
        ]
        * 12
    )
    lines.insert(20, "")
    lines.insert(
        30,
        '"4/03/24, 10:00",Ann Lee,-,"Forum:\nWeek 1",Forum,Post created,'
        "\"The user with id '5104' has created the post with id '1' in the discussion "
        "with id '9'.\",web,1.2.3.4",
    )
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _same(tmp_path, path, "moodle-log")


_HEADER = (
    "Time,User full name,Affected user,Event context,Component,Event name,Description,"
    "Origin,IP address"
)
_DESCRIPTIONS = (
    "The user with id '{u}' viewed the course with id '7'.",
    "The user with id '{u}' viewed the 'page' activity with course module id '12'.",
    "The user with id '{u}' has viewed the discussion with id '4' in the forum.",
    "The user with id '{u}' has created the discussion with id '{t}' in the forum.",
    "The user with id '{u}' has created the post with id '5' in the discussion with id '{t}'.",
    "The user with id '{u}' has posted content in the forum.",
    "The user with id '{u}' has logged in.",
    "The user with id '{u}' has logged in as the user with id '9'.",
    "The user with id '{u}' has submitted the submission with id '3'.",
    "The user with id '{u}' viewed the list of users in the course with id '7'.",
    "The user with id '{u}' viewed the profile for the user with id '{u}'.",
    "The user with id '{u}' viewed the profile for the user with id '8'.",
    "The user with id '{u}' graded the submission.",
    "User submission sent to Turnitin.",
    "Someone with no id did a thing",
    "",
)


def _log_lines(rows: list[tuple[int, int, str]], names: list[str] | None = None) -> list[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, (day, hour, description) in enumerate(rows):
        name = (names or ["Ann Lee"])[index % len(names or ["Ann Lee"])]
        writer.writerow(
            [
                f"{day}/03/24, {hour}:0{index % 10}",
                name,
                "-",
                "Course: X",
                "System",
                "Event",
                description,
                "web",
                "1.2.3.4",
            ]
        )
    return [_HEADER, *out.getvalue().splitlines()]


_NAMES = st.sampled_from(
    ["Ann Lee", "Ben Okafor", "-", "", "Real Name as Ann Lee", "Zoë  Ñandú", " Ben Okafor "]
)
_ROW = st.tuples(
    st.integers(1, 28),
    st.integers(0, 23),
    st.sampled_from(_DESCRIPTIONS),
    st.sampled_from(["0", "1", "5104", "5105", "77"]),
    st.integers(1, 3),
    _NAMES,
    st.sampled_from(["Course viewed", "", "Add Submission", "Post created"]),
    st.sampled_from(["Course: X", "", "Forum: a very long name " * 6, "two\nlines"]),
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, min_size=0, max_size=40), blank=st.booleans(), crlf=st.booleans())
def test_generated_logs_give_the_same_answers(
    tmp_path: Path, rows: list[tuple[Any, ...]], blank: bool, crlf: bool
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(_HEADER.split(","))
    for index, (day, hour, pattern, uid, thread, name, event, context) in enumerate(rows):
        if blank and index == 3:
            out.write("\r\n" if crlf else "\n")
        writer.writerow(
            [
                f"{day}/03/24, {hour}:{index % 60:02d}",
                name,
                "-",
                context,
                "System",
                event,
                pattern.format(u=uid, t=thread),
                "web",
                "1.2.3.4",
            ]
        )
    path = tmp_path / "generated.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    _same(tmp_path, path, "moodle-log")
