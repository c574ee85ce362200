"""A Moodle forum export's posts as columns, and their events (see `moodle_forum` for what
becomes what).

A CSV export is read in batches of columns: every check on a post is a column operation, each
distinct date, subject and `deleted` value is read once, and the first post failing a check
refuses the file with the reason `read_post` gives for it. The posts of either flavour then
become events as column operations over all of them (a reply names the author of the post it
answers wherever that post sits in the file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cohortdesk.core.dates import is_kept, outside_reason
from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.base import EventBatch, ImportOptions, SourceFile
from cohortdesk.core.importers.columnar import WHITESPACE, read_columns
from cohortdesk.core.importers.columnar_events import (
    EventKeys,
    Sampler,
    one_line_column,
    with_readings,
)
from cohortdesk.core.importers.moodle_forum_values import (
    FIELDS,
    HTML_FORMATS,
    NUMBER,
    REQUIRED,
    SYNONYMS,
    Dates,
    Post,
    count_words,
    is_deleted,
    read_post,
    subject_line,
)
from cohortdesk.core.importers.textio import match_columns
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    import polars as pl

#: posts handed to the event writer at a time
BATCH_POSTS = 50_000
#: a whole number as `moodle_forum_values.NUMBER` reads one
_NUMBER = r"^\d{1,18}$"
_POST, _REPLY = EventKind.POST.value, EventKind.REPLY.value


@dataclass(slots=True)
class Posts:
    """The posts of an export as one frame (`row`, `post_id`, `discussion`, `parent`,
    `userid`, `fullname`, `raw_time`, `local`, `utc`, `subject`, `words`, `deleted`,
    `private_to`, `private_to_name`), and the aware moment each `raw_time` means."""

    frame: pl.DataFrame
    moment: Callable[[str], datetime]
    #: for a CSV export, each block read: its last row and how far into the file it reaches
    reach: list[tuple[int, int]] = field(default_factory=list)


_SCHEMA: dict[str, Any] = {}


def _schema() -> dict[str, Any]:
    import polars as pl

    if not _SCHEMA:
        _SCHEMA.update(
            row=pl.Int64,
            post_id=pl.Int64,
            discussion=pl.String,
            parent=pl.Int64,
            userid=pl.String,
            fullname=pl.String,
            raw_time=pl.String,
            local=pl.Datetime("us"),
            utc=pl.Datetime("us"),
            subject=pl.String,
            words=pl.Int64,
            deleted=pl.Boolean,
            private_to=pl.String,
            private_to_name=pl.String,
        )
    return _SCHEMA


def posts_frame(posts: Sequence[Post]) -> pl.DataFrame:
    """Posts read one by one (a JSON export's), as the frame `Posts` holds."""
    import polars as pl

    moments = [post.created for post in posts]
    return pl.DataFrame(
        {
            "row": [p.row for p in posts],
            "post_id": [p.post_id for p in posts],
            "discussion": [p.discussion for p in posts],
            "parent": [p.parent for p in posts],
            "userid": [p.userid for p in posts],
            "fullname": [p.fullname for p in posts],
            "raw_time": [p.created_text for p in posts],
            "local": [m.replace(tzinfo=None) for m in moments],
            "utc": [_utc(m) for m in moments],
            "subject": [p.subject for p in posts],
            "words": [p.words for p in posts],
            "deleted": [p.deleted for p in posts],
            "private_to": [p.private_to for p in posts],
            "private_to_name": [p.private_to_name for p in posts],
        },
        schema=_schema(),
    )


def _utc(moment: datetime) -> datetime | None:
    """The moment in UTC (naive), when it lies in the kept dates (else it is refused)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if is_kept(moment) else None


def csv_posts(source: SourceFile, options: ImportOptions, dates: Dates) -> Posts:
    """The posts of a CSV export, read in batches of columns.

    Raises:
        ImportRejectedError: no id, discussion, parent, userid or created column; the first
            post with a bad id, discussion, parent, user id or date.
    """
    import polars as pl

    table = read_columns(source, options.max_bytes)
    columns = match_columns(table.header, SYNONYMS)
    absent = [name for name in REQUIRED if name not in columns]
    if absent:
        raise source.reject(
            1, f"not a Moodle forum export: no {', '.join(absent)} column" + "s" * (len(absent) > 1)
        )
    moments: dict[str, datetime] = {}
    frames, reach = [], []
    for batch in table.batches:
        frames.append(_batch_posts(source, batch.frame, columns, dates, moments))
        if batch.frame.height:
            rows: list[int] = batch.frame.get_column("row").to_list()
            reach.append((rows[-1], batch.bytes_read))  # rows come in file order
    frame = pl.concat(frames) if frames else pl.DataFrame(schema=_schema())
    return Posts(frame, moments.__getitem__, reach)


def _batch_posts(
    source: SourceFile,
    frame: pl.DataFrame,
    columns: dict[str, int],
    dates: Dates,
    moments: dict[str, datetime],
) -> pl.DataFrame:
    import polars as pl

    def value(name: str) -> pl.Expr:
        """The field's cell, stripped; null when the row is too short to have it."""
        index = columns.get(name)
        if index is None or f"c{index}" not in frame.columns:
            return pl.lit(None, dtype=pl.String)
        cell = pl.col(f"c{index}").str.strip_chars(WHITESPACE)
        return pl.when(pl.col("cells") > index).then(cell)

    raw = frame.select("row", *(value(name).alias(name) for name in FIELDS))
    text = {name: pl.col(name).fill_null("") for name in FIELDS}
    number = {name: text[name].str.contains(_NUMBER) for name in FIELDS}

    def reading(created: str | None) -> tuple[datetime | None, datetime | None, bool, bool]:
        moment, local = dates.read(created or "")
        if moment is None:
            return None, None, False, False
        moments[created or ""] = moment
        return moment.replace(tzinfo=None), _utc(moment), local, True

    raw = with_readings(
        raw,
        "created",
        reading,
        {
            "local": pl.Datetime("us"),
            "utc": pl.Datetime("us"),
            "zoneless": pl.Boolean,
            "dated": pl.Boolean,
        },
    )
    raw = raw.with_columns(_whole(raw, "id").alias("post_id"))
    bad = (
        ~number["id"]
        | (pl.col("post_id") == 0)
        | ~number["discussion"]
        | ~number["parent"]
        | ((text["userid"] != "") & ~number["userid"])
        | ((text["privatereplyto"] != "") & ~number["privatereplyto"])
        | ~pl.col("dated")
    )
    wrong = raw.filter(bad)
    if wrong.height:
        row, *values = wrong.select("row", *FIELDS).row(0)
        read_post(source, row, tuple(values), dates)  # raises, saying why
        raise source.reject(row, "the post cannot be read")
    dates.local_count += int(raw.get_column("zoneless").sum() or 0)
    raw = with_readings(
        raw, "subject", lambda t: (subject_line(t or ""),), {"subject_line": pl.String}
    )
    raw = with_readings(
        raw, "deleted", lambda t: (is_deleted(t or ""),), {"is_deleted": pl.Boolean}
    )
    given = number["wordcount"] & (text["wordcount"] != "")
    counted = raw.filter(~given & pl.col("message").is_not_null())
    words = [
        count_words(message, html_text=(fmt or "") in HTML_FORMATS)
        for message, fmt in counted.select("message", "messageformat").iter_rows()
    ]
    raw = raw.join(
        counted.select("row", pl.Series("counted", words, dtype=pl.Int64)),
        on="row",
        how="left",
        maintain_order="left",
    )
    return raw.select(
        "row",
        "post_id",
        _whole(raw, "discussion").cast(pl.String).alias("discussion"),
        _whole(raw, "parent").alias("parent"),
        _id(text["userid"]).alias("userid"),
        one_line_column(text["userfullname"], 200).alias("fullname"),
        text["created"].alias("raw_time"),
        "local",
        "utc",
        pl.col("subject_line").alias("subject"),
        pl.when(given).then(_whole(raw, "wordcount")).otherwise(pl.col("counted")).alias("words"),
        pl.col("is_deleted").alias("deleted"),
        _id(text["privatereplyto"]).alias("private_to"),
        one_line_column(text["privatereplytofullname"], 200).alias("private_to_name"),
    )


def _whole(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A column of numbers (as `_NUMBER` reads them) as integers, whatever digits they use;
    null where the text is no such number."""
    import polars as pl

    text = pl.col(name).fill_null("")
    if frame.select(text.str.contains("[^0-9]").any()).item():
        return text.map_elements(
            lambda t: int(t) if NUMBER.fullmatch(t) else None, return_dtype=pl.Int64
        )
    return text.cast(pl.Int64, strict=False)


def _id(text: pl.Expr) -> pl.Expr:
    """A user id, "" when it is none (0 or empty)."""
    import polars as pl

    return pl.when(text.str.strip_chars("0") == "").then(pl.lit("")).otherwise(text)


class ForumEvents:
    """All the posts of an export turned into batches of events and skipped posts.

    The batches follow the blocks the file was read in (`Posts.reach`), each saying how far
    into the file its posts reach, so that an import's progress advances with the share of
    the file done, as for the other tabular formats; a JSON export, read whole, is cut every
    `BATCH_POSTS` posts, each batch reaching the share of the file its posts make.
    """

    def __init__(self, source: SourceFile, posts: Posts, size: int) -> None:
        self.source = source
        self.posts = posts.frame
        self.moment = posts.moment
        self.reach = posts.reach
        self.size = size

    def batches(self) -> Iterator[EventBatch]:
        """The events in file order, `BATCH_POSTS` posts at a time.

        Raises:
            ImportRejectedError: the first event dated outside the dates cohortdesk keeps.
        """
        import polars as pl

        posts = self._with_parents(self.posts)
        reason = (
            pl.when(~pl.col("post_id").is_first_distinct())
            .then(pl.lit("post repeated in the file"))
            .when(pl.col("deleted"))
            .then(pl.lit("deleted post"))
            .when(pl.col("userid") == "")
            .then(pl.lit("post by no user"))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
        posts = posts.with_columns(reason.alias("reason"))
        events = self._events(posts.filter(pl.col("reason").is_null()))
        outside = events.filter(
            (pl.col("local").dt.year() < 1900) | (pl.col("local").dt.year() > 2200)
        )
        if outside.height:
            row, raw_time = outside.select("row", "raw_time").row(0)
            raise self.source.reject(row, outside_reason(self.moment(raw_time)))
        skipped = posts.filter(pl.col("reason").is_not_null()).select(
            "row", "reason", (pl.col("reason") == "post by no user").alias("unattributed")
        )
        sampler = Sampler()
        for first, last, reached in self._parts(posts):
            within = pl.col("row").is_between(first, last)
            found = EventBatch(events.filter(within), skipped.filter(within), reached, self.moment)
            found.sample = sampler.take(found)
            yield found

    def _parts(self, posts: pl.DataFrame) -> Iterator[tuple[int, int, int]]:
        """(first row, last row, bytes of the file reached) of each batch, in file order."""
        if self.reach:
            first = 0
            for last, reached in self.reach:
                yield first, last, reached
                first = last + 1
            return
        rows: list[int] = posts.get_column("row").to_list()
        if not rows:
            yield 0, 0, self.size
        for start in range(0, len(rows), BATCH_POSTS):
            end = min(start + BATCH_POSTS, len(rows))
            yield rows[start], rows[end - 1], self.size * end // len(rows)

    def _with_parents(self, posts: pl.DataFrame) -> pl.DataFrame:
        """`posts` with the author of each one's parent (`parent_userid`, `parent_name`:
        the first post with that id), noting replies to posts not in the file."""
        import polars as pl

        first = posts.unique("post_id", keep="first", maintain_order=True).select(
            pl.col("post_id").alias("parent"),
            pl.col("userid").alias("parent_userid"),
            pl.col("fullname").alias("parent_name"),
            pl.lit(True).alias("parent_found"),
        )
        posts = posts.join(first, on="parent", how="left", maintain_order="left")
        missing = posts.filter(
            (pl.col("parent") != 0)
            & pl.col("parent_found").is_null()
            & (pl.col("userid") != "")
            & ~((pl.col("private_to") != "") | pl.col("deleted"))
        ).height
        if missing:
            self.source.note(
                f"{plural(missing, 'reply answers a post', 'replies answer posts')} "
                "not in this file; imported without saying whom they answer."
            )
        return posts

    def _events(self, posts: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        private = pl.col("private_to") != ""
        started = pl.col("parent") == 0
        answers_parent = ~private & ~started & (pl.col("parent_userid").fill_null("") != "")
        none = pl.lit(None, dtype=pl.String)
        keys = EventKeys().make(
            [f"post\x1f{post_id}" for post_id in posts.get_column("post_id").to_list()]
        )
        return posts.select(
            "row",
            pl.col("userid").alias("source_id"),
            pl.when(pl.col("fullname") != "")
            .then(pl.col("fullname"))
            .otherwise(none)
            .alias("name"),
            none.alias("email"),
            "local",
            "utc",
            pl.when(~private & started).then(pl.lit(_POST)).otherwise(pl.lit(_REPLY)).alias("kind"),
            pl.Series("key", keys, dtype=pl.String),
            pl.col("discussion").alias("thread"),
            pl.col("words").alias("word_count"),
            pl.col("subject").alias("detail"),
            "raw_time",
            pl.when(private)
            .then(pl.col("private_to"))
            .when(answers_parent)
            .then(pl.col("parent_userid"))
            .otherwise(none)
            .alias("replied_source_id"),
            pl.when(private & (pl.col("private_to_name") != ""))
            .then(pl.col("private_to_name"))
            .when(answers_parent & (pl.col("parent_name") != ""))
            .then(pl.col("parent_name"))
            .otherwise(none)
            .alias("replied_name"),
            none.alias("replied_email"),
        )
