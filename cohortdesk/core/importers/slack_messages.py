"""One Slack message as the importer needs it, checked field by field.

A message is a JSON object with `ts` (epoch seconds with microseconds as text: both its id and
its UTC time), and optionally `user`, `subtype`, `text`, `thread_ts`, `parent_user_id`,
`reactions`, `file`/`files` and, for a 2016 file comment, `comment`. A field of the wrong type is
a rejection naming the day file and the message's position in it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from cohortdesk.core.importers.base import SourceFile

_TS = re.compile(r"\d{1,11}(?:\.\d{1,6})?")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: (emoji name, the ids of the people listed, the count Slack gives)
Reaction = tuple[str, tuple[str, ...], int]


class SlackMessage(NamedTuple):
    """What the importer needs from one message, validated."""

    number: int
    ts: str
    when: datetime
    user: str | None
    subtype: str | None
    text: str
    thread_ts: str | None
    parent_user: str | None
    reactions: tuple[Reaction, ...]
    file_id: str | None
    file_title: str | None
    file_owner: str | None
    has_files: bool
    comment: str | None


def opt_str(source: SourceFile, data: dict[str, Any], name: str, where: str) -> str | None:
    """The text field `name` of a JSON object, None when absent or empty.

    Raises:
        ImportRejectedError: the field holds something other than text (the reason starts with
            `where`).
    """
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value or None
    raise source.reject(None, f"{where}: {name} is not text")


def _when(ts: str) -> datetime:
    seconds, _, fraction = ts.partition(".")
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return _EPOCH + timedelta(seconds=int(seconds), microseconds=micro)


def _reactions(source: SourceFile, raw: Any, where: str) -> tuple[Reaction, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise source.reject(None, f"{where}: reactions is not a list")
    result: list[Reaction] = []
    for reaction in raw:
        if not isinstance(reaction, dict):
            raise source.reject(None, f"{where}: a reaction is not a JSON object")
        name = reaction.get("name")
        users = reaction.get("users", [])
        count = reaction.get("count", 0)
        if not isinstance(name, str) or not name:
            raise source.reject(None, f"{where}: a reaction has no emoji name")
        if not isinstance(users, list) or not all(isinstance(u, str) and u for u in users):
            raise source.reject(None, f"{where}: a reaction's users is not a list of user ids")
        if isinstance(count, bool) or not isinstance(count, int):
            count = 0
        result.append((name, tuple(users), count))
    return tuple(result)


def read_message(source: SourceFile, raw: Any, where: str, index: int) -> SlackMessage:
    """Validate one message and keep what the importer uses.

    Args:
        source: the export, for rejections.
        raw: the message as parsed from its day file.
        where: how rejections name it (`general/2021-03-01.json #2`).
        index: its 1-based position in the day file.

    Raises:
        ImportRejectedError: not a JSON object, no valid `ts`, or a field of the wrong type.
    """
    if not isinstance(raw, dict):
        raise source.reject(None, f"{where}: the message is not a JSON object")
    ts = raw.get("ts")
    if not isinstance(ts, str) or not _TS.fullmatch(ts):
        raise source.reject(None, f"{where}: the message has no valid ts (its time and id)")
    user = opt_str(source, raw, "user", where)
    subtype = opt_str(source, raw, "subtype", where)
    text = opt_str(source, raw, "text", where) or ""
    thread_ts = opt_str(source, raw, "thread_ts", where)
    if thread_ts is not None and not _TS.fullmatch(thread_ts):
        raise source.reject(None, f"{where}: thread_ts is not a Slack timestamp")
    parent_user = opt_str(source, raw, "parent_user_id", where)
    file_id = file_title = file_owner = comment = None
    file = raw.get("file")
    if isinstance(file, dict):
        file_id = opt_str(source, file, "id", where)
        file_title = opt_str(source, file, "title", where) or opt_str(source, file, "name", where)
        file_owner = opt_str(source, file, "user", where)
    elif file is not None:
        raise source.reject(None, f"{where}: file is not a JSON object")
    files = raw.get("files")
    if files is not None and not isinstance(files, list):
        raise source.reject(None, f"{where}: files is not a list")
    if files and file_title is None and isinstance(files[0], dict):
        file_title = opt_str(source, files[0], "title", where) or opt_str(
            source, files[0], "name", where
        )
    if subtype == "file_comment":
        raw_comment = raw.get("comment")
        if isinstance(raw_comment, dict):
            user = user or opt_str(source, raw_comment, "user", where)
            comment = opt_str(source, raw_comment, "comment", where)
    return SlackMessage(
        number=index,
        ts=ts,
        when=_when(ts),
        user=user,
        subtype=subtype,
        text=text,
        thread_ts=thread_ts,
        parent_user=parent_user,
        reactions=_reactions(source, raw.get("reactions"), where),
        file_id=file_id,
        file_title=file_title,
        file_owner=file_owner,
        has_files=bool(files),
        comment=comment,
    )
