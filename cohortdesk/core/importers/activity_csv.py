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

from cohortdesk.core.enums import EventKind
from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    KeyMaker,
    PersonKey,
    Skipped,
    SourceFile,
    one_line,
)
from cohortdesk.core.importers.textio import cell, normalise_header, read_csv
from cohortdesk.core.importers.times import (
    UNIX_SECONDS,
    FormatDetector,
    TimeFormat,
    TimeReader,
    strptime_format,
)
from cohortdesk.core.text import plural

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
    """The file's rows as activity records, read through `options.mapping`.

    Raises:
        ImportRejectedError: no or a bad mapping, no kind, a column that does not exist,
            times in no known format or in two possible ones, an unknown kind word.
    """
    mapping = _checked_mapping(source, options.mapping)
    table = read_csv(source, options.max_bytes)
    plan = _plan(source, table.header, mapping, options.kind)
    fmt = _time_format(source, options, plan.when)
    yield from _items(source, table.rows, plan, TimeReader(fmt, options.timezone))


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
    table = read_csv(source, options.max_bytes)
    rows = table.rows
    try:
        found = FormatDetector().feed_all(
            ((row, cell(cells, column)) for row, cells in rows), stop_when_settled=True
        )
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
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


def _items(
    source: SourceFile,
    rows: Iterator[tuple[int, list[str]]],
    plan: _Plan,
    read_time: TimeReader,
) -> Iterator[ImportItem]:
    keys = KeyMaker()
    people: dict[str, PersonKey] = {}
    kinds: dict[str, EventKind | None] = {}
    self_replies = 0
    for row, cells in rows:
        who_text = cell(cells, plan.who)
        if not who_text:
            yield Skipped(row, "names nobody (the who column is empty)", unattributed=True)
            continue
        who = people.get(who_text)
        if who is None:
            who = people[who_text] = person_key(who_text)

        kind_text = cell(cells, plan.kind) if plan.kind is not None else ""
        kind = plan.default_kind
        if kind_text:
            if kind_text not in kinds:
                kinds[kind_text] = kind_for(kind_text)
            kind = kinds[kind_text]
            if kind is None:
                raise source.reject(
                    row,
                    f"the kind {kind_text[:40]!r} is not one cohortdesk knows: use {_KINDS_TEXT} "
                    "(or words like comment, thread, like, visit)",
                )
        if kind is None:
            raise source.reject(row, "the kind column is empty")

        raw_time = cell(cells, plan.when)
        when = read_time(raw_time)
        if when is None:
            if not raw_time:
                raise source.reject(row, "the time is empty")
            raise source.reject(
                row,
                f"the time {raw_time[:40]!r} is not {read_time.fmt.description} like the "
                "rest of the column",
            )

        replied_text = cell(cells, plan.replied_to) if plan.replied_to is not None else ""
        replied_to: PersonKey | None = None
        if replied_text:
            replied_to = people.get(replied_text)
            if replied_to is None:
                replied_to = people[replied_text] = person_key(replied_text)
            if replied_to == who:
                replied_to = None
                self_replies += 1
        thread = cell(cells, plan.thread) if plan.thread is not None else ""
        yield ActivityRecord(
            row=row,
            who=who,
            occurred_at=when[0],
            kind=kind,
            key=keys.make(
                when[1],
                who_text,
                kind_text and kind.value,
                thread,
                replied_text,
            ),
            thread=thread or None,
            replied_to=replied_to,
            detail=_detail(kind, replied_to, replied_text, thread),
        )
    if self_replies:
        rows_text = plural(self_replies, "row answers", "rows answer")
        source.note(f"{rows_text} its own author: kept, without a reply link.")


def _detail(kind: EventKind, replied_to: PersonKey | None, replied: str, thread: str) -> str:
    text = kind.value
    if replied_to is not None:
        text += f" to {replied}"
    if thread:
        text += f" in thread {thread}"
    return one_line(text, _DETAIL_LIMIT)
