"""The PDF report: readable text, every section, page numbers, highlights only when kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from cohortdesk.core.exporters.records import collect
from cohortdesk.core.exporters.report_data import load_highlights, report_data
from cohortdesk.core.models import Highlight
from cohortdesk.core.schemas import ExportFormat, ExportOptions
from cohortdesk.core.storage.db import Database
from tests.core.exporters.conftest import NOW, Sample
from tests.core.exporters.support import pdf_text, run_export


def test_the_report_has_every_section_and_numbered_pages(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    path = tmp_path / "report.pdf"
    run_export(db, sample.cohort_id, ExportFormat.PDF, path)
    reader = PdfReader(path)
    pages = len(reader.pages)
    assert pages >= 2
    assert reader.metadata is not None and reader.metadata.title.startswith("Spring cohort")
    text = pdf_text(path)
    for expected in (
        "PARTICIPATION REPORT",
        "Spring cohort",
        "Period: 3 Mar 2025 – 30 Jun 2025",
        "members",
        "median replies per",
        "Where learners are on the staircase",
        "Activity week by week",
        "Who talks to whom",
        "Members",
        "About this report",
        "Cara Colé",  # a name with an accent survives (the font is embedded)
        f"Page {pages} of {pages}",
    ):
        assert expected in text, expected
    assert "Highlights" not in text  # the cohort keeps none: no section


def test_the_key_numbers(db: Database, sample: Sample) -> None:
    with db.read() as session:
        data = collect(session, sample.cohort_id, ExportOptions(), now=NOW)
        report = report_data(session, data)
    key = report.figures
    assert (report.members, key.learners) == (5, 4)
    assert key.active_last_7_days == 0  # the last week of June was quiet
    assert key.median_replies_per_learner == 1.0  # Ann 2, Ben 2, Cara 0, Dev 0
    assert key.share_at_stage_3_or_above == 0.0
    assert report.stages == (4, 0, 0, 0, 0)
    # Fay's welcome, Ann's post and the link she shared (a share counts as a post), Dev's post
    assert sum(bar.threads for bar in report.bars) == key.threads == 4
    assert report.bars[0].start == date(2025, 3, 3)
    assert report.unconnected == ("Cara Colé", "Dev Dunn")
    assert sum(report.edges.values()) == 5


def test_pages_render_in_a_real_pdf_engine(db: Database, sample: Sample, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    run_export(db, sample.cohort_id, ExportFormat.PDF, path, pseudonymise=True)
    document = pdfium.PdfDocument(str(path))
    try:
        image = document[0].render(scale=0.5).to_pil().convert("L")
        dark = sum(image.histogram()[:128])
        assert dark > 500  # text and charts were drawn
    finally:
        document.close()


def test_highlights_appear_when_the_cohort_keeps_them(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    with db.write() as session:
        session.add(
            Highlight(
                membership_id=sample.members["ben"],
                happened_on=date(2025, 3, 5),
                text="I finally answered a colleague's question myself.",
                tags="confidence",
            )
        )
        session.add(
            Highlight(membership_id=sample.members["ann"], happened_on=date(2025, 3, 4), text="Hi")
        )
    with db.read() as session:
        data = collect(session, sample.cohort_id, ExportOptions(), now=NOW)
        found = load_highlights(session, data)
        assert [(h.day, h.who, h.text, h.tags) for h in found] == [
            (date(2025, 3, 4), "Ann Archer", "Hi", ""),
            (
                date(2025, 3, 5),
                "Ben Brook",
                "I finally answered a colleague's question myself.",
                "confidence",
            ),
        ]
        march = collect(session, sample.cohort_id, ExportOptions(date_to=date(2025, 3, 4)))
        assert [h.who for h in load_highlights(session, march)] == ["Ann Archer"]
        hidden = collect(session, sample.cohort_id, ExportOptions(pseudonymise=True), now=NOW)
        assert load_highlights(session, hidden) == []

        from cohortdesk.core.exporters.pdf_export import export_pdf

        export_pdf(data, report_data(session, data), tmp_path / "h.pdf")
    text = pdf_text(tmp_path / "h.pdf")
    assert "Highlights and success stories" in text
    assert "answered a colleague" in text


def test_an_empty_cohort_still_makes_a_report(db: Database, tmp_path: Path) -> None:
    from tests.core.builders import make_cohort

    with db.write() as session:
        cohort = make_cohort(session, "Empty")
    run_export(db, cohort.id, ExportFormat.PDF, tmp_path / "empty.pdf")
    text = pdf_text(tmp_path / "empty.pdf")
    assert "no learners" in text and "No replies in this period yet" in text
    assert datetime.now(UTC)  # the report needs no clock of its own
