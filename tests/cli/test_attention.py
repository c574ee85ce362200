"""`cohortdesk attention` and `cohortdesk templates list`: the command-line contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from cohortdesk.core.models import PromptTemplate
from cohortdesk.core.storage.db import Database
from tests.cli.support import run

DEMO = "Leading Online Learning (demo)"
ITEM_KEYS = {
    "name",
    "email",
    "stage",
    "priority",
    "reasons",
    "suggested_template",
    "suggested_for",
    "message",
}


@pytest.fixture
def demo_db(capsys: pytest.CaptureFixture[str], database_url: str) -> str:
    assert run(capsys, "--db", database_url, "demo", "--end", "2026-10-30")[0] == 0
    return database_url


def test_attention_json_shape_order_and_messages(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    code, out, err = run(
        capsys, "--db", demo_db, "attention", "--cohort", DEMO, "--as-of", "2026-10-30", "--json"
    )
    assert (code, err) == (0, "")
    items = json.loads(out)
    assert 5 <= len(items) <= 10
    assert all(set(item) == ITEM_KEYS for item in items)
    priorities = [item["priority"] for item in items]
    assert priorities == sorted(priorities, reverse=True)
    for item in items:
        assert item["reasons"] and all(set(r) == {"code", "detail"} for r in item["reasons"])
        assert 1 <= item["stage"] <= 5 and "@" in item["email"]
        assert item["message"].startswith(f"Hi {item['name'].split()[0]},\n")
        assert isinstance(item["suggested_template"], str)
    _, status, _ = run(capsys, "--db", demo_db, "status", "--cohort", DEMO, "--json")
    roles = {m["name"]: m["role"] for m in json.loads(status)["members"]}
    assert {roles[item["name"]] for item in items} == {"learner"}
    codes = {r["code"] for item in items for r in item["reasons"]}
    assert {"access_problem", "never_accessed", "reads_not_posting", "silent"} <= codes
    assert "low_motivation" in codes


def test_attention_table(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    code, out, err = run(
        capsys, "--db", demo_db, "attention", "--cohort", DEMO, "--as-of", "2026-10-30"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith(f"{DEMO}, as of Fri 30 Oct 2026: ")
    # the learner nudged yesterday is listed, last, but does not need you today
    assert lines[0].endswith(
        ": 6 learners need you; 1 nudged recently, waiting for a response (listed last)"
    )
    assert lines[1].split()[:3] == ["Priority", "Name", "Stage"]
    assert "+60 Open access problem" in out and "Not logged in yet" in out


def test_attention_defaults_to_today(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert run(capsys, "--db", url, "cohort", "create", "Empty")[0] == 0
    code, out, _ = run(capsys, "--db", url, "attention", "--cohort", "Empty")
    assert code == 0 and "no learner needs your attention" in out
    code, out, _ = run(capsys, "--db", url, "attention", "--cohort", "Empty", "--json")
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["attention", "--cohort", "Nope"], "No cohort named 'Nope'"),
        (["attention", "--cohort", "Known", "--as-of", "30/10/2026"], "--as-of: not a date"),
        (["attention", "--cohort", "Known", "--as-of", "2026-02-30"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run(capsys, "cohort", "create", "Known")[0] == 0
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("cohortdesk: ") and message in err


def test_attention_needs_a_cohort(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "attention")
    assert code == 2 and "usage:" in err


def test_templates_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "list")
    assert code == 0
    assert out.splitlines()[0].split() == ["Id", "Name", "Purpose", "Stage", "Kind", "Used"]
    assert "Welcome a newcomer" in out and "built in" in out
    code, out, _ = run(capsys, "templates", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) >= 20
    assert {"id", "name", "purpose", "stage", "subject", "body", "builtin", "retired"} <= set(
        rows[0]
    )
    assert run(capsys, "templates", "list", "--all")[0] == 0


@pytest.mark.parametrize("command", [["templates", "list", "--json"], ["cohort", "list"]])
def test_an_older_database_gets_the_built_in_templates_it_lacks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    # As the app does at start-up: a template a newer version ships reaches an older database.
    url = f"sqlite:///{tmp_path / 'old.db'}"
    assert run(capsys, "--db", url, "cohort", "create", "Spring")[0] == 0
    db = Database(url)
    try:
        with db.write() as session:
            session.execute(delete(PromptTemplate).where(PromptTemplate.key == "bridge"))
    finally:
        db.dispose()

    code, out, err = run(capsys, "--db", url, *command)
    assert (code, err) == (0, "")
    if command[0] == "templates":
        assert [row["key"] for row in json.loads(out)].count("bridge") == 1
    db = Database(url)
    try:
        with db.read() as session:
            wanted = select(func.count()).where(PromptTemplate.key == "bridge")
            assert session.scalar(wanted) == 1
    finally:
        db.dispose()
