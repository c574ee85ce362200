"""Sending and logging messages to members: files first, then the log, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cohortdesk.core.enums import NudgeChannel, NudgeStatus
from cohortdesk.core.errors import KnownError
from cohortdesk.core.models import Intervention
from cohortdesk.core.schemas import Changes
from cohortdesk.core.services.messaging import sending
from cohortdesk.core.services.messaging.sending import Draft, Recipient
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, make_cohort

SENT = datetime(2025, 3, 5, 9, 30, tzinfo=UTC)


@pytest.fixture
def cohort_id(db: Database) -> int:
    with db.write() as session:
        return make_cohort(session).id


@pytest.fixture
def drafts(db: Database, cohort_id: int) -> list[Draft]:
    with db.write() as session:
        ana = add(session, cohort_id, "Ana Souza")
        ben = add(session, cohort_id, "Ben Okafor", email="")
    return [
        Draft(Recipient(ana, "Ana Souza", "ana.souza@example.org", 1), None, "Hello", "Hi Ana"),
        Draft(Recipient(ben, "Ben Okafor", "", 1), None, "Hello", "Hi Ben"),
    ]


def logged(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Intervention)) or 0


def test_logging_names_the_nudges_of_the_cohort(
    db: Database, cohort_id: int, drafts: list[Draft]
) -> None:
    with db.write() as session:
        done = sending.log_drafts(session, drafts, NudgeChannel.CLIPBOARD, SENT)
    assert [row.name for row in done.value] == ["Ana Souza", "Ben Okafor"]
    assert {row.channel for row in done.value} == {NudgeChannel.CLIPBOARD}
    assert done.changes == Changes(nudges=frozenset({cohort_id}))


def test_eml_files_are_written_then_logged(
    db: Database, drafts: list[Draft], tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    with db.write() as session:
        done = sending.save_emls(session, outbox, drafts[:1], SENT, create_folder=True)
    assert [s.path.name for s in done.value] == ["2025-03-05 Ana Souza.eml"]
    assert done.value[0].path.read_text("utf-8").count("Hi Ana") == 1
    assert done.value[0].nudge.status is NudgeStatus.DRAFT
    assert done.changes.nudges and logged(db) == 1
    with db.write() as session:  # the same name again: a second file beside the first
        again = sending.save_emls(session, outbox, drafts[:1], SENT)
    assert again.value[0].path.name == "2025-03-05 Ana Souza (2).eml"


def test_a_file_that_cannot_be_written_leaves_no_file_and_no_log(
    db: Database, drafts: list[Draft], tmp_path: Path
) -> None:
    # Ben has no address: his message cannot be an email, so the call fails after Ana's file.
    with pytest.raises(KnownError), db.write() as session:
        sending.save_emls(session, tmp_path, drafts, SENT)
    assert list(tmp_path.glob("*.eml")) == []
    assert logged(db) == 0


def test_a_link_only_for_a_message_short_enough_and_addressed(drafts: list[Draft]) -> None:
    ana, ben = drafts
    link = sending.mail_link(ana)
    assert link is not None and link.startswith("mailto:ana.souza@example.org?subject=Hello")
    assert sending.mail_link(ben) is None
    long = Draft(ana.recipient, None, "Hello", "A long message, line after line.\n" * 120)
    assert sending.mail_link(long) is None
