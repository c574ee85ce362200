"""The columns of the tabular exports (CSV, XLSX and the export dialog's preview).

One definition serves every table format, so a CSV, a workbook and the preview always agree.
Values are typed (numbers, dates, aware local datetimes, text); each writer turns them into its
own cells. A pseudonymised export has a Pseudonym column instead of Name and Email, and its
events carry no Detail column.

Formula injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
would be run as a formula by a spreadsheet that opens the file. CSV cells like that get a
single quote in front (`'=SUM(A1)`), as OWASP advises: spreadsheets show the text, and
`csv_text` documents it. XLSX cells are always string cells, never formulas (see `xlsx_export`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from cohortdesk.core.enums import AccessStatus
from cohortdesk.core.exporters.records import ExportData, ExportEvent
from cohortdesk.core.schemas import ExportMember
from cohortdesk.core.stages import stage

Cell = str | int | date | datetime | None
RowT = TypeVar("RowT")

#: the characters that make a spreadsheet read a cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column(Generic[RowT]):
    """One column: its header, how wide it shows (in characters) and its value for a row."""

    header: str
    width: int
    value: Callable[[RowT], Cell]


def is_risky(text: str) -> bool:
    """Whether a spreadsheet would evaluate `text` as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """`text` as a CSV cell no spreadsheet evaluates: a leading `'` when it looks like a formula."""
    return "'" + text if is_risky(text) else text


def access_text(access: AccessStatus) -> str:
    return access.value.replace("_", " ")


def member_columns(data: ExportData) -> list[Column[ExportMember]]:
    """The member table's columns."""
    who: list[Column[ExportMember]]
    if data.pseudonymised:
        who = [Column("Pseudonym", 16, lambda m: m.pseudonym)]
    else:
        who = [Column("Name", 26, lambda m: m.name), Column("Email", 30, lambda m: m.email)]
    return [
        *who,
        Column("Role", 12, lambda m: m.role.value),
        Column("Stage", 7, lambda m: m.stage),
        Column("Stage name", 24, lambda m: stage(m.stage).name),
        Column("Access", 10, lambda m: access_text(m.access)),
        Column("Joined", 12, lambda m: m.joined_on),
        Column("Latest motivation", 10, lambda m: m.motivation),
        Column("Logins", 8, lambda m: m.logins),
        Column("Threads started", 9, lambda m: m.threads),
        Column("Replies", 8, lambda m: m.replies),
        Column("Peer replies", 8, lambda m: m.peer_replies),
        Column("Events", 8, lambda m: m.events),
        Column("First active", 12, lambda m: m.first_active),
        Column("Last active", 12, lambda m: m.last_active),
        Column("Nudges received", 9, lambda m: m.nudges_received),
        Column("Nudges answered", 9, lambda m: m.nudges_answered),
    ]


def event_columns(data: ExportData) -> list[Column[ExportEvent]]:
    """The events table's columns; times are local to the cohort, with their offset."""
    local = data.local
    columns: list[Column[ExportEvent]] = [
        Column(f"When ({data.cohort.timezone})", 18, lambda e: local(e.occurred_at)),
        Column("Pseudonym" if data.pseudonymised else "Member", 24, lambda e: e.member),
        Column("Kind", 10, lambda e: e.kind.value),
        Column("Thread", 30, lambda e: e.thread),
        Column("Replied to", 24, lambda e: e.replied_to),
        Column("Words", 7, lambda e: e.word_count),
        Column("Source", 12, lambda e: e.source),
    ]
    if not data.pseudonymised:
        columns.append(Column("Detail", 50, lambda e: e.detail))
    return columns


def display_text(value: Cell) -> str:
    """A cell as the preview shows it (and as CSV writes it, before neutralising)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def preview_rows(
    data: ExportData, columns: Sequence[Column[ExportMember]], limit: int
) -> tuple[tuple[str, ...], ...]:
    """The first `limit` member rows as text."""
    return tuple(
        tuple(display_text(column.value(member)) for column in columns)
        for member in data.members[:limit]
    )
