"""Every migration runs on a database made by the version before it, full of real data.

The database is built one revision at a time: upgrade to revision N, insert rows with plain
SQL that is valid at N (what that version of cohortdesk wrote), upgrade to N+1, and so on to
the head; then every row inserted on the way must still be there, unchanged, and the services
must read it. A new migration needs its own entry in `SEEDS` (the last test says so).

This caught a real loss: with foreign keys on, Alembic's table copy for 0002 dropped the old
`memberships` table and the cascade deleted every note, check-in, access issue and stage
change. Migrations now run with foreign keys off and checked before the commit.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.people import members
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database

Row = dict[str, object]
T0 = "2026-09-01 08:00:00.000000"

#: revision -> rows written by the cohortdesk of that revision (table, columns and values)
SEEDS: dict[str, list[tuple[str, Row]]] = {
    "0001": [
        (
            "cohorts",
            {
                "id": 1,
                "name": "Leading Online Learning",
                "description": "Autumn run",
                "start_date": "2026-09-01",
                "end_date": "2026-11-30",
                "timezone": "Europe/Madrid",
                "archived": 0,
                "created_at": T0,
            },
        ),
        (
            "people",
            {
                "id": 1,
                "full_name": "Amina Odhiambo",
                "email": "amina@example.org",
                "expertise": "rota design, nursing",
                "created_at": T0,
            },
        ),
        (
            "people",
            {
                "id": 2,
                "full_name": "Tomás Horvat",
                "email": "tomas@example.org",
                "expertise": "",
                "created_at": T0,
            },
        ),
        (
            "people",
            {
                "id": 3,
                "full_name": "Farhan Banerjee",
                "email": "farhan@example.org",
                "expertise": "facilitation",
                "created_at": T0,
            },
        ),
        (
            "memberships",
            {
                "id": 1,
                "cohort_id": 1,
                "person_id": 1,
                "role": "learner",
                "stage": 3,
                "stage_since": T0,
                "access": "accessed",
                "joined_on": "2026-09-01",
                "created_at": T0,
            },
        ),
        (
            "memberships",
            {
                "id": 2,
                "cohort_id": 1,
                "person_id": 2,
                "role": "learner",
                "stage": 1,
                "stage_since": T0,
                "access": "problem",
                "joined_on": "2026-09-01",
                "created_at": T0,
            },
        ),
        (
            "memberships",
            {
                "id": 3,
                "cohort_id": 1,
                "person_id": 3,
                "role": "facilitator",
                "stage": 5,
                "stage_since": T0,
                "access": "accessed",
                "joined_on": "2026-09-01",
                "created_at": T0,
            },
        ),
        ("identities", {"id": 1, "person_id": 1, "source": "moodle", "external_id": "5104"}),
        (
            "activity_events",
            {
                "id": 1,
                "cohort_id": 1,
                "person_id": 1,
                "occurred_at": "2026-09-03 09:12:45.000000",
                "kind": "post",
                "source": "manual",
                "source_event_id": None,
                "thread": "Introductions",
                "replied_to_id": None,
                "word_count": 120,
                "detail": "Discussion created: Introductions",
                "created_at": T0,
            },
        ),
        (
            "activity_events",
            {
                "id": 2,
                "cohort_id": 1,
                "person_id": 3,
                "occurred_at": "2026-09-03 10:00:00.000000",
                "kind": "reply",
                "source": "moodle-forum",
                "source_event_id": "812",
                "thread": "Introductions",
                "replied_to_id": 1,
                "word_count": 40,
                "detail": "Re: Introductions",
                "created_at": T0,
            },
        ),
        (
            "access_issues",
            {
                "id": 1,
                "membership_id": 2,
                "opened_at": T0,
                "note": "Password reset mail never arrives",
                "resolved_at": None,
                "resolution": "",
            },
        ),
        (
            "member_notes",
            {"id": 1, "membership_id": 1, "created_at": T0, "body": "Offered to weave week 2"},
        ),
        (
            "motivation_checks",
            {
                "id": 1,
                "membership_id": 1,
                "checked_on": "2026-09-10",
                "rating": 4,
                "note": "Keen",
                "recorded_at": T0,
            },
        ),
        (
            "stage_changes",
            {
                "id": 1,
                "membership_id": 1,
                "from_stage": 2,
                "to_stage": 3,
                "changed_at": T0,
                "reason": "Replies to peers",
                "source": "manual",
                "evidence": None,
            },
        ),
    ],
    "0002": [
        (
            "import_batches",
            {
                "id": 1,
                "cohort_id": 1,
                "format": "moodle-log",
                "file_name": "logs_week2.csv",
                "sha256": "ab" * 32,
                "encoding": "utf-8",
                "timezone": "Europe/Madrid",
                "read": 3,
                "inserted": 1,
                "duplicates": 0,
                "unattributed": 1,
                "ignored": 1,
                "people_created": 1,
                "notes": "",
                "imported_at": T0,
                "undone_at": None,
            },
        ),
        (
            "people",
            {"id": 4, "full_name": "Dina Bakri", "email": None, "expertise": "", "created_at": T0},
        ),
        (
            "memberships",
            {
                "id": 4,
                "cohort_id": 1,
                "person_id": 4,
                "role": "learner",
                "stage": 1,
                "stage_since": T0,
                "access": "accessed",
                "joined_on": "2026-09-08",
                "created_at": T0,
                "import_batch_id": 1,
            },
        ),
        ("identities", {"id": 2, "person_id": 4, "source": "moodle", "external_id": "5104"}),
        (
            "activity_events",
            {
                "id": 3,
                "cohort_id": 1,
                "person_id": 4,
                "occurred_at": "2026-09-08 07:30:00.000000",
                "kind": "login",
                "source": "moodle-log",
                "source_event_id": "3f2a",
                "thread": None,
                "replied_to_id": None,
                "word_count": None,
                "detail": "User has logged in",
                "created_at": T0,
                "import_batch_id": 1,
            },
        ),
    ],
    "0003": [
        ("cohort_rules", {"cohort_id": 1, "settings": '{"quiet_days": 6}', "updated_at": T0}),
        (
            "suggestion_dismissals",
            {
                "id": 1,
                "membership_id": 2,
                "to_stage": 2,
                "counts": '{"posts": 1}',
                "dismissed_at": T0,
            },
        ),
        (
            "prompt_templates",
            {
                "id": 900,
                "key": None,
                "name": "My nudge",
                "purpose": "delurk",
                "stage": 2,
                "subject": "Week {stage}",
                "body": "Hi {first_name}, we miss you",
                "builtin": 0,
                "retired": 0,
                "created_at": T0,
                "updated_at": T0,
            },
        ),
        (
            "interventions",
            {
                "id": 1,
                "membership_id": 2,
                "template_id": 900,
                "subject": "Week 2",
                "body": "Hi Tomás, we miss you",
                "channel": "email",
                "sent_at": T0,
                "created_at": T0,
            },
        ),
    ],
    "0004": [
        (
            "activity_events",
            {
                "id": 4,
                "cohort_id": 1,
                "person_id": 2,
                "occurred_at": "2026-09-20 18:00:00.000000",
                "kind": "post",
                "source": "manual",
                "source_event_id": None,
                "thread": "Week 3",
                "replied_to_id": None,
                "word_count": 60,
                "detail": "",
                "created_at": T0,
                "import_batch_id": None,
            },
        ),
        (
            "member_notes",
            {"id": 2, "membership_id": 2, "created_at": T0, "body": "First post after the nudge"},
        ),
    ],
    "0005": [
        (
            "mentoring_groups",
            {
                "id": 1,
                "uuid": "6f1d1a60-0c61-4a3b-9d43-4b5ad2b3f7a1",
                "mentor_membership_id": 3,
                "name": "Ward leads",
                "goal": "Lead a rota change",
                "created_at": T0,
            },
        ),
        (
            "mentor_links",
            {
                "id": 1,
                "mentor_membership_id": 3,
                "mentee_membership_id": 1,
                "group_id": 1,
                "created_at": T0,
            },
        ),
        (
            "mentoring_sessions",
            {
                "id": 1,
                "uuid": "0b0c3a71-3a7e-4f0e-8f5a-0a1b2c3d4e5f",
                "mentor_membership_id": 3,
                "mentee_membership_id": 1,
                "group_id": None,
                "held_on": "2026-09-25",
                "notes": "Talked about the pilot",
                "goals": "Plan",
                "next_steps": "Draft",
                "created_at": T0,
                "updated_at": T0,
            },
        ),
        ("mentor_reviews", {"id": 1, "mentor_membership_id": 3, "reviewed_at": T0}),
        (
            "highlights",
            {
                "id": 1,
                "membership_id": 1,
                "kind": "quote",
                "happened_on": "2026-09-26",
                "text": "Weaving changed my ward",
                "tags": "weaving",
                "event_id": 1,
                "created_at": T0,
                "updated_at": T0,
            },
        ),
        (
            "interventions",
            {
                "id": 2,
                "membership_id": 1,
                "template_id": None,
                "subject": "",
                "body": "Copied before drafts existed",
                "channel": "clipboard",
                "sent_at": T0,
                "created_at": T0,
            },
        ),
    ],
    "0006": [
        (
            "interventions",
            {
                "id": 3,
                "membership_id": 1,
                "template_id": None,
                "subject": "Week 3",
                "body": "Copied, not confirmed yet",
                "channel": "clipboard",
                "sent_at": T0,
                "status": "draft",
                "confirmed_at": None,
                "created_at": T0,
            },
        ),
    ],
    "0007": [
        ("team_logins", {"login": "andrii", "person_id": 1, "created_at": T0}),
        (
            "member_notes",
            {"id": 7, "membership_id": 3, "created_at": T0, "body": "Edited twice", "version": 3},
        ),
    ],
    "0008": [
        (
            "cohorts",
            {
                "id": 8,
                "name": "Renamed twice",
                "description": "",
                "start_date": None,
                "end_date": None,
                "timezone": "UTC",
                "archived": 0,
                "created_at": T0,
                "created_by": "farhan",
                "version": 3,
            },
        ),
        (
            "people",
            {
                "id": 8,
                "full_name": "Added on the server",
                "email": "added@example.org",
                "expertise": "",
                "created_at": T0,
                "version": 2,
                "created_by": "farhan",
            },
        ),
    ],
}


def _insert(file: Path, rows: list[tuple[str, Row]]) -> None:
    with closing(sqlite3.connect(file)) as raw:
        raw.execute("PRAGMA foreign_keys=ON")
        for table, row in rows:
            columns = ", ".join(f'"{c}"' for c in row)
            marks = ", ".join("?" * len(row))
            raw.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(row.values()))
        raw.commit()


def _key(table: str, row: Row) -> tuple[str, object]:
    if table == "cohort_rules":
        return ("cohort_id", row["cohort_id"])
    if table == "team_logins":
        return ("login", row["login"])
    return ("id", row["id"])


def _read(file: Path, table: str, row: Row) -> Row | None:
    column, value = _key(table, row)
    columns = ", ".join(f'"{c}"' for c in row)
    with closing(sqlite3.connect(file)) as raw:
        found = raw.execute(
            f'SELECT {columns} FROM "{table}" WHERE "{column}" = ?', (value,)
        ).fetchone()
    return None if found is None else dict(zip(row, found, strict=True))


@pytest.fixture
def built(tmp_path: Path) -> tuple[Database, Path]:
    """A database built revision by revision, with each revision's rows."""
    file = tmp_path / "history.sqlite"
    db = Database(f"sqlite:///{file}")
    for revision in migrate.revisions_in_order():
        migrate.upgrade_to(db, revision)
        db.dispose()
        _insert(file, SEEDS.get(revision, []))
    return db, file


def test_every_row_written_by_an_older_version_survives_to_the_head(
    built: tuple[Database, Path],
) -> None:
    db, file = built
    try:
        assert migrate.stored_revision(db) == migrate.head_revision()
        lost = [
            f"{table} {_key(table, row)}: {_read(file, table, row)}"
            for rows in SEEDS.values()
            for table, row in rows
            if _read(file, table, row) != row
        ]
        assert lost == []
        with closing(sqlite3.connect(file)) as raw:
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.dispose()


def test_the_services_read_the_old_data_after_upgrading(built: tuple[Database, Path]) -> None:
    db, _file = built
    try:
        with db.read() as session:
            roster = {row.name: row for row in participation.roster(session, 1)}
            detail = members.member_detail(session, 1)
        assert set(roster) == {"Amina Odhiambo", "Tomás Horvat", "Farhan Banerjee", "Dina Bakri"}
        assert roster["Amina Odhiambo"].stage == 3
        assert roster["Amina Odhiambo"].motivation == 4
        assert [n.body for n in detail.notes] == ["Offered to weave week 2"]
        assert [s.reason for s in detail.stage_history] == ["Replies to peers"]
    finally:
        db.dispose()


@pytest.mark.parametrize("revision", migrate.revisions_in_order()[1:])
def test_each_migration_alone_keeps_the_data_of_the_version_before(
    tmp_path: Path, revision: str
) -> None:
    """Stop at the revision before `revision`, with all rows up to it, then take one step."""
    order = migrate.revisions_in_order()
    file = tmp_path / "step.sqlite"
    db = Database(f"sqlite:///{file}")
    try:
        for earlier in order[: order.index(revision)]:
            migrate.upgrade_to(db, earlier)
            db.dispose()
            _insert(file, SEEDS.get(earlier, []))
        migrate.upgrade_to(db, revision)
        db.dispose()
        before = [row for r in order[: order.index(revision)] for row in SEEDS.get(r, [])]
        assert [(t, r) for t, r in before if _read(file, t, r) != r] == []
    finally:
        db.dispose()


def test_nudges_logged_before_drafts_existed_stay_sent(built: tuple[Database, Path]) -> None:
    """Before 0006 every logged nudge counted as sent; upgrading must not turn them into drafts."""
    db, file = built
    try:
        with closing(sqlite3.connect(file)) as raw:
            statuses = dict(raw.execute("SELECT id, status FROM interventions").fetchall())
        assert statuses == {1: "sent", 2: "sent", 3: "draft"}
    finally:
        db.dispose()


def test_every_migration_has_rows_to_carry() -> None:
    missing = [r for r in migrate.revisions_in_order() if r not in SEEDS]
    assert missing == [], (
        f"add rows valid at revision {missing} to SEEDS in {__file__}, so the migration after "
        "it is tested on real data"
    )
