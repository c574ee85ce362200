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
import json
import re
from collections.abc import Iterator

from cohortdesk.core.importers.base import (
    BatchItem,
    EventBatch,
    ImportItem,
    ImportOptions,
    SourceFile,
)
from cohortdesk.core.importers.jsonio import load_json
from cohortdesk.core.importers.moodle_forum_columns import (
    ForumEvents,
    Posts,
    csv_posts,
    posts_frame,
)
from cohortdesk.core.importers.moodle_forum_values import FIELDS, Dates, Values, read_post
from cohortdesk.core.importers.textio import decode_head, normalise_header

FORMAT = "moodle-forum"
IDENTITY_SOURCE = "moodle"
UNNAMED_LABEL = "Moodle user"

_DETECT_KEYS = frozenset({"discussion", "parent", "userid", "created"})


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
    """The export's posts as events, in file order: `parse_batches` read row by row.

    Raises:
        ImportRejectedError: as `parse_batches` does.
    """
    for batch in parse_batches(source, options):
        if isinstance(batch, EventBatch):
            yield from batch.as_items()


def parse_batches(source: SourceFile, options: ImportOptions) -> Iterator[BatchItem]:
    """The export's posts as batches of events (`EventBatch`), in file order.

    A CSV export is read in batches of columns; a JSON one record by record; both then make
    their events as column operations over all the posts (`ForumEvents`).

    Args:
        source: the export (CSV or JSON).
        options: `timezone` is the zone of human-readable dates; `max_bytes` the size cap.

    Raises:
        ImportRejectedError: a malformed record (bad id, parent or date), missing columns, a
            file that is not a forum export, a date outside the ones cohortdesk keeps.
    """
    size = source.check_size(options.max_bytes)
    with source.path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    dates = Dates(options.timezone)
    if start[:1] in (b"[", b"{"):
        posts = _json_posts(source, options, dates)
    else:
        posts = csv_posts(source, options, dates)
    if dates.local_count:
        source.note(
            f"{dates.local_count} post dates were written as text without a time zone and "
            f"were read as {options.timezone.key} time."
        )
    yield from ForumEvents(source, posts, size).batches()


def _json_posts(source: SourceFile, options: ImportOptions, dates: Dates) -> Posts:
    """The posts of a JSON export, read one record at a time, as columns."""
    read = [read_post(source, row, values, dates) for row, values in _json_rows(source, options)]
    moments = {post.created_text: post.created for post in read}
    return Posts(posts_frame(read), moments.__getitem__)


def _json_rows(source: SourceFile, options: ImportOptions) -> Iterator[tuple[int, Values]]:
    data = load_json(source, options.max_bytes)
    if not isinstance(data, list):
        raise source.reject(None, "not a Moodle forum export: expected a JSON array of posts")
    for row, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise source.reject(row, "the post is not a JSON object")
        yield row, tuple(_json_text(source, row, name, record.get(name)) for name in FIELDS)


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
