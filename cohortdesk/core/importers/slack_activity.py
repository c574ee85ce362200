"""Slack users, channels and messages turned into people and activity records.

- every human user in `users.json` -> a `PersonRecord` (deactivated accounts and bots are
  skipped; deactivated people's messages are still imported, with their name);
- a top-level message -> `post` (thread `<channel>/<ts>`); a thread reply (`thread_ts != ts`)
  -> `reply` (thread `<channel>/<thread_ts>`, `replied_to` the parent's author); a file upload
  -> `share`; a comment on a file -> `reply` to the file's owner;
- in a flat channel (one without any thread, as every channel was before Slack had threads,
  2017) a message that mentions another person (`<@U...>`) -> `reply` to the first person it
  mentions, in the thread of that person's latest earlier message in the channel (or its own);
  a message without such a mention stays a `post`: no reply is ever inferred without one;
- each person in a message's `reactions` -> `reaction`, dated at the message;
- joins/leaves, bot messages, integrations, deleted thread parents (`tombstone`) and other
  channel events -> `Skipped`; a message listed twice (a thread broadcast) counts once.

Threads are linked per channel after all of that channel's day files are read, since replies
are filed under their own date.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import Any

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    KeyMaker,
    PersonKey,
    PersonRecord,
    Skipped,
    SourceFile,
)
from cohortdesk.core.importers.slack_archive import load_member
from cohortdesk.core.importers.slack_messages import SlackMessage, opt_str, read_message
from cohortdesk.core.importers.slack_text import detail, fit, words

SLACKBOT = "USLACKBOT"

#: a mention of a person in message text: `<@U123>` or `<@U123|name>`
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^<>]*)?>")
_UPLOAD_TEXT = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?> (?:uploaded|shared) a file")
_JOIN_LEAVE = frozenset({"channel_join", "channel_leave", "group_join", "group_leave"})
_INTEGRATION = frozenset({"bot_add", "bot_remove"})
_BROADCAST = frozenset({"thread_broadcast", "reply_broadcast"})
_FILE_SHARE = frozenset({"file_share", "file_mention"})
#: subtypes that are someone's own contribution; any other subtype is a channel event
_CONTRIBUTION = frozenset({"me_message", "file_comment"}) | _BROADCAST | _FILE_SHARE


class ActivityReader:
    """The state of one import: people, keys, channel ids and what to tell the user.

    Attributes:
        unknown_users: user ids met in messages that `users.json` does not list.
        unknown_parents: thread replies whose parent is not in the export.
        partial_reactions: some reaction lists fewer people than its count.
        reacted: at least one reaction record was made.
        mention_replies: messages of flat channels read as replies to the person they mention.
    """

    def __init__(self, source: SourceFile, cache_bytes: int) -> None:
        """Start an import of `source`.

        Args:
            source: the export, for rejections.
            cache_bytes: a channel whose day files hold less JSON than this is parsed once and
                kept in memory while its threads are linked; a bigger one is parsed twice.
        """
        self.source = source
        self.cache_bytes = cache_bytes
        self.keys = KeyMaker()
        self.people: dict[str, PersonKey] = {}
        self.bots: set[str] = {SLACKBOT}
        self.channel_ids: dict[str, str] = {}
        self.row = 0
        self.unknown_users: set[str] = set()
        self.unknown_parents = 0
        self.partial_reactions = False
        self.reacted = False
        self.mention_replies = 0

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
            user_id = opt_str(source, entry, "id", where)
            if user_id is None:
                raise source.reject(None, f"{where}: the user has no id")
            profile = entry.get("profile")
            if not isinstance(profile, dict):
                profile = {}
            email = opt_str(source, profile, "email", where)
            name = (
                opt_str(source, entry, "real_name", where)
                or opt_str(source, profile, "real_name", where)
                or opt_str(source, entry, "name", where)
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
            name = opt_str(source, entry, "name", where)
            channel_id = opt_str(source, entry, "id", where)
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
    ) -> list[SlackMessage]:
        label = f"{folder}/{day}.json"
        data = load_member(self.source, archive, info, root + label)
        if not isinstance(data, list):
            raise self.source.reject(None, f"{label}: not a list of messages")
        return [
            read_message(self.source, raw, f"{label} #{index}", index)
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
        keep = sum(info.file_size for _, info in days) <= self.cache_bytes
        cached: list[list[SlackMessage]] = []
        authors: dict[str, str | None] = {}
        shared: dict[str, str] = {}
        threaded = False
        for day, info in days:
            messages = self._day(archive, root, folder, day, info)
            for msg in messages:
                authors.setdefault(msg.ts, self._author(msg))
                threaded = threaded or msg.thread_ts is not None
                if msg.file_id and msg.subtype in _FILE_SHARE:
                    shared.setdefault(msg.file_id, msg.thread_ts or msg.ts)
            if keep:
                cached.append(messages)
        channel_key = self.channel_ids.get(folder, folder)
        #: in a flat channel, each person's latest thread so far (mentions reply into it)
        latest: dict[str, str] | None = None if threaded else {}
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
                item = self._item(msg, folder, channel_key, authors, shared, latest)
                if latest is not None and isinstance(item, ActivityRecord) and item.thread:
                    latest[msg.user or ""] = item.thread
                yield item
                if msg.reactions:
                    yield from self._reacted(msg, folder, channel_key)

    def _author(self, msg: SlackMessage) -> str | None:
        """The person who wrote `msg`, or None for bots and deleted messages."""
        if msg.user is None or msg.user in self.bots:
            return None
        if msg.subtype == "tombstone" or msg.subtype == "bot_message":
            return None
        return msg.user

    def _item(
        self,
        msg: SlackMessage,
        folder: str,
        channel_key: str,
        authors: dict[str, str | None],
        shared: dict[str, str],
        latest: dict[str, str] | None,
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
            word_count = words(msg.comment or "")
            thread = f"{folder}/{shared[msg.file_id]}" if msg.file_id in shared else None
            owner = msg.file_owner
            if owner is not None and owner not in self.bots:
                replied_to = self.person(owner)
        else:
            upload = subtype in _FILE_SHARE and _UPLOAD_TEXT.match(msg.text) is not None
            word_count = 0 if upload else words(msg.text)
            if is_reply:
                kind = EventKind.REPLY
                replied_to = self._parent(msg, authors)
            elif subtype in _FILE_SHARE or (msg.has_files and word_count == 0):
                kind = EventKind.SHARE
            elif latest is not None and (mentioned := self._mentioned(msg, user)) is not None:
                kind = EventKind.REPLY
                replied_to = self.person(mentioned)
                thread = latest.get(mentioned, thread)
                self.mention_replies += 1
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
            word_count=word_count,
            detail=detail(folder, msg, self.people),
        )

    def _mentioned(self, msg: SlackMessage, author: str) -> str | None:
        """The first person other than `author` that `msg` mentions (None: nobody, or only
        bots and unknown ids): in a flat channel, the person the message answers."""
        if "<@" not in msg.text:
            return None
        for match in _MENTION.finditer(msg.text):
            user_id = match[1]
            if user_id != author and user_id in self.people and user_id not in self.bots:
                return user_id
        return None

    def _parent(self, msg: SlackMessage, authors: dict[str, str | None]) -> PersonKey | None:
        """Who a thread reply answers: `parent_user_id`, else the loaded parent's author."""
        if msg.parent_user is not None:
            return None if msg.parent_user in self.bots else self.person(msg.parent_user)
        if msg.thread_ts in authors:
            parent = authors[msg.thread_ts]
            return None if parent is None else self.person(parent)
        self.unknown_parents += 1
        return None

    def _reacted(self, msg: SlackMessage, folder: str, channel_key: str) -> Iterator[ImportItem]:
        thread = f"{folder}/{msg.thread_ts or msg.ts}"
        for emoji, users, count in msg.reactions:
            if count > len(users):
                self.partial_reactions = True
            reacted = fit(f"#{folder}: reacted :{emoji}:")
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
                    detail=reacted,
                )
