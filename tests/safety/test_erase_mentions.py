"""Erase finds a person in everyone else's text as a reader would: any of their names, any
case, with or without accents, as whole words; and in every automatic backup.

Erasing "Andrii Jurić" left "Andrii, could you say a bit more..." in ten other people's
messages and "Andrii Juric" (no accent) in a highlight, and backups made for another --db
still held him. The names and spellings here are a family: given, family and full names,
accents added or dropped, any case, punctuation around them.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.enums import EventKind
from cohortdesk.core.models import ActivityEvent
from cohortdesk.core.paths import app_paths
from cohortdesk.core.schemas import CohortInput, MemberInput
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.services.privacy import erase
from cohortdesk.core.services.privacy.mentions import Mentions
from cohortdesk.core.services.privacy.registry import ERASED
from cohortdesk.core.storage.backup import BackupKind, list_backups, make_backup
from cohortdesk.core.storage.db import Database
from tests.cli.support import run
from tests.safety.fuzz import FUZZ

NAMES = [
    ("Andrii", "Jurić"),
    ("Zoë", "Brück"),
    ("José", "Álvarez"),
    ("Łukasz", "Nowak"),
    ("Siobhán", "Ó Briain"),
    ("Ana", "Li"),
]
#: how someone else may write a name: as it is, without accents, in capitals, in lower case
SPELLINGS = {
    "as is": lambda s: s,
    "no accents": lambda s: "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
    ),
    "capitals": str.upper,
    "lower": str.lower,
}
FRAMES = ["{}, could you say a bit more?", "Thanks to {}!", "I agree with {}.", "({}) wrote"]
#: text that must survive: not whole-word mentions, or other people
KEPT = ["Andriiana joined", "Jurićevo is a place", "Zoëtrope", "Liam Lindqvist said hi"]


def _plain(text: str) -> str:
    """An independent fold for checking: accents off, lower case (Latin names only)."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def _still_mentions(text: str, first: str, last: str) -> bool:
    words = re.findall(r"\w+", _plain(text))
    return any(w in words for w in _plain(f"{first} {last}").split() if len(w) >= 2)


def _cohort_with(db: Database, first: str, last: str, texts: list[str]) -> int:
    with db.write() as session:
        cohort = cohorts.create_cohort(session, CohortInput(name="Spring")).value
        target = members.add_member(
            session, cohort.id, MemberInput(full_name=f"{first} {last}", email="target@example.org")
        ).value
        other = members.add_member(
            session, cohort.id, MemberInput(full_name="Liam Lindqvist", email="liam@example.org")
        ).value
        other_person = members.member_detail(session, other).row.person_id
        for position, text in enumerate(texts):
            session.add(
                ActivityEvent(
                    cohort_id=cohort.id,
                    person_id=other_person,
                    occurred_at=datetime(2024, 2, 13, 10, position, tzinfo=UTC),
                    kind=EventKind.POST,
                    detail=text,
                )
            )
        return members.member_detail(session, target).row.person_id


@FUZZ
@given(
    name=st.sampled_from(NAMES),
    written=st.lists(
        st.tuples(
            st.sampled_from(["first", "last", "full"]),
            st.sampled_from(sorted(SPELLINGS)),
            st.sampled_from(FRAMES),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_every_mention_in_others_text_is_replaced_and_counted(
    db: Database, name: tuple[str, str], written: list[tuple[str, str, str]]
) -> None:
    first, last = name
    shown = {"first": first, "last": last, "full": f"{first} {last}"}
    texts = [frame.format(SPELLINGS[how](shown[which])) for which, how, frame in written]
    with db.write() as session:
        for table in ("activity_events", "memberships", "people", "cohorts"):
            session.execute(ActivityEvent.metadata.tables[table].delete())
    person_id = _cohort_with(db, first, last, [*texts, *KEPT])
    [done] = erase.erase(db, [person_id])
    with db.read() as session:
        details = [e.detail for e in session.query(ActivityEvent).order_by(ActivityEvent.id)]
    assert done.mentions_scrubbed == len(texts)
    for text in details[: len(texts)]:
        assert ERASED in text and not _still_mentions(text, first, last), text
    assert details[len(texts) :] == KEPT  # other words and other people untouched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Andrii, could you say a bit more?", f"{ERASED}, could you say a bit more?"),
        ("ANDRII JURIC and Zoë", f"{ERASED} and Zoë"),
        (  # a given name inside another address is a mention too; the email goes whole
            "mail andrii.j@example.org or target@example.org",
            "mail [erased].j@example.org or [erased]",
        ),
        ("Jurić's point, and Andriiana's", f"{ERASED}'s point, and Andriiana's"),
        ("Grüße an Andrií Jurić!", f"Grüße an {ERASED}!"),
    ],
)
def test_the_replacement_keeps_the_rest_of_the_text_as_written(text: str, expected: str) -> None:
    assert Mentions("Andrii Jurić", "target@example.org").replace(text, ERASED)[0] == expected


def test_erase_covers_the_automatic_backups_made_for_every_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite"
    folder = app_paths().backup_dir
    for db_option, file in (([], app_paths().default_db_file), (["--db", str(other)], other)):
        assert run(capsys, *db_option, "demo", "--members", "8", "--days", "14")[0] == 0
        make_backup(file, folder, BackupKind.IMPORT)  # as an import into it would
    email = _any_demo_email(app_paths().default_db_file)
    stems = {b.path.name.split("-")[0] for b in list_backups(folder)}
    assert len(stems) == 2 and _holding(folder, email)
    code, _out, err = run(capsys, "erase", "--email", email, "--yes")
    assert code == 0, err
    assert _holding(folder, email) == []


def _any_demo_email(file: Path) -> str:
    with closing(sqlite3.connect(file)) as raw:
        return str(raw.execute("SELECT email FROM people WHERE email != '' LIMIT 1").fetchone()[0])


def _holding(folder: Path, email: str) -> list[str]:
    found = []
    for backup in list_backups(folder):
        with closing(sqlite3.connect(backup.path)) as raw:
            if raw.execute("SELECT 1 FROM people WHERE email = ?", (email,)).fetchone():
                found.append(backup.path.name)
    return found
