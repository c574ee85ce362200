"""The report's table of members: one line each, columns as wide as their contents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import LongTable, Paragraph, TableStyle

from cohortdesk.core.enums import Role
from cohortdesk.core.exporters import pdf_charts as charts
from cohortdesk.core.exporters.tabular import access_text
from cohortdesk.core.schemas import ExportMember
from cohortdesk.core.stages import stage

HEADER = (
    "Member",
    "Stage",
    "Access",
    "Motiv.",
    "Logins",
    "Threads",
    "Replies",
    "Peer",
    "Last active",
    "Nudges",
)
MEMBERS_NOTE = (
    "Motiv.: latest motivation check-in (1 to 5). Peer: replies to other learners. "
    "Nudges: answered / received in the period."
)
FONT_SIZE = 7.5
PADDING = 3.0
MIN_NAME_WIDTH = 84.0
STAGE_COLUMN = 1
ZEBRA = colors.HexColor("#f5f7fa")


def _row(member: ExportMember, style: ParagraphStyle) -> list[Any]:
    nudges = f"{member.nudges_answered}/{member.nudges_received}" if member.nudges_received else "–"
    who = escape(member.label)
    if member.role is not Role.LEARNER:  # staff are few: their role goes beside the name
        muted = "#" + charts.MUTED.hexval()[2:]
        who += f' <font color="{muted}">· {member.role.value}</font>'
    return [
        Paragraph(who, style),
        f"{member.stage} · {stage(member.stage).short}",
        access_text(member.access),
        str(member.motivation) if member.motivation is not None else "–",
        str(member.logins),
        str(member.threads),
        str(member.replies),
        str(member.peer_replies),
        f"{member.last_active:%d %b}" if member.last_active else "never",
        nudges,
    ]


def _widths(rows: Sequence[Sequence[Any]], regular: str, bold: str, width: float) -> list[float]:
    """Each column as wide as its widest text; the member column takes what is left."""
    widths = []
    for index in range(1, len(HEADER)):
        widest = max(
            stringWidth(
                str(row[index]), bold if n == 0 or index == STAGE_COLUMN else regular, FONT_SIZE
            )
            for n, row in enumerate(rows)
        )
        widths.append(widest + 2 * PADDING + 2)
    return [max(width - sum(widths), MIN_NAME_WIDTH), *widths]


def members_table(
    members: Sequence[ExportMember],
    regular: str,
    bold: str,
    cell_style: ParagraphStyle,
    width: float,
) -> LongTable:
    """The table, its header repeated on every page it runs over."""
    rows: list[list[Any]] = [list(HEADER)] + [_row(m, cell_style) for m in members]
    table = LongTable(rows, colWidths=_widths(rows, regular, bold, width), repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), regular, FONT_SIZE),
        ("FONT", (0, 0), (-1, 0), bold, FONT_SIZE),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TEXTCOLOR", (0, 0), (-1, -1), charts.INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, charts.INK),
        ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for index, member in enumerate(members, start=1):
        if index % 2 == 0:
            style.append(("BACKGROUND", (0, index), (-1, index), ZEBRA))
        column = (STAGE_COLUMN, index)
        style.append(("TEXTCOLOR", column, column, charts.stage_colour(member.stage)))
        style.append(("FONT", column, column, bold, FONT_SIZE))
    table.setStyle(TableStyle(style))
    return table
