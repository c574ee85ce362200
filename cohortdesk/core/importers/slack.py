"""Slack workspace export (a ZIP of JSON files).

The archive holds `users.json`, `channels.json` and one folder per channel with a day file
`YYYY-MM-DD.json` (an array of messages) for every day that had messages. The archive is read in
place with `zipfile` (never extracted), after checking its member names (no absolute paths, no
`..`), its member count and its declared uncompressed size (zip bombs). Only the members this
module recognises are read; anything else (`integration_logs.json`, `__MACOSX/`...) is ignored.

What becomes what:

- every human user in `users.json` -> a `PersonRecord` (deactivated accounts and bots are
  skipped; deactivated people's messages are still imported, with their name);
- a top-level message -> `post` (thread `<channel>/<ts>`); a thread reply (`thread_ts != ts`)
  -> `reply` (thread `<channel>/<thread_ts>`, `replied_to` the parent's author); a file upload
  -> `share`; a comment on a file -> `reply` to the file's owner;
- each person in a message's `reactions` -> `reaction`, dated at the message (Slack does not
  export when people reacted);
- joins/leaves, bot messages, integrations, deleted thread parents (`tombstone`) and other
  channel events -> `Skipped`.

Threads are linked per channel after all of that channel's day files are read, since replies
are filed under their own date. Times come from `ts` (UTC epoch seconds), never from file names.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    ImportRejectedError,
    KeyMaker,
    PersonKey,
    PersonRecord,
    Skipped,
    SourceFile,
)
from cohortdesk.core.importers.jsonio import parse_json_text, read_text
from cohortdesk.core.models import EventKind

FORMAT = "slack"
IDENTITY_SOURCE = "slack"
UNNAMED_LABEL = "Slack user"

#: More members than this is not a Slack export anyone means to import (a zip bomb or a mistake).
MAX_MEMBERS = 200_000
#: A channel whose day files hold less JSON than this is parsed once and kept in memory while
#: its threads are linked; a bigger one is parsed twice so memory stays bounded.
CACHE_BYTES = 64 * 1024 * 1024
DETAIL_MAX = 120
SLACKBOT = "USLACKBOT"

_TS = re.compile(r"\d{1,11}(?:\.\d{1,6})?")
_DAY_FILE = re.compile(r"([^/]+)/(\d{4}-\d{2}-\d{2})\.json")
_DRIVE = re.compile(r"[A-Za-z]:")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?>")
#: a word: a whitespace-separated token holding at least one letter or digit (linear time)
_WORD = re.compile(r"(?<!\S)[^\s\w]*\w")
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_UPLOAD_TEXT = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?> (?:uploaded|shared) a file")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_JOIN_LEAVE = frozenset({"channel_join", "channel_leave", "group_join", "group_leave"})
_INTEGRATION = frozenset({"bot_add", "bot_remove"})
_BROADCAST = frozenset({"thread_broadcast", "reply_broadcast"})
_FILE_SHARE = frozenset({"file_share", "file_mention"})
#: subtypes that are someone's own contribution; any other subtype is a channel event
_CONTRIBUTION = frozenset({"me_message", "file_comment"}) | _BROADCAST | _FILE_SHARE

_REACTION_NOTE = (
    "Reactions are dated at the time of the message they react to: Slack exports do not say "
    "when people reacted."
)


def detect(name: str, head: bytes) -> bool:
    """Whether the file is a ZIP archive (a Slack export is the only ZIP format imported).

    Args:
        name: the file name.
        head: the file's first bytes.

    Returns:
        True for a `.zip` file that starts like a ZIP archive.
    """
    return name.lower().endswith(".zip") and head.startswith(b"PK")


class _Msg(NamedTuple):
    """What the importer needs from one message, validated."""

    number: int
    ts: str
    when: datetime
    user: str | None
    subtype: str | None
    text: str
    thread_ts: str | None
    parent_user: str | None
    reactions: tuple[tuple[str, tuple[str, ...], int], ...]
    file_id: str | None
    file_title: str | None
    file_owner: str | None
    has_files: bool
    comment: str | None


@dataclass(slots=True)
class _Layout:
    """The members of the archive this importer reads."""

    root: str
    users: zipfile.ZipInfo
    channels: zipfile.ZipInfo
    #: channel folder -> [(date, member)], both sorted
    days: dict[str, list[tuple[str, zipfile.ZipInfo]]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The export's people and activity, channel by channel, day by day.

    Args:
        source: the ZIP archive.
        options: `max_bytes` caps both the archive and its total uncompressed size.

    Yields:
        A `PersonRecord` or `Skipped` per `users.json` entry, then per message an
        `ActivityRecord` or `Skipped`, followed by one `reaction` record per person who reacted.

    Raises:
        ImportRejectedError: not a readable ZIP, an unsafe member name, too big (declared size or
            member count), `users.json` or `channels.json` missing, or a member that is not the
            JSON a Slack export holds (the reason names the member and the message).
    """
    source.check_size(options.max_bytes)
    archive = _open(source)
    with archive:
        layout = _layout(source, archive, options.max_bytes)
        if layout.root:
            source.note(f"The export is inside the folder {layout.root!r} of the ZIP.")
        if layout.ignored:
            shown = ", ".join(layout.ignored[:3]) + (", ..." if len(layout.ignored) > 3 else "")
            source.note(
                f"Ignored {len(layout.ignored)} file(s) that are not channel history: {shown}."
            )
        reader = _Reader(source)
        yield from reader.users(_load(source, archive, layout.users, "users.json"))
        reader.channels(_load(source, archive, layout.channels, "channels.json"))
        for folder, days in layout.days.items():
            yield from reader.channel(archive, layout.root, folder, days)
        reader.finish()


def _open(source: SourceFile) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source.path)
    except zipfile.BadZipFile as exc:
        raise source.reject(None, f"not a readable ZIP archive ({exc})") from exc
    except Exception as exc:  # zipfile raises many kinds on damaged archives
        raise source.reject(None, f"not a readable ZIP archive ({type(exc).__name__})") from exc


def _short(name: str) -> str:
    return name if len(name) <= 80 else name[:77] + "..."


def _layout(source: SourceFile, archive: zipfile.ZipFile, max_bytes: int) -> _Layout:
    """Check every member name and size, and find the members to read."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise source.reject(
            None, f"the archive holds {len(infos):,} files, over the limit of {MAX_MEMBERS:,}"
        )
    total = 0
    names: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or _DRIVE.match(name) or ".." in name.split("/"):
            raise source.reject(
                None,
                f"the archive holds an unsafe file name ({_short(info.filename)!r}) that points "
                "outside the archive; it was not read",
            )
        total += info.file_size
        if info.is_dir() or name.startswith("__MACOSX/"):
            continue
        if name in names:
            raise source.reject(None, f"the archive lists {_short(name)!r} twice")
        names[name] = info
    if total > max_bytes:
        raise source.reject(
            None,
            f"the archive would unpack to {total / 1e6:,.0f} MB, over the "
            f"{max_bytes / 1e6:,.0f} MB limit (a damaged or malicious ZIP?)",
        )
    root = _root(names)
    users = names.get(root + "users.json")
    channels = names.get(root + "channels.json")
    if users is None:
        raise source.reject(None, "users.json is missing: this is not a Slack workspace export")
    if channels is None:
        raise source.reject(None, "channels.json is missing: this is not a Slack workspace export")
    layout = _Layout(root, users, channels)
    found: list[tuple[str, str, zipfile.ZipInfo]] = []
    for name, info in names.items():
        if info is users or info is channels:
            continue
        match = _DAY_FILE.fullmatch(name, len(root)) if name.startswith(root) else None
        if match is None:
            layout.ignored.append(_short(name))
        else:
            found.append((match[1], match[2], info))
    found.sort(key=lambda item: (item[0], item[1]))
    for folder, day, info in found:
        layout.days.setdefault(folder, []).append((day, info))
    return layout


def _root(names: dict[str, zipfile.ZipInfo]) -> str:
    """`""`, or the one folder holding the export when it was zipped inside a folder."""
    if "users.json" in names:
        return ""
    roots = [name[: -len("users.json")] for name in names if name.endswith("/users.json")]
    if len(roots) == 1 and roots[0].count("/") == 1 and roots[0] + "channels.json" in names:
        return roots[0]
    return ""


def _load(source: SourceFile, archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> Any:
    """One member's JSON; every failure is a rejection naming the member."""
    if info.flag_bits & 0x1:
        raise source.reject(
            None, f"{label} is encrypted (password-protected); export again without a password"
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except zipfile.BadZipFile as exc:
        raise source.reject(None, f"{label} is damaged ({exc})") from exc
    except NotImplementedError as exc:
        raise source.reject(
            None,
            f"{label} is compressed with a method that cannot be read "
            f"(method {info.compress_type}); zip the export again with standard compression",
        ) from exc
    except Exception as exc:  # zlib.error, EOFError, OSError... from a damaged member
        raise source.reject(None, f"{label} cannot be read ({type(exc).__name__})") from exc
    if len(data) > info.file_size:
        raise source.reject(None, f"{label} is larger than the archive declares")
    try:
        return parse_json_text(source, read_text(source, data))
    except ImportRejectedError as exc:
        where = f"{label}: line {exc.row}" if exc.row is not None else label
        raise source.reject(None, f"{where}: {exc.reason}") from exc


def _opt_str(source: SourceFile, data: dict[str, Any], name: str, where: str) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value or None
    raise source.reject(None, f"{where}: {name} is not text")


def _when(ts: str) -> datetime:
    seconds, _, fraction = ts.partition(".")
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return _EPOCH + timedelta(seconds=int(seconds), microseconds=micro)


def _reactions(
    source: SourceFile, raw: Any, where: str
) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise source.reject(None, f"{where}: reactions is not a list")
    result: list[tuple[str, tuple[str, ...], int]] = []
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


def _message(source: SourceFile, raw: Any, where: str, index: int) -> _Msg:
    """Validate one message and keep what the importer uses."""
    if not isinstance(raw, dict):
        raise source.reject(None, f"{where}: the message is not a JSON object")
    ts = raw.get("ts")
    if not isinstance(ts, str) or not _TS.fullmatch(ts):
        raise source.reject(None, f"{where}: the message has no valid ts (its time and id)")
    user = _opt_str(source, raw, "user", where)
    subtype = _opt_str(source, raw, "subtype", where)
    text = _opt_str(source, raw, "text", where) or ""
    thread_ts = _opt_str(source, raw, "thread_ts", where)
    if thread_ts is not None and not _TS.fullmatch(thread_ts):
        raise source.reject(None, f"{where}: thread_ts is not a Slack timestamp")
    parent_user = _opt_str(source, raw, "parent_user_id", where)
    file_id = file_title = file_owner = comment = None
    file = raw.get("file")
    if isinstance(file, dict):
        file_id = _opt_str(source, file, "id", where)
        file_title = _opt_str(source, file, "title", where) or _opt_str(source, file, "name", where)
        file_owner = _opt_str(source, file, "user", where)
    elif file is not None:
        raise source.reject(None, f"{where}: file is not a JSON object")
    files = raw.get("files")
    if files is not None and not isinstance(files, list):
        raise source.reject(None, f"{where}: files is not a list")
    if files and file_title is None and isinstance(files[0], dict):
        file_title = _opt_str(source, files[0], "title", where) or _opt_str(
            source, files[0], "name", where
        )
    if subtype == "file_comment":
        raw_comment = raw.get("comment")
        if isinstance(raw_comment, dict):
            user = user or _opt_str(source, raw_comment, "user", where)
            comment = _opt_str(source, raw_comment, "comment", where)
    return _Msg(
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


def _words(text: str) -> int:
    """Words in a message, not counting `<@U...>` mentions."""
    if not text:
        return 0
    if "<@" in text:
        text = _MENTION.sub(" ", text)
    if "&" in text:
        text = _unescape(text)
    return len(_WORD.findall(text))


def _unescape(text: str) -> str:
    """Undo the only three escapes Slack writes in message text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class _Reader:
    """The state of one import: people, keys, channel ids and what to tell the user."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.keys = KeyMaker()
        self.people: dict[str, PersonKey] = {}
        self.bots: set[str] = {SLACKBOT}
        self.channel_ids: dict[str, str] = {}
        self.row = 0
        self.unknown_users: set[str] = set()
        self.unknown_parents = 0
        self.partial_reactions = False
        self.reacted = False

    # -- users.json and channels.json

    def users(self, data: Any) -> Iterator[ImportItem]:
        """One item per `users.json` entry; remembers everyone's `PersonKey`."""
        source = self.source
        if not isinstance(data, list):
            raise source.reject(None, "users.json is not a list of users")
        for index, entry in enumerate(data, start=1):
            self.row += 1
            where = f"users.json #{index}"
            if not isinstance(entry, dict):
                raise source.reject(None, f"{where}: the user is not a JSON object")
            user_id = _opt_str(source, entry, "id", where)
            if user_id is None:
                raise source.reject(None, f"{where}: the user has no id")
            profile = entry.get("profile")
            if not isinstance(profile, dict):
                profile = {}
            email = _opt_str(source, profile, "email", where)
            name = (
                _opt_str(source, entry, "real_name", where)
                or _opt_str(source, profile, "real_name", where)
                or _opt_str(source, entry, "name", where)
            )
            who = PersonKey(
                source_id=user_id,
                email=email.strip() if email and "@" in email else None,
                name=name.strip() if name and name.strip() else None,
            )
            self.people[user_id] = who
            if entry.get("is_bot") is True or user_id == SLACKBOT:
                self.bots.add(user_id)
                yield Skipped(self.row, "bot account", unattributed=True)
            elif entry.get("deleted") is True:
                yield Skipped(self.row, "deactivated account (its messages are imported)")
            else:
                yield PersonRecord(self.row, who)

    def channels(self, data: Any) -> None:
        """Remember channel ids (stable across renames) by folder name."""
        source = self.source
        if not isinstance(data, list):
            raise source.reject(None, "channels.json is not a list of channels")
        for index, entry in enumerate(data, start=1):
            where = f"channels.json #{index}"
            if not isinstance(entry, dict):
                raise source.reject(None, f"{where}: the channel is not a JSON object")
            name = _opt_str(source, entry, "name", where)
            channel_id = _opt_str(source, entry, "id", where)
            if name is None:
                raise source.reject(None, f"{where}: the channel has no name")
            if channel_id is not None:
                self.channel_ids[name] = channel_id

    def person(self, user_id: str) -> PersonKey:
        """The `PersonKey` for a user id (the id alone when `users.json` does not list it)."""
        who = self.people.get(user_id)
        if who is None:
            who = self.people[user_id] = PersonKey(source_id=user_id)
            self.unknown_users.add(user_id)
        return who

    # -- one channel

    def _day(
        self, archive: zipfile.ZipFile, root: str, folder: str, day: str, info: zipfile.ZipInfo
    ) -> list[_Msg]:
        label = f"{folder}/{day}.json"
        data = _load(self.source, archive, info, root + label)
        if not isinstance(data, list):
            raise self.source.reject(None, f"{label}: not a list of messages")
        return [
            _message(self.source, raw, f"{label} #{index}", index)
            for index, raw in enumerate(data, start=1)
        ]

    def channel(
        self,
        archive: zipfile.ZipFile,
        root: str,
        folder: str,
        days: list[tuple[str, zipfile.ZipInfo]],
    ) -> Iterator[ImportItem]:
        """The channel's items: all its day files are read before threads are linked."""
        keep = sum(info.file_size for _, info in days) <= CACHE_BYTES
        cached: list[list[_Msg]] = []
        authors: dict[str, str | None] = {}
        shared: dict[str, str] = {}
        for day, info in days:
            messages = self._day(archive, root, folder, day, info)
            for msg in messages:
                authors.setdefault(msg.ts, self._author(msg))
                if msg.file_id and msg.subtype in _FILE_SHARE:
                    shared.setdefault(msg.file_id, msg.thread_ts or msg.ts)
            if keep:
                cached.append(messages)
        channel_key = self.channel_ids.get(folder, folder)
        seen: dict[str, str | None] = {}
        for position, (day, info) in enumerate(days):
            messages = cached[position] if keep else self._day(archive, root, folder, day, info)
            for msg in messages:
                self.row += 1
                if msg.ts in seen:
                    both = {seen[msg.ts], msg.subtype}
                    why = "thread broadcast" if both & _BROADCAST else "duplicate message"
                    yield Skipped(self.row, f"listed twice ({why})")
                    continue
                seen[msg.ts] = msg.subtype
                yield self._item(msg, folder, channel_key, authors, shared)
                if msg.reactions:
                    yield from self._reacted(msg, folder, channel_key)

    def _author(self, msg: _Msg) -> str | None:
        """The person who wrote `msg`, or None for bots and deleted messages."""
        if msg.user is None or msg.user in self.bots:
            return None
        if msg.subtype == "tombstone" or msg.subtype == "bot_message":
            return None
        return msg.user

    def _item(
        self,
        msg: _Msg,
        folder: str,
        channel_key: str,
        authors: dict[str, str | None],
        shared: dict[str, str],
    ) -> ImportItem:
        subtype = msg.subtype
        if subtype in _JOIN_LEAVE:
            return Skipped(self.row, "joined/left a channel")
        if subtype == "tombstone":
            return Skipped(self.row, "deleted message (its replies are kept)", unattributed=True)
        user = self._author(msg)
        if user is None:
            return Skipped(self.row, "bot message", unattributed=True)
        if subtype in _INTEGRATION:
            return Skipped(self.row, "added/removed an integration")
        if subtype is not None and subtype not in _CONTRIBUTION:
            return Skipped(self.row, f"channel event ({subtype})")
        replied_to: PersonKey | None = None
        thread: str | None = f"{folder}/{msg.thread_ts or msg.ts}"
        is_reply = msg.thread_ts is not None and msg.thread_ts != msg.ts
        if subtype == "file_comment":
            kind = EventKind.REPLY
            words = _words(msg.comment or "")
            thread = f"{folder}/{shared[msg.file_id]}" if msg.file_id in shared else None
            owner = msg.file_owner
            if owner is not None and owner not in self.bots:
                replied_to = self.person(owner)
        else:
            upload = subtype in _FILE_SHARE and _UPLOAD_TEXT.match(msg.text) is not None
            words = 0 if upload else _words(msg.text)
            if is_reply:
                kind = EventKind.REPLY
                replied_to = self._parent(msg, authors)
            elif subtype in _FILE_SHARE or (msg.has_files and words == 0):
                kind = EventKind.SHARE
            else:
                kind = EventKind.POST
        return ActivityRecord(
            row=self.row,
            who=self.person(user),
            occurred_at=msg.when,
            kind=kind,
            key=self.keys.make("message", channel_key, msg.ts),
            thread=thread,
            replied_to=replied_to,
            word_count=words,
            detail=self._detail(folder, msg),
        )

    def _parent(self, msg: _Msg, authors: dict[str, str | None]) -> PersonKey | None:
        """Who a thread reply answers: `parent_user_id`, else the loaded parent's author."""
        if msg.parent_user is not None:
            return None if msg.parent_user in self.bots else self.person(msg.parent_user)
        if msg.thread_ts in authors:
            parent = authors[msg.thread_ts]
            return None if parent is None else self.person(parent)
        self.unknown_parents += 1
        return None

    def _reacted(self, msg: _Msg, folder: str, channel_key: str) -> Iterator[ImportItem]:
        thread = f"{folder}/{msg.thread_ts or msg.ts}"
        for emoji, users, count in msg.reactions:
            if count > len(users):
                self.partial_reactions = True
            detail = _fit(f"#{folder}: reacted :{emoji}:")
            for user in users:
                if user in self.bots:
                    yield Skipped(self.row, "bot reaction", unattributed=True)
                    continue
                self.reacted = True
                yield ActivityRecord(
                    row=self.row,
                    who=self.person(user),
                    occurred_at=msg.when,
                    kind=EventKind.REACTION,
                    key=self.keys.make("reaction", channel_key, msg.ts, emoji, user),
                    thread=thread,
                    detail=detail,
                )

    # -- readable details

    def _markup(self, match: re.Match[str]) -> str:
        target, label = match[1], match[2]
        if target.startswith("@"):
            if label:
                return "@" + label
            who = self.people.get(target[1:])
            return "@" + (who.name if who is not None and who.name else "someone")
        if target.startswith("#"):
            return "#" + (label or "channel")
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^", 1)[0])
        return label or target

    def _detail(self, folder: str, msg: _Msg) -> str:
        text = msg.text
        if msg.subtype == "file_comment" and msg.comment:
            text = f"comment on {msg.file_title or 'a file'}: {msg.comment}"
        text = _MARKUP.sub(self._markup, text[:1000])
        text = " ".join(_unescape(text).split())
        if not text:
            text = f"shared {msg.file_title}" if msg.file_title else "(no text)"
        return _fit(f"#{folder}: {text}")

    def finish(self) -> None:
        """Tell the user what they should know about the whole import."""
        source = self.source
        if self.reacted:
            source.note(_REACTION_NOTE)
        if self.partial_reactions:
            source.note(
                "Some reactions list fewer people than their count (Slack exports a limited "
                "number of names): only the people listed were counted."
            )
        if self.unknown_users:
            source.note(
                f"{len(self.unknown_users)} Slack user id(s) in the messages are not in "
                "users.json: they are known by their id only."
            )
        if self.unknown_parents:
            source.note(
                f"{self.unknown_parents} thread repl(y/ies) answer a message that is not in the "
                "export: who they answered is unknown."
            )


def _fit(text: str) -> str:
    """`text` cut at a word boundary to fit `DETAIL_MAX` characters."""
    if len(text) <= DETAIL_MAX:
        return text
    cut = text[: DETAIL_MAX - 1]
    space = cut.rfind(" ")
    if space > DETAIL_MAX // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
