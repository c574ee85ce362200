"""Dates and ids at and past the edges: refused with file, row and reason, or kept exactly.

cohortdesk keeps days from 1900 to 2200 (`core/dates.py`). Years 1 and 9999, in every way a
file or a command can write them, used to overflow a time zone conversion with a traceback,
and one far-future event made every later import of its cohort walk the calendar day by day.
Every command that takes a date or an id is driven here with values from everywhere.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.dates import FIRST_DAY, LAST_DAY, MAX_ID
from tests.cli.support import run
from tests.safety.fuzz import FUZZ

OUTSIDE_YEARS = st.one_of(st.integers(1, FIRST_DAY.year - 1), st.integers(LAST_DAY.year + 1, 9999))
MAP = ("--map", "who=who,when=when,kind=kind")

#: the ways an export writes a time, from a datetime (all read by the same format detection)
WRITTEN = {
    "iso": lambda t: t.strftime("%Y-%m-%d %H:%M"),
    "iso with offset": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S") + "+05:00",
    "iso utc": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S") + "Z",
    "day first": lambda t: t.strftime("%d/%m/%Y %H:%M"),
}


def _written(moment: datetime, how: str) -> str:
    # strftime pads years below 1000 on Linux only as glibc does; write them ourselves
    text = WRITTEN[how](moment.replace(year=2000))
    return text.replace("2000", f"{moment.year:04d}", 1)


@pytest.fixture
def cohort(capsys: pytest.CaptureFixture[str]) -> str:
    code, _, err = run(capsys, "cohort", "create", "T1", "--timezone", "Pacific/Kiritimati")
    assert code == 0, err
    return "T1"


def _events(capsys: pytest.CaptureFixture[str], cohort: str) -> int:
    code, out, err = run(capsys, "status", "--cohort", cohort, "--json")
    assert code == 0, err
    return sum(m["events"] for m in json.loads(out)["members"])


@FUZZ
@given(
    year=OUTSIDE_YEARS,
    how=st.sampled_from(sorted(WRITTEN)),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
)
def test_a_time_outside_the_kept_years_is_refused_with_its_file_and_row(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    cohort: str,
    year: int,
    how: str,
    month: int,
    day: int,
) -> None:
    moment = datetime(year, month, day, 23, 59)
    path = tmp_path / "log.csv"
    good = _written(datetime(2024, 2, 13, 10, 0), how)  # 13: day first, unmistakably
    path.write_text(f"who,when,kind\nAnn,{good},post\nBob,{_written(moment, how)},post\n")
    code, _, err = run(capsys, "import", "activity-csv", str(path), "--cohort", cohort, *MAP)
    assert code == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "log.csv" in err and "row 3" in err
    assert _events(capsys, cohort) == 0  # the good row went nowhere either


@pytest.mark.parametrize("seconds", ["99999999999", "-9999999999", "7289654400"])
def test_unix_seconds_past_the_kept_years_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str, seconds: str
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(f"who,when,kind\nAnn,1706781600,post\nBob,{seconds},post\n")
    code, _, err = run(capsys, "import", "activity-csv", str(path), "--cohort", cohort, *MAP)
    assert code == 1 and "Traceback" not in err and "row 3" in err, err
    assert _events(capsys, cohort) == 0


def test_a_moodle_log_dated_in_year_9999_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str
) -> None:
    path = tmp_path / "logs.csv"
    path.write_text(
        "Time,User full name,Affected user,Event context,Component,Event name,Description,"
        "Origin,IP address\n"
        '"31/12/9999, 23:59:59",Ann Lee,-,Course: T,System,Course viewed,'
        "\"The user with id '301' viewed the course with id '4'.\",web,10.0.0.1\n"
    )
    code, _, err = run(capsys, "import", "moodle-log", str(path), "--cohort", cohort)
    assert code == 1 and "Traceback" not in err and "logs.csv" in err, err


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12", "Europe/London"])
def test_the_first_and_last_minutes_of_the_kept_range_are_kept_in_any_zone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, zone: str
) -> None:
    # +14:00 and -12:00 move these across the year's edge in UTC: no overflow, exact days
    assert run(capsys, "cohort", "create", "Edges", "--timezone", zone)[0] == 0
    path = tmp_path / "edges.csv"
    path.write_text(
        "who,when,kind\nAnn,1900-01-01 00:00,post\nBob,2200-12-31 23:59,post\n"
        "Cy,2024-03-31 01:30,post\n"
    )
    code, _, err = run(capsys, "import", "activity-csv", str(path), "--cohort", "Edges", *MAP)
    assert code == 0, err
    code, out, err = run(capsys, "status", "--cohort", "Edges", "--json", "--as-of", "2200-12-31")
    assert code == 0, err
    last = {m["name"]: m["last_active"] for m in json.loads(out)["members"]}
    assert last == {"Ann": "1900-01-01", "Bob": "2200-12-31", "Cy": "2024-03-31"}


DATE_OPTIONS = [
    ("status", "--as-of"),
    ("attention", "--as-of"),
    ("report", "--as-of"),
    ("report", "--from"),
    ("report", "--to"),
    ("export", "--as-of"),
    ("export", "--from"),
    ("export", "--to"),
]


@FUZZ
@given(option=st.sampled_from(DATE_OPTIONS), year=OUTSIDE_YEARS)
def test_every_date_option_refuses_a_day_outside_the_kept_range_in_one_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    cohort: str,
    option: tuple[str, str],
    year: int,
) -> None:
    command, flag = option
    extra = ["csv", "-o", str(tmp_path / "out.csv")] if command == "export" else []
    day = f"{year:04d}-12-31"
    code, _, err = run(capsys, command, *extra, "--cohort", cohort, flag, day)
    assert code in (1, 2), err
    assert "Traceback" not in err and "outside the dates cohortdesk keeps" in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(("flag", "year"), [("--start", 1), ("--end", 9999), ("--start", 1899)])
def test_a_cohort_cannot_be_dated_outside_the_kept_range(
    capsys: pytest.CaptureFixture[str], flag: str, year: int
) -> None:
    code, _, err = run(capsys, "cohort", "create", "Far", flag, f"{year:04d}-01-01")
    assert code == 2 and "outside the dates cohortdesk keeps" in err, err


@FUZZ
@given(batch=st.one_of(st.integers(MAX_ID + 1, 10**40), st.integers(-(10**40), 0)))
def test_an_id_no_database_can_hold_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], batch: int
) -> None:
    code, _, err = run(capsys, "imports", "undo", str(batch))
    assert code == 2 and "Traceback" not in err, err


def test_the_largest_id_is_simply_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "imports", "undo", str(MAX_ID))
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
