"""Reading a CSV file as batches of columns, for the tabular importers.

A batch is a polars DataFrame: a `row` column (the row's number in the file, the header being
row 1, the way `textio.read_csv` numbers them), one text column per header column, `c0`,
`c1`... (a missing cell is ""; cells past the header's width are dropped), and `cells`, how
many cells the row has (telling a short row's missing cell from an empty one). Rows whose cells are
all blank are left out, as `read_csv` leaves them out.

The file is read in blocks of a few megabytes. A block of plain CSV (UTF-8, no quoted line
break, no blank line, every quote where the csv module's strict mode accepts it, no field near
its size limit) is parsed by polars' native reader, which runs without holding the interpreter
(the window stays responsive) and many times faster than the csv module. Anything else, from
the first block that is not plain to the end of the file, goes through the csv module exactly
as `read_csv` reads it, so odd files are read, numbered and refused the same way.

Polars is imported here and only when a file is read: the app and the command line start
without it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cohortdesk.core.dates import FIRST_DAY, LAST_DAY, is_kept, outside_reason
from cohortdesk.core.importers.base import SourceFile
from cohortdesk.core.importers.textio import FIELD_LIMIT, read_csv, read_rows
from cohortdesk.core.importers.times import (
    CACHE_LIMIT,
    DAY_FIRST,
    MONTH_FIRST,
    TimeFormat,
    TimeReader,
    _clock,
    _slashed_date,
)

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

#: bytes read and parsed at a time (bounds memory whatever the file's size)
BLOCK_BYTES = 4 << 20
#: rows gathered into one batch when the csv module reads
FALLBACK_ROWS = 50_000
#: the whitespace `str.strip` removes, for polars' `strip_chars`
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


@dataclass(slots=True)
class ColumnBatch:
    """Some rows of the file, as columns, and how far into the file they reach."""

    frame: pl.DataFrame
    bytes_read: int


@dataclass(slots=True)
class ColumnTable:
    """A CSV file's header, its size, and its data rows in batches (one pass)."""

    header: list[str]
    size: int
    batches: Iterator[ColumnBatch]


def read_columns(
    source: SourceFile, max_bytes: int, *, delimiter: str | None = None, header_at: int = 0
) -> ColumnTable:
    """Open `source` as CSV, in batches of columns; the first non-empty row is the header, or
    the one after `header_at` non-empty rows (a title above the header: the rows are then
    read by the csv module).

    Raises:
        ImportRejectedError: as `textio.read_csv` does, naming the same row and reason.
    """
    table = read_csv(source, max_bytes, delimiter=delimiter)
    size = source.path.stat().st_size
    if header_at:
        header = table.header
        for _ in range(header_at):
            found = next(table.rows, None)
            header = [] if found is None else [h.strip() for h in found[1]]
        return ColumnTable(header, size, rows_in_batches(table.rows, len(header), size))
    width = len(table.header)
    start = _plain_start(source, table.delimiter) if table.encoding == "utf-8-sig" else None
    if start is None:
        return ColumnTable(table.header, size, rows_in_batches(table.rows, width, size))
    close = getattr(table.rows, "close", None)
    if close is not None:
        close()
    return ColumnTable(table.header, size, _blocks(source, table.delimiter, width, size, start))


def _plain_start(source: SourceFile, delimiter: str) -> int | None:
    """Where the data starts when the header is the file's plain first line, else None."""
    with source.path.open("rb") as handle:
        head = handle.read(FIELD_LIMIT)
    end = head.find(b"\n")
    if end == -1:
        return None
    line = head[:end].rstrip(b"\r")
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    if not line.strip() or b"\r" in line or line.count(b'"') % 2:
        return None
    return end + 1


def _blocks(
    source: SourceFile, delimiter: str, width: int, size: int, start: int
) -> Iterator[ColumnBatch]:
    import polars as pl

    schema = {f"c{i}": pl.String for i in range(width)}
    row = 1  # the header's
    offset = start
    with source.path.open("rb") as handle:
        handle.seek(offset)
        carry = b""
        while True:
            block = handle.read(BLOCK_BYTES)
            data = carry + block
            if not data:
                return
            cut = data.rfind(b"\n") + 1 if block else len(data)
            if cut == 0:
                if len(data) > 2 * BLOCK_BYTES:  # no line end in sight: let csv judge it
                    yield from _fallback_from(source, delimiter, offset, row, width, size)
                    return
                carry = data
                continue
            chunk, carry = data[:cut], data[cut:]
            cells = _plain_lines(chunk, delimiter)
            if cells is None:
                yield from _fallback_from(source, delimiter, offset, row, width, size)
                return
            frame = pl.read_csv(
                chunk,
                has_header=False,
                separator=delimiter,
                quote_char='"',
                schema=schema,
                truncate_ragged_lines=True,
                extra_columns="ignore",
                missing_columns="insert",
                empty_string_is_null=False,
                raise_if_empty=False,
            )
            frame = frame.with_columns(pl.all().fill_null("")).with_row_index("row", offset=row + 1)
            frame = frame.with_columns(
                pl.col("row").cast(pl.Int64), pl.Series("cells", cells, dtype=pl.Int32)
            )
            row += len(cells)
            offset += cut
            yield ColumnBatch(_without_blank_rows(frame, width), offset)


def _plain_lines(chunk: bytes, delimiter: str) -> np.ndarray | None:
    """How many cells each line of `chunk` holds, when each line is one plain CSV record;
    else None."""
    import numpy as np

    data = np.frombuffer(chunk, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    lines = len(newlines) + (0 if chunk.endswith(b"\n") else 1)
    returns = np.flatnonzero(data == 13)
    if len(returns) and (returns[-1] + 1 >= len(data) or bool((data[returns + 1] != 10).any())):
        return None  # a bare carriage return: the csv module's line ending, not polars'
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(data)])) if not chunk.endswith(b"\n") else newlines
    starts = starts[: len(ends)]
    lengths = ends - starts
    if len(lengths) and int(lengths.max()) >= FIELD_LIMIT:
        return None
    crlf = data[np.maximum(ends - 1, 0)] == 13
    if bool((lengths - crlf.astype(np.int64) <= 0).any()):
        return None  # a blank line: a record of its own to the csv module
    quotes = np.flatnonzero(data == 34)
    if len(quotes) % 2:
        return None
    if len(quotes):
        if bool((np.searchsorted(quotes, newlines) % 2).any()):
            return None  # a line break inside quotes
        separator = ord(delimiter)
        opening, closing = quotes[0::2], quotes[1::2]
        before = data[np.maximum(opening - 1, 0)]
        fine_before = (opening == 0) | (before == separator) | (before == 10) | (before == 34)
        after_at = np.minimum(closing + 1, len(data) - 1)
        after = data[after_at]
        fine_after = (
            (closing + 1 >= len(data))
            | (after == separator)
            | (after == 10)
            | (after == 13)
            | (after == 34)
        )
        if not bool(fine_before.all()) or not bool(fine_after.all()):
            return None
        # a doubled quote ("") opens right after the one it doubles
        doubled = (before == 34) & (opening > 0)
        if bool(doubled.any()) and not bool(np.isin(opening[doubled] - 1, closing).all()):
            return None
    separators = np.flatnonzero(data == ord(delimiter))
    if len(quotes):  # a separator after an odd number of quotes is inside a quoted cell
        separators = separators[np.searchsorted(quotes, separators) % 2 == 0]
    return np.bincount(np.searchsorted(newlines, separators), minlength=lines)[:lines] + 1


def _without_blank_rows(frame: pl.DataFrame, width: int) -> pl.DataFrame:
    import polars as pl

    if width == 0 or frame.height == 0:
        return frame
    blank = pl.all_horizontal(
        [pl.col(f"c{i}").str.strip_chars(WHITESPACE) == "" for i in range(width)]
    )
    return frame.filter(~blank)


def _fallback_from(
    source: SourceFile, delimiter: str, offset: int, row: int, width: int, size: int
) -> Iterator[ColumnBatch]:
    """The rest of the file from `offset` (a record's start, after row `row`), via csv."""
    handle = source.path.open("rb")
    handle.seek(offset)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    rows = read_rows(source, text, delimiter, start=row)
    yield from rows_in_batches(rows, width, size, handle)


def rows_in_batches(
    rows: Iterator[tuple[int, list[str]]],
    width: int,
    size: int,
    handle: io.BufferedReader | None = None,
) -> Iterator[ColumnBatch]:
    """Numbered rows of cells (as `textio.read_rows` gives them) in batches of columns, the
    first `width` cells of each; `handle`, when given, says how far into the file they reach
    and is closed at the end."""
    import polars as pl

    numbers: list[int] = []
    widths: list[int] = []
    columns: list[list[str]] = [[] for _ in range(width)]
    read = 0

    def batch() -> ColumnBatch:
        data: dict[str, object] = {"row": pl.Series("row", numbers, dtype=pl.Int64)}
        for i, values in enumerate(columns):
            data[f"c{i}"] = pl.Series(f"c{i}", values, dtype=pl.String)
        data["cells"] = pl.Series("cells", widths, dtype=pl.Int32)
        where = size if handle is None or handle.closed else min(handle.tell(), size)
        return ColumnBatch(pl.DataFrame(data), where)

    try:
        for number, cells in rows:
            numbers.append(number)
            have = len(cells)
            widths.append(have)
            for i in range(width):
                columns[i].append(cells[i] if i < have else "")
            read += 1
            if read % FALLBACK_ROWS == 0:
                yield batch()
                numbers = []
                widths = []
                columns = [[] for _ in range(width)]
        if numbers or read == 0:
            yield ColumnBatch(batch().frame, size)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
        if handle is not None:
            handle.close()


def _readings(
    known: pl.DataFrame | None,
    frame: pl.DataFrame,
    names: tuple[str, str, str, pl.DataType | type[pl.DataType]],
    read: Callable[[str], date | time | None],
) -> pl.DataFrame:
    """`known` (a table of texts of column `names[0]` of `frame`, what `read` makes of each,
    and that as ISO text) grown by the texts of `frame` not in it yet, each read once; emptied
    first when it would pass `CACHE_LIMIT` rows (bounds memory on any file)."""
    import polars as pl

    column, value, iso, kind = names
    schema = {column: pl.String, value: kind, iso: pl.String}
    texts = frame.select(pl.col(column).unique())
    if known is not None:
        new = texts.join(known, on=column, how="anti")
        if known.height + new.height > CACHE_LIMIT:
            known, new = None, texts
    else:
        new = texts
    if new.height == 0 and known is not None:
        return known
    added = new.get_column(column).to_list()
    values = [read(text) for text in added]
    table = pl.DataFrame(
        {
            column: added,
            value: values,
            iso: [None if v is None else v.isoformat() for v in values],
        },
        schema=schema,
    )
    return table if known is None else pl.concat([known, table])


class ColumnTimes:
    """Reads a column of times in one format, as `times.TimeReader` reads them one by one.

    Adds `local` (the wall-clock time as read, naive), `utc` (the moment in UTC, naive) and
    `stamp` (the time as `TimeReader` normalises it, for event keys) to a frame holding the
    raw text in `raw_time`. Slashed dates are split into their date and clock halves, and
    each distinct half is read once; other formats read each distinct value once.

    Args:
        fmt: the column's format, decided once for the file.
        zone: the zone of times written without one.
        unreadable: the reason given for a value that does not fit the format.
    """

    def __init__(self, fmt: TimeFormat, zone: ZoneInfo, unreadable: Callable[[str], str]) -> None:
        self.fmt = fmt
        self.zone = zone
        self.unreadable = unreadable
        self._reader = TimeReader(fmt, zone)
        self._day_first = fmt is DAY_FIRST
        self._slashed = fmt in (DAY_FIRST, MONTH_FIRST)
        # the halves read so far, as tables to join (text, value, ISO text): a log has a few
        # hundred days and at most 86,400 clock readings, so after the first batches each
        # batch only joins
        self._days: pl.DataFrame | None = None
        self._clocks: pl.DataFrame | None = None

    def aware(self, raw: str) -> datetime:
        """The aware moment `raw` means (the value must fit: `read` checked it)."""
        found = self._reader(raw)
        assert found is not None
        return found[0]

    def read(self, source: SourceFile, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with `local`, `utc` and `stamp`.

        Raises:
            ImportRejectedError: for the first row whose time does not fit, or lies outside
                the dates cohortdesk keeps.
        """
        import polars as pl

        if frame.height == 0:
            return frame.with_columns(
                pl.lit(None, dtype=pl.Datetime("us")).alias("local"),
                pl.lit(None, dtype=pl.Datetime("us")).alias("utc"),
                pl.lit(None, dtype=pl.String).alias("stamp"),
            )
        frame = self._slashed_times(frame) if self._slashed else self._any_times(frame)
        year = pl.col("local").dt.year()
        bad = frame.filter(
            pl.col("local").is_null() | (year < FIRST_DAY.year) | (year > LAST_DAY.year)
        )
        if bad.height:
            row, raw, local = bad.select("row", "raw_time", "local").row(0)
            if local is None:
                raise source.reject(row, self.unreadable(raw))
            raise source.reject(row, outside_reason(local))
        if self._slashed:
            frame = self._to_utc(frame)
        return frame

    def _slashed_times(self, frame: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        text = pl.col("raw_time").str.strip_chars(WHITESPACE)
        first = text.str.extract(r"^([^ ]*)", 1)
        rest = text.str.extract(r"(?s)^[^ ]* (.*)$", 1).fill_null("")
        split = (rest == "") & first.str.contains(",", literal=True)
        frame = frame.with_columns(
            pl.when(split).then(first.str.extract(r"^([^,]*)", 1)).otherwise(first).alias("_d"),
            pl.when(split)
            .then(first.str.extract(r"(?s)^[^,]*,(.*)$", 1))
            .otherwise(rest)
            .str.strip_chars(WHITESPACE)
            .alias("_c"),
            text.str.ends_with(",").alias("_comma"),
        )
        self._days = _readings(
            self._days,
            frame,
            ("_d", "_day", "_day_iso", pl.Date),
            lambda text: _slashed_date(text, self._day_first),
        )
        self._clocks = _readings(
            self._clocks,
            frame,
            ("_c", "_clock", "_clock_iso", pl.Time),
            lambda text: _clock(text) if text else time(),
        )
        frame = frame.join(self._days, on="_d", how="left", maintain_order="left").join(
            self._clocks, on="_c", how="left", maintain_order="left"
        )
        fits = (
            pl.col("_day").is_not_null()
            & pl.col("_clock").is_not_null()
            & ~((pl.col("_c") == "") & pl.col("_comma"))  # Moodle's comma promises a time
        )
        return frame.with_columns(
            pl.when(fits).then(pl.col("_day").dt.combine(pl.col("_clock"))).alias("local"),
            pl.when(fits)
            .then(pl.col("_day_iso") + pl.lit("T") + pl.col("_clock_iso"))
            .alias("stamp"),
        ).drop("_d", "_c", "_comma", "_day", "_day_iso", "_clock", "_clock_iso")

    def _to_utc(self, frame: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        utc = (
            pl.col("local")
            .dt.replace_time_zone(self.zone.key, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC")
            .dt.replace_time_zone(None)
        )
        frame = frame.with_columns(utc.alias("utc"))
        gaps = frame.get_column("utc").null_count()
        if gaps:  # wall-clock times skipped by a change to summer time: as Python reads them
            zone = self.zone
            frame = frame.with_columns(
                pl.when(pl.col("utc").is_null())
                .then(
                    pl.col("local").map_elements(
                        lambda moment: (
                            moment.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
                        ),
                        return_dtype=pl.Datetime("us"),
                    )
                )
                .otherwise(pl.col("utc"))
                .alias("utc")
            )
        return frame

    def _any_times(self, frame: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        raws = frame.get_column("raw_time").unique().to_list()
        locals_: list[datetime | None] = []
        utcs: list[datetime | None] = []
        stamps: list[str | None] = []
        for raw in raws:
            found = self._reader(raw)
            if found is None:
                locals_.append(None)
                utcs.append(None)
                stamps.append(None)
                continue
            moment, stamp = found
            locals_.append(moment.replace(tzinfo=None))
            utcs.append(
                None if not is_kept(moment) else moment.astimezone(UTC).replace(tzinfo=None)
            )
            stamps.append(stamp)
        table = pl.DataFrame(
            {"raw_time": raws, "local": locals_, "utc": utcs, "stamp": stamps},
            schema={
                "raw_time": pl.String,
                "local": pl.Datetime("us"),
                "utc": pl.Datetime("us"),
                "stamp": pl.String,
            },
        )
        return frame.join(table, on="raw_time", how="left", maintain_order="left")
