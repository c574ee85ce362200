"""A pseudonymised export holds no free text a person typed, in any format.

The pseudonymised PDF printed the cohort's description (which named the facilitator and
their email) and the XLSX the cohort's name. Here a planted word stands in every free-text
field a person can fill (cohort name and description, message text, thread titles, notes,
highlights, names and emails) and no export format may carry any of them.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from cohortdesk.core.enums import EventKind, HighlightKind
from cohortdesk.core.models import ActivityEvent
from cohortdesk.core.schemas import CohortInput, MemberInput
from cohortdesk.core.schemas.mentoring import HighlightInput
from cohortdesk.core.services.dashboards import highlights
from cohortdesk.core.services.people import cohorts, members, tracking
from cohortdesk.core.storage.db import Database
from tests.cli.support import run

#: one planted word per field; none may reach a pseudonymised file
PLANTED = {
    "cohort name": "Quokkacorp",
    "description": "Fionafacilitator",
    "description email": "fiona@quokka.example",
    "member name": "Zebedee Wombatson",
    "member email": "zeb@wombat.example",
    "message": "Platypusproject",
    "thread": "Echidnathread",
    "note": "Bilbynote",
    "highlight": "Numbatstory",
}


@pytest.fixture
def planted(db: Database) -> str:
    with db.write() as session:
        cohort = cohorts.create_cohort(
            session,
            CohortInput(
                name=f"{PLANTED['cohort name']} leaders",
                description=f"Run by {PLANTED['description']} ({PLANTED['description email']})",
                start_date=date(2024, 2, 1),
                end_date=date(2024, 3, 31),
            ),
        ).value
        learner = members.add_member(
            session,
            cohort.id,
            MemberInput(full_name=PLANTED["member name"], email=PLANTED["member email"]),
        ).value
        person = members.member_detail(session, learner).row.person_id
        event = ActivityEvent(
            cohort_id=cohort.id,
            person_id=person,
            occurred_at=datetime(2024, 2, 13, 10, tzinfo=UTC),
            kind=EventKind.POST,
            thread=PLANTED["thread"],
            detail=f"My {PLANTED['message']} is ready",
            word_count=60,
        )
        session.add(event)
        session.flush()
        tracking.add_note(session, learner, f"Ask about {PLANTED['note']}")
        highlights.add_highlight(
            session,
            HighlightInput(
                membership_id=learner,
                kind=HighlightKind.STORY,
                happened_on=date(2024, 2, 14),
                text=f"The {PLANTED['highlight']} moment",
            ),
        )
        return cohort.name


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return path.read_text("utf-8")


@pytest.mark.parametrize("format", ["csv", "xlsx", "pdf", "xapi"])
def test_no_planted_word_reaches_a_pseudonymised_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, planted: str, format: str
) -> None:
    out = tmp_path / f"export.{'json' if format == 'xapi' else format}"
    extra = ["--with-events"] if format in ("csv", "xlsx") else []
    code, _, err = run(
        capsys, "export", format, "--cohort", planted, "-o", str(out), "--pseudonymise", *extra
    )
    assert code == 0, err
    written = "\n".join(_text(p) for p in tmp_path.iterdir() if p.is_file())
    leaked = [field for field, word in PLANTED.items() if word.lower() in written.lower()]
    assert leaked == [], leaked


def test_a_pdf_of_a_cohort_too_large_for_paper_is_refused_at_once(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    planted: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A 100,000-member PDF ran past two minutes with nothing to show; it is refused before
    # any work, with what to export instead, and no file is left.
    from cohortdesk.core.exporters import run as export_run

    monkeypatch.setattr(export_run, "PDF_MAX_MEMBERS", 0)
    out = tmp_path / "report.pdf"
    code, _, err = run(capsys, "export", "pdf", "--cohort", planted, "-o", str(out))
    assert code == 1 and "csv or xlsx" in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()
