"""A learner's summary for their line manager, written as plain text or as a one-page PDF.

The figures come from `core/services/dashboards/manager_summary.py`; this module only words
and lays them out. Nothing private is ever in it (see there).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from cohortdesk.core.rendering import day_label
from cohortdesk.core.schemas.mentoring import ManagerSummary
from cohortdesk.core.services.dashboards.manager_summary import manager_summary
from cohortdesk.core.stages import stage
from cohortdesk.core.storage.safefile import atomic_path

SummaryFormat = Literal["pdf", "text"]


def _lines(summary: ManagerSummary) -> list[tuple[str, str]]:
    """(label, value) pairs shared by the text and the PDF."""
    today = summary.as_of
    last = day_label(summary.last_active, today) if summary.last_active else "not yet"
    return [
        ("Stage", f"{summary.stage} of 5 · {summary.stage_name}"),
        ("At this stage since", day_label(summary.stage_since, today)),
        ("Joined", day_label(summary.joined_on, today)),
        ("Active on", f"{summary.active_days} days in {summary.active_weeks} weeks"),
        ("Threads started", str(summary.threads)),
        ("Replies", f"{summary.replies}, of which {summary.peer_replies} to fellow learners"),
        ("Logins", str(summary.logins)),
        ("Last active", last),
    ]


def _stage_sentence(summary: ManagerSummary) -> str:
    return stage(summary.stage).typical_behaviour


def _period(summary: ManagerSummary) -> str:
    if summary.start_date and summary.end_date:
        return f"{day_label(summary.start_date)} to {day_label(summary.end_date)}"
    if summary.start_date:
        return f"since {day_label(summary.start_date)}"
    return ""


def summary_text(summary: ManagerSummary) -> str:
    """The summary as plain text, for an email."""
    period = _period(summary)
    out = [
        f"{summary.learner}: {summary.cohort}" + (f" ({period})" if period else ""),
        f"Summary as of {day_label(summary.as_of)}",
        "",
    ]
    width = max(len(label) for label, _ in _lines(summary))
    out += [f"{label.ljust(width)}  {value}" for label, value in _lines(summary)]
    out += ["", f"At this stage: {_stage_sentence(summary)}"]
    if summary.highlights:
        out += ["", "Highlights"]
        for h in summary.highlights:
            out.append(f"- {day_label(h.happened_on, summary.as_of)} ({h.kind.value}): {h.text}")
    out += ["", "Made with cohortdesk. Private notes are never included."]
    return "\n".join(out) + "\n"


def _pdf(summary: ManagerSummary, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from cohortdesk.core.exporters.pdf_fonts import fonts

    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14)
    muted = ParagraphStyle("muted", parent=body, fontSize=9, textColor=colors.HexColor("#5f6368"))
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=22)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=12.5, spaceBefore=10)
    period = _period(summary)
    story = [
        Paragraph(escape(summary.learner), title),
        Paragraph(escape(summary.cohort + (f" · {period}" if period else "")), muted),
        Paragraph(f"Summary as of {escape(day_label(summary.as_of))}", muted),
        Spacer(1, 6 * mm),
    ]
    rows = [
        [Paragraph(escape(label), muted), Paragraph(escape(value), body)]
        for label, value in _lines(summary)
    ]
    table = Table(rows, colWidths=[48 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor("#dde3ea")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story += [
        table,
        Paragraph("At this stage", heading),
        Paragraph(escape(_stage_sentence(summary)), body),
    ]
    if summary.highlights:
        story.append(Paragraph("Highlights", heading))
        for h in summary.highlights:
            when = escape(day_label(h.happened_on, summary.as_of))
            text = escape(h.text)
            shown = f"“{text}”" if h.kind.value == "quote" else text
            story.append(Paragraph(f"<b>{when}</b> · {shown}", body))
            story.append(Spacer(1, 2 * mm))
    story += [
        Spacer(1, 8 * mm),
        Paragraph("Made with cohortdesk. Private notes are never included.", muted),
    ]
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{summary.learner}: {summary.cohort}",
        author="cohortdesk",
        subject="Learner summary",
    )
    document.build(story)


def write_manager_summary(
    session: Session,
    membership_id: int,
    output: Path,
    *,
    as_of: date | None = None,
    kind: SummaryFormat | None = None,
) -> Path:
    """Write the summary as PDF (`.pdf`, or `kind="pdf"`) or text, atomically, owner-only."""
    summary = manager_summary(session, membership_id, as_of)
    chosen = kind or ("pdf" if output.suffix.lower() == ".pdf" else "text")
    with atomic_path(output) as temporary:
        if chosen == "pdf":
            _pdf(summary, temporary)
        else:
            temporary.write_text(summary_text(summary), encoding="utf-8")
    return output
