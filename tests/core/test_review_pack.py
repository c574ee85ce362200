"""Review packs: a valid cohortdesk database with one mentor's mentees and nothing else."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import KnownError
from cohortdesk.core.models import (
    ActivityEvent,
    Intervention,
    MemberNote,
    MentoringSession,
    Person,
    PromptTemplate,
)
from cohortdesk.core.paths import sqlite_url
from cohortdesk.core.schemas import ReasonCode
from cohortdesk.core.schemas.mentoring import SessionInput
from cohortdesk.core.services.activity import participation, rollups
from cohortdesk.core.services.mentoring import mentor_overview, mentoring, review_notes
from cohortdesk.core.services.mentoring.review_pack import (
    ANOTHER_LEARNER,
    COHORT_STAFF,
    SCRUBBED,
    Scrubber,
    make_review_pack,
    pack_info,
)
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY
from tests.core.mentoring_builders import (
    BEN_IDENTITY,
    FACILITATOR_NOTE,
    NUDGE_TEXT,
    OSKAR_SESSION,
    MentoringStory,
)

MADE = MONDAY + timedelta(days=3)


@dataclass
class Made:
    story: MentoringStory
    file: Path
    pack: Database


@pytest.fixture
def story(db: Database) -> MentoringStory:
    with db.write() as s:
        return MentoringStory(s)


@pytest.fixture
def made(db: Database, story: MentoringStory, tmp_path: Path) -> Iterator[Made]:
    file = tmp_path / "pack for Mei.sqlite"
    with db.read() as s:
        make_review_pack(s, story.mei, file, now=MADE)
    pack = migrate.open_database(sqlite_url(file), None)
    yield Made(story, file, pack)
    pack.dispose()


def forbidden_strings(db: Database, story: MentoringStory) -> set[str]:
    """Every other member's name, name parts and email, and every private text."""
    found = {FACILITATOR_NOTE, NUDGE_TEXT, OSKAR_SESSION, BEN_IDENTITY, "SECRET"}
    with db.read() as s:
        for membership_id in story.outsiders:
            row = participation.roster_row(s, membership_id)
            found |= {row.name, row.email, *row.name.split()}
        found |= set(s.scalars(select(MemberNote.body)))
        found |= set(s.scalars(select(Intervention.body)))
    return found


def variants(text: str) -> list[bytes]:
    """The ways a text can sit in the file: as stored, NFD, lower case."""
    forms = {text, unicodedata.normalize("NFD", text), text.lower(), text.upper()}
    return [f.encode("utf-8") for f in forms]


def test_the_pack_names_nobody_else_in_its_bytes(
    db: Database, story: MentoringStory, made: Made, tmp_path: Path
) -> None:
    made.pack.dispose()
    data = made.file.read_bytes().lower()
    # The test's own premise: a fresh database (built-in templates) holds none of these words.
    empty = tmp_path / "empty.sqlite"
    migrate.open_database(sqlite_url(empty), None).dispose()
    baseline = empty.read_bytes().lower()
    forbidden = forbidden_strings(db, story)
    assert len(forbidden) > 20
    for secret in forbidden:
        for form in variants(secret):
            assert form.lower() not in baseline, f"{secret!r} is in every database"
            assert form.lower() not in data, f"{secret!r} leaked into the review pack"
    # ...while the mentees and their mentor are there.
    for name in ("Ana Souza", "Tomás Reyes", "Mei Tanaka", "ana.souza@example.org"):
        assert name.lower().encode() in data


def test_the_pack_is_compact_private_and_self_contained(made: Made) -> None:
    made.pack.dispose()
    assert made.file.stat().st_mode & 0o777 == 0o600
    siblings = sorted(p.name for p in made.file.parent.iterdir() if p.name != "home")
    assert siblings == [made.file.name]  # no temporary file, no -wal or -journal left
    with closing(sqlite3.connect(made.file)) as raw:
        assert raw.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_pack_opens_as_a_cohortdesk_database(made: Made) -> None:
    assert migrate.stored_revision(made.pack) == migrate.head_revision()
    with made.pack.read() as s:
        info = pack_info(s)
        roster = participation.roster(s, made.story.cohort)
        templates = s.scalar(select(func.count()).select_from(PromptTemplate))
    assert info is not None
    assert (info.cohort_name, info.mentor_name, info.made_at) == ("Spring", "Mei Tanaka", MADE)
    assert sorted(r.name for r in roster) == sorted(
        ["Ana Souza", "Tomás Reyes", "Mei Tanaka", ANOTHER_LEARNER, COHORT_STAFF]
    )
    assert templates  # a working database: the built-in templates are there


def test_the_pack_dashboards_count_its_events(made: Made) -> None:
    """The daily rollups are built for the pack, equal to a rebuild from its events."""
    tables = ("daily_activity", "daily_totals", "daily_replies")

    def rows() -> dict[str, list[tuple[object, ...]]]:
        with made.pack.read() as s:
            return {
                t: sorted(tuple(r) for r in s.execute(text(f"SELECT * FROM {t}"))) for t in tables
            }

    built = rows()
    assert all(built.values())
    with made.pack.write() as s:
        rollups.rebuild(s, made.story.cohort)
    assert rows() == built


def test_the_facilitator_database_says_it_is_not_a_pack(db: Database) -> None:
    with db.read() as s:
        assert pack_info(s) is None


def test_the_mentees_read_the_same_in_the_pack(db: Database, made: Made) -> None:
    story = made.story
    with db.read() as s:
        before = {r.name: r for r in participation.roster(s, story.cohort)}
    with made.pack.read() as s:
        after = {r.name: r for r in participation.roster(s, story.cohort)}
    for name in ("Ana Souza", "Tomás Reyes"):
        # peer replies to people outside the pack still count, through the stand-ins
        assert after[name] == before[name]
    assert after["Ana Souza"].peer_replies == 3


def test_replies_to_outsiders_point_at_stand_ins(made: Made) -> None:
    with made.pack.read() as s:
        names = dict(s.execute(select(Person.id, Person.full_name)).all())
        targets = sorted(
            names.get(t, "-")
            for t in s.scalars(select(ActivityEvent.replied_to_id)).all()
            if t is not None
        )
        details = s.scalars(select(ActivityEvent.detail)).all()
        threads = s.scalars(select(ActivityEvent.thread)).all()
    assert targets == sorted(
        [ANOTHER_LEARNER, ANOTHER_LEARNER, COHORT_STAFF, "Tomás Reyes", "Mei Tanaka"]
    )
    assert f"reply to {SCRUBBED} ({SCRUBBED}) in thread Week 1, cc {SCRUBBED}" in details
    assert f"{SCRUBBED}'s question" in threads


def test_the_mentor_sees_the_same_mentees_in_the_pack(db: Database, made: Made) -> None:
    story = made.story
    with db.read() as s:
        here = mentor_overview.mentor_overview(s, story.mei, date(2025, 3, 5))
    with made.pack.read() as s:
        there = mentor_overview.mentor_overview(s, story.mei, date(2025, 3, 5))
    assert [m.name for m in there.mentees] == [m.name for m in here.mentees]
    assert [m.sessions for m in there.mentees] == [m.sessions for m in here.mentees]
    assert [g.name for g in there.groups] == ["Leaders"]
    # The same reasons, but none about nudges (not in a pack) and no other member named.
    nudging = {ReasonCode.RECENTLY_NUDGED, ReasonCode.NO_RESPONSE}
    for mine, theirs in zip(here.mentees, there.mentees, strict=True):
        assert [r.code for r in theirs.reasons] == [
            r.code for r in mine.reasons if r.code not in nudging
        ]
    assert "Priya" in here.mentees[0].reasons[0].detail
    assert f"what {SCRUBBED} said" in there.mentees[0].reasons[0].detail


def test_only_the_mentors_own_sessions_travel(made: Made) -> None:
    with made.pack.read() as s:
        bodies = s.scalars(select(MentoringSession.notes)).all()
        notes = s.scalar(select(func.count()).select_from(MemberNote))
        nudges = s.scalar(select(func.count()).select_from(Intervention))
    assert bodies == ["Ana wants to start a thread of her own"]
    assert (notes, nudges) == (0, 0)


def test_a_mentor_without_mentees_gets_no_pack(
    db: Database, story: MentoringStory, tmp_path: Path
) -> None:
    with db.write() as s:
        for mentee in mentoring.mentee_ids(s, story.oskar):
            mentoring.unassign_mentor(s, mentee)
    target = tmp_path / "oskar.sqlite"
    with pytest.raises(KnownError, match="no mentees"), db.read() as s:
        make_review_pack(s, story.oskar, target)
    assert not target.exists()


def test_a_cancelled_pack_leaves_nothing_and_keeps_an_old_file(
    db: Database, story: MentoringStory, tmp_path: Path
) -> None:
    target = tmp_path / "pack.sqlite"
    target.write_bytes(b"the previous pack")

    def cancel(done: int, _total: int, _what: str) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), db.read() as s:
        make_review_pack(s, story.mei, target, on_step=cancel)
    assert target.read_bytes() == b"the previous pack"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["pack.sqlite"]


def test_the_scrubber_takes_whole_words_and_accents() -> None:
    scrub = Scrubber(["Zoë Adebayo", "zoe@example.org"], ["Zoë Adebayo", "Ana Lima"], ["Ana Souza"])
    assert scrub("Thanks Zoe and ZOË, see zoe@example.org") == (
        f"Thanks {SCRUBBED} and {SCRUBBED}, see {SCRUBBED}"
    )
    assert scrub("Adebayonic Ana Lima") == f"Adebayonic Ana {SCRUBBED}"  # Ana is in the pack
    assert scrub(None) is None


# ---- notes round trip -----------------------------------------------------------------


def write_in_pack(made: Made, now: datetime) -> None:
    story = made.story
    with made.pack.write() as s:
        sessions = mentoring.list_sessions(s, story.mei)
        mentoring.update_session(
            s,
            story.mei,
            sessions[0].id,
            SessionInput(
                held_on=sessions[0].held_on,
                mentee_membership_id=story.ana,
                notes="Ana started her thread",
                goals=sessions[0].goals,
                next_steps="Invite two peers",
            ),
            now=now,
        )
        mentoring.add_session(
            s,
            story.mei,
            SessionInput(held_on=date(2025, 3, 6), group_id=story.group, notes="Group kick-off"),
            now=now,
        )
        mentoring.add_session(
            s,
            story.mei,
            SessionInput(
                held_on=date(2025, 3, 6), mentee_membership_id=story.tomas, goals="Log in"
            ),
            now=now,
        )
        mentoring.mark_reviewed(s, story.mei, now=now)


def test_notes_round_trip_without_duplicates(db: Database, made: Made, tmp_path: Path) -> None:
    story = made.story
    later = MADE + timedelta(days=1)
    write_in_pack(made, later)
    notes = tmp_path / "notes.json"
    with made.pack.read() as s:
        exported = review_notes.export_notes(s, story.mei, notes, now=later)
    assert exported.sessions == 3
    assert notes.stat().st_mode & 0o777 == 0o600
    document = json.loads(notes.read_text("utf-8"))
    assert document["format"] == "cohortdesk-review-notes"
    assert len({item["uuid"] for item in document["sessions"]}) == 3

    with db.write() as s:
        first = review_notes.import_notes(s, story.cohort, notes).value
    assert (first.inserted, first.updated, first.unchanged, first.kept_newer) == (2, 1, 0, 0)
    assert first.reviews_added == 1
    with db.write() as s:
        again = review_notes.import_notes(s, story.cohort, notes).value
    assert (again.inserted, again.updated, again.unchanged, again.kept_newer) == (0, 0, 3, 0)
    assert again.reviews_added == 0
    with db.read() as s:
        mine = mentoring.list_sessions(s, story.mei)
        oskar = mentoring.list_sessions(s, story.oskar)
        reviewed = mentoring.last_reviewed(s, story.mei)
    assert len(mine) == 3
    assert {m.notes for m in mine} == {"Ana started her thread", "Group kick-off", ""}
    assert {m.uuid for m in mine} == {item["uuid"] for item in document["sessions"]}
    assert [o.notes for o in oskar] == [OSKAR_SESSION]
    assert reviewed == later


def test_a_newer_edit_here_is_kept(db: Database, made: Made, tmp_path: Path) -> None:
    story = made.story
    write_in_pack(made, MADE + timedelta(days=1))
    notes = tmp_path / "notes.json"
    with made.pack.read() as s:
        review_notes.export_notes(s, story.mei, notes)
    with db.write() as s:
        original = mentoring.list_sessions(s, story.mei)[0]
        mentoring.update_session(
            s,
            story.mei,
            original.id,
            SessionInput(held_on=original.held_on, mentee_membership_id=story.ana, notes="Mine"),
            now=MADE + timedelta(days=2),
        )
        result = review_notes.import_notes(s, story.cohort, notes).value
    assert (result.inserted, result.kept_newer) == (2, 1)
    with db.read() as s:
        assert mentoring.list_sessions(s, story.mei)[-1].notes == "Mine"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b"{nope", "line 1"),
        (b'{"format": "something else"}', "not a cohortdesk notes file"),
        (
            b'{"format": "cohortdesk-review-notes", "version": 1, "exported_at": "2025-03-01",'
            b' "cohort": {"name": "Spring"}, "mentor": {"name": "Mei Tanaka"}}',
            "exported_at",
        ),
    ],
)
def test_a_bad_notes_file_is_one_clear_line(
    db: Database, story: MentoringStory, tmp_path: Path, content: bytes, message: str
) -> None:
    notes = tmp_path / "notes.json"
    notes.write_bytes(content)
    with pytest.raises(KnownError, match=message) as caught, db.write() as s:
        review_notes.import_notes(s, story.cohort, notes)
    assert str(notes) in str(caught.value) and "\n" not in str(caught.value)


def test_a_notes_file_about_a_stranger_imports_nothing(
    db: Database, story: MentoringStory, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.json"
    with db.read() as s:
        review_notes.export_notes(s, story.mei, notes)
    document = json.loads(notes.read_text("utf-8"))
    document["sessions"][0]["mentee"] = {"name": "Nobody Known", "email": "no@example.org"}
    document["sessions"].append({**document["sessions"][0], "uuid": "0" * 36})
    document["sessions"][0]["mentee"] = None
    document["sessions"][0]["group_uuid"] = None
    notes.write_text(json.dumps(document), "utf-8")
    with pytest.raises(KnownError, match=r"session 1 .* neither"), db.write() as s:
        review_notes.import_notes(s, story.cohort, notes)
    with db.read() as s:
        assert len(mentoring.list_sessions(s, story.mei)) == 1


def test_the_mentor_is_found_by_email_when_ids_changed(
    db: Database, story: MentoringStory, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.json"
    with db.read() as s:
        review_notes.export_notes(s, story.mei, notes)
    document = json.loads(notes.read_text("utf-8"))
    document["mentor"]["membership_id"] = story.ana  # someone else's id now
    document["sessions"][0]["uuid"] = "1" * 36
    notes.write_text(json.dumps(document), "utf-8")
    with db.write() as s:
        result = review_notes.import_notes(s, story.cohort, notes).value
        assert result.inserted == 1 and result.mentor_name == "Mei Tanaka"
        assert len(mentoring.list_sessions(s, story.mei)) == 2
        assert all(r.role is not Role.LEARNER for r in mentoring.list_mentors(s, story.cohort))
    assert datetime.now(UTC) > MADE
