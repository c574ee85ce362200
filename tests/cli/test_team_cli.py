"""`cohortdesk team ...` on a real PostgreSQL server, end to end: set the server up, bring the
demo in, add a mentor and a trainer, and use the app as each of them."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from tests.cli.support import run
from tests.databases import server_only
from tests.pg_server import PgServer

psycopg = pytest.importorskip("psycopg", reason="team mode tests need psycopg (the team extra)")

pytestmark = server_only("team mode is a server's roles and row-level security")

DEMO = "Leading Online Learning (demo)"


def _database(url: str) -> str:
    return url.split("@/")[1].split("?")[0]


def _raw(server: PgServer, database: str, user: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(dbname=database, user=user, host=server.socket_dir) as connection:
        return connection.execute(sql).fetchall()  # type: ignore[arg-type]


def test_a_mentor_and_a_trainer_on_a_fresh_server(
    pg_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = _database(pg_url)
    # a laptop's database with the demo, the mentor Andrii with three learners as his mentees
    laptop = str(tmp_path / "laptop.sqlite")
    assert run(capsys, "--db", laptop, "demo")[0] == 0
    with closing(sqlite3.connect(laptop)) as raw:
        learners = [
            str(email)
            for (email,) in raw.execute(
                "SELECT p.email FROM people p JOIN memberships m ON m.person_id = p.id "
                "WHERE m.role = 'learner' ORDER BY p.id LIMIT 3"
            )
        ]
        (andrii,) = raw.execute(
            "SELECT email FROM people WHERE full_name LIKE 'Andrii %'"
        ).fetchone()
    mentees = [arg for email in learners for arg in ("--mentee", email)]
    assign = ("mentor", "assign", "--cohort", DEMO, "--mentor", andrii, *mentees)
    assert run(capsys, "--db", laptop, *assign)[0] == 0

    code, out, err = run(capsys, "--db", pg_url, "team", "init")
    assert (code, err) == (0, "")
    assert "row-level security on" in out
    assert run(capsys, "--db", pg_url, "copy", "--from", laptop, "--to", pg_url)[0] == 0

    password = tmp_path / "secret"
    password.write_text("s3cret-pass\n", encoding="utf-8")
    add_mentor = ("team", "add-user", "andrii", "--role", "mentor", "--person", andrii)
    code, out, err = run(capsys, "--db", pg_url, *add_mentor, "--password-file", str(password))
    assert (code, err) == (0, "")
    assert out.startswith("Login andrii is a mentor for Andrii")
    add_trainer = ("team", "add-user", "tess", "--role", "trainer", "--no-password")
    assert run(capsys, "--db", pg_url, *add_trainer)[0] == 0
    code, out, _err = run(capsys, "--db", pg_url, "team", "list", "--json")
    listed = {row["login"]: row for row in json.loads(out)}
    assert listed["andrii"]["role"] == "mentor"
    assert listed["andrii"]["email"] == andrii
    assert listed["tess"]["role"] == "trainer"

    # as the mentor: only his mentees (and himself, the mentor they are linked to)
    mentor_url = pg_server.url(database, "andrii")
    code, out, err = run(capsys, "--db", mentor_url, "status", "--cohort", DEMO, "--json")
    assert (code, err) == (0, "")
    members = json.loads(out)["members"]
    shown = {m["email"] for m in members}
    assert shown == {*learners, andrii}
    emails = _raw(pg_server, database, "andrii", "SELECT email FROM people")
    assert {str(e) for (e,) in emails} == {*learners, andrii}

    # as the trainer: everything is readable, every figure as on the laptop, and a write is
    # refused in one line
    trainer_url = pg_server.url(database, "tess")
    for command in (("status", "--cohort", DEMO, "--json"), ("report", "--cohort", DEMO, "--json")):
        code, on_server, err = run(capsys, "--db", trainer_url, *command)
        assert (code, err) == (0, "")
        assert json.loads(on_server) == json.loads(run(capsys, "--db", laptop, *command)[1])
    code, out, err = run(capsys, "--db", trainer_url, "cohort", "create", "Spring")
    assert (code, out) == (1, "")
    assert err == (
        "cohortdesk: your team role, trainer, cannot change cohorts. Nothing was changed.\n"
    )
    code, _out, err = run(capsys, "--db", mentor_url, "cohort", "create", "Spring")
    assert code == 1
    assert (
        err == "cohortdesk: your team role, mentor, cannot change cohorts. Nothing was changed.\n"
    )

    code, out, err = run(capsys, "--db", pg_url, "team", "remove", "tess")
    assert (code, err) == (0, "")
    code, out, _err = run(capsys, "--db", pg_url, "team", "list", "--json")
    assert [row["login"] for row in json.loads(out)] == ["andrii"]


def test_team_commands_say_what_they_need(
    pg_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = tmp_path / "laptop.sqlite"
    code, _out, err = run(capsys, "--db", str(file), "team", "init")
    assert code == 1
    assert "team mode needs a PostgreSQL server" in err
    assert run(capsys, "--db", pg_url, "team", "init")[0] == 0
    code, _out, err = run(
        capsys, "--db", pg_url, "team", "add-user", "Bad Name", "--role", "trainer", "--no-password"
    )
    assert code == 1
    assert "cannot be a login" in err
    code, _out, err = run(
        capsys, "--db", pg_url, "team", "add-user", "mia", "--role", "mentor", "--no-password"
    )
    assert (code, err) == (
        1,
        "cohortdesk: a mentor's login needs --person EMAIL: they see only their mentees\n",
    )
    code, _out, err = run(
        capsys,
        "--db",
        pg_url,
        "team",
        "add-user",
        "mia",
        "--role",
        "mentor",
        "--person",
        "nobody@example.org",
        "--no-password",
    )
    assert code == 1
    assert "no person has the email nobody@example.org" in err
    code, _out, err = run(capsys, "--db", pg_url, "team", "remove", "nobody")
    assert code == 1
    assert "nobody is not a login of the team" in err


def test_a_team_login_opens_a_server_the_owner_keeps(
    pg_server: PgServer,
    pg_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database = _database(pg_url)
    assert run(capsys, "--db", pg_url, "team", "init")[0] == 0
    add = ("team", "add-user", "trina", "--role", "trainer", "--no-password")
    assert run(capsys, "--db", pg_url, *add)[0] == 0
    trainer_url = pg_server.url(database, "trina")
    stored = migrate.HEAD_REVISION
    # the trainer's cohortdesk is newer than the server's schema: only the owner upgrades it
    with monkeypatch.context() as newer:
        newer.setattr(migrate, "HEAD_REVISION", "0099")
        newer.setattr(migrate, "known_revisions", lambda: {stored, "0099"})
        code, out, err = run(capsys, "--db", trainer_url, "cohort", "list")
    assert (code, out) == (1, "")
    assert err == (
        f"cohortdesk: {Database(trainer_url).display_name} holds schema {stored}, older than "
        "this cohortdesk's (0099): the team's owner upgrades it with `cohortdesk team init`. "
        "Nothing was changed.\n"
    )
    # a template a newer cohortdesk ships, not on the server yet: the trainer cannot add it,
    # and is not stopped by it
    with psycopg.connect(dbname=database, user="postgres", host=pg_server.socket_dir) as raw:
        raw.execute(
            "DELETE FROM prompt_templates WHERE id = (SELECT min(id) FROM prompt_templates)"
        )
    code, out, err = run(capsys, "--db", trainer_url, "cohort", "list")
    assert (code, err) == (0, "")


def test_a_facilitator_creates_and_fills_a_cohort_only_they_see(
    pg_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = _database(pg_url)
    assert run(capsys, "--db", pg_url, "team", "init")[0] == 0
    assert run(capsys, "--db", pg_url, "demo")[0] == 0
    add = ("team", "add-user", "fay", "--role", "facilitator", "--no-password")
    assert run(capsys, "--db", pg_url, *add)[0] == 0
    fay = pg_server.url(database, "fay")
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    steps = (
        ("cohort", "create", "Spring", "--timezone", "Europe/London"),
        ("import", "roster", str(fixtures / "roster" / "bom_utf8.csv"), "--cohort", "Spring"),
        (
            "import",
            "moodle-log",
            str(fixtures / "moodle_log" / "realistic_en_bom.csv"),
            "--cohort",
            "Spring",
        ),
    )
    for step in steps:
        code, _out, err = run(capsys, "--db", fay, *step)
        assert (code, err) == (0, ""), step
    code, out, _err = run(capsys, "--db", fay, "cohort", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["Spring"]
    code, out, _err = run(capsys, "--db", fay, "status", "--cohort", "Spring", "--json")
    assert len(json.loads(out)["members"]) == 4
    emails = _raw(pg_server, database, "fay", "SELECT count(*) FROM people")
    assert emails == [(4,)]  # none of the demo's 24
    code, _out, err = run(capsys, "--db", fay, "status", "--cohort", DEMO)
    assert code == 1
    assert "No cohort named" in err
