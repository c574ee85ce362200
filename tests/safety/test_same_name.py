"""Two people with one name are two people when their emails or ids say so.

A second "Sam Lee" with another email was merged into the first and the second email lost,
from a roster, from xAPI and against an existing member. A name may match only where nothing
contradicts it (no other email, no other id on the platform), and the import says which rows
it matched by name alone.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli.support import run
from tests.safety.fuzz import FUZZ

COHORT_NUMBERS = itertools.count(1)
TWO_SAMS = [("Sam Lee", "sam.one@example.org"), ("Sam Lee", "sam.two@example.org")]


def _people(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    code, out, err = run(capsys, "status", "--cohort", "T1", "--json")
    assert code == 0, err
    return sorted((m["name"], m["email"]) for m in json.loads(out)["members"])


def _import(capsys: pytest.CaptureFixture[str], path: Path, fmt: str, *extra: str) -> str:
    code, out, err = run(capsys, "import", fmt, str(path), "--cohort", "T1", *extra)
    assert code == 0, err
    return out


@pytest.fixture
def cohort(capsys: pytest.CaptureFixture[str]) -> str:
    assert run(capsys, "cohort", "create", "T1")[0] == 0
    return "T1"


def test_a_roster_keeps_two_sam_lees_with_their_own_emails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Email\nSam Lee,sam.one@example.org\nSam Lee,sam.two@example.org\n")
    _import(capsys, roster, "roster")
    assert _people(capsys) == [
        ("Sam Lee", "sam.one@example.org"),
        ("Sam Lee", "sam.two@example.org"),
    ]


def test_an_existing_member_is_not_taken_over_by_a_namesake(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str
) -> None:
    first = tmp_path / "first.csv"
    first.write_text("Name,Email\nSam Lee,sam.one@example.org\n")
    _import(capsys, first, "roster")
    xapi = tmp_path / "statements.json"
    statement = {
        "actor": {"objectType": "Agent", "name": "Sam Lee", "mbox": "mailto:sam.two@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/commented"},
        "object": {"objectType": "Activity", "id": "https://lms.example.org/forum/1"},
        "timestamp": "2024-02-13T10:00:00Z",
    }
    xapi.write_text(json.dumps([statement]))
    _import(capsys, xapi, "xapi")
    assert _people(capsys) == [
        ("Sam Lee", "sam.one@example.org"),
        ("Sam Lee", "sam.two@example.org"),
    ]


def test_a_name_alone_still_finds_the_one_person_and_the_summary_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Email\nAnn Smith,ann@example.org\n")
    _import(capsys, roster, "roster")
    log = tmp_path / "log.csv"
    log.write_text("who,when,kind\nAnn Smith,2024-02-13 10:00,post\n")
    out = _import(capsys, log, "activity-csv", "--map", "who=who,when=when,kind=kind")
    assert "matched by name alone" in out and "Ann Smith" in out
    assert _people(capsys) == [("Ann Smith", "ann@example.org")]


@FUZZ
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["Sam Lee", "Ana Li", "Jo Park"]), st.integers(1, 4)),
        min_size=1,
        max_size=8,
        unique_by=lambda row: (row[0].split()[0], row[1]),  # a roster lists an email once
    )
)
def test_a_roster_makes_one_person_per_email_whatever_the_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: list[tuple[str, int]]
) -> None:
    name = f"T{next(COHORT_NUMBERS)}"
    assert run(capsys, "cohort", "create", name)[0] == 0
    roster = tmp_path / f"{name}.csv"
    roster.write_text(
        "Name,Email\n" + "".join(f"{n},{n.split()[0].lower()}{k}@example.org\n" for n, k in rows)
    )
    code, _, err = run(capsys, "import", "roster", str(roster), "--cohort", name)
    assert code == 0, err
    code, out, err = run(capsys, "status", "--cohort", name, "--json")
    emails = {m["email"] for m in json.loads(out)["members"]}
    assert emails == {f"{n.split()[0].lower()}{k}@example.org" for n, k in rows}
