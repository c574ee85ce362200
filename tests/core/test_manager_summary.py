"""The manager summary: stage, participation and highlights; never anything private."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from cohortdesk.core.enums import HighlightKind
from cohortdesk.core.exporters import manager_summary as summary_writer
from cohortdesk.core.schemas.mentoring import HighlightInput
from cohortdesk.core.services.dashboards import highlights, manager_summary
from cohortdesk.core.storage.db import Database
from tests.core.mentoring_builders import FACILITATOR_NOTE, NUDGE_TEXT, MentoringStory

AS_OF = date(2025, 3, 5)


@pytest.fixture
def story(db: Database) -> MentoringStory:
    with db.write() as s:
        story = MentoringStory(s)
        highlights.add_highlight(
            s,
            HighlightInput(
                membership_id=story.ana,
                kind=HighlightKind.QUOTE,
                happened_on=date(2025, 3, 4),
                text="Peers taught me more than any course",
            ),
        )
        highlights.add_highlight(
            s,
            HighlightInput(membership_id=story.ana, happened_on=date(2025, 4, 1), text="Future"),
        )
        return story


PRIVATE = (
    FACILITATOR_NOTE,
    NUDGE_TEXT,
    "Ana wants to start a thread",  # her mentor's session notes
    "Worried about what Priya said",  # a motivation note
    "Motivation",
)


def test_the_summary(db: Database, story: MentoringStory) -> None:
    with db.read() as s:
        summary = manager_summary.manager_summary(s, story.ana, AS_OF)
    assert (summary.learner, summary.cohort, summary.stage) == ("Ana Souza", "Spring", 3)
    assert summary.stage_name == "Information exchange"
    assert (summary.threads, summary.replies, summary.peer_replies) == (1, 4, 3)
    assert (summary.active_days, summary.active_weeks, summary.logins) == (1, 1, 1)
    assert [h.text for h in summary.highlights] == ["Peers taught me more than any course"]


def test_the_text_never_holds_private_notes(db: Database, story: MentoringStory) -> None:
    with db.read() as s:
        text = summary_writer.summary_text(manager_summary.manager_summary(s, story.ana, AS_OF))
    assert "Ana Souza: Spring" in text and "3 of 5 · Information exchange" in text
    assert "Peers taught me more than any course" in text
    for private in PRIVATE:
        assert private not in text


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
def test_written_as_pdf_or_text(
    db: Database, story: MentoringStory, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"ana{suffix}"
    with db.read() as s:
        summary_writer.write_manager_summary(s, story.ana, target, as_of=AS_OF)
    assert target.stat().st_mode & 0o777 == 0o600
    if suffix == ".pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    else:
        text = target.read_text("utf-8")
    assert "Ana Souza" in text and "Peers taught me more than any course" in text
    for private in PRIVATE:
        assert private not in text
