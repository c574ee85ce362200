"""Reading CSV files the way real exports are: any encoding, any line ending, broken quotes.

`read_csv` decodes UTF-8 (with or without BOM) and falls back to Windows-1252 (files re-saved
in Excel), records which it used on the `SourceFile`, parses with the csv module in strict mode
(an unterminated quote is an error, never a swallowed file) and yields `(row_number, cells)`
with the header as row 1, the way a spreadsheet numbers rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from cohortdesk.core.importers.base import SourceFile

FIELD_LIMIT = 131_072
_CHUNK = 1 << 20


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def detect_encoding(source: SourceFile) -> str:
    """`utf-16` for a file with a UTF-16 byte-order mark (Excel's "Unicode text"), `utf-8-sig`
    when the whole file decodes as UTF-8, else `cp1252` (or `latin-1`).

    Raises:
        ImportRejectedError: a NUL byte in a file that is not UTF-16: a binary file, or UTF-16
            text without its mark (the row is where the first NUL is).
    """
    with source.path.open("rb") as handle:
        if handle.read(2) in _UTF16_BOMS:
            _check_utf16(source)
            return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    rows = 1
    with source.path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = chunk.find(b"\x00")
            if nul != -1:
                row = rows + chunk.count(b"\n", 0, nul)
                raise source.reject(
                    row,
                    "the file holds NUL bytes: is it a binary file, or UTF-16 text without "
                    "its byte-order mark? Save it as CSV (UTF-8) and import that",
                )
            rows += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return "utf-8-sig"
    with source.path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                chunk.decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1"
    return "cp1252"


def _check_utf16(source: SourceFile) -> None:
    """Refuse a file whose UTF-16 byte-order mark is not followed by UTF-16 text (a mangled
    or mislabelled file), naming the row the text breaks on."""
    decoder = codecs.getincrementaldecoder("utf-16")()
    rows = 1
    with source.path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                rows += decoder.decode(chunk).count("\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise source.reject(
                rows,
                f"the file starts as UTF-16 text but is not ({exc.reason}): save it again as "
                "CSV (UTF-8) and import that",
            ) from exc


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text, to recognise its format: read by the rules
    `detect_encoding` applies to a whole file, and never failing.

    UTF-16 when the bytes start with its byte-order mark; else UTF-8 (a byte-order mark left
    out, a character cut off at the end of the head let go); else Windows-1252, with U+FFFD for
    the few bytes it leaves undefined.
    """
    if head[:2] in _UTF16_BOMS:
        return codecs.getincrementaldecoder("utf-16")(errors="replace").decode(head)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head)
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


@dataclass(slots=True)
class CsvTable:
    """A CSV file's header and a one-pass iterator over its data rows."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = "utf-8-sig"
    delimiter: str = ","


def read_csv(source: SourceFile, max_bytes: int, *, delimiter: str | None = None) -> CsvTable:
    """Open `source` as CSV; the first non-empty row is the header.

    Raises:
        ImportRejectedError: too big, empty, header only is fine (no rows), broken quoting,
            a field over 131,072 characters.
    """
    source.check_size(max_bytes)
    encoding = detect_encoding(source)
    source.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    text = source.path.open(encoding=encoding, newline="")
    sample = text.read(64 * 1024)
    text.seek(0)
    if encoding in ("utf-8-sig", "utf-16") and sample.startswith("\ufeff"):
        text.read(1)
    if not sample.strip():
        text.close()
        raise source.reject(None, "the file is empty")
    dialect_delimiter = delimiter or _sniff_delimiter(sample)
    rows = read_rows(source, text, dialect_delimiter)
    try:
        header_row = next(rows, None)
    except BaseException:
        text.close()
        raise
    if header_row is None:
        text.close()
        raise source.reject(None, "the file has no rows")
    return CsvTable(
        header=[h.strip() for h in header_row[1]],
        rows=rows,
        encoding=encoding,
        delimiter=dialect_delimiter,
    )


def _sniff_delimiter(sample: str) -> str:
    first_line = sample.splitlines()[0] if sample.splitlines() else ""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_rows(
    source: SourceFile, text: io.TextIOBase, delimiter: str, *, start: int = 0
) -> Iterator[tuple[int, list[str]]]:
    """`(row_number, cells)` for each non-blank record of `text`, numbered on from `start`
    (the records before it); closes `text` when done.

    Raises:
        ImportRejectedError: broken quoting or a field over the size limit, with its row.
    """
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    number = start
    with text:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise source.reject(number + 1, _csv_reason(exc)) from exc
            except UnicodeDecodeError as exc:  # pragma: no cover - detect_encoding read it all
                raise source.reject(number + 1, f"cannot decode the text ({exc.reason})") from exc
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            yield number, cells


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "field larger than field limit" in message:
        return f"a field is longer than {FIELD_LIMIT:,} characters"
    if "unexpected end of data" in message or "EOF" in message:
        return "a quoted field is never closed (unterminated quote)"
    if "NUL" in message:
        return "the row contains a NUL byte (is this a binary file?)"
    return f"broken CSV: {message}"


def normalise_header(name: str) -> str:
    """Header text for matching: no accents, case, spacing or punctuation ("E-mail" -> "email")."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", plain.casefold())


def match_columns(header: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Which column holds each field: `synonyms` maps a field to the header names it may have.

    Returns field -> 0-based column index for the fields found (first match wins).
    """
    wanted = {normalise_header(s): fld for fld, names in synonyms.items() for s in names}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        fld = wanted.get(normalise_header(name))
        if fld is not None and fld not in found:
            found[fld] = index
    return found


def cell(cells: Sequence[str], index: int | None) -> str:
    """The stripped text at `index`, or "" when the row is short (ragged rows) or no column."""
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()
