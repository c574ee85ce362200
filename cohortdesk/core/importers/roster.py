"""Rosters: the people of a cohort, one a row, from a CSV file or an Excel workbook.

A roster yields `PersonRecord`s only (no activity): name, email, role, expertise and the ids
other platforms know the person by. Headers are matched by meaning in several languages
("Full name", "Nom", "Courriel", "Rôle"...), or a first and a last name column are joined.
Cells reading `NULL`, `N/A` or `-` count as empty. A row that names nobody, a malformed email,
an unknown role or the same person twice in one file rejects the import with the row and why.

Workbooks are read with openpyxl in read-only mode with cached values only: a formula is never
evaluated (one saved without a value reads as empty), numbers used as ids lose Excel's `.0`.
"""

from __future__ import annotations

import csv
import io
import itertools
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from typing import IO, TYPE_CHECKING

from cohortdesk.core.importers.base import (
    ImportOptions,
    ImportRejectedError,
    ItemStream,
    SourceFile,
)
from cohortdesk.core.importers.columnar import ColumnBatch, read_columns, rows_in_batches
from cohortdesk.core.importers.roster_layout import EXPECTED, Layout, read_layout
from cohortdesk.core.importers.roster_people import PeopleReader
from cohortdesk.core.importers.textio import decode_head, read_csv
from cohortdesk.core.text import plural

if TYPE_CHECKING:  # openpyxl itself is imported only when a workbook is read
    from openpyxl.workbook.workbook import Workbook

FORMAT = "roster"
IDENTITY_SOURCE = "external"
UNNAMED_LABEL = "Participant"

#: how many non-empty rows may sit above the header (a title, a blank line, a date...)
_HEADER_SCAN_ROWS = 10
_ZIP_MAGIC = b"PK\x03\x04"
#: an OLE2 compound file: an old .xls, or an .xlsx protected with a password
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_IGNORED_SHOWN = 8

_Rows = Iterator[tuple[int, list[str]]]


def detect(name: str, head: bytes) -> bool:
    """Whether the file looks like a roster.

    A workbook (`.xlsx`/`.xlsm` starting with a zip header) always does; a CSV does when its
    first row has a name or id column, an email, role or facilitator column, and no time
    column (an activity log names people too, but always says when).

    Args:
        name: the file name.
        head: the first bytes of the file.

    Returns:
        True when `parse` should be able to read it.
    """
    if head.startswith(_ZIP_MAGIC):
        return name.casefold().endswith(_WORKBOOK_SUFFIXES)
    if not head or b"\x00" in head[:4096]:
        return False
    text = decode_head(head)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next((row for row in reader if any(c.strip() for c in row)), None)
    except csv.Error:
        return False
    found = read_layout(header or [])
    named = found.name is not None or found.first is not None or found.last is not None
    return (
        (named or found.external is not None)
        and (found.email is not None or found.role is not None or found.flag is not None)
        and not found.has_time
    )


def parse(source: SourceFile, options: ImportOptions) -> ItemStream:
    """The people of a roster, one `PersonRecord` a row, in file order.

    Args:
        source: the CSV file or Excel workbook.
        options: only `max_bytes` matters here.

    Yields:
        A `PersonRecord` for every non-empty row under the header.

    Raises:
        ImportRejectedError: the file is too big, unreadable, encrypted or has no name, email
            or id column; or a row names nobody, has a malformed email, an unknown role or
            repeats a person of an earlier row.
    """
    source.check_size(options.max_bytes)
    try:
        with source.path.open("rb") as handle:
            magic = handle.read(len(_OLE_MAGIC))
    except OSError as exc:
        raise source.reject(None, f"cannot read the file ({exc.strerror or exc})") from exc
    if magic.startswith(_OLE_MAGIC):
        raise source.reject(
            None,
            "this is an encrypted (password-protected) workbook or an old .xls file: "
            "save it without a password as .xlsx or CSV",
        )
    if magic.startswith(_ZIP_MAGIC):
        yield from _parse_workbook(source, options.max_bytes)
    else:
        yield from _parse_csv(source, options.max_bytes)


def _parse_csv(source: SourceFile, max_bytes: int) -> ItemStream:
    table = read_csv(source, max_bytes)
    rows = itertools.chain(((0, table.header),), table.rows)
    try:
        layout, header, above = _find_layout(rows)
    finally:
        close = getattr(table.rows, "close", None)
        if close is not None:
            close()
    if layout is None:
        raise _no_identity_columns(source, header)
    columns = read_columns(source, max_bytes, header_at=above)
    yield from _people(source, layout, header, columns.batches)


def _parse_workbook(source: SourceFile, max_bytes: int) -> ItemStream:
    _check_archive(source, max_bytes)
    source.encoding = None
    with source.path.open("rb") as handle:
        workbook = _open_workbook(source, handle)
        try:
            sheets = [s for s in workbook.worksheets if hasattr(s, "iter_rows")]
            if not sheets:
                raise source.reject(None, "the workbook has no sheets")
            first_header: list[str] | None = None
            for sheet in sheets:
                rows = _sheet_rows(source, sheet)
                layout, header, _above = _find_layout(rows)
                if layout is not None:
                    if sheet is not sheets[0]:
                        source.note(f"Read the sheet {sheet.title!r}: earlier sheets list nobody.")
                    size = source.path.stat().st_size
                    batches = rows_in_batches(rows, len(header), size)
                    yield from _people(source, layout, header, batches)
                    return
                if first_header is None and header:
                    first_header = header
            raise _no_identity_columns(source, first_header or [])
        finally:
            workbook.close()


def _check_archive(source: SourceFile, max_bytes: int) -> None:
    """Refuse a damaged zip, a zip that is no workbook, or one that unpacks too big."""
    try:
        with zipfile.ZipFile(source.path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise source.reject(None, "not a readable Excel workbook (the file is damaged)") from exc
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise source.reject(None, "this zip file is not an Excel workbook")
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_bytes:
        raise source.reject(
            None,
            f"the workbook unpacks to {unpacked / 1e6:.0f} MB, "
            f"over the {max_bytes / 1e6:.0f} MB limit",
        )


def _open_workbook(source: SourceFile, handle: IO[bytes]) -> Workbook:
    # A file object, not the path: openpyxl refuses paths not ending in .xlsx, and the content
    # already said this is a workbook.
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; none matter for a roster
            warnings.simplefilter("ignore")
            return load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML parse errors
        raise source.reject(None, f"not a readable Excel workbook ({_brief(exc)})") from exc


def _sheet_rows(source: SourceFile, sheet: object) -> _Rows:
    """A sheet's non-empty rows as text, numbered as the spreadsheet shows them."""
    title = str(getattr(sheet, "title", ""))
    try:
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            # the stored dimensions may be wrong or absurd (A1:XFD1048576): read what is there
            reset()
        values = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    except Exception as exc:
        raise source.reject(None, f"cannot read the sheet {title!r} ({_brief(exc)})") from exc
    number = 0
    while True:
        try:
            cells = [_text(value) for value in next(values)]
        except StopIteration:
            return
        except Exception as exc:  # damaged sheet XML, bad shared string index, huge number...
            raise source.reject(
                number + 1, f"cannot read the sheet {title!r} ({_brief(exc)})"
            ) from exc
        number += 1
        if any(cells):
            yield number, cells


def _text(value: object) -> str:
    """A cell's value as the text a person sees (ids like 5104.0 as "5104")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:80] + "...") if len(text) > 80 else (text or type(exc).__name__)


def _find_layout(rows: _Rows) -> tuple[Layout | None, list[str], int]:
    """The header among the first rows, consuming rows up to it, and how many non-empty rows
    lie above it; else the first row.

    Rows under a title are taken as the header only with two known columns, so a data row
    holding a word like "Student" is not mistaken for one.
    """
    first: list[str] = []
    for count, (_, cells) in enumerate(rows, start=1):
        if not first:
            first = cells
        found = read_layout(cells)
        if found.identifies and (count == 1 or len(found.used()) >= 2):
            return found, cells, count - 1
        if count >= _HEADER_SCAN_ROWS:
            break
    return None, first, 0


def _no_identity_columns(source: SourceFile, header: Sequence[str]) -> ImportRejectedError:
    found = [name.strip() for name in header if name.strip()]
    shown = ", ".join(found[:20]) + (f" and {len(found) - 20} more" if len(found) > 20 else "")
    return source.reject(
        None,
        f"no name, email or id column: found {shown or 'no headers'}; expected one of {EXPECTED}",
    )


def _note_columns(source: SourceFile, layout: Layout, header: Sequence[str]) -> None:
    used = layout.used()
    read = ", ".join(f"{header[i].strip()} ({what})" for i, what in sorted(used.items()))
    ignored = [h.strip() for i, h in enumerate(header) if i not in used and h.strip()]
    message = f"Columns read: {read}."
    if ignored:
        more = len(ignored) - _IGNORED_SHOWN
        message += " Not used: " + ", ".join(ignored[:_IGNORED_SHOWN])
        message += f" and {more} more." if more > 0 else "."
    source.note(message)


def _people(
    source: SourceFile, layout: Layout, header: Sequence[str], batches: Iterator[ColumnBatch]
) -> ItemStream:
    """The people under the header, in batches of columns read by `PeopleReader`."""
    _note_columns(source, layout, header)
    reader = PeopleReader(source, layout)
    count = 0
    for batch in batches:
        for record in reader.read(batch):
            count += 1
            yield record
    if count == 0:
        source.note("The roster has a header but nobody under it.")
    if reader.repeated_names:
        source.note(
            f"{plural(reader.repeated_names, 'row repeats', 'rows repeat')} a name with no email "
            "or id: they are taken as the same person."
        )
