"""The command-line contract: exit codes, one-line errors, JSON shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cohortdesk import __version__
from tests.cli.support import run

STATUS_KEYS = {
    "name",
    "email",
    "role",
    "stage",
    "access",
    "motivation",
    "events",
    "logins",
    "threads",
    "replies",
    "posts",
    "peer_replies",
    "last_active",
}


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"cohortdesk {__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["status"],
        ["cohort"],
        ["cohort", "create", "X", "--start", "tomorrow"],
        ["demo", "--members", "lots"],
    ],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "usage:" in err
    assert out == ""


def test_create_and_list_cohorts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "cohort",
        "create",
        "Spring 2027",
        "--start",
        "2027-03-01",
        "--timezone",
        "Europe/Madrid",
    )
    assert (code, out.strip()) == (0, "Created the cohort 'Spring 2027' (time zone Europe/Madrid)")
    code, out, _ = run(capsys, "cohort", "list", "--json")
    assert code == 0
    [cohort] = json.loads(out)
    assert cohort["name"] == "Spring 2027"
    assert cohort["start_date"] == "2027-03-01"
    assert cohort["timezone"] == "Europe/Madrid"
    code, out, _ = run(capsys, "cohort", "list")
    assert "Spring 2027" in out and "Europe/Madrid" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "--cohort", "Nope"], "No cohort named 'Nope'"),
        (["cohort", "create", "Z", "--timezone", "Mars/Olympus"], "unknown time zone"),
        (
            ["cohort", "create", "Z", "--start", "2027-02-01", "--end", "2027-01-01"],
            "end date is before the start date",
        ),
        (["cohort", "create", "   "], "Name: cannot be empty"),
    ],
)
def test_bad_input_exits_1_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("cohortdesk: ")
    assert message in err
    assert "Traceback" not in err


def test_duplicate_cohort_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "cohort", "create", "Autumn")[0] == 0
    code, _, err = run(capsys, "cohort", "create", "autumn")
    assert code == 1
    assert "already exists" in err


def test_demo_then_status_json_tells_the_cohort_story(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    code, out, _ = run(capsys, "--db", url, "demo", "--end", "2026-10-30")
    assert code == 0 and "Created the demo cohort" in out
    code, out, err = run(
        capsys, "--db", url, "status", "--cohort", "Leading Online Learning (demo)", "--json"
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["cohort"] == "Leading Online Learning (demo)"
    # the demo cohort ended two weeks after its activity: judged as of its end by default
    assert document["as_of"] == "2026-11-13"
    people = document["members"]
    assert len(people) >= 20
    assert all(set(p) == STATUS_KEYS for p in people)
    learners = [p for p in people if p["role"] == "learner"]
    assert {p["stage"] for p in learners} == {1, 2, 3, 4, 5}
    assert any(p["access"] == "problem" for p in learners)
    assert any(p["access"] == "not_yet" for p in learners)
    assert sum(p["role"] == "mentor" for p in people) == 2
    assert sum(p["role"] == "facilitator" for p in people) == 1
    assert all(p["posts"] == p["threads"] + p["replies"] for p in people)
    assert sum(p["peer_replies"] for p in learners) > 0


def test_demo_if_empty_leaves_a_database_with_cohorts_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "cohort", "create", "Mine")[0] == 0
    code, out, _ = run(capsys, "demo", "--if-empty")
    assert (code, out) == (0, "")
    _, out, _ = run(capsys, "cohort", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["Mine"]


def test_db_environment_variable_is_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COHORTDESK_DB", str(tmp_path / "env.sqlite"))
    assert run(capsys, "cohort", "create", "Via env")[0] == 0
    assert (tmp_path / "env.sqlite").exists()


def test_a_database_in_a_missing_folder_is_created(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--db", str(tmp_path / "no" / "such" / "x.db"), "cohort", "list")
    assert code == 0
    assert "No cohorts yet" in out
    assert (tmp_path / "no" / "such" / "x.db").is_file()


def test_a_database_where_no_folder_can_be_made_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("in the way")
    code, _, err = run(capsys, "--db", str(tmp_path / "file" / "x.db"), "cohort", "list")
    assert code == 1
    assert "cannot create the folder" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_python_m_and_the_console_script_run(tmp_path: Path) -> None:
    env_python = Path(sys.executable)
    result = subprocess.run(
        [str(env_python), "-m", "cohortdesk", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"cohortdesk {__version__}")
    script = env_python.parent / "cohortdesk"
    if script.exists():
        result = subprocess.run(
            [str(script), "--help"], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0 and "status" in result.stdout
