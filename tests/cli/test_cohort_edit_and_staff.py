"""`cohort create` defaults to this computer's zone, `cohort edit` keeps what it is not given,
and `import moodle-log` proposes staff and makes facilitators only of the ids confirmed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cohortdesk.core import localzone
from tests.cli.support import run

_HEADER = (
    "Time,User full name,Affected user,Event context,Component,Event name,Description,"
    "Origin,IP address"
)


def _row(day: int, uid: str, event: str, description: str) -> str:
    return f'"{day}/03/17, 10:00",-,-,Course: X,System,{event},"{description}",web,10.0.0.1'


def _log(path: Path) -> Path:
    """A teacher (id 7) who lists participants and views profiles; a learner (id 8) who
    glances at the list once."""
    rows = [_HEADER]
    for day in range(1, 9):
        rows.append(
            _row(
                day,
                "7",
                "User list viewed",
                "The user with id '7' viewed the list of users in the course with id '5'.",
            )
        )
        rows.append(
            _row(day, "8", "Course viewed", "The user with id '8' viewed the course with id '5'.")
        )
    rows.append(
        _row(
            9,
            "8",
            "User list viewed",
            "The user with id '8' viewed the list of users in the course with id '5'.",
        )
    )
    rows.append(
        _row(9, "7", "Course viewed", "The user with id '7' viewed the course with id '5'.")
    )
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


def _cohorts(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    code, out, _ = run(capsys, "cohort", "list", "--json")
    assert code == 0
    return {row["name"]: row for row in json.loads(out)}


def test_a_new_cohort_takes_this_computers_zone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(localzone.tzlocal, "get_localzone_name", lambda: "America/Bogota")
    assert run(capsys, "cohort", "create", "Here")[0] == 0
    assert run(capsys, "cohort", "create", "There", "--timezone", "Asia/Tokyo")[0] == 0
    rows = _cohorts(capsys)
    assert rows["Here"]["timezone"] == "America/Bogota"
    assert rows["There"]["timezone"] == "Asia/Tokyo"


@pytest.mark.parametrize("found", [None, "", "Not/AZone"])
def test_an_unknown_local_zone_falls_back_to_utc(
    monkeypatch: pytest.MonkeyPatch, found: str | None
) -> None:
    def name() -> str:
        if found is None:
            raise OSError("no zone configured")
        return found

    monkeypatch.setattr(localzone.tzlocal, "get_localzone_name", name)
    assert localzone.local_zone_name() == "UTC"


def test_cohort_edit_changes_only_what_it_is_given(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "cohort", "create", "Edify", "--timezone", "Europe/London", "--description", "M3")
    code, out, _ = run(
        capsys, "cohort", "edit", "Edify", "--start", "2017-02-27", "--end", "2017-06-27"
    )
    assert code == 0
    assert "2017-02-27 to 2017-06-27" in out
    row = _cohorts(capsys)["Edify"]
    assert (row["start_date"], row["end_date"], row["timezone"], row["description"]) == (
        "2017-02-27",
        "2017-06-27",
        "Europe/London",
        "M3",
    )
    assert (
        run(capsys, "cohort", "edit", "Edify", "--timezone", "Europe/Lisbon", "--rename", "E3")[0]
        == 0
    )
    row = _cohorts(capsys)["E3"]
    assert (row["start_date"], row["timezone"]) == ("2017-02-27", "Europe/Lisbon")


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["cohort", "edit", "Edify"], "Nothing to change"),
        (["cohort", "edit", "Edify", "--end", "2016-01-01"], "end date is before the start"),
        (["cohort", "edit", "Nobody", "--start", "2017-01-01"], "No cohort named 'Nobody'"),
        (["cohort", "edit", "Edify", "--timezone", "Mars/Olympus"], "nknown time zone"),
    ],
)
def test_cohort_edit_refuses_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    run(capsys, "cohort", "create", "Edify", "--start", "2017-02-27")
    code, _out, err = run(capsys, *argv)
    assert code == 1
    assert error in err
    assert len(err.strip().splitlines()) == 1


def test_import_proposes_staff_and_says_how_to_confirm(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = _log(tmp_path / "log.csv")
    run(capsys, "cohort", "create", "C", "--start", "2017-03-01", "--end", "2017-03-05")
    code, out, _ = run(capsys, "import", "moodle-log", str(log), "--cohort", "C")
    assert code == 0
    assert "Moodle user 7 (9 rows: viewed the participant list 8×)" in out
    assert "--cohort C --staff 7" in out
    # the file runs to 9 March, past the cohort's end
    assert "cohortdesk cohort edit C --start 2017-03-01 --end 2017-03-09" in out
    code, out, _ = run(capsys, "status", "--cohort", "C", "--json")
    assert {row["role"] for row in json.loads(out)["members"]} == {"learner"}

    code, out, _ = run(capsys, "import", "moodle-log", str(log), "--cohort", "C", "--staff", "7")
    assert code == 0
    assert "Proposed as staff" not in out
    code, out, _ = run(capsys, "status", "--cohort", "C", "--json")
    roles = {row["name"]: row["role"] for row in json.loads(out)["members"]}
    assert sorted(roles.values()) == ["facilitator", "learner"]


def test_import_json_carries_the_proposal_and_the_days(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = _log(tmp_path / "log.csv")
    run(capsys, "cohort", "create", "C")
    code, out, _ = run(capsys, "import", "moodle-log", str(log), "--cohort", "C", "--json")
    assert code == 0
    data = json.loads(out)
    assert [p["source_id"] for p in data["proposed_staff"]] == ["7"]
    assert (data["activity_first"], data["activity_last"], data["outside_dates"]) == (
        "2017-03-01",
        "2017-03-09",
        True,
    )


def test_a_staff_id_not_in_the_file_imports_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = _log(tmp_path / "log.csv")
    run(capsys, "cohort", "create", "C")
    code, _, err = run(capsys, "import", "moodle-log", str(log), "--cohort", "C", "--staff", "7,99")
    assert code == 1
    assert "no user with id '99' in the file" in err
    code, out, _ = run(capsys, "status", "--cohort", "C", "--json")
    assert json.loads(out)["members"] == []


def test_the_real_edify_log_proposes_its_teacher(
    capsys: pytest.CaptureFixture[str], real_fixtures: Path
) -> None:
    log = real_fixtures / "moodle_log_edify_module3_sp17.csv"
    run(capsys, "cohort", "create", "Edify", "--start", "2017-02-27", "--end", "2017-06-27")
    code, out, _ = run(capsys, "import", "moodle-log", str(log), "--cohort", "Edify", "--json")
    assert code == 0
    (proposal,) = json.loads(out)["proposed_staff"]
    assert proposal["source_id"] == "394"
    assert proposal["patterns"] == [
        ["viewed the participant list", 23],
        ["viewed another person's profile", 9],
    ]
    assert json.loads(out)["outside_dates"] is False


def test_import_progress_shows_the_share_of_the_file_and_the_pace(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = _log(tmp_path / "log.csv")
    run(capsys, "cohort", "create", "C")
    code, out, err = run(capsys, "import", "moodle-log", str(log), "--cohort", "C", "--progress")
    assert code == 0 and "Imported log.csv" in out
    last = err.rstrip("\n").split("\r")[-1].strip()
    assert last.startswith("100% · ") and " rows · " in last and last.endswith(" rows/s")
    # off by default when standard output is not a terminal (as here)
    code, out, err = run(capsys, "import", "moodle-log", str(log), "--cohort", "C")
    assert code == 0 and "%" not in err
