"""Reading the values of a Moodle forum export's posts, shared by its CSV and JSON flavours:
numbers, dates (Unix times or human-readable text), word counts, subjects."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cohortdesk.core.importers.base import SourceFile, aware, one_line

DETAIL_MAX = 120

#: the columns read, in the order `Values` holds them
FIELDS = (
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
) = range(len(FIELDS))
REQUIRED = ("id", "discussion", "parent", "userid", "created")
SYNONYMS: Mapping[str, tuple[str, ...]] = {name: (name,) for name in FIELDS}
#: Moodle's FORMAT_MOODLE (0) and FORMAT_HTML (1) hold HTML; 2 is plain text, 4 Markdown
HTML_FORMATS = frozenset({"", "0", "1"})
#: Unix times accepted: 1970 up to (not including) the year 3000
_MAX_EPOCH = 32_503_680_000

NUMBER = re.compile(r"\d{1,18}")
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


def subject_line(text: str) -> str:
    """A post's subject as its event's detail: entities decoded, on one short line."""
    return one_line(html.unescape(text), DETAIL_MAX)


def is_deleted(text: str) -> bool:
    """Whether a `deleted` value says the post is deleted."""
    return text.casefold() in ("1", "true", "yes")


class Dates:
    """Reads `created` values, remembering each text already read (many posts share one)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self._zone = zone
        self._cache: dict[str, datetime | None] = {}
        self.local_count = 0

    def parse(self, text: str) -> datetime | None:
        """The aware moment `text` means, or None; counts the ones written without a zone."""
        moment, local = self.read(text)
        if local:
            self.local_count += 1
        return moment

    def read(self, text: str) -> tuple[datetime | None, bool]:
        """The aware moment `text` means (or None), and whether it was written without a
        zone (read in the export's zone)."""
        if _EPOCH_TEXT.fullmatch(text):
            seconds = int(text)
            if not 0 < seconds < _MAX_EPOCH:
                return None, False
            return datetime.fromtimestamp(seconds, UTC), False
        if text in self._cache:
            moment = self._cache[text]
        else:
            moment = self._cache[text] = _text_date(text)
        if moment is None:
            return None, False
        if moment.tzinfo is None:
            return aware(moment, self._zone), True
        return moment, False


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


#: the raw text of the fields in `FIELDS`; None when the file has no such column or key
Values = tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class Post:
    """What is kept of one post (never its message)."""

    row: int
    post_id: int
    discussion: str
    parent: int
    userid: str
    fullname: str
    created: datetime
    created_text: str
    subject: str
    words: int | None
    deleted: bool
    private_to: str
    private_to_name: str


def read_post(source: SourceFile, row: int, values: Values, dates: Dates) -> Post:
    """One record's post.

    Args:
        values: the record's values of `FIELDS`, stripped; None where it has none.

    Raises:
        ImportRejectedError: a bad id, discussion, parent, user id or date.
    """
    post_id = _number(source, row, values, _ID)
    if post_id == 0:
        raise source.reject(row, "the post id is 0")
    discussion = _number(source, row, values, _DISCUSSION)
    parent = _number(source, row, values, _PARENT)
    userid = values[_USERID] or ""
    if userid and not NUMBER.fullmatch(userid):
        raise source.reject(row, f"the user id {userid[:40]!r} is not a number")
    private_to = values[_PRIVATE_TO] or ""
    if private_to and not NUMBER.fullmatch(private_to):
        raise source.reject(row, f"the private reply user id {private_to[:40]!r} is not a number")
    created_text = values[_CREATED] or ""
    created = dates.parse(created_text)
    if created is None:
        reason = f"the date {created_text[:60]!r} is not a date" if created_text else "no date"
        raise source.reject(row, reason)
    return Post(
        row=row,
        post_id=post_id,
        discussion=str(discussion),
        parent=parent,
        userid="" if userid.strip("0") == "" else userid,
        fullname=one_line(values[_FULLNAME] or "", 200),
        created=created,
        created_text=created_text,
        subject=subject_line(values[_SUBJECT] or ""),
        words=_words(values),
        deleted=is_deleted(values[_DELETED] or ""),
        private_to="" if private_to.strip("0") == "" else private_to,
        private_to_name=one_line(values[_PRIVATE_TO_NAME] or "", 200),
    )


def _number(source: SourceFile, row: int, values: Values, index: int) -> int:
    text = values[index] or ""
    if not NUMBER.fullmatch(text):
        what = f"{text[:40]!r} is not a number" if text else "is missing"
        raise source.reject(row, f"the {FIELDS[index]} {what}")
    return int(text)


def _words(values: Values) -> int | None:
    given = values[_WORDCOUNT]
    if given and NUMBER.fullmatch(given):
        return int(given)
    message = values[_MESSAGE]
    if message is None:
        return None
    return count_words(message, html_text=(values[_MESSAGEFORMAT] or "") in HTML_FORMATS)
