"""XLSX: a Members sheet, an Events sheet when asked, and an About sheet saying what it holds.

Cells are typed: counts are numbers, days are dates, event times are date-times in the cohort's
time zone (Excel has no time zones: the header names it). Each sheet has a bold header row
frozen in place, an auto-filter and sensible column widths. No cell is ever a formula: every
text cell is written as a string cell, and one that starts like a formula (`=`, `+`, `-`, `@`,
tab, CR) also gets Excel's "quote prefix", so editing it does not turn it into one either.
Written in openpyxl's write-only mode: rows stream to the file without a sheet in memory.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cohortdesk.core.errors import KnownError
from cohortdesk.core.exporters.records import ExportData, ExportEvent
from cohortdesk.core.exporters.tabular import Cell, Column, event_columns, is_risky, member_columns
from cohortdesk.core.storage.safefile import atomic_path

RowT = TypeVar("RowT")
Tick = Callable[[], None]

#: rows a sheet can hold, less the header
MAX_ROWS = 1_048_575
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


def _text(sheet: WriteOnlyWorksheet, text: str) -> SheetCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    # openpyxl makes a formula of text starting with "="; a string cell is never evaluated.
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> SheetCell | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _text(sheet, value)
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=cast(Any, value))  # a date: openpyxl takes it
        cell.number_format = DATE_FORMAT
        return cell
    return WriteOnlyCell(sheet, value=value)


def _sheet(
    book: Workbook,
    title: str,
    columns: Sequence[Column[RowT]],
    rows: Iterable[RowT],
    tick: Tick | None = None,
) -> None:
    sheet = book.create_sheet(title)
    assert isinstance(sheet, WriteOnlyWorksheet)
    layout = cast(Any, sheet)  # write-only sheets have these, though the stubs say not
    for index, column in enumerate(columns, start=1):
        layout.column_dimensions[get_column_letter(index)].width = column.width + 2
    layout.freeze_panes = "A2"
    layout.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    header = []
    for column in columns:
        cell = _text(sheet, column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, column.value(row)) for column in columns])
        if tick is not None:
            tick()


def _about(book: Workbook, data: ExportData) -> None:
    rows: list[tuple[str, Cell]] = [
        ("Cohort", data.cohort.name),
        ("Period", data.period_text()),
        ("Time zone", data.cohort.timezone),
        ("Generated", data.generated_at),
        ("Pseudonymised", "yes" if data.pseudonymised else "no"),
        ("Members included", len(data.members)),
        ("Members left out (no activity in the period)", data.left_out),
        ("Events in the period", data.event_count),
        ("Made with", "cohortdesk"),
    ]
    columns: list[Column[tuple[str, Cell]]] = [
        Column("What", 44, lambda r: r[0]),
        Column("Value", 36, lambda r: r[1]),
    ]
    _sheet(book, "About", columns, rows)


def export_xlsx(
    data: ExportData, events: Iterable[ExportEvent], path: Path, tick: Tick | None = None
) -> tuple[Path, ...]:
    """Write the workbook atomically; returns the file written.

    Raises:
        KnownError: more events than a sheet holds (export them as CSV instead), or the file
            cannot be written.
    """
    if data.options.with_events and data.event_count > MAX_ROWS:
        raise KnownError(
            f"{path}: {data.event_count} events do not fit in one Excel sheet "
            f"({MAX_ROWS} rows at most); export the events as CSV, or a shorter period"
        )
    book = Workbook(write_only=True)
    try:
        _sheet(book, "Members", member_columns(data), data.members)
        if data.options.with_events:
            _sheet(book, "Events", event_columns(data), events, tick)
        _about(book, data)
        with atomic_path(path) as temporary:
            book.save(temporary)
    except BaseException:
        _discard(book)
        raise
    return (path,)


def _discard(book: Workbook) -> None:
    """Delete openpyxl's own temporary files of an abandoned write-only workbook.

    Write-only sheets stream their rows to temporary files that openpyxl removes when the
    workbook is saved, or else only when Python exits: after a failure or Cancel, the rows
    written so far would sit in the temporary folder until then.
    """
    for sheet in book.worksheets:
        writer = getattr(sheet, "_writer", None)
        with contextlib.suppress(Exception):
            if isinstance(sheet, WriteOnlyWorksheet) and not sheet.closed:
                sheet.close()
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.cleanup()
