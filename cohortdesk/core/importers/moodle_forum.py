"""Moodle forum export (mod_forum "Export"), as CSV or as JSON.

The export holds one record per post with the columns `id, discussion, parent, userid,
userfullname, created, modified, mailed, subject, message, messageformat, messagetrust,
attachment, totalscore, mailnow, deleted, privatereplyto, privatereplytofullname, wordcount,
charcount`; the JSON flavour is an array of objects with those keys (values as strings or
numbers). Every post is read before anything is yielded, so a reply can name the author of the
post it answers wherever that post sits in the file (a forum export is at most tens of
thousands of small records; only what is needed of each is kept, never the message).

What becomes what:

- `parent = 0` -> `post` (it starts the discussion); otherwise -> `reply`, `replied_to` the
  parent post's author. A private reply (`privatereplyto` set) answers that person. A parent
  not in the file (an export limited by date) still makes a reply, without whom it answers.
- `deleted = 1` -> `Skipped("deleted post")`, but the post stays in the tree so its replies
  still know whom they answered.
- no `userid` (or 0) -> `Skipped(..., unattributed=True)`; a post id met twice in one file
  (two exports pasted together) is skipped the second time.

`wordcount` is used when given; when empty it is counted from `message`, with tags stripped and
entities decoded for Moodle's HTML formats (0 and 1). `detail` is the subject, never the message.

`created` is a Unix time (UTC) or, when the export asked for human-readable dates, text such as
"Tuesday, 3 December 2024, 5:09 PM" in the exporting user's zone (`ImportOptions.timezone`).
The key of each event is the post id, which Moodle never reuses, so a later export that
overlaps this one gives the same keys.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    KeyMaker,
    PersonKey,
    Skipped,
    SourceFile,
    aware,
    one_line,
)
from cohortdesk.core.importers.jsonio import load_json
from cohortdesk.core.importers.textio import (
    decode_head,
    match_columns,
    normalise_header,
    read_csv,
)
from cohortdesk.core.text import plural

FORMAT = "moodle-forum"
IDENTITY_SOURCE = "moodle"
UNNAMED_LABEL = "Moodle user"

DETAIL_MAX = 120

#: the columns read, in the order `_Values` holds them
_FIELDS = (
    "id",
    "discussion",
    "parent",
    "userid",
    "userfullname",
    "created",
    "subject",
    "message",
    "messageformat",
    "deleted",
    "privatereplyto",
    "privatereplytofullname",
    "wordcount",
)
(
    _ID,
    _DISCUSSION,
    _PARENT,
    _USERID,
    _FULLNAME,
    _CREATED,
    _SUBJECT,
    _MESSAGE,
    _MESSAGEFORMAT,
    _DELETED,
    _PRIVATE_TO,
    _PRIVATE_TO_NAME,
    _WORDCOUNT,
) = range(len(_FIELDS))
_REQUIRED = ("id", "discussion", "parent", "userid", "created")
_SYNONYMS: Mapping[str, tuple[str, ...]] = {name: (name,) for name in _FIELDS}
_DETECT_KEYS = frozenset({"discussion", "parent", "userid", "created"})

#: Moodle's FORMAT_MOODLE (0) and FORMAT_HTML (1) hold HTML; 2 is plain text, 4 Markdown
_HTML_FORMATS = frozenset({"", "0", "1"})
#: Unix times accepted: 1970 up to (not including) the year 3000
_MAX_EPOCH = 32_503_680_000

_NUMBER = re.compile(r"\d{1,18}")
_EPOCH_TEXT = re.compile(r"\d{1,11}")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_HUMAN = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(?P<d1>\d{1,2})\s+(?P<m1>[a-z]+)\.?|(?P<m2>[a-z]+)\.?\s+(?P<d2>\d{1,2}))"
    r",?\s+(?P<y>\d{4}),?\s+(?:at\s+)?"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?:(?P<ap>[ap])\.?\s?m\.?)?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
#: tags that separate words (a paragraph break is a space; `<b>` inside a word is not)
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|ul|ol|h[1-6]|t[dhr]|table|blockquote|pre|hr|section|article)"
    r"\b[^<>]*>",
    re.IGNORECASE,
)
#: any tag; `[^<>]` keeps it linear on text full of stray "<"
_TAG = re.compile(r"<[^<>]*>")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")

#: the raw text of the fields in `_FIELDS`; None when the file has no such column or key
_Values = tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class _Post:
    row: int
    post_id: int
    discussion: str
    parent: int
    userid: str
    fullname: str
    created: datetime
    subject: str
    words: int | None
    deleted: bool
    private_to: str
    private_to_name: str


def detect(name: str, head: bytes) -> bool:
    """Whether the file looks like a Moodle forum export (CSV header or JSON keys).

    Args:
        name: the file name (unused: Moodle names the file after the forum).
        head: the first bytes of the file.
    """
    del name
    text = decode_head(head).lstrip(" \t\r\n")
    if text.startswith("["):
        return _first_object_keys(text) >= _DETECT_KEYS
    if text.startswith("{"):
        return False
    line = text.splitlines()[0] if text else ""
    for delimiter in (",", ";", "\t"):  # Excel re-saves with the locale's list separator
        try:
            header = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            return False
        if {normalise_header(column) for column in header} >= _DETECT_KEYS:
            return True
    return False


def _first_object_keys(text: str) -> set[str]:
    """The keys of the first object of a JSON array, even when the head cuts the array off."""
    start = text.find("{")
    if start < 0:
        return set()
    try:
        first, _ = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        # cut off inside the first object: look at the keys written so far
        return set(re.findall(r'"([a-z]+)"\s*:', text[start : start + 8192]))
    return set(first) if isinstance(first, dict) else set()


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The export's posts as events, in file order.

    Args:
        source: the export (CSV or JSON).
        options: `timezone` is the zone of human-readable dates; `max_bytes` the size cap.

    Raises:
        ImportRejectedError: a malformed record (bad id, parent or date), missing columns, a
            file that is not a forum export.
    """
    posts = _read_posts(source, options)
    by_id: dict[int, _Post] = {}
    for post in posts:
        by_id.setdefault(post.post_id, post)
    missing = sum(
        1
        for p in posts
        if p.parent and p.parent not in by_id and p.userid and not (p.private_to or p.deleted)
    )
    if missing:
        source.note(
            f"{plural(missing, 'reply answers a post', 'replies answer posts')} "
            "not in this file; imported without saying whom they answer."
        )
    people: dict[tuple[str, str], PersonKey] = {}
    keys = KeyMaker()
    seen: set[int] = set()
    for post in posts:
        if post.post_id in seen:
            yield Skipped(post.row, "post repeated in the file")
            continue
        seen.add(post.post_id)
        if post.deleted:
            yield Skipped(post.row, "deleted post")
            continue
        if not post.userid:
            yield Skipped(post.row, "post by no user", unattributed=True)
            continue
        replied_to: PersonKey | None = None
        if post.private_to:
            kind = EventKind.REPLY
            replied_to = _person(people, post.private_to, post.private_to_name)
        elif post.parent == 0:
            kind = EventKind.POST
        else:
            kind = EventKind.REPLY
            parent = by_id.get(post.parent)
            if parent is not None and parent.userid:
                replied_to = _person(people, parent.userid, parent.fullname)
        who = _person(people, post.userid, post.fullname)
        yield ActivityRecord(
            row=post.row,
            who=who,
            occurred_at=post.created,
            kind=kind,
            key=keys.make("post", post.post_id),
            thread=post.discussion,
            replied_to=replied_to,
            word_count=post.words,
            detail=post.subject,
        )


def _person(people: dict[tuple[str, str], PersonKey], userid: str, name: str) -> PersonKey:
    found = people.get((userid, name))
    if found is None:
        found = people[(userid, name)] = PersonKey(source_id=userid, name=name or None)
    return found


def _read_posts(source: SourceFile, options: ImportOptions) -> list[_Post]:
    source.check_size(options.max_bytes)
    with source.path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    dates = _Dates(options.timezone)
    if start[:1] in (b"[", b"{"):
        posts = [_post(source, row, values, dates) for row, values in _json_rows(source, options)]
    else:
        posts = [_post(source, row, values, dates) for row, values in _csv_rows(source, options)]
    if dates.local_count:
        source.note(
            f"{dates.local_count} post dates were written as text without a time zone and "
            f"were read as {options.timezone.key} time."
        )
    return posts


def _csv_rows(source: SourceFile, options: ImportOptions) -> Iterator[tuple[int, _Values]]:
    table = read_csv(source, options.max_bytes)
    columns = match_columns(table.header, _SYNONYMS)
    absent = [name for name in _REQUIRED if name not in columns]
    if absent:
        raise source.reject(
            1, f"not a Moodle forum export: no {', '.join(absent)} column" + "s" * (len(absent) > 1)
        )
    indexes = [columns.get(name) for name in _FIELDS]
    for row, cells in table.rows:
        # a ragged row without a cell says nothing about that field (None), unlike an empty one
        width = len(cells)
        yield row, tuple(None if i is None or i >= width else cells[i].strip() for i in indexes)


def _json_rows(source: SourceFile, options: ImportOptions) -> Iterator[tuple[int, _Values]]:
    data = load_json(source, options.max_bytes)
    if not isinstance(data, list):
        raise source.reject(None, "not a Moodle forum export: expected a JSON array of posts")
    for row, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise source.reject(row, "the post is not a JSON object")
        yield row, tuple(_json_text(source, row, name, record.get(name)) for name in _FIELDS)


def _json_text(source: SourceFile, row: int, name: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    raise source.reject(row, f"the {name} field holds a list or an object, not a value")


def _post(source: SourceFile, row: int, values: _Values, dates: _Dates) -> _Post:
    post_id = _number(source, row, values, _ID)
    if post_id == 0:
        raise source.reject(row, "the post id is 0")
    discussion = _number(source, row, values, _DISCUSSION)
    parent = _number(source, row, values, _PARENT)
    userid = values[_USERID] or ""
    if userid and not _NUMBER.fullmatch(userid):
        raise source.reject(row, f"the user id {userid[:40]!r} is not a number")
    private_to = values[_PRIVATE_TO] or ""
    if private_to and not _NUMBER.fullmatch(private_to):
        raise source.reject(row, f"the private reply user id {private_to[:40]!r} is not a number")
    created_text = values[_CREATED] or ""
    created = dates.parse(created_text)
    if created is None:
        reason = f"the date {created_text[:60]!r} is not a date" if created_text else "no date"
        raise source.reject(row, reason)
    return _Post(
        row=row,
        post_id=post_id,
        discussion=str(discussion),
        parent=parent,
        userid="" if userid.strip("0") == "" else userid,
        fullname=one_line(values[_FULLNAME] or "", 200),
        created=created,
        subject=one_line(html.unescape(values[_SUBJECT] or ""), DETAIL_MAX),
        words=_words(values),
        deleted=(values[_DELETED] or "").casefold() in ("1", "true", "yes"),
        private_to="" if private_to.strip("0") == "" else private_to,
        private_to_name=one_line(values[_PRIVATE_TO_NAME] or "", 200),
    )


def _number(source: SourceFile, row: int, values: _Values, index: int) -> int:
    text = values[index] or ""
    if not _NUMBER.fullmatch(text):
        what = f"{text[:40]!r} is not a number" if text else "is missing"
        raise source.reject(row, f"the {_FIELDS[index]} {what}")
    return int(text)


def _words(values: _Values) -> int | None:
    given = values[_WORDCOUNT]
    if given and _NUMBER.fullmatch(given):
        return int(given)
    message = values[_MESSAGE]
    if message is None:
        return None
    return count_words(message, html_text=(values[_MESSAGEFORMAT] or "") in _HTML_FORMATS)


def count_words(message: str, *, html_text: bool) -> int:
    """How many words a message holds, the way a reader would count them.

    Args:
        message: the message body.
        html_text: strip tags and unescape entities first (Moodle formats 0 and 1).
    """
    if html_text:
        if "<" in message:
            message = _TAG.sub("", _BLOCK_TAG.sub(" ", message))
        message = html.unescape(message)
    return len(_WORD.findall(message))


class _Dates:
    """Reads `created` values, remembering each text already read (many posts share one)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self._zone = zone
        self._cache: dict[str, datetime | None] = {}
        self.local_count = 0

    def parse(self, text: str) -> datetime | None:
        if _EPOCH_TEXT.fullmatch(text):
            seconds = int(text)
            if not 0 < seconds < _MAX_EPOCH:
                return None
            return datetime.fromtimestamp(seconds, UTC)
        if text in self._cache:
            moment = self._cache[text]
        else:
            moment = self._cache[text] = _text_date(text)
        if moment is None:
            return None
        if moment.tzinfo is None:
            self.local_count += 1
            return aware(moment, self._zone)
        return moment


def _text_date(text: str) -> datetime | None:
    """A human-readable or ISO date; naive unless the text carries an offset."""
    if _ISO.match(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    if len(text) > 80:
        return None
    match = _HUMAN.fullmatch(text.strip().casefold())
    if match is None:
        return None
    month = _MONTHS.get(match["m1"] or match["m2"])
    if month is None:
        return None
    hour = int(match["h"])
    if match["ap"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ap"] == "p" else 0)
    try:
        return datetime(
            int(match["y"]),
            month,
            int(match["d1"] or match["d2"]),
            hour,
            int(match["mi"]),
            int(match["s"] or 0),
        )
    except ValueError:
        return None
