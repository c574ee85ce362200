"""The command line of mentors, review packs, notes, experts, highlights and summaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cohortdesk.cli.main import main
from cohortdesk.core.paths import sqlite_url
from cohortdesk.core.schemas.mentoring import SessionInput
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database
from tests.cli.support import run
from tests.core.mentoring_builders import MentoringStory


@pytest.fixture
def story(db: Database) -> MentoringStory:
    with db.write() as s:
        return MentoringStory(s)


def test_assign_and_list_mentors(capsys: pytest.CaptureFixture[str], story: MentoringStory) -> None:
    code, out, err = run(
        capsys,
        "mentor",
        "assign",
        "--cohort",
        "Spring",
        "--mentor",
        "oskar.lindqvist@example.org",
        "--mentee",
        "ben.carter@example.org",
        "--mentee",
        "Tomás Reyes",
        "--group",
        "Second years",
        "--goal",
        "Write a case study",
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Ben Carter is now mentored by Oskar Lindqvist, in the group Second years",
        "Tomás Reyes is now mentored by Oskar Lindqvist (was Mei Tanaka), "
        "in the group Second years",
    ]
    code, out, _ = run(capsys, "mentor", "list", "--cohort", "Spring", "--json")
    mentors = {m["mentor"]: m for m in json.loads(out)}
    assert [m["name"] for m in mentors["Mei Tanaka"]["mentees"]] == ["Ana Souza"]
    assert [m["name"] for m in mentors["Oskar Lindqvist"]["mentees"]] == [
        "Ben Carter",
        "Priya Natarajan",
        "Tomás Reyes",
    ]
    assert mentors["Oskar Lindqvist"]["groups"] == [
        {"name": "Second years", "goal": "Write a case study"}
    ]
    code, out, _ = run(capsys, "mentor", "list", "--cohort", "Spring")
    assert code == 0 and "Oskar Lindqvist" in out and "Second years" in out


def test_a_review_pack_round_trip(
    capsys: pytest.CaptureFixture[str], story: MentoringStory, tmp_path: Path
) -> None:
    pack = tmp_path / "mei.cohortdesk"
    code, out, err = run(
        capsys, "review-pack", "--cohort", "Spring", "--mentor", "Mei Tanaka", "-o", str(pack)
    )
    assert (code, err) == (0, "")
    assert out.startswith("Wrote the review pack for Mei Tanaka") and "2 mentees" in out

    # The mentor's laptop: the pack is the database; cohort and mentor are the pack's.
    code, out, _ = run(capsys, "--db", str(pack), "status", "--cohort", "Spring", "--json")
    assert code == 0
    assert sorted(m["name"] for m in json.loads(out)["members"]) == [
        "Ana Souza",
        "Another learner",
        "Cohort staff",
        "Mei Tanaka",
        "Tomás Reyes",
    ]
    code, out, _ = run(
        capsys, "--db", str(pack), "mentor", "view", "--as-of", "2025-03-05", "--json"
    )
    view = json.loads(out)
    assert view["mentor"] == "Mei Tanaka"
    assert [m["name"] for m in view["mentees"]] == ["Ana Souza", "Tomás Reyes"]
    assert view["mentees"][0]["goals"] == "Start a thread by Friday"

    db = open_database(sqlite_url(pack), None)
    with db.write() as s:
        mentoring.add_session(
            s,
            story.mei,
            SessionInput(
                held_on=story.mei_session.held_on, mentee_membership_id=story.tomas, notes="Call"
            ),
        )
    db.dispose()
    notes = tmp_path / "notes.json"
    code, out, err = run(capsys, "--db", str(pack), "mentor", "export-notes", "-o", str(notes))
    assert (code, err) == (0, "") and "Wrote 2 sessions of Mei Tanaka" in out

    # Back at the facilitator's: imported once, then again without duplicates.
    code, out, _ = run(capsys, "import", "review-notes", str(notes), "--cohort", "Spring", "--json")
    assert code == 0
    first = json.loads(out)
    assert (first["inserted"], first["unchanged"]) == (1, 1)
    code, out, _ = run(capsys, "import", "review-notes", str(notes), "--cohort", "Spring")
    assert code == 0 and "0 new, 0 updated, 2 unchanged" in out


def test_the_pack_opens_in_a_fresh_process(story: MentoringStory, tmp_path: Path) -> None:
    pack = tmp_path / "pack.sqlite"
    assert (
        main(
            [
                "review-pack",
                "--cohort",
                "Spring",
                "--mentor",
                "mei.tanaka@example.org",
                "-o",
                str(pack),
            ]
        )
        == 0
    )
    done = subprocess.run(
        [sys.executable, "-m", "cohortdesk", "--db", str(pack), "cohort", "list", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [c["name"] for c in json.loads(done.stdout)] == ["Spring"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["review-pack", "--cohort", "Spring", "--mentor", "nobody@example.org", "-o", "x"],
            "No member of Spring",
        ),
        (["review-pack", "--cohort", "Spring", "--mentor", "Ben Carter", "-o", "x"], "no mentees"),
        (
            ["import", "review-notes", "missing.json", "--cohort", "Spring"],
            "missing.json: cannot read",
        ),
        (["mentor", "export-notes", "-o", "x.json"], "--cohort is needed"),
        (["mentor", "view", "--cohort", "Spring"], "--mentor is needed"),
        (
            [
                "mentor",
                "assign",
                "--cohort",
                "Spring",
                "--mentor",
                "Ana Souza",
                "--mentee",
                "Ana Souza",
            ],
            "own mentor",
        ),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str],
    story: MentoringStory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "x").exists()


def test_experts(capsys: pytest.CaptureFixture[str], story: MentoringStory) -> None:
    code, out, _ = run(capsys, "experts", "online", "FACILITATION", "--json")
    assert code == 0
    found = json.loads(out)
    assert [e["name"] for e in found] == ["Ana Souza", "Walter Hargreaves"]
    assert found[0]["matched"] == ["online facilitation"]
    assert found[0]["cohorts"] == ["Spring (learner)"]
    code, out, _ = run(capsys, "experts", "evaluation")
    assert "Zoë Adebayo" in out
    code, out, _ = run(capsys, "experts", "knitting")
    assert (code, out.strip()) == (0, "Nobody lists expertise in 'knitting'")


def test_highlights(capsys: pytest.CaptureFixture[str], story: MentoringStory) -> None:
    code, out, _ = run(
        capsys,
        "highlights",
        "add",
        "--cohort",
        "Spring",
        "--member",
        "ana.souza@example.org",
        "--text",
        "Summarised week 2 for everyone",
        "--tags",
        "summary, leadership",
        "--date",
        "2025-03-05",
    )
    assert (code, out.strip()) == (0, "Captured a story of Ana Souza (2025-03-05)")
    code, out, _ = run(capsys, "highlights", "list", "--search", "WEEK ana", "--json")
    assert json.loads(out) == [
        {
            "date": "2025-03-05",
            "member": "Ana Souza",
            "cohort": "Spring",
            "kind": "story",
            "text": "Summarised week 2 for everyone",
            "tags": ["summary", "leadership"],
        }
    ]
    code, out, _ = run(capsys, "highlights", "list", "--tag", "nothing")
    assert out.strip() == "No highlights found"


def test_manager_summary(
    capsys: pytest.CaptureFixture[str], story: MentoringStory, tmp_path: Path
) -> None:
    target = tmp_path / "ana.txt"
    code, out, _ = run(
        capsys,
        "manager-summary",
        "--cohort",
        "Spring",
        "--member",
        "Ana Souza",
        "-o",
        str(target),
        "--as-of",
        "2025-03-05",
    )
    assert code == 0 and str(target) in out
    text = target.read_text("utf-8")
    assert "Ana Souza: Spring" in text and "SECRET" not in text
