"""Batches of a Moodle Logs report's columns turned into events and skipped rows, every
test on a row a column operation (see `moodle_log` for what the rows mean)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cohortdesk.core.importers.base import EventBatch, SourceFile
from cohortdesk.core.importers.columnar import ColumnBatch, ColumnTimes
from cohortdesk.core.importers.columnar_events import (
    EventKeys,
    Sampler,
    column,
    one_line_column,
)
from cohortdesk.core.importers.moodle_kinds import (
    NOBODY_IDS,
    clean_name,
    kind_columns,
    user_id_column,
)
from cohortdesk.core.importers.moodle_log_header import LogColumns
from cohortdesk.core.importers.moodle_staff import StaffTally
from cohortdesk.core.importers.times import TimeFormat

if TYPE_CHECKING:
    import polars as pl

DETAIL_LIMIT = 120
#: keys made by one KeyMaker before the next change of time starts a fresh one
KEYS_PER_MAKER = 4_096
GUEST_REASON = "names nobody: a guest or someone not logged in"


class BatchReader:
    """Turns batches of the report's columns into events and skipped rows."""

    def __init__(
        self,
        source: SourceFile,
        columns: LogColumns,
        fmt: TimeFormat,
        zone: ZoneInfo,
        staff: StaffTally,
    ) -> None:
        self.source = source
        self.columns = columns
        self.times = ColumnTimes(fmt, zone, lambda raw: unreadable(raw, fmt))
        self.staff = staff
        self.logged_as = 0
        self.names: dict[str, tuple[str | None, bool]] = {}
        self.sampler = Sampler()
        # event keys: a KeyMaker per run of times, fresh after `KEYS_PER_MAKER` keys
        self.keys = EventKeys(KEYS_PER_MAKER)

    def read(self, batch: ColumnBatch) -> EventBatch:
        import polars as pl

        frame = batch.frame
        c = self.columns
        frame = frame.select(
            pl.col("row"),
            column(frame, c.description).alias("description"),
            column(frame, c.event).alias("event"),
            column(frame, c.name).alias("raw_name"),
            column(frame, c.context).alias("context"),
            column(frame, c.time, strip=False).alias("raw_time"),
        )
        d = pl.col("description")
        frame = frame.with_columns(user_id_column(d).alias("uid"))
        frame = self._with_names(frame)
        nobody = pl.col("uid").is_in(list(NOBODY_IDS))
        anonymous = pl.col("uid").is_null() & pl.col("name").is_null()
        frame = frame.with_columns(
            pl.when(nobody)
            .then(pl.lit(GUEST_REASON))
            .when(anonymous)
            .then(
                pl.lit("names nobody: ")
                + pl.when(pl.col("event") == "")
                .then(pl.lit("an unnamed event"))
                .otherwise(pl.col("event"))
            )
            .otherwise(pl.lit(None, dtype=pl.String))
            .alias("nobody")
        )
        self.staff.count(frame.filter(pl.col("nobody").is_null()))
        frame = frame.with_columns(kind_columns(d, pl.col("event")))
        frame = frame.with_columns(
            pl.when(pl.col("nobody").is_not_null())
            .then(pl.col("nobody"))
            .when(pl.col("kind").is_not_null())
            .then(pl.lit(None, dtype=pl.String))
            .when(pl.col("posted"))
            .then(pl.lit("duplicate notice of a post"))
            .otherwise(
                (
                    pl.lit("not participation: ")
                    + pl.when(pl.col("event") != "")
                    .then(pl.col("event"))
                    .when(d.str.slice(0, 60) != "")
                    .then(d.str.slice(0, 60))
                    .otherwise(pl.lit("an unnamed event"))
                ).str.slice(0, DETAIL_LIMIT)
            )
            .alias("reason")
        )
        self.staff.tally(frame.filter(pl.col("reason").is_not_null() & pl.col("nobody").is_null()))
        skipped = frame.filter(pl.col("reason").is_not_null()).select(
            "row", "reason", pl.col("nobody").is_not_null().alias("unattributed")
        )
        events = frame.filter(pl.col("reason").is_null())
        events = self.times.read(self.source, events)
        events = self._finish_events(events)
        found = EventBatch(events, skipped, batch.bytes_read, self.times.aware)
        found.sample = self.sampler.take(found)
        return found

    def _with_names(self, frame: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        raw = frame.get_column("raw_name").unique(maintain_order=True).to_list()
        for value in raw:
            if value not in self.names:
                self.names[value] = clean_name(value)
        known = [(r, *self.names[r]) for r in raw]
        lookup = pl.DataFrame(
            {
                "raw_name": [k[0] for k in known],
                "name": [k[1] for k in known],
                "as_other": [k[2] for k in known],
            },
            schema={"raw_name": pl.String, "name": pl.String, "as_other": pl.Boolean},
        )
        return frame.join(lookup, on="raw_name", how="left", maintain_order="left")

    def _finish_events(self, events: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        self.logged_as += int(events.get_column("as_other").sum() or 0)
        context = pl.col("context")
        detail = (
            pl.when(context != "")
            .then(pl.col("event") + pl.lit(": ") + context)
            .otherwise(pl.col("event"))
        )
        events = events.with_columns(
            detail.alias("detail"),
            pl.when(pl.col("uid").is_not_null())
            .then(pl.col("uid"))
            .otherwise(pl.lit("name:") + pl.col("name"))
            .alias("actor"),
        )
        detail = pl.col("detail")
        needed = (detail.str.len_chars() > DETAIL_LIMIT) | detail.str.contains("[\r\n]")
        events = events.with_columns(one_line_column(detail, DETAIL_LIMIT, needed).alias("detail"))
        # a digest of time, person and Description
        texts = events.select(
            pl.concat_str(
                [pl.col("stamp"), pl.col("actor"), pl.col("description")], separator="\x1f"
            )
        ).to_series()
        keys = self.keys.make(texts.to_list(), events.get_column("stamp").to_list())
        events = events.with_columns(pl.Series("key", keys, dtype=pl.String))
        return events.select(
            "row",
            pl.col("uid").alias("source_id"),
            "name",
            pl.lit(None, dtype=pl.String).alias("email"),
            "local",
            "utc",
            "kind",
            "key",
            "thread",
            pl.lit(None, dtype=pl.Int64).alias("word_count"),
            "detail",
            "raw_time",
        )


def unreadable(raw: str, fmt: TimeFormat) -> str:
    raw = raw.strip()
    if not raw:
        return "the Time column is empty"
    return (
        f"the time {raw[:40]!r} is not {fmt.description} like the rows before it; give the "
        "format with --time-format"
    )
