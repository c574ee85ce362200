"""What the tabular importers do alike to a batch of columns on the way to an `EventBatch`:
take a cell column, read each distinct value once, shorten details to one line, make event
keys, detect a column's time format, keep the preview's first rows.

Polars is imported only when a file is read (see `columnar`).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from cohortdesk.core.importers.base import ActivityRecord, EventBatch, Skipped, one_line
from cohortdesk.core.importers.columnar import WHITESPACE, ColumnBatch
from cohortdesk.core.importers.times import KNOWN_FORMATS, Detection, FormatDetector, TimeFormat

if TYPE_CHECKING:
    import polars as pl

#: rows of the file a preview shows (the first ones)
SAMPLE_ROWS = 50


def column(frame: pl.DataFrame, index: int | None, *, strip: bool = True) -> pl.Expr:
    """The cells of column `index` of a batch ("" when there is no such column), stripped as
    `textio.cell` strips them unless `strip` is False."""
    import polars as pl

    if index is None or f"c{index}" not in frame.columns:
        return pl.lit("", dtype=pl.String)
    found = pl.col(f"c{index}")
    return found.str.strip_chars(WHITESPACE) if strip else found


#: a value `base.one_line` would change other than by its length: a whitespace character
#: other than a space, two spaces together, a space at either end
_NOT_ONE_LINE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE if c != " ") + "]|  |^ | $"


def one_line_column(text: pl.Expr, limit: int, needed: pl.Expr | None = None) -> pl.Expr:
    """`base.one_line(value, limit)` for each value of a text column; only the values that
    need it (`needed`, by default the ones `one_line` would change) go through Python."""
    import polars as pl

    if needed is None:
        needed = (text.str.len_chars() > limit) | text.str.contains(_NOT_ONE_LINE)
    long = needed
    return (
        pl.when(long)
        .then(text.map_elements(lambda value: one_line(value, limit), return_dtype=pl.String))
        .otherwise(text)
    )


def with_readings(
    frame: pl.DataFrame, name: str, read: Callable[[Any], tuple[Any, ...]], columns: dict[str, Any]
) -> pl.DataFrame:
    """`frame` with `columns` (name -> polars type): what `read` says of each distinct value
    of column `name` (a tuple, in the order of `columns`), each value read once."""
    import polars as pl

    values = frame.get_column(name).unique(maintain_order=True).to_list()
    found = [read(value) for value in values]
    data: dict[str, list[Any]] = {name: values}
    for index, field in enumerate(columns):
        data[field] = [f[index] for f in found]
    table = pl.DataFrame(data, schema={name: frame.schema[name], **columns})
    return frame.join(table, on=name, how="left", nulls_equal=True, maintain_order="left")


class EventKeys:
    """`base.KeyMaker` over a column of key texts, carried from batch to batch.

    Args:
        per_maker: when given, a fresh KeyMaker starts at the first change of `stamp` after
            this many keys (as a reader making a KeyMaker per run of times does); None: one
            KeyMaker for the whole file.
    """

    def __init__(self, per_maker: int | None = None) -> None:
        self.per_maker = per_maker
        self.seen: dict[bytes, int] = {}
        self.made = 0
        self.run_stamp: str | None = ""

    def make(self, texts: Sequence[str], stamps: Sequence[str | None] | None = None) -> list[str]:
        """The keys of `texts` (each the parts already joined with "\\x1f"), in order."""
        keys: list[str] = []
        append = keys.append
        seen, made, run_stamp = self.seen, self.made, self.run_stamp
        per_maker = self.per_maker
        blake2b = hashlib.blake2b
        moments: Iterable[str | None] = (
            stamps if stamps is not None and per_maker is not None else itertools.repeat(None)
        )
        for text, stamp in zip(texts, moments, strict=False):
            if per_maker is not None and stamp != run_stamp:
                run_stamp = stamp
                if made >= per_maker:
                    seen = {}
                    made = 0
            made += 1
            digest = blake2b(text.encode("utf-8", "replace"), digest_size=15).digest()
            count = seen.get(digest, 0)
            seen[digest] = count + 1
            append(digest.hex() if count == 0 else f"{digest.hex()}#{count}")
        self.seen, self.made, self.run_stamp = seen, made, run_stamp
        return keys


class Sampler:
    """The first `SAMPLE_ROWS` rows of a file as items, for the import's preview."""

    def __init__(self) -> None:
        self.left = SAMPLE_ROWS

    def take(self, batch: EventBatch) -> list[ActivityRecord | Skipped]:
        if self.left <= 0:
            return []
        chosen = list(itertools.islice(batch.as_items(), self.left))
        self.left -= len(chosen)
        return chosen


def scan_time_format(
    batches: Iterator[ColumnBatch],
    index: int,
    candidates: Sequence[TimeFormat] = KNOWN_FORMATS,
) -> Detection:
    """Which formats read every value of column `index`, as `FormatDetector.feed_all` finds
    with `stop_when_settled`: each batch's distinct values, in the order first met."""
    import polars as pl

    detector = FormatDetector(candidates)
    try:
        for batch in batches:
            frame = batch.frame
            if frame.height == 0 or f"c{index}" not in frame.columns:
                continue
            values = (
                frame.select("row", pl.col(f"c{index}").str.strip_chars(WHITESPACE).alias("v"))
                .filter(pl.col("v") != "")
                .unique(subset="v", keep="first", maintain_order=True)
            )
            for row, value in values.iter_rows():
                detector.feed(row, value)
                if detector.settled:
                    return detector.detection
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()
    return detector.detection
