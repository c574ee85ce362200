"""Slack workspace export (a ZIP of JSON files).

The archive holds `users.json`, `channels.json` and one folder per channel with a day file
`YYYY-MM-DD.json` (an array of messages) for every day that had messages. The work is shared
out by seam:

- `slack_archive`: the ZIP, read in place (never extracted) after checking member names, count
  and declared sizes; loading a member's JSON;
- `slack_messages`: one message, checked field by field;
- `slack_activity`: users, channels and messages turned into people, posts, replies, shares and
  reactions, or `Skipped` (joins/leaves, bots, integrations, deleted thread parents...);
- `slack_text`: word counts and the one-line detail of each record.

Threads are linked per channel after all of that channel's day files are read, since replies
are filed under their own date. Times come from `ts` (UTC epoch seconds), never from file names.
"""

from __future__ import annotations

from collections.abc import Iterator

from cohortdesk.core.importers.base import ImportItem, ImportOptions, SourceFile
from cohortdesk.core.importers.slack_activity import ActivityReader
from cohortdesk.core.importers.slack_archive import load_member, open_archive, read_layout
from cohortdesk.core.text import plural

FORMAT = "slack"
IDENTITY_SOURCE = "slack"
UNNAMED_LABEL = "Slack user"

#: More members than this is not a Slack export anyone means to import (a zip bomb or a mistake).
MAX_MEMBERS = 200_000
#: A channel whose day files hold less JSON than this is parsed once and kept in memory while
#: its threads are linked; a bigger one is parsed twice so memory stays bounded.
CACHE_BYTES = 64 * 1024 * 1024

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
    archive = open_archive(source)
    with archive:
        layout = read_layout(source, archive, options.max_bytes, MAX_MEMBERS)
        if layout.root:
            source.note(f"The export is inside the folder {layout.root!r} of the ZIP.")
        if layout.ignored:
            shown = ", ".join(layout.ignored[:3]) + (", ..." if len(layout.ignored) > 3 else "")
            source.note(
                f"Ignored {plural(len(layout.ignored), 'file that is', 'files that are')} not "
                f"channel history: {shown}."
            )
        reader = ActivityReader(source, CACHE_BYTES)
        yield from reader.users(load_member(source, archive, layout.users, "users.json"))
        reader.channels(load_member(source, archive, layout.channels, "channels.json"))
        for folder, days in layout.days.items():
            yield from reader.channel(archive, layout.root, folder, days)
        _tell(source, reader)


def _tell(source: SourceFile, reader: ActivityReader) -> None:
    """Tell the user what they should know about the whole import."""
    if reader.mention_replies:
        messages = plural(reader.mention_replies, "message", "messages")
        source.note(
            f"Replies read from mentions: {messages} in channels without threads mention "
            "another person (@name) and count as replies to the first person mentioned; "
            "messages without a mention stay posts."
        )
    if reader.reacted:
        source.note(_REACTION_NOTE)
    if reader.partial_reactions:
        source.note(
            "Some reactions list fewer people than their count (Slack exports a limited "
            "number of names): only the people listed were counted."
        )
    if reader.unknown_users:
        unknown = plural(
            len(reader.unknown_users),
            "Slack user id in the messages is",
            "Slack user ids in the messages are",
        )
        source.note(f"{unknown} not in users.json: they are known by their id only.")
    if reader.unknown_parents:
        source.note(
            f"{plural(reader.unknown_parents, 'thread reply answers', 'thread replies answer')} "
            "a message that is not in the export: who they answered is unknown."
        )
