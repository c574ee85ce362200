"""The row-by-row reading of Moodle forum exports that the columnar one replaced, kept as the
reference the differential test compares the product's reading with."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from cohortdesk.core.enums import EventKind
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
from cohortdesk.core.importers.jsonio import load_json
from cohortdesk.core.importers.moodle_forum_values import DETAIL_MAX, Dates, count_words
from cohortdesk.core.importers.moodle_forum_values import FIELDS as _FIELDS
from cohortdesk.core.importers.moodle_forum_values import HTML_FORMATS as _HTML_FORMATS
from cohortdesk.core.importers.moodle_forum_values import NUMBER as _NUMBER
from cohortdesk.core.importers.moodle_forum_values import REQUIRED as _REQUIRED
from cohortdesk.core.importers.moodle_forum_values import SYNONYMS as _SYNONYMS
from cohortdesk.core.importers.textio import match_columns, read_csv
from cohortdesk.core.text import plural

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
    dates = Dates(options.timezone)
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


def _post(source: SourceFile, row: int, values: _Values, dates: Dates) -> _Post:
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
