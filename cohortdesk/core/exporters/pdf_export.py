"""PDF: a participation report a trainer can hand to management.

A4, in this order: the cohort and the period with five key numbers and a few sentences saying
what they mean; the stage staircase; activity week by week; the reply network; highlights when
the cohort records them; a table of every member; and what the numbers mean. Every page has the
cohort, the date it was made and "Page n of N". Built with ReportLab (its own charts, fonts
embedded); written atomically like every export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cohortdesk import __version__
from cohortdesk.core.exporters import pdf_charts as charts
from cohortdesk.core.exporters.pdf_fonts import fonts
from cohortdesk.core.exporters.pdf_table import MEMBERS_NOTE, members_table
from cohortdesk.core.exporters.records import ExportData, day_text
from cohortdesk.core.exporters.report_data import Highlight, ReportData
from cohortdesk.core.storage.safefile import atomic_path
from cohortdesk.core.text import plural

Tick = Callable[[], None]
MARGIN = 18 * mm
#: the frame's width less its own padding (6 pt each side): what a flowable may fill
WIDTH = A4[0] - 2 * MARGIN - 12
ZEBRA = colors.HexColor("#f5f7fa")
RULE = colors.HexColor("#c9d2dc")


class _Styles:
    def __init__(self) -> None:
        regular, bold = fonts()
        self.regular, self.bold = regular, bold
        base = ParagraphStyle(
            "body", fontName=regular, fontSize=9.5, leading=13.5, textColor=charts.INK
        )
        self.body = base
        self.small = ParagraphStyle(
            "small", base, fontSize=8, leading=11, textColor=charts.MUTED, spaceAfter=3
        )
        self.kicker = ParagraphStyle(
            "kicker", base, fontName=bold, fontSize=8, leading=10, textColor=charts.MUTED
        )
        self.title = ParagraphStyle(
            "title", base, fontName=bold, fontSize=21, leading=26, spaceBefore=2, spaceAfter=4
        )
        self.h2 = ParagraphStyle(
            "h2", base, fontName=bold, fontSize=13, leading=17, spaceBefore=14, spaceAfter=5
        )
        self.number = ParagraphStyle(
            "number", base, fontName=bold, fontSize=20, leading=23, alignment=TA_CENTER
        )
        self.tile = ParagraphStyle(
            "tile", base, fontSize=7.5, leading=9.5, textColor=charts.MUTED, alignment=TA_CENTER
        )
        self.cell = ParagraphStyle("cell", base, fontSize=7.5, leading=9)
        self.quote = ParagraphStyle(
            "quote",
            base,
            fontSize=9.5,
            leading=13.5,
            leftIndent=10,
            borderPadding=(0, 0, 0, 6),
            spaceAfter=2,
        )


def _number(value: float) -> str:
    return f"{value:.1f}" if value % 1 else f"{value:.0f}"


def _header(data: ExportData, s: _Styles) -> list[Any]:
    lines = [
        f"Period: {data.period_text()}",
        f"time zone {data.cohort.timezone}",
        f"made on {day_text(data.generated_at.date())}",
    ]
    flow: list[Any] = [
        Paragraph("PARTICIPATION REPORT", s.kicker),
        Paragraph(escape(data.cohort.name), s.title),
        Paragraph(escape(" · ".join(lines)), s.small),
    ]
    if data.cohort.description.strip():
        flow += [Spacer(1, 4), Paragraph(escape(data.cohort.description.strip()), s.body)]
    if data.pseudonymised:
        flow += [
            Spacer(1, 4),
            Paragraph(
                "Pseudonymised: members appear under pseudonyms; names, emails, notes and "
                "message text are left out.",
                s.small,
            ),
        ]
    return [*flow, Spacer(1, 10)]


def _tiles(report: ReportData, s: _Styles) -> Table:
    key = report.figures
    tiles = [
        (str(report.members), "members"),
        (str(key.learners), "learners"),
        (str(key.active_last_7_days), "learners active in the last 7 days"),
        (_number(key.median_replies_per_learner), "median replies per learner"),
        (f"{round(100 * key.share_at_stage_3_or_above)}%", "of learners at stage 3 or above"),
    ]
    cells = [[Paragraph(number, s.number), Paragraph(label, s.tile)] for number, label in tiles]
    table = Table([cells], colWidths=[WIDTH / 5] * 5)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
                ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _story(report: ReportData) -> list[str]:
    """A few plain sentences on what the numbers say: the key figures, then the findings."""
    key = report.figures
    if not key.learners:
        return ["The cohort has no learners in this report."]
    up = sum(n for stage, n in key.stages.items() if stage >= 3)
    summary = (
        f"Of {plural(key.learners, 'learner')}, {up} "
        f"({round(100 * key.share_at_stage_3_or_above)}%) have reached information exchange or "
        "beyond, where people start to learn from each other. In this period members started "
        f"{plural(key.threads, 'thread')} and wrote {plural(key.replies, 'reply', 'replies')}, "
        f"{key.peer_replies:,} of them from one learner to another; "
        f"{plural(key.active_last_7_days, 'learner was', 'learners were')} active in its "
        "last seven days."
    )
    return [summary, *(f"{finding}." for finding in report.findings)]


def _section(title: str, s: _Styles, *content: Any) -> KeepTogether:
    return KeepTogether([Paragraph(title, s.h2), *content])


def _network(data: ExportData, report: ReportData, s: _Styles) -> list[Any]:
    caption = (
        "Each dot is a member who replied to someone, or was replied to, in the period; a "
        "line joins two people who replied to each other, thicker for more replies. Dots are "
        "coloured by stage and grow with the replies exchanged. Isolated dots and a star "
        "around the facilitator are the patterns to act on."
    )
    flow: list[Any] = [
        CondPageBreak(120 * mm),
        Paragraph("Who talks to whom", s.h2),
        Paragraph(caption, s.small),
        Spacer(1, 6),
        charts.network_drawing(
            report.nodes, report.edges, WIDTH, 118 * mm, pseudonymised=data.pseudonymised
        ),
    ]
    if report.unconnected:
        names = ", ".join(report.unconnected[:40])
        more = len(report.unconnected) - 40
        if more > 0:
            names += f" and {more} more"
        flow += [
            Spacer(1, 4),
            Paragraph(
                f"<b>Not yet in the conversation</b> ({len(report.unconnected)}): {escape(names)}",
                s.body,
            ),
        ]
    return flow


def _highlights(highlights: Sequence[Highlight], s: _Styles) -> list[Any]:
    if not highlights:
        return []
    flow: list[Any] = [Paragraph("Highlights and success stories", s.h2)]
    for item in highlights[:30]:
        when = day_text(item.day) if item.day else ""
        who = " · ".join(part for part in (item.who, when, item.tags) if part)
        flow.append(
            KeepTogether(
                [
                    Paragraph(f"“{escape(item.text.strip())}”", s.quote),
                    Paragraph(f"— {escape(who)}", s.small),
                    Spacer(1, 6),
                ]
            )
        )
    return flow


def _about(data: ExportData, s: _Styles) -> list[Any]:
    notes = [
        "Counts cover the period's activity as imported into cohortdesk or recorded by the "
        "facilitator. A peer reply is a learner's reply to another learner (not to a "
        "facilitator or mentor). A member's stage on Salmon's five-stage model is set by the "
        "facilitator, helped by the evidence cohortdesk suggests; stage and access are as "
        "they are today. The figures are the dashboard's for the same period.",
    ]
    if data.left_out:
        notes.append(
            f"{plural(data.left_out, 'member')} without activity in the period "
            f"{'is' if data.left_out == 1 else 'are'} left out of this report."
        )
    notes.append(f"Made with cohortdesk {escape(__version__)}.")
    return [Spacer(1, 10), Paragraph("About this report", s.h2)] + [
        Paragraph(text, s.small) for text in notes
    ]


def build_story(data: ExportData, report: ReportData) -> list[Any]:
    """The report's content, top to bottom."""
    s = _Styles()
    flow: list[Any] = [*_header(data, s), _tiles(report, s), Spacer(1, 8)]
    flow += [Paragraph(escape(line), s.body) for line in _story(report)]
    flow.append(
        _section(
            "Where learners are on the staircase",
            s,
            Paragraph(
                "Salmon's five stages: each needs the one below, and interaction grows as "
                "people climb. Bars count learners at each stage now.",
                s.small,
            ),
            Spacer(1, 6),
            charts.staircase(report.stages, WIDTH),
        )
    )
    half = (WIDTH - 14) / 2
    weekly = Table(
        [
            [
                Paragraph("<b>Contributions</b>", s.small),
                Paragraph("<b>Active learners</b>", s.small),
            ],
            [
                charts.contributions_chart(report.bars, half),
                charts.active_chart(report.bars, report.figures.learners, half),
            ],
        ],
        colWidths=[half + 7, half + 7],
    )
    weekly.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    flow.append(_section("Activity week by week", s, weekly))
    flow += _network(data, report, s)
    flow += _highlights(report.highlights, s)
    flow += [CondPageBreak(60 * mm), Paragraph("Members", s.h2), Paragraph(MEMBERS_NOTE, s.small)]
    flow += [Spacer(1, 5), members_table(data.members, s.regular, s.bold, s.cell, WIDTH)]
    flow += _about(data, s)
    return flow


def _numbered_canvas(data: ExportData) -> type[Canvas]:
    regular, _bold = fonts()
    left = f"{data.cohort.name} · participation report · {day_text(data.generated_at.date())}"

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds pages back until the end, so each footer can say "Page n of N"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setStrokeColor(RULE)
                self.setLineWidth(0.5)
                self.line(MARGIN, 13 * mm, A4[0] - MARGIN, 13 * mm)
                self.setFont(regular, 7.5)
                self.setFillColor(charts.MUTED)
                self.drawString(MARGIN, 9 * mm, left[:110])
                self.drawRightString(A4[0] - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def export_pdf(data: ExportData, report: ReportData, path: Path) -> tuple[Path, ...]:
    """Write the report (`report_data.report_data` for the same export) atomically; returns
    the file written."""
    with atomic_path(path) as temporary:
        document = SimpleDocTemplate(
            str(temporary),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=20 * mm,
            title=f"{data.cohort.name}: participation report",
            author="cohortdesk",
            subject=f"Participation, {data.period_text()}",
            creator=f"cohortdesk {__version__}",
        )
        document.build(build_story(data, report), canvasmaker=_numbered_canvas(data))
    return (path,)
