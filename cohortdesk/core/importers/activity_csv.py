"""Any activity CSV, read through a column mapping the user gives (the fallback format).

The mapping (`options.mapping`, or `who=COL,when=COL,...` on the command line, see
`parse_mapping`) says which column holds who did something, when, what kind of thing, whom it
answered and in which thread. Columns are named by header (ignoring case, accents, spacing and
punctuation) or by 1-based number.

- `who` and `replied_to` may hold an email (matched by email), a platform id (digits, or a
  token without spaces that has a digit or an underscore, such as `U024BE7LH`: matched by id)
  or a name (anything else: matched by name).
- The kind comes from a `kind` column (`comment` and `answer` are replies, `thread` and
  `topic` are posts, `like` is a reaction...) or from `options.kind` for every row; with both,
  the column wins and `options.kind` fills its empty cells. `kind=reply` in a mapping, when no
  column is called "reply", also means "every row is a reply".
- Times: `options.time_format` when given, else the format is worked out from the whole
  column in a first pass over the file (ISO 8601, Unix seconds, d/m/y or m/d/y); when two
  formats read every value (all days <= 12) the import is refused rather than guessed.
- A reply to oneself is kept, without a reply link (it is not an edge of the reply network).

Event keys are made from the mapped parts (time as read, who, replied-to, thread, and the kind
when a column gives it), so re-importing the same file with another time zone or `--kind`
inserts nothing new; identical rows are distinct events (`#n`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cohortdesk.core.enums import EventKind
from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.base import (
    EventBatch,
    ImportItem,
    ImportOptions,
    PersonKey,
    SourceFile,
)
from cohortdesk.core.importers.columnar import ColumnBatch, ColumnTimes, read_columns
from cohortdesk.core.importers.columnar_events import (
    EventKeys,
    Sampler,
    column,
    one_line_column,
    scan_time_format,
)
from cohortdesk.core.importers.textio import normalise_header
from cohortdesk.core.importers.times import UNIX_SECONDS, TimeFormat, strptime_format
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    import polars as pl

FORMAT = "activity-csv"
IDENTITY_SOURCE = "external"
UNNAMED_LABEL = "Participant"

#: what a mapping may name, and the two it must name
MAPPING_KEYS = ("who", "when", "kind", "replied_to", "thread")
REQUIRED_KEYS = ("who", "when")
_KEY_ALIASES = {"repliedto": "replied_to", "replyto": "replied_to", "reply_to": "replied_to"}

_WORDS: dict[EventKind, tuple[str, ...]] = {
    EventKind.LOGIN: ("log in", "logged in", "logon", "sign in", "signed in", "access", "session"),
    EventKind.VIEW: ("viewed", "visit", "visited", "open", "opened", "read", "page view", "seen"),
    EventKind.POST: (
        "posted",
        "thread",
        "topic",
        "new thread",
        "new topic",
        "discussion",
        "started",
        "created",
    ),
    EventKind.REPLY: (
        "replied",
        "comment",
        "commented",
        "answer",
        "answered",
        "response",
        "respond",
        "responded",
    ),
    EventKind.REACTION: ("react", "reacted", "like", "liked", "upvote", "vote", "kudos", "emoji"),
    EventKind.SHARE: ("shared", "reshare", "repost", "retweet", "forward", "forwarded"),
    EventKind.ATTEND: ("attended", "attendance", "present", "check in", "checked in"),
    EventKind.SUBMIT: ("submitted", "submission", "upload", "uploaded", "hand in", "turn in"),
}
#: kind words, normalised like headers ("Page view" -> "pageview"), to the kind they mean
KIND_WORDS: dict[str, EventKind] = {
    normalise_header(word): kind for kind, words in _WORDS.items() for word in (kind.value, *words)
}
_KINDS_TEXT = ", ".join(kind.value for kind in EventKind)

_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
_SPACE = re.compile(r"\s")
_DETAIL_LIMIT = 120


def kind_for(word: str) -> EventKind | None:
    """The event kind a word means ("Comment" -> reply), or None when it means none."""
    return KIND_WORDS.get(normalise_header(word))


def person_key(text: str) -> PersonKey:
    """How a cell names someone: an email, a platform id or a name (see the module notes).

    Args:
        text: a non-empty cell.
    """
    text = text.strip()
    if _EMAIL.fullmatch(text):
        return PersonKey(email=text.casefold())
    if _SPACE.search(text) is None and any(c.isdigit() or c == "_" for c in text):
        return PersonKey(source_id=text)
    return PersonKey(name=" ".join(text.split()))


def parse_mapping(text: str) -> dict[str, str]:
    """Read the command-line mapping `who=COL,when=COL[,kind=COL][,replied_to=COL][,thread=COL]`.

    A column is a header name or a 1-based column number; a name holding a comma or an equals
    sign can be quoted (`thread="Topic, week"`).

    Raises:
        KnownError: a part without `=`, an unknown key, a key given twice, an empty column,
            or no `who` or `when`.
    """
    mapping: dict[str, str] = {}
    for part in _split_unquoted(text):
        if not part.strip():
            continue
        key_text, equals, value = part.partition("=")
        if not equals:
            raise KnownError(
                f"Mapping part {part.strip()!r} has no '=': write KEY=COLUMN, e.g. who=Sender"
            )
        key = key_text.strip().casefold().replace("-", "_").replace(" ", "_")
        key = _KEY_ALIASES.get(key, key)
        if key not in MAPPING_KEYS:
            raise KnownError(
                f"Unknown mapping key {key_text.strip()!r}: use {', '.join(MAPPING_KEYS)}"
            )
        column = _unquote(value.strip())
        if not column:
            raise KnownError(f"The mapping gives no column for {key!r}")
        if key in mapping:
            raise KnownError(f"The mapping gives {key!r} twice")
        mapping[key] = column
    missing = [key for key in REQUIRED_KEYS if key not in mapping]
    if missing:
        raise KnownError(
            f"The mapping needs {' and '.join(missing)}: which column says who did something "
            "and which says when (e.g. who=Sender,when=Timestamp)"
        )
    return mapping


def _split_unquoted(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
            current.append(char)
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if quote:
        raise KnownError(f"The mapping {text!r} has an unclosed quote")
    parts.append("".join(current))
    return parts


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def detect(name: str, head: bytes) -> bool:
    """Never: activity-csv is chosen explicitly (it is the fallback for any other CSV)."""
    del name, head
    return False


@dataclass(frozen=True, slots=True)
class _Plan:
    who: int
    when: int
    kind: int | None
    replied_to: int | None
    thread: int | None
    default_kind: EventKind | None


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The file's rows as activity records, read through `options.mapping`:
    `parse_batches` read row by row, for callers that want items.

    Raises:
        ImportRejectedError: no or a bad mapping, no kind, a column that does not exist,
            times in no known format or in two possible ones, an unknown kind word.
    """
    for batch in parse_batches(source, options):
        yield from batch.as_items()


def parse_batches(source: SourceFile, options: ImportOptions) -> Iterator[EventBatch]:
    """The file's rows in batches of columns (`EventBatch`), every test on a row a column
    operation.

    Raises:
        ImportRejectedError: as `parse` does; for a bad row, the first one in the file.
    """
    table = read_columns(source, options.max_bytes)
    check_header(source, table.header)
    mapping = _checked_mapping(source, options.mapping)
    plan = _plan(source, table.header, mapping, options.kind)
    fmt = _time_format(source, options, plan.when)
    reader = _BatchReader(source, plan, fmt, options.timezone)
    for batch in table.batches:
        yield reader.read(batch)
    if reader.self_replies:
        rows_text = plural(reader.self_replies, "row answers", "rows answer")
        source.note(f"{rows_text} its own author: kept, without a reply link.")


def check_header(source: SourceFile, header: list[str]) -> None:
    """Refuse a file that is no table: activity needs at least a who and a when column.

    Raises:
        ImportRejectedError: its first row holds fewer than two named columns (a PDF, a
            document or a cut-off header read as text).
    """
    named = [name for name in header if name.strip()]
    if len(named) < 2:
        first = repr(named[0][:40]) if named else "nothing"
        raise source.reject(
            1,
            f"this is not a table of activity: its first row holds one column ({first}), and "
            "an activity file needs at least a column for who and one for when",
        )


def _checked_mapping(source: SourceFile, mapping: Mapping[str, str] | None) -> dict[str, str]:
    if not mapping:
        raise source.reject(
            None,
            "activity-csv needs a column mapping: which column says who did something and "
            "which says when (e.g. who=Sender,when=Timestamp)",
        )
    unknown = sorted(key for key in mapping if key not in MAPPING_KEYS)
    if unknown:
        raise source.reject(
            None,
            f"unknown mapping key {unknown[0]!r}: use {', '.join(MAPPING_KEYS)}",
        )
    missing = [key for key in REQUIRED_KEYS if not str(mapping.get(key) or "").strip()]
    if missing:
        raise source.reject(None, f"the column mapping needs {' and '.join(missing)}")
    return {key: str(value).strip() for key, value in mapping.items() if str(value).strip()}


def _column(header: list[str], wanted: str) -> int | None:
    target = normalise_header(wanted)
    for index, name in enumerate(header):
        if normalise_header(name) == target and target:
            return index
    if wanted.isascii() and wanted.isdigit() and 1 <= int(wanted) <= len(header):
        return int(wanted) - 1
    return None


def _plan(
    source: SourceFile,
    header: list[str],
    mapping: dict[str, str],
    default_kind: EventKind | None,
) -> _Plan:
    shown = ", ".join(header[:20]) or "none"
    found: dict[str, int] = {}
    for key in MAPPING_KEYS:
        wanted = mapping.get(key)
        if wanted is None:
            continue
        index = _column(header, wanted)
        if index is None and key == "kind" and kind_for(wanted) is not None:
            default_kind = kind_for(wanted)
            source.note(f"No column is called {wanted!r}: every row was read as a {default_kind}.")
            continue
        if index is None:
            raise source.reject(1, f"no column {wanted!r} for {key} (the columns are: {shown})")
        found[key] = index
    if "kind" not in found and default_kind is None:
        raise source.reject(
            None,
            "the file's rows have no kind: map a column that says what each row is "
            f"(kind=COLUMN) or choose one kind for every row ({_KINDS_TEXT})",
        )
    return _Plan(
        who=found["who"],
        when=found["when"],
        kind=found.get("kind"),
        replied_to=found.get("replied_to"),
        thread=found.get("thread"),
        default_kind=default_kind,
    )


def _time_format(source: SourceFile, options: ImportOptions, column: int) -> TimeFormat:
    """The format of the `when` column, from a first pass over the whole file."""
    if options.time_format:
        return strptime_format(options.time_format)
    found = scan_time_format(read_columns(source, options.max_bytes).batches, column)
    if not found.fitting:
        row = found.emptied_by[0] if found.emptied_by else None
        raise source.reject(row, found.unfit_reason())
    if len(found.fitting) > 1 and found.values:
        row = (found.ambiguous or found.first or (None, ""))[0]
        raise source.reject(row, found.ambiguity_reason())
    chosen = found.fitting[0]
    if found.values and found.first is not None:
        label = found.label(chosen)
        named = (
            chosen.description if label == chosen.description else f"{chosen.description} ({label})"
        )
        zone = "" if chosen is UNIX_SECONDS else f"; times without a zone as {options.timezone.key}"
        source.note(f"Times were read as {named}, e.g. {found.first[1]!r}{zone}.")
    return chosen


_NOBODY = "names nobody (the who column is empty)"


class _BatchReader:
    """Turns batches of the file's columns into events and rows naming nobody."""

    def __init__(self, source: SourceFile, plan: _Plan, fmt: TimeFormat, zone: ZoneInfo) -> None:
        self.source = source
        self.plan = plan
        self.times = ColumnTimes(fmt, zone, lambda raw: _unreadable(raw, fmt))
        self.keys = EventKeys()
        self.sampler = Sampler()
        self.people: dict[str, PersonKey] = {}
        self.kinds: dict[str, EventKind | None] = {}
        self.self_replies = 0

    def read(self, batch: ColumnBatch) -> EventBatch:
        import polars as pl

        frame = batch.frame
        plan = self.plan
        frame = frame.select(
            "row",
            column(frame, plan.who).alias("who_text"),
            column(frame, plan.kind).alias("kind_text"),
            column(frame, plan.when).alias("raw_time"),
            column(frame, plan.replied_to).alias("replied_text"),
            column(frame, plan.thread).alias("thread_text"),
        )
        named = pl.col("who_text") != ""
        skipped = frame.filter(~named).select(
            "row",
            pl.lit(_NOBODY).alias("reason"),
            pl.lit(True).alias("unattributed"),
        )
        rows = self._with_kinds(frame.filter(named))
        wrong = rows.filter(pl.col("kind").is_null())
        if wrong.height:
            row, kind_text = wrong.select("row", "kind_text").row(0)
            self.times.read(self.source, rows.filter(pl.col("row") < row))
            raise self.source.reject(row, _kind_problem(kind_text))
        events = self.times.read(self.source, rows)
        events = self._finish(self._with_people(events))
        found = EventBatch(events, skipped, batch.bytes_read, self.times.aware)
        found.sample = self.sampler.take(found)
        return found

    def _with_kinds(self, rows: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        texts = rows.get_column("kind_text").unique(maintain_order=True).to_list()
        kinds = self.kinds
        for text in texts:
            if text and text not in kinds:
                kinds[text] = kind_for(text)
        default = self.plan.default_kind
        lookup = pl.DataFrame(
            {
                "kind_text": texts,
                "kind": [_value(kinds[t] if t else default) for t in texts],
            },
            schema={"kind_text": pl.String, "kind": pl.String},
        )
        return rows.join(lookup, on="kind_text", how="left", maintain_order="left")

    def _with_people(self, events: pl.DataFrame) -> pl.DataFrame:
        """`source_id`, `name`, `email` for who, and `replied_*` for whom a row answers
        (none for a row answering its own author, as `person_key` reads each cell)."""
        import polars as pl

        texts = (
            pl.concat([events.get_column("who_text"), events.get_column("replied_text")])
            .unique(maintain_order=True)
            .to_list()
        )
        people = self.people
        for text in texts:
            if text and text not in people:
                people[text] = person_key(text)
        known = [(t, people[t]) for t in texts if t]
        schema = {"text": pl.String, "source_id": pl.String, "name": pl.String, "email": pl.String}
        lookup = pl.DataFrame(
            {
                "text": [t for t, _ in known],
                "source_id": [k.source_id for _, k in known],
                "name": [k.name for _, k in known],
                "email": [k.email for _, k in known],
            },
            schema=schema,
        )
        replied = lookup.rename(
            {
                "text": "replied_text",
                "source_id": "replied_source_id",
                "name": "replied_name",
                "email": "replied_email",
            }
        )
        events = events.join(
            lookup.rename({"text": "who_text"}), on="who_text", how="left", maintain_order="left"
        ).join(replied, on="replied_text", how="left", maintain_order="left")
        own = (
            (pl.col("replied_text") != "")
            & pl.col("replied_source_id").eq_missing(pl.col("source_id"))
            & pl.col("replied_name").eq_missing(pl.col("name"))
            & pl.col("replied_email").eq_missing(pl.col("email"))
        )
        self.self_replies += int(events.select(own.sum()).item())
        none = pl.lit(None, dtype=pl.String)
        return events.with_columns(
            *(
                pl.when(own).then(none).otherwise(pl.col(name)).alias(name)
                for name in ("replied_source_id", "replied_name", "replied_email")
            ),
            own.alias("own"),
        )

    def _finish(self, events: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        kind, thread, replied = pl.col("kind"), pl.col("thread_text"), pl.col("replied_text")
        answers = (replied != "") & ~pl.col("own")
        detail = (
            kind
            + pl.when(answers).then(pl.lit(" to ") + replied).otherwise(pl.lit(""))
            + pl.when(thread != "").then(pl.lit(" in thread ") + thread).otherwise(pl.lit(""))
        )
        # the mapped parts: time as read, who, the kind when a column gives it, thread, replied-to
        texts = events.select(
            pl.concat_str(
                [
                    pl.col("stamp"),
                    pl.col("who_text"),
                    pl.when(pl.col("kind_text") != "").then(kind).otherwise(pl.lit("")),
                    thread,
                    replied,
                ],
                separator="\x1f",
            )
        ).to_series()
        keys = self.keys.make(texts.to_list())
        return events.select(
            "row",
            "source_id",
            "name",
            "email",
            "local",
            "utc",
            "kind",
            pl.Series("key", keys, dtype=pl.String),
            pl.when(thread != "")
            .then(thread)
            .otherwise(pl.lit(None, dtype=pl.String))
            .alias("thread"),
            pl.lit(None, dtype=pl.Int64).alias("word_count"),
            one_line_column(detail, _DETAIL_LIMIT).alias("detail"),
            "raw_time",
            "replied_source_id",
            "replied_name",
            "replied_email",
        )


def _value(kind: EventKind | None) -> str | None:
    return None if kind is None else kind.value


def _kind_problem(kind_text: str) -> str:
    if not kind_text:
        return "the kind column is empty"
    return (
        f"the kind {kind_text[:40]!r} is not one cohortdesk knows: use {_KINDS_TEXT} "
        "(or words like comment, thread, like, visit)"
    )


def _unreadable(raw: str, fmt: TimeFormat) -> str:
    if not raw:
        return "the time is empty"
    return f"the time {raw[:40]!r} is not {fmt.description} like the rest of the column"
